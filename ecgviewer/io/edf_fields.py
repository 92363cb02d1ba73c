"""What an EDF/BDF header says besides the samples: start, patient, annotations, filters.

Each function reads one part of an open :class:`edfio.Edf`/:class:`edfio.Bdf` and returns
``None`` or nothing rather than failing, so a damaged annotation or date never hides an ECG.
"""

from __future__ import annotations

import datetime as dt
import warnings

import edfio
import numpy as np

from ecgviewer.io.common import age_years
from ecgviewer.io.record import AnnotationTrack, Conversion, PatientInfo

_Edf = edfio.Edf | edfio.Bdf
_Signal = edfio.EdfSignal | edfio.BdfSignal


def edf_start_time(edf: _Edf) -> dt.datetime | None:
    """Start date and time (with EDF+ sub-second offset); ``None`` if anonymised or invalid."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # edfio warns when the two date fields disagree
        try:
            return dt.datetime.combine(edf.startdate, edf.starttime)
        except (ValueError, IndexError, ArithmeticError):
            return None  # anonymised ("Startdate X") or malformed: say nothing


def edf_patient(edf: _Edf, start: dt.datetime | None) -> PatientInfo:
    """EDF+ patient subfields: code, sex, birthdate (-> age at the recording date)."""
    patient = edf.patient
    code, sex = patient.code.replace("_", " "), patient.sex.upper()
    try:
        age = age_years(patient.birthdate, start.date()) if start else None
    except ValueError:  # "X" (anonymised) or not a date
        age = None
    return PatientInfo(
        patient_id=None if code in ("", "X") else code,
        age_years=age,
        sex="F" if sex == "F" else "M" if sex == "M" else None,
    )


def edf_metadata(edf: _Edf, keep: list[_Signal]) -> dict[str, str]:
    """The recording field, a plain EDF's free-text patient field and the kept leads' filters."""
    meta = {"recording": edf.local_recording_identification}
    if not edf.reserved.startswith(("EDF+", "BDF+")):  # free text, may name the patient
        meta["patient_field"] = edf.local_patient_identification
    filters = [f"{s.label}: {s.prefiltering}" for s in keep if s.prefiltering]
    if filters:
        meta["prefiltering"] = "; ".join(filters)
    return meta


def annotation_track(
    edf: _Edf, fs_hz: float, n_samples: int, convs: list[Conversion]
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
