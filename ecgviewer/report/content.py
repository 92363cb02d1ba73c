"""What the report says, as plain strings and rows (no reportlab): header, AI, review, notes.

Kept apart from the drawing so the wording can be tested and read in one place. Nothing is
invented: a value the result does not hold is printed as ``—`` or as a sentence saying why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from ecgviewer.analysis.result import AnalysisResult, ClassFinding
from ecgviewer.controllers.findings_view import beat_summary_text
from ecgviewer.io.record import Record
from ecgviewer.report.options import ReviewEntry

#: Printed in the AI section and in the page 1 summary of every report.
CONFIRMATION_STATEMENT = (
    "AI findings and automatic measurements are not a diagnosis: "
    "they need a physician's confirmation."
)
CONFIRMATION_SHORT = "Needs a physician's confirmation."
NO_MODEL_STATEMENT = "No AI model is bundled in this version: no AI findings were computed."
NOT_REVIEWED = "Not reviewed: no physician has confirmed or rejected these findings yet."
_DECISIONS = {"confirm": "Confirmed", "reject": "Rejected"}


@dataclass(frozen=True, slots=True)
class FindingRow:
    """One classifier finding with its current review decision, if any."""

    name: str
    probability: float
    threshold: float
    flagged: bool
    decision: str

    @property
    def result_text(self) -> str:
        return "FLAGGED" if self.flagged else "below threshold"


def has_ai(result: AnalysisResult | None) -> bool:
    """Whether any model contributed to the result."""
    return bool(result and (result.classes or result.anomaly is not None or result.models))


def patient_lines(record: Record) -> list[tuple[str, str]]:
    """``(label, value)`` pairs about the patient and the recording, for the header."""
    p = record.patient
    if p.patient_id is None and p.age_years is None and p.sex is None:
        who = "not stated in the file"
    else:
        age = "—" if p.age_years is None else f"{p.age_years:g} y"
        sex = {"F": "female", "M": "male"}.get(p.sex or "", "—")
        who = f"ID {p.patient_id or '—'}   ·   age {age}   ·   sex {sex}"
    acquired = (
        record.start_time.strftime("%Y-%m-%d %H:%M:%S")
        if record.start_time is not None
        else "not stated in the file"
    )
    return [
        ("Patient", who),
        ("Acquired", acquired),
        ("Record", f"{record.record_name}   ·   {record.source_format or 'format unknown'}"),
        (
            "Sampling",
            f"{record.fs_hz:g} Hz   ·   {record.n_leads} leads   ·   {record.duration_s:.1f} s",
        ),
    ]


def finding_rows(result: AnalysisResult | None, reviews: Sequence[ReviewEntry]) -> list[FindingRow]:
    """Classifier findings, flagged first then by probability; with the latest decision."""
    if result is None:
        return []
    latest = latest_decisions(reviews)

    def row(name: str, c: ClassFinding) -> FindingRow:
        return FindingRow(name, c.probability, c.threshold, c.flagged, latest.get(name, ""))

    rows = [row(name, c) for name, c in result.classes.items()]
    return sorted(rows, key=lambda r: (not r.flagged, -r.probability, r.name))


def latest_decisions(reviews: Sequence[ReviewEntry]) -> dict[str, str]:
    """``finding -> "Confirmed by X, 2025-01-02 10:11 UTC"`` from the latest decision on it."""
    out: dict[str, str] = {}
    for r in sorted(reviews, key=lambda r: r.created_utc):
        out[r.finding] = f"{decision_text(r.decision)} by {r.reviewer}, {utc_text(r.created_utc)}"
    return out


def decision_text(decision: str) -> str:
    return _DECISIONS.get(decision, decision.capitalize())


def utc_text(stamp: str) -> str:
    """``2025-01-02T10:11:12.345Z`` -> ``2025-01-02 10:11 UTC`` (as given when unparsable)."""
    try:
        when = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp
    if when.tzinfo is not None:
        when = when.astimezone(dt.UTC)
    return when.strftime("%Y-%m-%d %H:%M UTC")


def anomaly_text(result: AnalysisResult | None) -> str:
    if result is None or result.anomaly is None:
        return (
            result.no_anomaly_reason
            if result is not None
            else "No anomaly score: no anomaly model is bundled in this version."
        )
    a = result.anomaly
    verdict = "above its threshold: FLAGGED" if a.flagged else "below its threshold"
    return f"Anomaly score {a.score:.2f} (threshold {a.threshold:.2f}), {verdict}."


def model_lines(result: AnalysisResult | None) -> list[str]:
    """``name version (sha256 1234abcd5678…)`` per model that contributed."""
    if result is None:
        return []
    return [
        f"{name} {m.version} (sha256 {m.sha256[:12]}…)" if m.sha256 else f"{name} {m.version}"
        for name, m in sorted(result.models.items())
    ]


def ai_summary(
    result: AnalysisResult | None, reviews: Sequence[ReviewEntry], max_findings: int = 3
) -> list[tuple[str, bool]]:
    """Short lines for the page 1 header, with whether each is emphasised."""
    lines: list[tuple[str, bool]] = []
    if not has_ai(result):
        lines.append(("No AI model is bundled: no AI findings were computed.", False))
    else:
        flagged = [r for r in finding_rows(result, reviews) if r.flagged]
        for r in flagged[:max_findings]:
            lines.append((f"{r.name}  {r.probability:.2f} (threshold {r.threshold:.2f})", True))
        if len(flagged) > max_findings:
            lines.append((f"and {len(flagged) - max_findings} more flagged: see page 2", True))
        if not flagged and result is not None and result.classes:
            lines.append(
                (f"No finding above its threshold ({len(result.classes)} checked).", False)
            )
        if result is not None and not result.classes:
            lines.append(("No 12-lead AI findings: the classifier did not run (see notes).", False))
        beats = beat_line(result)
        if beats:
            lines.append((beats, False))
        if result is not None and result.anomaly is not None:
            a = result.anomaly
            lines.append(
                (
                    f"Anomaly {a.score:.2f} (threshold {a.threshold:.2f})"
                    + (": FLAGGED" if a.flagged else ""),
                    a.flagged,
                )
            )
    lines.append((review_status(reviews), False))
    return lines


def beat_line(result: AnalysisResult | None) -> str:
    """``Beats (AI): 1,204 — 12 VEB (1 couplet(s)), 3 SVEB; 1.2 % ectopic`` or ``""``."""
    return beat_summary_text(result.beat_summary if result is not None else None)


def review_status(reviews: Sequence[ReviewEntry]) -> str:
    if not reviews:
        return "Not yet reviewed by a physician."
    latest = sorted(reviews, key=lambda r: r.created_utc)[-1]
    names = sorted({r.reviewer for r in reviews})
    return f"Reviewed by {', '.join(names)} (last {utc_text(latest.created_utc)})."


def reviewers(reviews: Sequence[ReviewEntry]) -> str:
    """``Reviewed by Dr A, Dr B``."""
    return "Reviewed by " + ", ".join(sorted({r.reviewer for r in reviews}))


def review_rows(reviews: Sequence[ReviewEntry]) -> list[tuple[str, str, str, str, str]]:
    """``(finding, decision, reviewer, time, comment)``, oldest first."""
    return [
        (r.finding, decision_text(r.decision), r.reviewer, utc_text(r.created_utc), r.comment)
        for r in sorted(reviews, key=lambda r: r.created_utc)
    ]


def record_details(record: Record) -> list[tuple[str, str]]:
    """Where the recording came from and what its file says besides the samples."""
    rows = [
        ("File", record.source_path or "—"),
        ("Format", record.source_format or "—"),
        ("Leads", ", ".join(record.lead_names)),
    ]
    rows += [(str(k).replace("_", " ").capitalize(), str(v)) for k, v in record.metadata.items()]
    return rows
