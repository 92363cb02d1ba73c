"""WFDB records (PhysioNet): every format wfdb reads, Challenge .mat/.hea pairs, multi-segment.

The header is read and checked first (files present, sizes consistent, rates sane), then the
samples are read in chunks of digital values straight into one float32 array in mV, so a
30-minute or 24-hour record is never held twice.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from ecgviewer.io.errors import (
    CorruptHeaderError,
    EmptyRecordError,
    MissingFileError,
    SamplingRateError,
    TruncatedDataError,
)
from ecgviewer.io.record import Conversion, PatientInfo, Record, check_sampling_rate, make_record
from ecgviewer.io.wfdb_annotations import read_annotations

# Bytes per sample for the formats whose size can be checked against the header.
_BYTES_PER_SAMPLE = {
    "8": 1.0, "16": 2.0, "24": 3.0, "32": 4.0, "61": 2.0, "80": 1.0, "160": 2.0,
    "212": 1.5, "310": 4 / 3, "311": 4 / 3,
}  # fmt: skip
# The digital value WFDB uses for "no sample here" in each format.
_INVALID = {
    "80": -(2**7), "508": -(2**7), "310": -(2**9), "311": -(2**9), "212": -(2**11),
    "16": -(2**15), "61": -(2**15), "160": -(2**15), "516": -(2**15), "24": -(2**23),
    "524": -(2**23), "32": -(2**31),
}  # fmt: skip
_UNITS_TO_MV = {"mv": 1.0, "uv": 1e-3, "µv": 1e-3, "μv": 1e-3, "v": 1e3, "nv": 1e-6}
_CHUNK_SAMPLES = 1 << 18  # bounds the int64 scratch copy wfdb returns per call
_DEFAULT_GAIN = 200.0  # WFDB's documented default when a header gives no or zero ADC gain


def read_wfdb(header_path: Path) -> Record:
    """Read a WFDB record from its ``.hea`` file (see :func:`ecgviewer.io.open_record`)."""
    import wfdb

    base = str(header_path.with_suffix(""))
    name = header_path.stem
    fs_note = _check_record_line(header_path)
    try:
        header = wfdb.rdheader(base)
    except Exception as exc:
        raise CorruptHeaderError(
            f"The header {header_path.name} cannot be read ({_short(exc)}).", str(header_path)
        ) from exc
    if isinstance(header, wfdb.MultiRecord):
        return _read_multisegment(base, header_path, header)

    n_sig = int(header.n_sig or 0)
    if n_sig == 0 or not header.sig_name:
        raise EmptyRecordError(f"The header {header_path.name} lists no signals.", str(header_path))
    fs = check_sampling_rate(header.fs, str(header_path))
    _check_files(header_path, header)
    length_in_header = header.sig_len is not None
    if not length_in_header:
        header.sig_len = _length_from_file_size(header_path, header)
        if fs_note is None:
            fs_note = Conversion("format", "The header gives no length; taken from the file size.")
    n_samples = int(header.sig_len or 0)
    if n_samples <= 0:
        raise EmptyRecordError(
            f"{name} contains no samples (the header gives a length of 0).", str(header_path)
        )

    gains, baselines, unit_scale, conversions = _calibration(header)
    if fs_note is not None:
        conversions.append(fs_note)
    invalid = [_INVALID.get(str(f)) for f in header.fmt]
    out = np.empty((n_sig, n_samples), dtype=np.float32)
    checksums = np.zeros(n_sig, dtype=np.int64)
    # wfdb re-reads the header on every call and cannot take a window of a record whose header
    # gives no length: such (rare, small) records are read in one piece.
    chunk_len = _CHUNK_SAMPLES if length_in_header else n_samples
    for start in range(0, n_samples, chunk_len):
        stop = min(n_samples, start + chunk_len)
        window = {"sampfrom": start, "sampto": stop} if length_in_header else {}
        try:
            chunk = wfdb.rdrecord(base, physical=False, **window).d_signal
        except Exception as exc:
            raise CorruptHeaderError(
                f"The samples of {name} cannot be decoded ({_short(exc)}).", str(header_path)
            ) from exc
        checksums += chunk.sum(axis=0, dtype=np.int64)
        for ch in range(n_sig):
            digital = chunk[:, ch]
            row = out[ch, start:stop]
            np.subtract(digital, baselines[ch], out=row, casting="unsafe")
            row *= np.float32(unit_scale[ch] / gains[ch])
            if invalid[ch] is not None:
                row[digital == invalid[ch]] = np.nan
    _check_checksums(header_path, header, checksums)

    return make_record(
        out,
        fs,
        list(header.sig_name),
        name,
        source_path=str(header_path),
        source_format=_format_name(header),
        start_time=_start_time(header),
        patient=_patient(header.comments or []),
        metadata=_metadata(header.comments or []),
        annotations=read_annotations(base, header.sig_name, n_samples),
        conversions=conversions,
    )


_FS_FIELD = re.compile(r"^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?(/[\d.eE+-]+)?(\([\d.eE+-]+\))?$")


def _check_record_line(header_path: Path) -> Conversion | None:
    """Check the fields wfdb would silently replace by defaults (it reads ``-5 Hz`` as 250)."""
    try:
        text = header_path.read_text(encoding="latin-1")
    except OSError as exc:
        raise MissingFileError(
            f"{header_path.name} cannot be read ({exc}).", str(header_path)
        ) from exc
    lines = (ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#"))
    line = next(lines, "")
    fields = line.split()
    if len(fields) < 2 or not fields[1].isdigit():
        raise CorruptHeaderError(
            f"The first line of {header_path.name} is not a WFDB record line.", str(header_path)
        )
    if len(fields) < 3:
        return Conversion(
            "format", "The header gives no sampling rate; WFDB's default of 250 Hz was assumed."
        )
    if not _FS_FIELD.match(fields[2]):
        raise SamplingRateError(
            f"The sampling rate in {header_path.name} reads '{fields[2]}', which is not a "
            "valid rate; the time axis of this recording is unknown.",
            str(header_path),
        )
    if len(fields) >= 4 and not fields[3].isdigit():
        raise CorruptHeaderError(
            f"The number of samples in {header_path.name} reads '{fields[3]}', not a count.",
            str(header_path),
        )
    return None


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:160] if text else type(exc).__name__


def _check_files(header_path: Path, header: Any) -> None:
    """Every signal file exists and is long enough for the samples the header promises."""
    folder = header_path.parent
    per_file: dict[str, list[int]] = {}
    for ch, file_name in enumerate(header.file_name):
        per_file.setdefault(file_name, []).append(ch)
    for file_name, channels in per_file.items():
        path = folder / file_name
        if not path.is_file():
            raise MissingFileError(
                f"The signal file {file_name} named in {header_path.name} is missing; the header "
                "alone holds no ECG samples.",
                str(path),
            )
        fmts = {str(header.fmt[ch]) for ch in channels}
        if len(fmts) != 1:
            raise CorruptHeaderError(
                f"{header_path.name} gives {file_name} more than one storage format.",
                str(header_path),
            )
        fmt = fmts.pop()
        if fmt not in _BYTES_PER_SAMPLE or not header.sig_len:
            continue  # compressed (FLAC) formats: size cannot be predicted
        frames = sum(int(header.samps_per_frame[ch] or 1) for ch in channels)
        offset = int(header.byte_offset[channels[0]] or 0)
        need = offset + math.ceil(frames * int(header.sig_len) * _BYTES_PER_SAMPLE[fmt])
        have = path.stat().st_size
        if have < need:
            pct = 100.0 * max(0, have - offset) / max(1, need - offset)
            raise TruncatedDataError(
                f"{file_name} is truncated: it holds {pct:.0f} % of the samples its header "
                f"announces ({have} of {need} bytes). The recording was cut short or copied "
                "incompletely.",
                str(path),
            )


def _length_from_file_size(header_path: Path, header: Any) -> int:
    """Samples per signal implied by the size of a single signal file (WFDB allows no length)."""
    files = set(header.file_name)
    fmts = {str(f) for f in header.fmt}
    if len(files) != 1 or len(fmts) != 1 or fmts.copy().pop() not in _BYTES_PER_SAMPLE:
        raise CorruptHeaderError(
            f"{header_path.name} gives no number of samples and it cannot be worked out from "
            "the signal files.",
            str(header_path),
        )
    path = header_path.parent / files.pop()
    if not path.is_file():
        raise MissingFileError(f"The signal file {path.name} is missing.", str(path))
    frames = sum(int(s or 1) for s in header.samps_per_frame)
    usable = path.stat().st_size - int(header.byte_offset[0] or 0)
    return int(usable / (_BYTES_PER_SAMPLE[fmts.pop()] * frames))


def _calibration(
    header: Any,
) -> tuple[list[float], list[float], list[float], list[Conversion]]:
    gains: list[float] = []
    scales: list[float] = []
    conversions: list[Conversion] = []
    uncalibrated: list[str] = []
    by_unit: dict[str, list[str]] = {}
    for ch, lead in enumerate(header.sig_name):
        gain = float(header.adc_gain[ch] or 0.0)
        if not math.isfinite(gain) or gain == 0.0:
            gain = _DEFAULT_GAIN
            uncalibrated.append(lead)
        gains.append(gain)
        unit = (header.units[ch] or "mV").strip()
        factor = _UNITS_TO_MV.get(unit.lower())
        if factor is None:
            raise CorruptHeaderError(
                f"Signal {lead} is measured in '{unit}', which is not a voltage; it is not an "
                "ECG lead the viewer can scale.",
            )
        if factor != 1.0:
            by_unit.setdefault(unit, []).append(lead)
        scales.append(factor)
    for unit, leads in by_unit.items():
        conversions.append(Conversion("units", f"{', '.join(leads)}: {unit} → mV"))
    if uncalibrated:
        conversions.append(
            Conversion(
                "gain",
                f"{', '.join(uncalibrated)}: no ADC gain in the header; WFDB's default "
                f"{_DEFAULT_GAIN:g} units/mV assumed — amplitudes may be wrong.",
            )
        )
    baselines = [float(b if b is not None else 0) for b in header.baseline]
    return gains, baselines, scales, conversions


def _check_checksums(header_path: Path, header: Any, sums: npt.NDArray[np.int64]) -> None:
    expected = header.checksum
    if not expected:
        return
    bad = [
        header.sig_name[ch]
        for ch, want in enumerate(expected)
        if want is not None and (int(sums[ch]) & 0xFFFF) != (int(want) & 0xFFFF)
    ]
    if bad:
        raise CorruptHeaderError(
            f"The samples of {', '.join(bad)} do not match the checksums in {header_path.name}: "
            "the data file is damaged or belongs to another recording.",
            str(header_path),
        )


def _format_name(header: Any) -> str:
    fmts = sorted({str(f) for f in header.fmt})
    if any(str(f).lower().endswith(".mat") for f in header.file_name):
        return "WFDB / PhysioNet Challenge (.mat + .hea)"
    return f"WFDB (format {', '.join(fmts)})"


def _start_time(header: Any) -> dt.datetime | None:
    if header.base_date is None or header.base_time is None:
        return None
    return dt.datetime.combine(header.base_date, header.base_time)


_KEY_VALUE = re.compile(r"^<?\s*([A-Za-z][\w ]*?)\s*>?\s*:\s*(.*)$")
_MITDB_FIRST = re.compile(r"^(\d{1,3})\s+([MF])\b")


def _metadata(comments: Sequence[str]) -> dict[str, str]:
    meta: dict[str, str] = {}
    free: list[str] = []
    for line in comments:
        m = _KEY_VALUE.match(line.strip())
        if m and m.group(2).strip():
            meta[m.group(1).strip().lower()] = m.group(2).strip()
        elif line.strip():
            free.append(line.strip())
    if free:
        meta["comments"] = "\n".join(free)
    return meta


def _patient(comments: Sequence[str]) -> PatientInfo:
    meta = _metadata(comments)
    age: float | None = None
    sex = None
    raw_age = meta.get("age")
    if raw_age:
        try:
            age = float(raw_age)
        except ValueError:
            age = None
    raw_sex = (meta.get("sex") or "").strip().lower()
    if raw_sex in ("m", "male"):
        sex = "M"
    elif raw_sex in ("f", "female"):
        sex = "F"
    if comments:
        m = _MITDB_FIRST.match(comments[0].strip())  # MIT-BIH: "# 69 M 1085 1629 x1"
        if m and age is None and sex is None:
            age, sex = float(m.group(1)), m.group(2)
    if age is not None and not 0 <= age <= 130:
        age = None
    return PatientInfo(age_years=age, sex=sex)  # type: ignore[arg-type]


def _read_multisegment(base: str, header_path: Path, header: Any) -> Record:
    """Multi-segment records are stitched by wfdb (gaps become NaN, layouts are merged)."""
    import wfdb

    fs = check_sampling_rate(header.fs, str(header_path))
    try:
        rec = wfdb.rdrecord(base, m2s=True, physical=True, return_res=32)
    except FileNotFoundError as exc:
        raise MissingFileError(
            f"A segment of the multi-segment record {header_path.stem} is missing ({exc}).",
            str(header_path),
        ) from exc
    except Exception as exc:
        raise CorruptHeaderError(
            f"The multi-segment record {header_path.stem} cannot be read ({_short(exc)}).",
            str(header_path),
        ) from exc
    if rec.p_signal is None or rec.p_signal.size == 0:
        raise EmptyRecordError(f"{header_path.stem} contains no samples.", str(header_path))
    scales = [_UNITS_TO_MV.get((u or "mV").strip().lower(), 1.0) for u in rec.units]
    data = np.ascontiguousarray(rec.p_signal.T, dtype=np.float32)
    conversions = [Conversion("format", f"{len(header.seg_name)} segments joined; gaps left blank")]
    for ch, scale in enumerate(scales):
        if scale != 1.0:
            data[ch] *= np.float32(scale)
            conversions.append(Conversion("units", f"{rec.sig_name[ch]}: {rec.units[ch]} → mV"))
    return make_record(
        data,
        fs,
        list(rec.sig_name),
        header_path.stem,
        source_path=str(header_path),
        source_format="WFDB multi-segment",
        start_time=_start_time(header),
        patient=_patient(header.comments or []),
        metadata=_metadata(header.comments or []),
        annotations=read_annotations(base, rec.sig_name, data.shape[1]),
        conversions=conversions,
    )
