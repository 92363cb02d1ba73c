"""The findings panel as data: what a clinician reads, in the order they read it.

Pure functions of an :class:`~ecgviewer.analysis.AnalysisResult`: one :class:`FindingView` per
class (flagged first, then by probability), its consistency notes attached, a tooltip with the
operating point behind its threshold; the anomaly line with the beats and leads of largest
restoration error (:func:`~ecgviewer.controllers.error_ranking.largest_errors`); and the
notices split into what was done to the input before the models ran and what could not run. The
Qt panel only draws these.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ecgviewer.analysis import AnalysisResult
from ecgviewer.controllers.error_ranking import LargeError, largest_errors
from ecgviewer.controllers.heatmap_view import ErrorMap

#: What each class code means, in the words of the report.
CLASS_TITLES: dict[str, str] = {
    "1AVB": "1st-degree AV block",
    "RBBB": "Right bundle-branch block",
    "LBBB": "Left bundle-branch block",
    "SB": "Sinus bradycardia",
    "AF": "Atrial fibrillation",
    "ST": "Sinus tachycardia",
    "NORM": "Normal ECG",
    "MI": "Myocardial infarction",
    "STTC": "ST/T change",
    "CD": "Conduction disturbance",
    "HYP": "Hypertrophy",
}

#: Prefixes of notices that describe the models' input or why a model did not run.
_MODEL_NOTICE_PREFIXES = ("Classifier input:", "No AI findings", "No 12-lead classification",
                          "No classifier", "Beat classifier input:",
                          "No beat labels", "Beat labels:")  # fmt: skip


@dataclass(frozen=True, slots=True)
class FindingView:
    """One row of the panel."""

    name: str
    title: str
    probability: float
    threshold: float
    flagged: bool
    tooltip: str
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class FindingsView:
    """Everything the panel shows for one record."""

    rows: tuple[FindingView, ...]
    headline: str
    anomaly: str
    model_notices: tuple[str, ...]
    other_notices: tuple[str, ...]
    model_line: str
    beats: str = ""
    #: The (lead, beat) pairs with the largest restoration error, largest first.
    largest_errors: tuple[LargeError, ...] = ()


def beat_summary_text(summary: Mapping[str, Any] | None) -> str:
    """``Beats (AI): 1,204 — 12 VEB (1 couplet(s)), 3 SVEB; 1.2 % ectopic`` or ``""``."""
    if not summary or not summary.get("total"):
        return ""
    counts = summary["counts"]
    parts = []
    for cls in ("VEB", "SVEB", "F", "Q"):
        n = int(counts.get(cls, 0))
        if not n:
            continue
        key = cls.lower()
        extra = [
            f"{summary[f'{key}_{kind}s']} {kind}(s)"
            for kind in ("couplet", "run")
            if summary.get(f"{key}_{kind}s")
        ]
        parts.append(f"{n} {cls}" + (f" ({', '.join(extra)})" if extra else ""))
    body = ", ".join(parts) if parts else "all N"
    pct = summary.get("ectopic_percent")
    tail = f"; {pct:.1f} % ectopic" if parts and pct is not None else ""
    return f"Beats (AI): {summary['total']:,} — {body}{tail}"


def operating_point_text(threshold: float, se: float | None, sp: float | None) -> str:
    """``Threshold 0.42 — on PTB-XL fold 9: sensitivity 0.91, specificity 0.97``."""
    text = f"Threshold {threshold:.2f}"
    if se is None and sp is None:
        return text + " (no validation operating point recorded)"
    parts = []
    if se is not None:
        parts.append(f"sensitivity {se:.2f}")
    if sp is not None:
        parts.append(f"specificity {sp:.2f}")
    return text + " — at this threshold on the validation fold: " + ", ".join(parts)


def findings_view(result: AnalysisResult) -> FindingsView:
    """The panel's content for ``result``."""
    notes: dict[str, list[str]] = {}
    for note in result.consistency:
        notes.setdefault(note.finding, []).append(note.message)
    rows = []
    for name, c in result.classes.items():
        title = CLASS_TITLES.get(name, name)
        tip = f"{name} — {title}\nProbability {c.probability:.2f}; " + operating_point_text(
            c.threshold, c.validation_sensitivity, c.validation_specificity
        )
        rows.append(
            FindingView(
                name, title, c.probability, c.threshold, c.flagged, tip, tuple(notes.get(name, ()))
            )
        )
    rows.sort(key=lambda r: (not r.flagged, -r.probability, r.name))
    flagged = [r.name for r in rows if r.flagged]
    if not rows:
        headline = "No AI findings for this recording (see below why)."
    elif flagged:
        headline = f"Flagged: {', '.join(flagged)} — a physician must confirm every finding."
    else:
        headline = f"Nothing flagged ({len(rows)} classes checked)."
    if result.anomaly is None:
        anomaly = result.no_anomaly_reason
    else:
        a = result.anomaly
        anomaly = f"Anomaly score {a.score:.2f} (threshold {a.threshold:.2f})" + (
            ": FLAGGED" if a.flagged else ""
        )
    shown = tuple(n for n in result.notices if n != anomaly)  # the anomaly line says it already
    model_notices = tuple(n for n in shown if n.startswith(_MODEL_NOTICE_PREFIXES))
    other = tuple(n for n in shown if n not in model_notices)
    models = "; ".join(
        f"{name} {m.version} (sha256 {m.sha256[:12]}…)" for name, m in sorted(result.models.items())
    )
    beats = beat_summary_text(result.beat_summary)
    return FindingsView(
        tuple(rows), headline, anomaly, model_notices, other, models, beats, result_errors(result)
    )


def result_errors(result: AnalysisResult) -> tuple[LargeError, ...]:
    """The largest restoration errors of ``result``'s detected beats (empty without them)."""
    err = result.restoration_error
    if err is None:
        return ()
    errors = ErrorMap(err, tuple(result.summary.leads), float(result.summary.fs_hz))
    times = [b["time_s"] for b in result.beats if isinstance(b.get("time_s"), float)]
    return largest_errors(errors, [float(t) for t in times if isinstance(t, float)])
