"""Which files make up a recording, a cheap stat signature of them, and their content hash.

A WFDB record is its ``.hea``, the signal files the header names and the companion files that
share its stem (``.dat``, ``.atr``, LUDB's ``.i`` … ``.v6``): everything ``open_record`` may read.
Any other format is its one file. The stat signature (names, sizes, mtimes) decides whether a
record must be hashed again; the sha256 of the content decides whether it must be re-analysed.
The header is parsed here with plain string handling (no wfdb), so indexing 20 000 records
costs one small read each; the analysis later fills the fields authoritatively.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ecgviewer.io.discover import RECORD_EXTENSIONS
from ecgviewer.io.record import canonical_lead_name

_HASH_BLOCK = 1 << 20
_META = re.compile(r"^#\s*<?\s*(age|sex)\s*>?\s*:\s*(\S+)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class HeaderFields:
    """What a WFDB header says, read without wfdb (``None`` where it does not say)."""

    record_name: str
    source_format: str
    fs_hz: float | None
    duration_s: float | None
    leads: tuple[str, ...]
    signal_files: tuple[str, ...]
    age_years: float | None
    sex: str | None


def _float(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value > 0 and value == value else None


def parse_wfdb_header(text: str) -> HeaderFields | None:
    """The record fields of a WFDB header, or None when its first line is no record line."""
    lines = [ln.strip() for ln in text.splitlines()]
    body = [ln for ln in lines if ln and not ln.startswith("#")]
    fields = body[0].split() if body else []
    if len(fields) < 2 or not fields[1].isdigit():
        return None
    name, n_sig = fields[0], int(fields[1])
    fs = _float(fields[2].split("/")[0].split("(")[0]) if len(fields) > 2 else None
    n_samples = int(fields[3]) if len(fields) > 3 and fields[3].isdigit() else None
    leads: list[str] = []
    files: list[str] = []
    fmts: list[str] = []
    if "/" not in name:  # a multi-segment header lists segments, not signals
        for line in body[1 : 1 + n_sig]:
            parts = line.split(maxsplit=8)
            files.append(parts[0])
            fmts.append(re.sub(r"\D.*", "", parts[1]) if len(parts) > 1 else "")
            leads.append(canonical_lead_name(parts[8]) if len(parts) > 8 else "")
    meta = {m.group(1).lower(): m.group(2) for ln in lines if (m := _META.match(ln))}
    sex = {"m": "M", "male": "M", "f": "F", "female": "F"}.get(meta.get("sex", "").lower())
    age = _float(meta.get("age", ""))
    if any(f.lower().endswith(".mat") for f in files):
        source_format = "WFDB / PhysioNet Challenge (.mat + .hea)"
    elif "/" in name:
        source_format = "WFDB multi-segment"
    else:
        source_format = f"WFDB (format {', '.join(sorted(set(fmts)))})"
    return HeaderFields(
        record_name=name.split("/")[0],
        source_format=source_format,
        fs_hz=fs,
        duration_s=n_samples / fs if fs and n_samples else None,
        leads=tuple(leads),
        signal_files=tuple(dict.fromkeys(f for f in files if f != "-")),
        age_years=age if age is not None and age <= 130 else None,
        sex=sex,
    )


@dataclass(frozen=True, slots=True)
class Listing:
    """The regular files directly in one folder: ``stats[name] = (size, mtime_ns)``.

    ``by_stem`` groups names by the part before their first dot, so finding a record's
    companion files does not scan a folder of thousands of files once per record.
    """

    stats: dict[str, tuple[int, int]]
    by_stem: dict[str, list[str]] = field(default_factory=dict)


def list_folder(folder: Path) -> Listing:
    """Stat every regular file directly in ``folder`` (one ``scandir``)."""
    listing = Listing({})
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_file():
                st = entry.stat()
                listing.stats[entry.name] = (st.st_size, st.st_mtime_ns)
                listing.by_stem.setdefault(entry.name.split(".", 1)[0], []).append(entry.name)
    return listing


def record_files(path: Path, listing: Listing, named: Iterable[str] = ()) -> tuple[str, ...]:
    """The files of the record at ``path``, as names relative to its folder, sorted.

    ``named`` are the signal files its header names (kept even when missing, so a signal file
    that appears later changes the signature).
    """
    if path.suffix.lower() != ".hea":
        return (path.name,)
    prefix = path.stem + "."
    companions = {
        n
        for n in listing.by_stem.get(path.name.split(".", 1)[0], ())
        if n.startswith(prefix)
        and (n == path.name or os.path.splitext(n)[1].lower() not in RECORD_EXTENSIONS)
    }
    return tuple(sorted(companions | {path.name} | {n for n in named if n}))


def stat_signature(names: Iterable[str], folder: Path, listing: Listing) -> tuple[str, int, int]:
    """``(stat_key, total size, newest mtime_ns)`` of the files; a missing file counts as such."""
    digest = hashlib.blake2b(digest_size=12)
    size = mtime = 0
    for name in names:
        stat = listing.stats.get(name)
        if stat is None and ("/" in name or os.sep in name):  # a header naming a subfolder file
            try:
                st = (folder / name).stat()
                stat = (st.st_size, st.st_mtime_ns)
            except OSError:
                stat = None
        digest.update(f"{name}\0{stat}\n".encode())
        if stat is not None:
            size += stat[0]
            mtime = max(mtime, stat[1])
    return digest.hexdigest(), size, mtime


def content_hash(folder: Path, names: Iterable[str]) -> str:
    """sha256 of the files' names, sizes and bytes, in name order; missing files count too."""
    digest = hashlib.sha256()
    for name in sorted(names):
        digest.update(name.encode("utf-8") + b"\0")
        try:
            with open(folder / name, "rb") as f:
                size = os.fstat(f.fileno()).st_size
                digest.update(size.to_bytes(8, "little"))
                while block := f.read(_HASH_BLOCK):
                    digest.update(block)
        except OSError:
            digest.update(b"\xffmissing")
    return digest.hexdigest()
