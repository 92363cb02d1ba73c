"""The measurement step of the analysis: :func:`ecgviewer.dsp.measure` into the JSON's terms.

Values that cannot be measured stay ``None``; their reasons go to ``measurement_notes`` and,
grouped so a clinician reads each reason once, to the notices. Beats carry their global
fiducials in seconds; ``label`` stays ``None`` until a beat classifier exists.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

from ecgviewer.analysis.result import MEASUREMENT_KEYS
from ecgviewer.dsp import Measurements, measure
from ecgviewer.io.record import Record

log = logging.getLogger(__name__)

#: How each measurement is named in a notice.
LABELS: dict[str, str] = {
    "hr_bpm": "heart rate", "rr_ms": "RR", "rr_sd_ms": "RR variability", "pr_ms": "PR",
    "qrs_ms": "QRS duration", "qt_ms": "QT", "qtc_bazett_ms": "QTc (Bazett)",
    "qtc_fridericia_ms": "QTc (Fridericia)", "qtc_framingham_ms": "QTc (Framingham)",
    "qtc_hodges_ms": "QTc (Hodges)", "p_axis_deg": "P axis", "qrs_axis_deg": "QRS axis",
    "t_axis_deg": "T axis",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class MeasurementStep:
    """What the measurement step contributes to an :class:`AnalysisResult`."""

    values: dict[str, float | None]
    notes: dict[str, str]
    beats: tuple[dict[str, float | str | None], ...]
    notices: tuple[str, ...]
    measurements: Measurements | None


def run_measurements(record: Record) -> MeasurementStep:
    """Measure ``record``; a failure of the engine becomes a notice, never a lost result."""
    try:
        m = measure(record)
    except Exception as exc:  # the record is still shown and reported without measurements
        log.exception("measurements failed for %s", record.record_name)
        reason = f"Measurements could not be computed ({type(exc).__name__})."
        return MeasurementStep(
            dict.fromkeys(MEASUREMENT_KEYS), dict.fromkeys(MEASUREMENT_KEYS, reason), (),
            (reason,), None,
        )  # fmt: skip
    values = {k: _finite(v) for k, v in m.values().items() if k in MEASUREMENT_KEYS}
    notes = {k: v for k, v in m.notes.items() if k in MEASUREMENT_KEYS and values.get(k) is None}
    return MeasurementStep(values, notes, beat_rows(m), tuple(_notices(m, notes)), m)


def beat_rows(m: Measurements) -> tuple[dict[str, float | str | None], ...]:
    """One JSON row per detected beat; fiducials ``None`` where absent or not delineated."""
    fiducials = {b.index: b for b in m.beat_records}
    rows: list[dict[str, float | str | None]] = []
    for i, sample in enumerate(m.beats.samples):
        b = fiducials.get(i)
        rows.append(
            {
                "time_s": round(float(sample) / m.fs_hz, 4),
                "qrs_on_s": _seconds(b.qrs_on_s if b else None),
                "qrs_off_s": _seconds(b.qrs_off_s if b else None),
                "p_on_s": _seconds(b.p_on_s if b else None),
                "p_off_s": _seconds(b.p_off_s if b else None),
                "t_off_s": _seconds(b.t_off_s if b else None),
                "label": None,
            }
        )
    return tuple(rows)


def _notices(m: Measurements, notes: dict[str, str]) -> list[str]:
    grouped: dict[str, list[str]] = {}
    for key in MEASUREMENT_KEYS:
        if key in notes:
            grouped.setdefault(notes[key], []).append(LABELS[key])
    out = [f"Not measured — {', '.join(names)}: {reason}" for reason, names in grouped.items()]
    out += list(m.quality.flags)
    if "scope" in m.notes:
        out.append(m.notes["scope"])
    return out


def _finite(value: float | None) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return round(float(value), 2)


def _seconds(value: float | None) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return round(float(value), 4)
