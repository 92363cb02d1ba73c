"""Read EDF, EDF+ and BDF/BDF+ recordings (edfio) into a :class:`Record`.

Only ECG signals that share the main sampling rate are kept; everything left out is listed as
a :class:`Conversion`. Samples are calibrated chunk by chunk straight into one float32 array,
so a 24-hour Holter costs its float32 size plus a few megabytes (EDF data is memory-mapped;
edfio reads BDF whole).
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from collections import Counter
from pathlib import Path

import edfio
import numpy as np
import numpy.typing as npt

from ecgviewer.io.common import (
    age_years,
    ecg_lead_name,
    guess_mv_per_unit,
    mv_per_unit,
    rename_note,
    scale_note,
)
from ecgviewer.io.errors import (
    CorruptHeaderError,
    EmptyRecordError,
    TruncatedDataError,
    UnknownFormatError,
)
from ecgviewer.io.record import (
    AnnotationTrack,
    Conversion,
    PatientInfo,
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
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # edfio warns on truncation; it is checked below
            edf = (edfio.read_bdf if is_bdf else edfio.read_edf)(path, header_encoding="latin-1")
            signals = edf.signals
            reserved = edf.reserved
    except Exception as exc:  # any failure to parse the header is a corrupt header
        raise CorruptHeaderError(
            f"{name} starts like an EDF/BDF file but its header cannot be read ({exc}).", where
        ) from None
    plus = reserved.startswith(("EDF+", "BDF+"))
    fmt = ("BDF" if is_bdf else "EDF") + ("+" if plus else "")
    convs: list[Conversion] = []
    if not signals:
        raise EmptyRecordError(f"{name} holds only annotations, no signals.", where)

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

    samples = _calibrated(keep, n_records, name, where, convs)
    renames = {s.label: ecg_lead_name(s.label) or s.label for s in keep}
    if note := rename_note(renames, "Signal labels"):
        convs.append(note)
    start = _start_time(edf)
    return make_record(
        samples,
        fs_hz,
        list(renames.values()),
        path.stem,
        source_path=where,
        source_format=fmt,
        start_time=start,
        patient=_patient(edf, start) if plus else None,
        metadata=_metadata(edf, keep),
        annotations=_annotations(edf, fs_hz, samples.shape[1], convs) if plus else (),
        conversions=convs,
    )


def _choose_signals(
    signals: tuple[_Signal, ...], name: str, where: str, convs: list[Conversion]
) -> tuple[list[_Signal], float, list[str]]:
    """Split ECG signals at the main rate from the rest (listed in the third element)."""
    ecg = [s for s in signals if ecg_lead_name(s.label) or _ECG_WORD.search(s.label)]
    if not ecg:  # unlabelled voltage channels from an ECG device
        ecg = [
            s
            for s in signals
            if mv_per_unit(s.physical_dimension) is not None and not _NOT_ECG.search(s.label)
        ]
        if ecg:
            convs.append(
                Conversion(
                    "lead_name",
                    "No signal is labelled as ECG; the voltage signals "
                    f"{', '.join(s.label or '(unnamed)' for s in ecg)} are shown as ECG leads.",
                )
            )
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
    if n_found == 0:
        raise TruncatedDataError(f"{name} has a header but no complete block of data.", where)
    if n_header == -1:  # allowed while recording; the file never got its final count
        convs.append(
            Conversion("format", f"The header does not give the length; read {n_found} blocks.")
        )
        return n_found
    if n_found < n_header:
        raise TruncatedDataError(
            f"{name} ends early: its header promises {n_header} data blocks but the file holds "
            f"only {n_found} ({100 * n_found / n_header:.0f} %). It was probably cut off while "
            "being copied or recorded.",
            where,
        )
    if n_found > n_header:
        convs.append(
            Conversion("crop", f"Data after the {n_header} blocks the header describes ignored.")
        )
    return min(n_found, n_header)


def _calibrated(
    keep: list[_Signal], n_records: int, name: str, where: str, convs: list[Conversion]
) -> npt.NDArray[np.float32]:
    """Digital values -> mV, written chunk by chunk into one float32 ``[lead, sample]``."""
    spr = keep[0].samples_per_data_record
    record_s = spr / keep[0].sampling_frequency
    step = max(1, _CHUNK_SAMPLES // spr)
    out = np.empty((len(keep), n_records * spr), dtype=np.float32)
    stated: dict[str, str] = {}
    unstated: list[int] = []
    for row, sig in enumerate(keep):
        d_span = sig.digital_max - sig.digital_min
        p_span = sig.physical_max - sig.physical_min
        if d_span == 0 or p_span == 0:
            raise CorruptHeaderError(
                f"{name}: signal {sig.label!r} has no usable calibration (its digital or "
                "physical range is empty), so its values cannot be converted to voltage.",
                where,
            )
        gain = p_span / d_span
        offset = sig.physical_max / gain - sig.digital_max
        factor = mv_per_unit(sig.physical_dimension)
        if factor is None:
            unstated.append(row)
            factor = 1.0
        else:
            stated[ecg_lead_name(sig.label) or sig.label] = sig.physical_dimension
        for first in range(0, n_records, step):
            last = min(n_records, first + step)
            chunk = sig.get_digital_slice(first * record_s, last * record_s) + offset
            np.multiply(chunk, gain * factor, out=out[row, first * spr : last * spr])
            del chunk  # free the scratch before the next slice is read
    if note := scale_note(stated):
        convs.append(note)
    if unstated:
        labels = ", ".join(keep[i].label for i in unstated)
        stride = max(1, out.shape[1] // 100_000)  # guess from a sparse sample, not a copy
        factor, note = guess_mv_per_unit(out[unstated, ::stride], f"The EDF header of {labels}")
        for row in unstated:
            out[row] *= np.float32(factor)
        convs.append(note)
    return out


def _is_continuous(edf: edfio.Edf | edfio.Bdf) -> bool:
    try:
        return edf.is_continuous
    except (ValueError, IndexError, ArithmeticError):
        return False


def _start_time(edf: edfio.Edf | edfio.Bdf) -> dt.datetime | None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # edfio warns when the two date fields disagree
        try:
            return dt.datetime.combine(edf.startdate, edf.starttime)
        except (ValueError, IndexError, ArithmeticError):
            return None  # anonymised ("Startdate X") or malformed: say nothing


def _patient(edf: edfio.Edf | edfio.Bdf, start: dt.datetime | None) -> PatientInfo:
    """EDF+ patient subfields: code, sex, birthdate (-> age at the recording date)."""
    patient = edf.patient
    code = patient.code.replace("_", " ")
    sex = patient.sex.upper()
    age = None
    try:
        birth = patient.birthdate
    except (ValueError, IndexError):
        birth = None
    if birth is not None and start is not None:
        age = age_years(birth, start.date())
    return PatientInfo(
        patient_id=None if code in ("", "X") else code,
        age_years=age,
        sex="F" if sex == "F" else "M" if sex == "M" else None,
    )


def _metadata(edf: edfio.Edf | edfio.Bdf, keep: list[_Signal]) -> dict[str, str]:
    meta = {"recording": edf.local_recording_identification}
    if not edf.reserved.startswith(("EDF+", "BDF+")):  # free text, may name the patient
        meta["patient_field"] = edf.local_patient_identification
    filters = [f"{s.label}: {s.prefiltering}" for s in keep if s.prefiltering]
    if filters:
        meta["prefiltering"] = "; ".join(filters)
    return meta


def _annotations(
    edf: edfio.Edf | edfio.Bdf, fs_hz: float, n_samples: int, convs: list[Conversion]
) -> tuple[AnnotationTrack, ...]:
    """EDF+ annotations (onset, duration, text) as one ``"edf"`` track; broken ones noted."""
    try:
        notes = edf.annotations
    except (ValueError, IndexError, UnicodeError, ArithmeticError):
        convs.append(Conversion("format", "The EDF+ annotations are unreadable; not shown."))
        return ()
    inside = [a for a in notes if 0 <= round(a.onset * fs_hz) < n_samples]
    if not inside:
        return ()
    return (
        AnnotationTrack(
            name="edf",
            lead=None,
            samples=np.array([round(a.onset * fs_hz) for a in inside], dtype=np.int64),
            symbols=tuple(a.text for a in inside),
            aux=tuple("" if a.duration is None else f"{a.duration:g} s" for a in inside),
        ),
    )
