"""What the info panel says about a record, as plain strings (the UI only formats them).

Every conversion the reader made and every signal problem is listed, not summarised: a
clinician must be able to see that mV were derived from µV, that a lead was computed rather
than recorded, or that V3 is flat, without hovering over anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ecgviewer.controllers.display_filters import filter_caption
from ecgviewer.controllers.layout import LAYOUT_TITLES, PageLayout
from ecgviewer.io.record import PatientInfo, Record

if TYPE_CHECKING:
    from ecgviewer.controllers.viewer import ViewerState

#: Longest file note shown; the rest is cut with an ellipsis (the file itself is untouched).
_NOTE_CHARS = 200
_MAX_NOTES = 20


@dataclass(frozen=True, slots=True)
class RecordSummary:
    """Labelled facts, then the reader's conversions, the signal issues and the file's notes."""

    title: str
    fields: tuple[tuple[str, str], ...]
    conversions: tuple[str, ...]
    issues: tuple[str, ...]
    notes: tuple[tuple[str, str], ...]


def format_duration(duration_s: float) -> str:
    """``8.5 s``, ``30 min 05 s``, ``24 h 00 min``."""
    if duration_s < 60:
        return f"{duration_s:.1f} s"
    total = round(duration_s)
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    return f"{minutes} min {seconds:02d} s"


def format_patient(patient: PatientInfo) -> str:
    parts: list[str] = []
    if patient.patient_id:
        parts.append(f"ID {patient.patient_id}")
    if patient.age_years is not None:
        age = patient.age_years
        parts.append(f"{age:g} years" if age >= 1 else f"{age * 12:.0f} months")
    if patient.sex is not None:
        parts.append({"F": "female", "M": "male"}[patient.sex])
    return " · ".join(parts) if parts else "not given in the file"


def describe_record(record: Record, layout: PageLayout | None = None) -> RecordSummary:
    """Summarise ``record`` for the info panel; ``layout`` adds which leads are not on the page."""
    fields: list[tuple[str, str]] = [
        ("Record", record.record_name),
        ("Format", record.source_format or "unknown"),
        ("Sampling rate", f"{record.fs_hz:g} Hz"),
        ("Duration", format_duration(record.duration_s)),
        ("Leads", f"{record.n_leads}: {', '.join(record.lead_names)}"),
        (
            "Start time",
            record.start_time.isoformat(sep=" ", timespec="seconds")
            if record.start_time
            else "not given in the file",
        ),
        ("Patient", format_patient(record.patient)),
    ]
    if record.source_path:
        fields.insert(1, ("File", record.source_path))
    if record.annotations:
        tracks = ", ".join(f"{t.name} ({len(t.samples)})" for t in record.annotations)
        fields.append(("Annotations", tracks))
    if layout is not None and layout.omitted_leads:
        fields.append(("Not on this page", ", ".join(layout.omitted_leads)))
    notes = tuple(
        (key, value if len(value) <= _NOTE_CHARS else value[: _NOTE_CHARS - 1] + "…")
        for key, value in list(record.metadata.items())[:_MAX_NOTES]
    )
    return RecordSummary(
        title=record.record_name,
        fields=tuple(fields),
        conversions=tuple(f"{c.kind.replace('_', ' ')}: {c.detail}" for c in record.conversions),
        issues=tuple(issue.detail for issue in record.issues),
        notes=notes,
    )


def describe_display(state: ViewerState, layout: PageLayout, px_per_mm: float) -> tuple[str, ...]:
    """What the screen does to the record on the way to the paper (the record is unchanged).

    Listed beside the reader's conversions, so nothing that changes a trace's look is hidden:
    filters, per-lead gains, the reduction to the screen's resolution, a format fallback.
    """
    record = state.record
    if record is None:
        return ()
    speed = state.paper.speed_mm_per_s
    lines = [
        f"{LAYOUT_TITLES[layout.kind]} at {speed:g} mm/s, {state.paper.gain_mm_per_mv:g} mm/mV.",
        filter_caption(state.filters, record.fs_hz)
        + (" (zero-phase, on the shown window only)." if state.filters.active else "."),
    ]
    if layout.note:
        lines.append(layout.note)
    if state.lead_gains:
        gains = ", ".join(f"{lead} {gain:g} mm/mV" for lead, gain in state.lead_gains)
        lines.append(f"Per-lead gain: {gains}.")
    columns_per_s = round(speed * px_per_mm)
    if columns_per_s > 0 and record.fs_hz > 2 * columns_per_s:
        lines.append(
            f"Resampled for display: {record.fs_hz:g} samples/s shown on {columns_per_s} "
            "pixel columns per second, each keeping its minimum and maximum (no peak is lost)."
        )
    return tuple(lines)
