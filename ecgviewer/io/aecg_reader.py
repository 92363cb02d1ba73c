"""Read HL7 v3 annotated ECG (FDA aECG) XML into a :class:`Record`.

No maintained library reads aECG, so this is a small, defensive reader of the parts the
viewer needs: the rhythm waveforms (``series/component/sequenceSet``), the sampling interval,
the digit scaling and the subject. The XML is parsed with ``defusedxml``, so entity expansion
("billion laughs") and external references are refused before they can do harm.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

import defusedxml
import defusedxml.ElementTree as safe_et
import numpy as np
import numpy.typing as npt

from ecgviewer.io.common import (
    age_years,
    finite_float32,
    mv_per_unit,
    rename_note,
    scale_to_mv,
)
from ecgviewer.io.errors import (
    CorruptHeaderError,
    EmptyRecordError,
    SamplingRateError,
    UnknownFormatError,
)
from ecgviewer.io.record import Conversion, PatientInfo, Record, canonical_lead_name, make_record

_LEAD_PREFIX = "MDC_ECG_LEAD_"
_SECONDS_PER = {"s": 1.0, "sec": 1.0, "ms": 1e-3, "us": 1e-6, "µs": 1e-6}
_HL7_TS = re.compile(r"(\d{4})(\d{2})(\d{2})(\d{2})?(\d{2})?(\d{2})?(?:\.(\d{1,6})\d*)?")


def read_aecg(path: Path) -> Record:
    """Read the rhythm ECG of an HL7 aECG file.

    Parameters
    ----------
    path
        The XML file; it is only read.

    Returns
    -------
    Record
        The leads of the rhythm series (a derived/median series only when nothing else is
        stored) in mV, with subject id, sex, age and the acquisition time.

    Raises
    ------
    RecordError
        ``CorruptHeaderError`` for malformed or unsafe XML and unreadable digits,
        ``SamplingRateError`` without a usable ``increment``, ``EmptyRecordError`` when no
        lead waveform is present and ``UnknownFormatError`` for other XML.
    """
    name, where = path.name, str(path)
    try:
        root = safe_et.parse(str(path)).getroot()
    except defusedxml.DefusedXmlException:
        raise CorruptHeaderError(
            f"{name} declares XML entities or external references. Such files can be used to "
            "attack the computer that opens them, so it was not read; ask for a plain export.",
            where,
        ) from None
    except (ParseError, LookupError, ValueError) as exc:  # LookupError: unknown encoding
        raise CorruptHeaderError(f"{name} is not well-formed XML ({exc}).", where) from None
    for element in root.iter():  # files with and without the urn:hl7-org:v3 namespace
        element.tag = str(element.tag).rpartition("}")[2]
    if root.tag != "AnnotatedECG":
        raise UnknownFormatError(f"{name} is XML but not an HL7 annotated ECG.", where)

    convs: list[Conversion] = []
    chosen = _choose_sequence_set(root, convs)
    if chosen is None:
        raise EmptyRecordError(f"{name} is an aECG file without any ECG lead waveform.", where)
    series, sequence_set = chosen
    fs_hz, head = _sampling(sequence_set, name, where)
    samples, leads = _leads(sequence_set, name, where, convs)
    start = head or _ts(series.find("effectiveTime/low")) or _ts(root.find("effectiveTime/low"))
    return make_record(
        samples,
        fs_hz,
        leads,
        path.stem,
        source_path=where,
        source_format="HL7 aECG",
        start_time=start,
        patient=_patient(root, start),
        metadata={"series": _code(series)},
        conversions=convs,
    )


def _code(element: Element | None) -> str:
    found = None if element is None else element.find("code")
    return "" if found is None else found.get("code", "")


def _sequences(sequence_set: Element) -> list[Element]:
    return sequence_set.findall("component/sequence")


def _n_leads(sequence_set: Element) -> int:
    return sum(_code(s).startswith(_LEAD_PREFIX) for s in _sequences(sequence_set))


def _choose_sequence_set(root: Element, convs: list[Conversion]) -> tuple[Element, Element] | None:
    """The first RHYTHM sequence set with the most leads; a derived series only as a fallback."""
    for series_path, derived in (("component/series", False), (".//derivedSeries", True)):
        sets = [
            (series, sset)
            for series in root.findall(series_path)
            for sset in series.findall("component/sequenceSet")
            if _n_leads(sset)
        ]
        if not sets:
            continue
        # min() keeps the first of equals, so ties go to the set that comes first in the file.
        series, sset = min(sets, key=lambda p: (_code(p[0]) != "RHYTHM", -_n_leads(p[1])))
        if len(sets) > 1:
            convs.append(Conversion("format", f"{len(sets) - 1} other waveform set(s) not shown."))
        if derived:
            convs.append(
                Conversion(
                    "format",
                    "The file stores only derived beats "
                    f"({_code(series) or 'unnamed'}), not a rhythm strip; they are shown.",
                )
            )
        return series, sset
    return None


def _sampling(sequence_set: Element, name: str, where: str) -> tuple[float, dt.datetime | None]:
    """Sampling rate from the time sequence's ``increment``, and its absolute ``head``."""
    for seq in _sequences(sequence_set):
        if not _code(seq).startswith("TIME_"):
            continue
        increment = seq.find("value/increment")
        if increment is None:
            break
        unit = increment.get("unit", "s")
        try:
            step_s = float(increment.get("value", "")) * _SECONDS_PER[unit]
        except (ValueError, KeyError):
            raise SamplingRateError(
                f"{name} gives its sampling interval as {increment.get('value')!r} "
                f"{unit!r}, which is not a time step.",
                where,
            ) from None
        if step_s <= 0:
            raise SamplingRateError(f"{name} gives a sampling interval of {step_s} s.", where)
        head = _ts(seq.find("value/head")) if _code(seq) == "TIME_ABSOLUTE" else None
        return 1.0 / step_s, head
    raise SamplingRateError(
        f"{name} does not give the time between samples (the <increment> of its time "
        "sequence), so the ECG cannot be placed on a time axis.",
        where,
    )


def _leads(
    sequence_set: Element, name: str, where: str, convs: list[Conversion]
) -> tuple[npt.NDArray[np.float32], list[str]]:
    """``origin + scale * digits`` for each lead sequence, converted to mV."""
    rows: list[npt.NDArray[np.float64]] = []
    codes: list[str] = []
    units: list[str] = []
    for seq in _sequences(sequence_set):
        code = _code(seq)
        if not code.startswith(_LEAD_PREFIX):
            continue
        origin, scale, digits = (seq.find(f"value/{t}") for t in ("origin", "scale", "digits"))
        try:
            values = np.array((digits.text or "").split() if digits is not None else [], float)
            scale_v = float(scale.get("value", "1")) if scale is not None else 1.0
            origin_v = float(origin.get("value", "0")) if origin is not None else 0.0
        except ValueError:
            raise CorruptHeaderError(
                f"{name}: the samples of lead {code} contain something that is not a number.",
                where,
            ) from None
        unit = scale.get("unit", "") if scale is not None else ""
        origin_unit = origin.get("unit", unit) if origin is not None else unit
        to_mv, origin_to_mv = mv_per_unit(unit), mv_per_unit(origin_unit)
        if to_mv and origin_to_mv:  # origin in the scale's unit, e.g. -50 uV with 0.01 mV steps
            origin_v *= origin_to_mv / to_mv
        rows.append(origin_v + scale_v * values)
        codes.append(code)
        units.append(unit if to_mv else "")
    n = max(len(r) for r in rows)
    samples = np.full((len(rows), n), np.nan, dtype=np.float32)
    for i, row in enumerate(rows):
        samples[i, : len(row)] = finite_float32(row)
    short = [f"{codes[i]} ({len(r)})" for i, r in enumerate(rows) if len(r) < n]
    if short:
        blank = f"Leads shorter than {n} samples, the end left blank: {', '.join(short)}."
        convs.append(Conversion("gap", blank))
    leads = [canonical_lead_name(c.removeprefix(_LEAD_PREFIX)) for c in codes]
    convs.extend(scale_to_mv(samples, units, leads, "The aECG scale"))
    if note := rename_note(dict(zip(codes, leads, strict=True)), "HL7 lead codes"):
        convs.append(note)
    return samples, leads


def _ts(element: Element | None) -> dt.datetime | None:
    """An HL7 TS value (``YYYYMMDDhhmmss.fff``, extra precision or zone ignored)."""
    match = None if element is None else _HL7_TS.match(element.get("value", ""))
    if match is None:
        return None
    year, month, day, hour, minute, second = (int(g) if g else 0 for g in match.groups()[:6])
    micro = int((match.group(7) or "0").ljust(6, "0"))
    try:
        return dt.datetime(year, month, day, hour, minute, second, micro)
    except ValueError:
        return None


def _patient(root: Element, start: dt.datetime | None) -> PatientInfo:
    """Trial subject id (its ``extension``; the ``root`` is an OID), sex, and age at start."""
    subject = root.find(".//trialSubject")
    if subject is None:
        return PatientInfo()
    ident = subject.find("id")
    patient_id = None if ident is None else ident.get("extension")
    person = subject.find("subjectDemographicPerson")
    gender = person.find("administrativeGenderCode") if person is not None else None
    sex = "" if gender is None else gender.get("code", "").upper()
    birth = _ts(person.find("birthTime")) if person is not None else None
    return PatientInfo(
        patient_id=patient_id,
        age_years=age_years(birth.date(), start.date()) if birth and start else None,
        sex="F" if sex == "F" else "M" if sex == "M" else None,
    )
