"""Read EDF, EDF+ and BDF/BDF+ recordings (edfio) into a :class:`Record`.

Only ECG signals that share the main sampling rate are kept; everything left out is listed as
a :class:`Conversion`. Samples are calibrated chunk by chunk straight into one float32 array,
so a 24-hour Holter costs its float32 size plus a few megabytes (EDF data is memory-mapped;
edfio reads BDF whole).
"""

from __future__ import annotations

import re
import warnings
from collections import Counter
from pathlib import Path

import edfio
import numpy as np
import numpy.typing as npt

from ecgviewer.io.common import ecg_lead_name, mv_per_unit, rename_note, scale_to_mv
from ecgviewer.io.edf_fields import annotation_track, edf_metadata, edf_patient, edf_start_time
from ecgviewer.io.errors import (
    CorruptHeaderError,
    EmptyRecordError,
    TruncatedDataError,
    UnknownFormatError,
)
from ecgviewer.io.record import (
    Conversion,
    Record,
    check_sampling_rate,
    make_record,
)

_Signal = edfio.EdfSignal | edfio.BdfSignal
_CHUNK_SAMPLES = 1 << 17  # calibrate ~128 k samples at a time: 1 MB of float64 scratch
_ECG_WORD = re.compile(r"ecg|ekg", re.IGNORECASE)
_NOT_ECG = re.compile(
    r"eeg|eog|emg|resp|spo2|sao2|pleth|pulse|temp|position|light|snore|flow|thor|abd|marker",
    re.IGNORECASE,
)


def read_edf(path: Path) -> Record:
    """Read an EDF/EDF+/BDF/BDF+ file.

    Parameters
    ----------
    path
        The file; it is only read (EDF data is memory-mapped read-only).

    Returns
    -------
    Record
        ECG leads at the most common ECG sampling rate, in mV, with EDF+ annotations as an
        ``"edf"`` track and the patient fields of an EDF+ header.

    Raises
    ------
    RecordError
        ``CorruptHeaderError`` for an unreadable header, ``TruncatedDataError`` for a file cut
        short, ``SamplingRateError``, ``EmptyRecordError`` when no ECG signal is present, and
        ``UnknownFormatError`` for a discontinuous EDF+D with real gaps.
    """
    name, where = path.name, str(path)
    with path.open("rb") as fh:
        raw = fh.read(256)
    is_bdf = raw[:8] == b"\xffBIOSEMI"
    try:
        n_records_header = int(raw[236:244].decode("latin-1"))
        header_bytes = 256 * (1 + int(raw[252:256].decode("latin-1")))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # edfio warns on truncation; it is checked below
            edf = (edfio.read_bdf if is_bdf else edfio.read_edf)(path, header_encoding="latin-1")
            signals, reserved = edf.signals, edf.reserved
        for sig in signals:  # edfio parses each field on first use: parse them all in here
            _ = (sig.label, sig.physical_dimension, sig.prefiltering, sig.samples_per_data_record)
            _ = (sig.physical_min, sig.physical_max, sig.digital_min, sig.digital_max)
        if edf.bytes_in_header_record != header_bytes:  # the samples would be misread
            raise ValueError(f"header size {edf.bytes_in_header_record}, expected {header_bytes}")
    except Exception as exc:  # whatever edfio trips on, the header is what is broken
        raise CorruptHeaderError(
            f"{name} starts like an EDF/BDF file but its header cannot be read ({exc}).", where
        ) from None
    if not signals:
        raise EmptyRecordError(f"{name} holds only annotations, no signals.", where)
    plus = reserved.startswith(("EDF+", "BDF+"))
    fmt = ("BDF" if is_bdf else "EDF") + ("+" if plus else "")
    convs: list[Conversion] = []

    keep, fs_hz, skipped = _choose_signals(signals, name, where, convs)
    fs_hz = check_sampling_rate(fs_hz, where)
    n_records = _check_length(edf.num_data_records, n_records_header, name, where, convs)
    if reserved.startswith(("EDF+D", "BDF+D")):
        if not _is_continuous(edf):
            raise UnknownFormatError(
                f"{name} is a discontinuous {fmt[:3]}+ recording (EDF+D) with gaps between "
                "its data blocks, which the viewer cannot place on a time axis yet. Export "
                "it as a continuous EDF+ (EDF+C) file.",
                where,
            )
        convs.append(Conversion("gap", "Marked discontinuous (EDF+D), but has no gaps."))
    if skipped:
        convs.append(Conversion("format", "Not shown: " + "; ".join(skipped) + "."))

    samples = _calibrated(keep, n_records, name, where)
    leads = [ecg_lead_name(s.label) or s.label for s in keep]
    units = [s.physical_dimension for s in keep]
    convs.extend(scale_to_mv(samples, units, leads, "The EDF header"))
    renames = {s.label: lead for s, lead in zip(keep, leads, strict=True)}
    if note := rename_note(renames, "Signal labels"):
        convs.append(note)
    start = edf_start_time(edf)
    return make_record(
        samples,
        fs_hz,
        leads,
        path.stem,
        source_path=where,
        source_format=fmt,
        start_time=start,
        patient=edf_patient(edf, start) if plus else None,
        metadata=edf_metadata(edf, keep),
        annotations=annotation_track(edf, fs_hz, samples.shape[1], convs) if plus else (),
        conversions=convs,
    )


def _choose_signals(
    signals: tuple[_Signal, ...], name: str, where: str, convs: list[Conversion]
) -> tuple[list[_Signal], float, list[str]]:
    """Split ECG signals at the main rate from the rest (listed in the third element)."""
    volts = [s for s in signals if mv_per_unit(s.physical_dimension or "mV") is not None]
    ecg = [s for s in volts if ecg_lead_name(s.label) or _ECG_WORD.search(s.label)]
    if not ecg:  # unlabelled voltage channels from an ECG device
        ecg = [s for s in volts if s.physical_dimension and not _NOT_ECG.search(s.label)]
        labels = ", ".join(s.label or "(unnamed)" for s in ecg)
        note = f"No signal is labelled as ECG; the voltage signals {labels} are shown as leads."
        convs.extend([Conversion("lead_name", note)] if ecg else [])
    if not ecg:
        labels = ", ".join(s.label or "(unnamed)" for s in signals)
        raise EmptyRecordError(f"{name} contains no ECG signal (it holds: {labels}).", where)
    rates = Counter(s.sampling_frequency for s in ecg)
    fs_hz = max(rates, key=lambda fs: (rates[fs], fs))
    keep = [s for s in ecg if s.sampling_frequency == fs_hz]
    skipped = [
        f"{s.label} (ECG at {s.sampling_frequency:g} Hz, not the main {fs_hz:g} Hz; not resampled)"
        for s in ecg
        if s.sampling_frequency != fs_hz
    ]
    skipped += [
        f"{s.label or '(unnamed)'} ({s.physical_dimension or 'no unit'}, "
        f"{s.sampling_frequency:g} Hz: not an ECG lead)"
        for s in signals
        if s not in ecg
    ]
    return keep, fs_hz, skipped


def _check_length(
    n_found: int, n_header: int, name: str, where: str, convs: list[Conversion]
) -> int:
    """Number of data records to read, or a typed error when the file was cut short."""
    if n_found == 0 and n_header in (0, -1):
        raise EmptyRecordError(f"{name} has a header but no samples.", where)
    if n_found == 0:
        raise TruncatedDataError(f"{name} has a header but no complete block of data.", where)
    if n_header == -1:  # allowed while recording; the file never got its final count
        note = f"The header does not give the length; read the {n_found} blocks present."
        convs.append(Conversion("format", note))
        return n_found
    if n_found < n_header:
        raise TruncatedDataError(
            f"{name} ends early: its header promises {n_header} data blocks but the file holds "
            f"only {n_found} ({100 * n_found / n_header:.0f} %). It was probably cut off while "
            "being copied or recorded.",
            where,
        )
    if n_found > n_header:
        note = f"Data after the {n_header} blocks the header describes is ignored."
        convs.append(Conversion("crop", note))
    return min(n_found, n_header)


def _calibrated(
    keep: list[_Signal], n_records: int, name: str, where: str
) -> npt.NDArray[np.float32]:
    """Digital values -> physical units, written chunk by chunk into one float32 array."""
    spr = keep[0].samples_per_data_record
    record_s = spr / keep[0].sampling_frequency
    step = max(1, _CHUNK_SAMPLES // spr)
    out = np.empty((len(keep), n_records * spr), dtype=np.float32)
    for row, sig in enumerate(keep):
        d_span = sig.digital_max - sig.digital_min
        p_span = sig.physical_max - sig.physical_min
        if d_span == 0 or p_span == 0 or max(abs(sig.physical_min), abs(sig.physical_max)) > 1e30:
            raise CorruptHeaderError(
                f"{name}: signal {sig.label!r} has no usable calibration (its digital or "
                "physical range is empty or absurd), so its values cannot be converted to voltage.",
                where,
            )
        gain = p_span / d_span
        offset = sig.physical_max / gain - sig.digital_max
        for first in range(0, n_records, step):
            last = min(n_records, first + step)
            chunk = sig.get_digital_slice(first * record_s, last * record_s) + offset
            np.multiply(chunk, gain, out=out[row, first * spr : last * spr])
            del chunk  # free the scratch before the next slice is read
    return out


def _is_continuous(edf: edfio.Edf | edfio.Bdf) -> bool:
    try:
        return edf.is_continuous
    except (ValueError, IndexError, ArithmeticError):
        return False
