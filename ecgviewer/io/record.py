"""The one immutable record type every reader produces.

A :class:`Record` holds samples as float32 ``[lead, sample]`` in millivolts, the sampling rate in
Hz, canonical lead names, and everything the reader did to get there (:class:`Conversion`), so
the viewer can show the clinician exactly what was changed on the way in.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

import numpy as np
import numpy.typing as npt

from ecgviewer.io.errors import (
    DuplicateLeadError,
    EmptyRecordError,
    SamplingRateError,
    UnusableSignalError,
)

#: The standard 12 leads in the order clinicians read them.
STANDARD_LEADS: tuple[str, ...] = (
    "I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6",
)  # fmt: skip

#: Sampling rates outside this range are not ECGs (or not ones we can show honestly).
MIN_FS_HZ = 50.0
MAX_FS_HZ = 20_000.0

#: A lead whose peak-to-peak amplitude stays below this is flat (electrode off, zeroed channel).
FLAT_PTP_MV = 0.005

_ALIASES = {
    "i": "I", "ii": "II", "iii": "III", "avr": "aVR", "avl": "aVL", "avf": "aVF",
    "lead i": "I", "lead ii": "II", "lead iii": "III", "mlii": "MLII", "mli": "MLI",
    "mliii": "MLIII",
}  # fmt: skip
_V_LEAD = re.compile(r"^(?:lead\s*)?v\s*([1-9])$", re.IGNORECASE)
_DICOM_STYLE = re.compile(r"^lead\s+(i{1,3}|avr|avl|avf|v[1-9])(?:\s*\(.*\))?$", re.IGNORECASE)


def canonical_lead_name(name: str) -> str:
    """Return the canonical spelling of a lead name (``AVR`` -> ``aVR``, ``v1`` -> ``V1``).

    Names that are not standard ECG leads (``MLII``, ``ABP``) are returned stripped but otherwise
    unchanged: renaming a lead we do not recognise would be inventing.
    """
    raw = name.strip()
    key = raw.lower()
    dicom = _DICOM_STYLE.match(raw)
    if dicom:
        key = dicom.group(1).lower()
    if key in _ALIASES:
        return _ALIASES[key]
    v = _V_LEAD.match(key)
    if v:
        return f"V{v.group(1)}"
    return raw


ConversionKind = Literal[
    "units", "lead_name", "derived_lead", "gain", "baseline", "resample", "crop", "format", "gap"
]


@dataclass(frozen=True, slots=True)
class Conversion:
    """One change a reader made between the file and the record (shown to the user)."""

    kind: ConversionKind
    detail: str


@dataclass(frozen=True, slots=True)
class SignalIssue:
    """A problem with one lead that does not stop the record from opening (a flat V3, a gap)."""

    lead: str
    kind: Literal["nan", "flat"]
    detail: str


@dataclass(frozen=True, slots=True)
class PatientInfo:
    """What the file says about the patient; ``None`` where it says nothing."""

    patient_id: str | None = None
    age_years: float | None = None
    sex: Literal["F", "M"] | None = None


@dataclass(frozen=True, slots=True)
class WaveMark:
    """One delineated wave from an annotation track: sample indices of onset, peak, offset."""

    wave: Literal["P", "QRS", "T"]
    onset: int | None
    peak: int
    offset: int | None


@dataclass(frozen=True, slots=True)
class AnnotationTrack:
    """Labelled sample positions from a companion file (``.atr`` beats, LUDB wave marks).

    ``lead`` is the canonical lead the marks belong to, or ``None`` when they apply to all leads.
    """

    name: str
    lead: str | None
    samples: npt.NDArray[np.int64]
    symbols: tuple[str, ...]
    aux: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        samples = np.asarray(self.samples, dtype=np.int64)
        samples.flags.writeable = False
        object.__setattr__(self, "samples", samples)
        if len(self.symbols) != len(samples):
            raise ValueError("annotation samples and symbols differ in length")

    def waves(self) -> tuple[WaveMark, ...]:
        """Group LUDB/WFDB wave notation ``( p )``, ``( N )``, ``( t )`` into :class:`WaveMark`."""
        kinds = {"p": "P", "N": "QRS", "t": "T"}
        marks: list[WaveMark] = []
        for i, sym in enumerate(self.symbols):
            if sym not in kinds:
                continue
            onset = int(self.samples[i - 1]) if i > 0 and self.symbols[i - 1] == "(" else None
            has_off = i + 1 < len(self.symbols) and self.symbols[i + 1] == ")"
            offset = int(self.samples[i + 1]) if has_off else None
            wave: Literal["P", "QRS", "T"] = kinds[sym]  # type: ignore[assignment]
            marks.append(WaveMark(wave, onset, int(self.samples[i]), offset))
        return tuple(marks)


@dataclass(frozen=True, slots=True)
class Record:
    """An ECG recording, immutable, in physical units. Build one with :func:`make_record`."""

    samples: npt.NDArray[np.float32]
    fs_hz: float
    lead_names: tuple[str, ...]
    record_name: str
    source_path: str | None = None
    source_format: str = ""
    start_time: dt.datetime | None = None
    patient: PatientInfo = field(default_factory=PatientInfo)
    metadata: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    annotations: tuple[AnnotationTrack, ...] = ()
    conversions: tuple[Conversion, ...] = ()
    issues: tuple[SignalIssue, ...] = ()

    @property
    def n_leads(self) -> int:
        return int(self.samples.shape[0])

    @property
    def n_samples(self) -> int:
        return int(self.samples.shape[1])

    @property
    def duration_s(self) -> float:
        return self.n_samples / self.fs_hz

    @property
    def has_standard_12(self) -> bool:
        """True when all 12 standard leads are present (in any order)."""
        return set(STANDARD_LEADS) <= set(self.lead_names)

    def lead_index(self, name: str) -> int:
        """Row of ``name`` (any spelling) in :attr:`samples`; raises ``KeyError`` if absent."""
        canonical = canonical_lead_name(name)
        try:
            return self.lead_names.index(canonical)
        except ValueError:
            raise KeyError(f"lead {name!r} is not in this record") from None

    def lead(self, name: str) -> npt.NDArray[np.float32]:
        """Read-only view of one lead in mV."""
        row: npt.NDArray[np.float32] = self.samples[self.lead_index(name)]
        return row

    def window(self, start_s: float, stop_s: float) -> npt.NDArray[np.float32]:
        """Read-only view ``[lead, sample]`` of the samples between two times (no copy)."""
        a = max(0, math.floor(start_s * self.fs_hz))
        b = min(self.n_samples, math.ceil(stop_s * self.fs_hz))
        return self.samples[:, a : max(a, b)]

    def tracks(self, name: str | None = None) -> tuple[AnnotationTrack, ...]:
        """Annotation tracks, optionally only those called ``name``."""
        return tuple(t for t in self.annotations if name is None or t.name == name)


def check_sampling_rate(fs_hz: object, path: str | None = None) -> float:
    """Return ``fs_hz`` as a float, or raise :class:`SamplingRateError` with a plain message."""
    try:
        fs = float(fs_hz)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise SamplingRateError(
            f"The sampling rate {fs_hz!r} is not a number, so the time axis is unknown.", path
        ) from None
    if not math.isfinite(fs) or not MIN_FS_HZ <= fs <= MAX_FS_HZ:
        raise SamplingRateError(
            f"The sampling rate is {fs_hz} Hz; an ECG is recorded at {MIN_FS_HZ:g} to "
            f"{MAX_FS_HZ:g} Hz, so this file's header is wrong or it is not an ECG.",
            path,
        )
    return fs


def make_record(
    samples: npt.ArrayLike,
    fs_hz: float,
    lead_names: Sequence[str],
    record_name: str,
    *,
    source_path: str | None = None,
    source_format: str = "",
    start_time: dt.datetime | None = None,
    patient: PatientInfo | None = None,
    metadata: Mapping[str, str] | None = None,
    annotations: Sequence[AnnotationTrack] = (),
    conversions: Sequence[Conversion] = (),
) -> Record:
    """Validate and freeze a record; the single constructor every reader goes through.

    Lead names are made canonical (each rename recorded as a :class:`Conversion`); leads that
    are all NaN or flat are kept and reported in ``issues``. Raises a
    :class:`~ecgviewer.io.errors.RecordError` subclass when the input cannot be an ECG.
    ``samples`` is used without a copy when it already is a C-ordered float32 array.
    """
    fs = check_sampling_rate(fs_hz, source_path)
    data = np.asarray(samples, dtype=np.float32)
    if data.ndim == 1:
        data = data[np.newaxis, :]
    if data.ndim != 2 or data.shape[0] == 0:
        raise EmptyRecordError("The recording contains no signals.", source_path)
    if data.shape[0] != len(lead_names):
        raise EmptyRecordError(
            f"The recording has {data.shape[0]} signals but names {len(lead_names)} leads.",
            source_path,
        )
    if data.shape[1] == 0:
        raise EmptyRecordError("The recording contains no samples (zero length).", source_path)
    data = np.ascontiguousarray(data)

    convs = list(conversions)
    names: list[str] = []
    renamed = []
    for raw in lead_names:
        canon = canonical_lead_name(str(raw))
        if canon != str(raw):
            renamed.append(f"{raw}→{canon}")
        names.append(canon)
    if renamed:
        convs.append(Conversion("lead_name", "Lead names standardised: " + ", ".join(renamed)))
    seen: set[str] = set()
    dupes = sorted({n for n in names if n in seen or seen.add(n)})  # type: ignore[func-returns-value]
    if dupes:
        raise DuplicateLeadError(
            f"The file names more than one signal {', '.join(dupes)}; which one is the real "
            "lead cannot be told, so the recording is not shown.",
            source_path,
        )

    data, names, derived = _derive_limb_leads(data, names)
    if derived:
        convs.append(derived)
    issues = _lead_issues(data, names)
    if len({i.lead for i in issues}) == len(names):
        raise UnusableSignalError(
            "Every lead is empty (missing values) or flat; there is no ECG signal to show.",
            source_path,
        )
    data.flags.writeable = False
    return Record(
        samples=data,
        fs_hz=fs,
        lead_names=tuple(names),
        record_name=record_name,
        source_path=source_path,
        source_format=source_format,
        start_time=start_time,
        patient=patient or PatientInfo(),
        metadata=MappingProxyType(dict(metadata or {})),
        annotations=tuple(annotations),
        conversions=tuple(convs),
        issues=tuple(issues),
    )


_LIMB_FROM_I_II = {
    # Einthoven and Goldberger: the four limb leads are fixed combinations of I and II.
    "III": (-1.0, 1.0),
    "aVR": (-0.5, -0.5),
    "aVL": (1.0, -0.5),
    "aVF": (-0.5, 1.0),
}


def _derive_limb_leads(
    data: npt.NDArray[np.float32], names: list[str]
) -> tuple[npt.NDArray[np.float32], list[str], Conversion | None]:
    """Add III, aVR, aVL, aVF from I and II when a file stores only the 8 independent leads.

    Only for 12-lead recordings stored as I, II, V1-V6; a 2-lead monitor strip stays as it is.
    """
    independent = ("I", "II", "V1", "V2", "V3", "V4", "V5", "V6")
    if not all(lead in names for lead in independent):
        return data, names, None
    missing = [lead for lead in _LIMB_FROM_I_II if lead not in names]
    if not missing:
        return data, names, None
    lead_i, lead_ii = data[names.index("I")], data[names.index("II")]
    extra = np.empty((len(missing), data.shape[1]), dtype=np.float32)
    for row, lead in enumerate(missing):
        a, b = _LIMB_FROM_I_II[lead]
        np.multiply(lead_i, np.float32(a), out=extra[row])
        extra[row] += np.float32(b) * lead_ii
    note = Conversion(
        "derived_lead",
        f"{', '.join(missing)} computed from leads I and II (Einthoven/Goldberger); "
        "the file does not store them.",
    )
    return np.concatenate([data, extra]), names + missing, note


def _lead_issues(data: npt.NDArray[np.float32], names: Sequence[str]) -> list[SignalIssue]:
    issues: list[SignalIssue] = []
    n = data.shape[1]
    for row, name in enumerate(names):
        lead = data[row]
        n_nan = int(np.count_nonzero(np.isnan(lead)))
        if n_nan == n:
            issues.append(SignalIssue(name, "nan", f"Lead {name} has no valid samples."))
            continue
        if n_nan:
            issues.append(
                SignalIssue(
                    name,
                    "nan",
                    f"Lead {name} has {n_nan} missing samples ({100 * n_nan / n:.1f} %); "
                    "they are left blank, never filled in.",
                )
            )
        if float(np.nanmax(lead) - np.nanmin(lead)) < FLAT_PTP_MV:
            issues.append(
                SignalIssue(name, "flat", f"Lead {name} is flat (electrode off or not recorded).")
            )
    return issues
