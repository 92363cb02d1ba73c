"""The analysis result and its JSON form (schema version 1, documented in the README).

Unknown values are ``None`` (JSON ``null``), never invented; times are seconds from the
record's first sample.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from ecgviewer.analysis.consistency import ConsistencyNote

if TYPE_CHECKING:
    from ecgviewer.dsp.measure import Measurements

SCHEMA_VERSION = 1

MEASUREMENT_KEYS: tuple[str, ...] = (
    "hr_bpm", "rr_ms", "rr_sd_ms", "pr_ms", "qrs_ms", "qt_ms", "qtc_bazett_ms",
    "qtc_fridericia_ms", "qtc_framingham_ms", "qtc_hodges_ms", "p_axis_deg", "qrs_axis_deg",
    "t_axis_deg",
)  # fmt: skip
BEAT_KEYS: tuple[str, ...] = (
    "time_s",
    "qrs_on_s",
    "qrs_off_s",
    "p_on_s",
    "p_off_s",
    "t_off_s",
    "label",
)


@dataclass(frozen=True, slots=True)
class ClassFinding:
    """One classifier output: probability, the validated threshold, and whether it is flagged."""

    probability: float
    threshold: float
    flagged: bool
    #: The operating point of ``threshold`` on the validation fold (None when not recorded).
    validation_sensitivity: float | None = None
    validation_specificity: float | None = None


@dataclass(frozen=True, slots=True)
class AnomalyFinding:
    """The anomaly model's score for the record, with its validated threshold."""

    score: float
    threshold: float
    flagged: bool


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """Which bundled model produced a finding: version and sha256 of its weights."""

    version: str
    sha256: str


@dataclass(frozen=True, slots=True)
class RecordSummary:
    """What the JSON says about the recording itself."""

    record: str
    record_name: str
    source_format: str
    fs_hz: float
    leads: tuple[str, ...]
    duration_s: float
    n_samples: int
    start_time: str | None
    patient: dict[str, Any]


#: How every "no anomaly score" notice starts (the findings panel and the PDF show it in place
#: of the score).
NO_ANOMALY_PREFIX = "No anomaly score:"


@dataclass(frozen=True, slots=True)
class AnalysisResult:
    """Everything ``run_analysis`` knows about one record. Build it, never mutate it."""

    summary: RecordSummary
    notices: tuple[str, ...] = ()
    measurements: dict[str, float | None] = field(
        default_factory=lambda: dict.fromkeys(MEASUREMENT_KEYS)
    )
    measurement_notes: dict[str, str] = field(default_factory=dict)
    beats: tuple[dict[str, float | str | None], ...] = ()
    #: Beat counts per AAMI class, ectopic share, couplets and runs (None: no beat labels).
    beat_summary: dict[str, Any] | None = None
    classes: dict[str, ClassFinding] = field(default_factory=dict)
    anomaly: AnomalyFinding | None = None
    models: dict[str, ModelInfo] = field(default_factory=dict)
    consistency: tuple[ConsistencyNote, ...] = ()
    generation: int = 0
    #: The full measurement object (median beats, per-lead fiducials) for the viewer and the
    #: report; not part of the JSON.
    detail: Measurements | None = field(default=None, compare=False, repr=False)
    #: The anomaly model's restoration error ``[lead, sample]`` on the record's grid (NaN where
    #: not analysed), for the heat maps; not part of the JSON.
    restoration_error: npt.NDArray[np.float32] | None = field(
        default=None, compare=False, repr=False
    )
    #: The anomaly model's restored (expected normal) signal ``[lead, sample]`` on the record's
    #: grid and baseline (NaN where not analysed), for the viewer's overlay; not part of the JSON.
    restored_signal: npt.NDArray[np.float32] | None = field(default=None, compare=False, repr=False)

    @property
    def no_anomaly_reason(self) -> str:
        """Why there is no anomaly score: the anomaly step's own notice, else no model."""
        for notice in self.notices:
            if notice.startswith(NO_ANOMALY_PREFIX):
                return notice
        return f"{NO_ANOMALY_PREFIX} no anomaly model is bundled in this version."

    def to_json_dict(self) -> dict[str, Any]:
        """The schema-1 JSON object (see README, "Analysis JSON")."""
        s = self.summary
        return {
            "schema": SCHEMA_VERSION,
            "record": s.record,
            "record_name": s.record_name,
            "source_format": s.source_format,
            "fs_hz": s.fs_hz,
            "leads": list(s.leads),
            "duration_s": s.duration_s,
            "n_samples": s.n_samples,
            "start_time": s.start_time,
            "patient": dict(s.patient),
            "notices": list(self.notices),
            "measurements": {k: self.measurements.get(k) for k in MEASUREMENT_KEYS},
            "measurement_notes": {
                k: v for k, v in self.measurement_notes.items() if k in MEASUREMENT_KEYS
            },
            "beats": [{k: b.get(k) for k in BEAT_KEYS} for b in self.beats],
            "beat_summary": self.beat_summary,
            "classes": {
                name: {
                    "probability": c.probability,
                    "threshold": c.threshold,
                    "flagged": c.flagged,
                    "validation_sensitivity": c.validation_sensitivity,
                    "validation_specificity": c.validation_specificity,
                }
                for name, c in self.classes.items()
            },
            "anomaly": None
            if self.anomaly is None
            else {
                "score": self.anomaly.score,
                "threshold": self.anomaly.threshold,
                "flagged": self.anomaly.flagged,
            },
            "models": {
                n: {"version": m.version, "sha256": m.sha256} for n, m in self.models.items()
            },
            "consistency": [
                {"rule": c.rule, "class": c.finding, "message": c.message} for c in self.consistency
            ],
            "error": None,
        }


def json_safe(value: Any) -> Any:
    """JSON has no NaN or infinity: anything not finite becomes ``None`` (null), recursively."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    return value


def error_json_dict(record: str, kind: str, message: str) -> dict[str, Any]:
    """The JSON for a record that could not be opened: same keys, values null, plus ``error``."""
    return {
        "schema": SCHEMA_VERSION,
        "record": record,
        "record_name": None,
        "source_format": None,
        "fs_hz": None,
        "leads": [],
        "duration_s": None,
        "n_samples": None,
        "start_time": None,
        "patient": {},
        "notices": [],
        "measurements": dict.fromkeys(MEASUREMENT_KEYS),
        "measurement_notes": {},
        "beats": [],
        "beat_summary": None,
        "classes": {},
        "anomaly": None,
        "models": {},
        "consistency": [],
        "error": {"type": kind, "message": message},
    }
