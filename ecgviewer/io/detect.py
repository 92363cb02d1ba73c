"""Recognise an ECG file by its content, not only its extension."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from ecgviewer.io.errors import EmptyRecordError, MissingFileError, UnknownFormatError

Format = Literal["wfdb", "edf", "dicom", "aecg", "csv"]

_HEAD_BYTES = 4096
_XML_SNIFF_BYTES = 1 << 16
# First non-comment line of a WFDB header: "name[/nseg] nsig [fs[/counterfreq][(base)] [nsamp ...]]"
_WFDB_RECORD_LINE = re.compile(rb"^[\w.+-]+(/\d+)?[ \t]+\d+([ \t]|$)")


def resolve_wfdb_header(path: Path) -> Path | None:
    """The .hea that belongs to ``path`` (a .hea, a .dat/.mat beside one, or a record name)."""
    if path.suffix.lower() == ".hea" and path.is_file():
        return path
    for candidate in (path.with_suffix(".hea"), Path(str(path) + ".hea")):
        if candidate != path and candidate.is_file():
            return candidate
    return None


def _looks_like_wfdb_header(head: bytes) -> bool:
    for line in head.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith(b"#"):
            continue
        return bool(_WFDB_RECORD_LINE.match(stripped))
    return False


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut by the 4 KiB window is still text.
        if exc.start < len(head) - 4:
            try:
                head.decode("latin-1")
            except UnicodeDecodeError:
                return False
            return all(b >= 9 for b in head)
    return True


def detect_format(path: str | Path) -> tuple[Format, Path]:
    """Return the format of ``path`` and the file to read it from.

    Raises :class:`MissingFileError` when nothing is there, :class:`EmptyRecordError` for an
    empty file and :class:`UnknownFormatError` for content that is no ECG format we read.
    """
    p = Path(path)
    if not p.exists():
        header = resolve_wfdb_header(p)
        if header is not None:
            return "wfdb", header
        raise MissingFileError(f"There is no file at {p}.", str(p))
    if p.is_dir():
        raise UnknownFormatError(f"{p} is a folder, not a recording.", str(p))
    with p.open("rb") as fh:
        head = fh.read(_HEAD_BYTES)
    if not head:
        raise EmptyRecordError(f"{p.name} is empty (0 bytes).", str(p))

    if len(head) >= 132 and head[128:132] == b"DICM":
        return "dicom", p
    if head[:8] == b"0       " or head[:8] == b"\xffBIOSEMI":
        return "edf", p
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16 text (some aECG exporters)
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    text_head = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text_head.startswith(b"<"):
        if b"AnnotatedECG" not in head:  # long XML prologues/comments: look further in
            with p.open("rb") as fh:
                more = fh.read(_XML_SNIFF_BYTES)
            if more[:2] in (b"\xff\xfe", b"\xfe\xff"):
                more = more.decode("utf-16", errors="ignore").encode("utf-8")
            head = more
        if b"AnnotatedECG" in head:
            return "aecg", p
        raise UnknownFormatError(
            f"{p.name} is an XML file but not an HL7 annotated ECG (aECG).", str(p)
        )
    if p.suffix.lower() == ".hea" or (_is_text(head) and _looks_like_wfdb_header(head)):
        return "wfdb", p
    header = resolve_wfdb_header(p)
    if header is not None:
        return "wfdb", header
    if head.startswith(b"MATLAB"):
        raise MissingFileError(
            f"{p.name} is a MATLAB signal file without the .hea header that describes it "
            f"(expected {p.with_suffix('.hea').name} beside it).",
            str(p),
        )
    if _is_text(head):
        return "csv", p
    raise UnknownFormatError(
        f"{p.name} is not a recording format the viewer reads (WFDB, EDF/BDF, DICOM waveform, "
        "HL7 aECG XML or CSV).",
        str(p),
    )
