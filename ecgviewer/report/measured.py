"""The one place the report reads the measurement engine (:mod:`ecgviewer.dsp`).

``dsp.measure`` is young and may still change, so every attribute it is read by is named here
and read defensively: a missing attribute is a missing value with a reason, never a failed
report. The rest of the report sees only the plain objects below.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from ecgviewer.analysis.result import AnalysisResult
from ecgviewer.io.record import Record
from ecgviewer.report.options import ReportItem, ReviewEntry

if TYPE_CHECKING:
    from ecgviewer.dsp import Measurements

log = logging.getLogger(__name__)
F64 = npt.NDArray[np.float64]

#: Fiducials marked on the median beats, with their printed names.
MEDIAN_MARKS: tuple[tuple[str, str], ...] = (
    ("p_on", "P on"),
    ("qrs_on", "QRS on"),
    ("qrs_off", "QRS off"),
    ("t_off", "T off"),
)


@dataclass(frozen=True, slots=True)
class MeasurementLine:
    """One printed measurement: ``HR 72 bpm``; ``value`` is ``—`` and ``note`` says why when
    it is not known."""

    key: str
    label: str
    value: str
    formula: str = ""
    note: str | None = None

    @property
    def known(self) -> bool:
        return self.value != "—"


@dataclass(frozen=True, slots=True)
class MedianView:
    """The dominant median beat, ready to draw: ``samples_mv[lead, n]`` against ``time_s``
    (seconds from its R peak), the global fiducials (s from R) and how many beats it holds."""

    lead_names: tuple[str, ...]
    samples_mv: F64
    time_s: F64
    fiducials_s: Mapping[str, float]
    n_beats: int
    #: ``(group, beats)`` of the other beat shapes (e.g. ventricular ectopics), not drawn.
    other_groups: tuple[tuple[int, int], ...]


def measure_for_report(record: Record) -> Measurements | None:
    """``dsp.measure(record)``, or ``None`` (logged) when it fails: a report still prints."""
    try:
        from ecgviewer.dsp import measure

        return measure(record)
    except Exception:  # the engine is new: a report must not fail because of it
        log.exception("measurements failed for %s", record.record_name)
        return None


def report_item(
    record: Record,
    result: AnalysisResult,
    *,
    reviews: Sequence[ReviewEntry] = (),
    restoration_error: npt.ArrayLike | None = None,
) -> ReportItem:
    """The report item of an analysed record, with median beats when the analysis measured it.

    The median beats come from ``dsp.measure``; it is run only when ``result`` holds
    measurements, so a report never shows beats that its own notes say were not measured.
    """
    measured = any(v is not None for v in result.measurements.values())
    return ReportItem(
        record,
        result,
        measurements=(result.detail or measure_for_report(record)) if measured else None,
        reviews=reviews,
        restoration_error=np.asarray(restoration_error)
        if restoration_error is not None
        else result.restoration_error,
    )


def _value(source: Any, key: str) -> float | None:
    try:
        value = source.get(key) if isinstance(source, Mapping) else getattr(source, key, None)
    except Exception:
        return None
    if isinstance(value, int | float) and math.isfinite(value):
        return float(value)
    return None


def _notes(measurements: Measurements | None) -> dict[str, str]:
    notes = getattr(measurements, "notes", None)
    return {str(k): str(v) for k, v in dict(notes or {}).items()}


def _ms(v: float | None) -> str:
    return "—" if v is None else f"{v:.0f} ms"


def _deg(v: float | None) -> str:
    return "—" if v is None else f"{v:.0f}°"


def measurement_lines(
    result: AnalysisResult | None, measurements: Measurements | None
) -> tuple[MeasurementLine, ...]:
    """The measurement table, from the analysis result (what its JSON says).

    The reason for a value the result leaves null comes from its ``measurement_notes``, else
    from ``measurements`` (the engine's own object); the engine's values are never mixed in,
    so paper and JSON always agree.
    """
    source: Mapping[str, Any] = result.measurements if result is not None else {}
    notes = _notes(measurements)
    notes.update(
        {str(k): str(v) for k, v in dict(getattr(result, "measurement_notes", None) or {}).items()}
    )
    v = {
        key: _value(source, key)
        for key in (
            "hr_bpm",
            "rr_ms",
            "pr_ms",
            "qrs_ms",
            "qt_ms",
            "qtc_bazett_ms",
            "qtc_fridericia_ms",
            "p_axis_deg",
            "qrs_axis_deg",
            "t_axis_deg",
        )
    }

    def line(key: str, label: str, text: str, formula: str = "") -> MeasurementLine:
        return MeasurementLine(
            key, label, text, formula, None if v[key] is not None else notes.get(key)
        )

    hr = v["hr_bpm"]
    axes = [v["p_axis_deg"], v["qrs_axis_deg"], v["t_axis_deg"]]
    axis_note = next(
        (notes[k] for k in ("qrs_axis_deg", "p_axis_deg", "t_axis_deg") if k in notes), None
    )
    return (
        line("hr_bpm", "HR", "—" if hr is None else f"{hr:.0f} bpm"),
        line("rr_ms", "RR", _ms(v["rr_ms"])),
        line("pr_ms", "PR", _ms(v["pr_ms"])),
        line("qrs_ms", "QRS", _ms(v["qrs_ms"])),
        line("qt_ms", "QT", _ms(v["qt_ms"])),
        line("qtc_bazett_ms", "QTc", _ms(v["qtc_bazett_ms"]), "Bazett, QT/√RR"),
        line("qtc_fridericia_ms", "QTc", _ms(v["qtc_fridericia_ms"]), "Fridericia, QT/∛RR"),
        MeasurementLine(
            "axes",
            "Axes P/QRS/T",
            " / ".join(_deg(a) for a in axes) if any(a is not None for a in axes) else "—",
            note=axis_note if None in axes else None,
        ),
    )


def measurement_notes(measurements: Measurements | None) -> tuple[str, ...]:
    """Quality flags of the measurement engine (noisy leads, suspected AF, pacing)."""
    quality = getattr(measurements, "quality", None)
    flags = getattr(quality, "flags", ()) or ()
    return tuple(str(f) for f in flags)


def median_view(measurements: Measurements | None) -> tuple[MedianView | None, str]:
    """The dominant median beat, or ``None`` and the reason there is none."""
    if measurements is None:
        return None, "Median beats are not available: the measurements were not computed."
    beats = tuple(getattr(measurements, "median_beats", ()) or ())
    if not beats:
        reason = _notes(measurements).get("qrs_ms") or "fewer than three beats of the same shape."
        return None, f"No median beat: {reason[0].lower() + reason[1:]}"
    dominant = next((b for b in beats if getattr(b, "dominant", False)), beats[0])
    try:
        samples = np.asarray(dominant.samples_mv, dtype=np.float64)
        time_s = np.asarray(dominant.time_s, dtype=np.float64)
        names = tuple(getattr(measurements, "lead_names", ()))
        if samples.ndim != 2 or samples.shape != (len(names), time_s.size):
            raise ValueError(f"median beat of shape {samples.shape} for {len(names)} leads")
        fid = {str(k): float(x) for k, x in dict(getattr(dominant, "fiducials_s", {})).items()}
    except Exception as exc:  # an engine change must not break printing
        log.warning("median beat not drawable: %s", exc)
        return None, "The median beat could not be drawn (measurement engine changed)."
    others = tuple(
        (int(getattr(b, "group", i)), int(np.size(getattr(b, "beat_indices", ()))))
        for i, b in enumerate(beats)
        if b is not dominant
    )
    n = int(np.size(getattr(dominant, "beat_indices", ())))
    return MedianView(names, samples, time_s, fid, n, others), ""
