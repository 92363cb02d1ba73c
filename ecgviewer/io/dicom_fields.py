"""What a DICOM ECG says besides the samples: acquisition time, patient, device, filters.

Each function returns ``None`` for a field it cannot read rather than failing, so a malformed
date or age never hides an ECG.
"""

from __future__ import annotations

import datetime as dt
import re

from pydicom.dataset import Dataset
from pydicom.valuerep import DA, DT, TM

from ecgviewer.io.common import age_years
from ecgviewer.io.record import PatientInfo

_AGE = re.compile(r"(\d{1,3})\s*([DWMY])")
_YEARS_PER = {"D": 1 / 365.25, "W": 7 / 365.25, "M": 1 / 12, "Y": 1.0}


def _text(ds: Dataset, keyword: str) -> str:
    """One element as stripped text; ``""`` when absent or too damaged to decode."""
    try:
        value = ds.get(keyword)
    except Exception:  # pydicom decodes lazily and raises many kinds; a bad date hides no ECG
        return ""
    return "" if value is None else str(value).strip()


def dicom_start_time(ds: Dataset, group: Dataset) -> dt.datetime | None:
    """Acquisition (else content, else study) date-time plus the group's time offset."""
    start: dt.datetime | None = None
    try:
        if stamp := _text(ds, "AcquisitionDateTime"):
            start = dt.datetime.fromisoformat(DT(stamp).isoformat())
        for prefix in ("Acquisition", "Content", "Study"):
            day, time = _text(ds, f"{prefix}Date"), _text(ds, f"{prefix}Time")
            if start is None and day and time:
                start = dt.datetime.combine(DA(day), TM(time))
        offset_ms = float(group.get("MultiplexGroupTimeOffset", 0) or 0)
        return start + dt.timedelta(milliseconds=offset_ms) if start else None
    except (ValueError, TypeError, OverflowError):
        return None


def dicom_patient(ds: Dataset, start: dt.datetime | None) -> PatientInfo:
    """Patient id, sex, and age from Patient's Age (``061Y``) or else the birth date."""
    sex = _text(ds, "PatientSex").upper()
    age: float | None = None
    match = _AGE.fullmatch(_text(ds, "PatientAge"))
    birth = _text(ds, "PatientBirthDate")
    if match:
        age = round(int(match.group(1)) * _YEARS_PER[match.group(2)], 2)
    elif birth and start is not None:
        try:
            age = age_years(DA(birth), start.date())
        except (ValueError, TypeError):
            age = None
    return PatientInfo(
        patient_id=_text(ds, "PatientID") or None,
        age_years=age,
        sex="F" if sex == "F" else "M" if sex == "M" else None,
    )


def dicom_metadata(ds: Dataset, group: Dataset) -> dict[str, str]:
    """Group label, device, study description and the first channel's filter band."""
    meta = {"multiplex_group": str(group.get("MultiplexGroupLabel", ""))}
    for key in ("Manufacturer", "ManufacturerModelName", "StudyDescription"):
        if value := _text(ds, key):
            meta[key] = value
    first = (group.get("ChannelDefinitionSequence") or [Dataset()])[0]
    low, high = first.get("FilterLowFrequency"), first.get("FilterHighFrequency")
    if low is not None or high is not None:
        meta["filter_hz"] = f"{low or '?'}–{high or '?'}"
    return meta
