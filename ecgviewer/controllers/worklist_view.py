"""What the worklist screen shows, Qt-free: columns, cell text, emphasis, filter presets, sort.

The Qt table model only maps a :class:`~ecgviewer.worklist.WorklistRow` to cells through
:func:`cell_text` and :func:`row_emphasis`; the filter bar and the header clicks build a new
:class:`WorklistViewState`, whose :meth:`WorklistViewState.query` is what the database is asked.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from ecgviewer.worklist import Finding, WorklistFilter, WorklistQuery, WorklistRow

Emphasis = Literal["to_review", "flagged", "error", "pending", "normal"]
Preset = Literal["all", "flagged", "to_review", "unreviewed", "errors"]

#: Filter presets in the order the filter bar offers them, with their labels.
PRESETS: tuple[tuple[Preset, str], ...] = (
    ("all", "All records"),
    ("flagged", "Flagged only"),
    ("to_review", "Flagged, not yet reviewed"),
    ("unreviewed", "Unreviewed"),
    ("errors", "Errors"),
)

_DASH = "—"


def format_probability(p: float | None) -> str:
    """``0.873`` → ``"87 %"``; unknown → a dash."""
    return _DASH if p is None else f"{100 * p:.0f} %"


def format_number(value: float | None, decimals: int = 0) -> str:
    """A measurement without its unit (the column title carries it); unknown → a dash."""
    return _DASH if value is None else f"{value:.{decimals}f}"


def format_review(row: WorklistRow) -> str:
    """``"2 to review"``, ``"reviewed"``, ``"1 confirmed, 1 to review"``, or empty."""
    parts = []
    if row.n_confirmed:
        parts.append(f"{row.n_confirmed} confirmed")
    if row.n_rejected:
        parts.append(f"{row.n_rejected} rejected")
    if row.n_open:
        parts.append(f"{row.n_open} to review")
    return ", ".join(parts)


def format_status(row: WorklistRow) -> str:
    """``analysed``, ``pending`` or the error kind (``error: unreadable``)."""
    if row.status == "error":
        return f"error: {row.error_kind}" if row.error_kind else "error"
    return row.status


def format_flag(row: WorklistRow) -> str:
    """The flag column: a flag and the count of flagged findings, empty when none."""
    if row.status == "error":
        return "!"
    return f"⚑ {row.n_flagged}" if row.n_flagged else ""


def format_finding(finding: Finding) -> str:
    """One line of the review panel, e.g. ``"AF 87 % (threshold 70 %) · confirmed by Dr A"``."""
    value = (
        format_probability(finding.value)
        if finding.kind == "class"
        else f"score {finding.value:.2f}"
    )
    threshold = (
        format_probability(finding.threshold)
        if finding.kind == "class"
        else f"{finding.threshold:.2f}"
    )
    text = f"{finding.name} {value} (threshold {threshold})"
    if finding.review is not None:
        verb = "confirmed" if finding.review.decision == "confirm" else "rejected"
        text += f" · {verb} by {finding.review.reviewer}"
    elif finding.flagged:
        text += " · to review"
    return text


@dataclass(frozen=True, slots=True)
class Column:
    """One table column: its title, the sort key it asks for, and how a row shows in it."""

    title: str
    sort_key: str
    text: Callable[[WorklistRow], str]
    numeric: bool = False
    tooltip: str = ""


COLUMNS: tuple[Column, ...] = (
    Column("Flag", "n_flagged", format_flag, tooltip="⚑ n: n flagged findings; !: unreadable"),
    Column("Record", "rel_path", lambda r: r.rel_path),
    Column("Findings", "n_flagged", lambda r: ", ".join(r.flagged)),
    Column("Max prob.", "max_probability", lambda r: format_probability(r.max_probability), True),
    Column("Anomaly", "anomaly_score", lambda r: format_number(r.anomaly_score, 2), True),
    Column("HR (bpm)", "hr_bpm", lambda r: format_number(r.hr_bpm), True),
    Column("QRS (ms)", "qrs_ms", lambda r: format_number(r.qrs_ms), True),
    Column("QTc (ms)", "qtc_bazett_ms", lambda r: format_number(r.qtc_bazett_ms), True),
    Column("Review", "n_open", format_review),
    Column("Status", "status", format_status),
    Column("Patient", "patient_id", lambda r: r.patient_id or ""),
)
FLAG_COLUMN = 0


def cell_text(row: WorklistRow, column: int) -> str:
    """The text of ``row`` in column ``column`` of :data:`COLUMNS`."""
    return COLUMNS[column].text(row)


def row_emphasis(row: WorklistRow) -> Emphasis:
    """How strongly a row stands out: flagged and still open first, then errors, then flagged."""
    if row.n_open > 0:
        return "to_review"
    if row.status == "error":
        return "error"
    if row.n_flagged > 0:
        return "flagged"
    if row.status == "pending":
        return "pending"
    return "normal"


def row_tooltip(row: WorklistRow) -> str:
    """The error message of an unreadable record, or its flagged findings."""
    if row.status == "error":
        return row.error_message or "This record could not be read."
    if row.flagged:
        return f"Flagged: {', '.join(row.flagged)} · {format_review(row) or 'unreviewed'}"
    return ""


def preset_filter(preset: Preset, text: str = "") -> WorklistFilter:
    """The database filter for a filter-bar preset and search text."""
    search = text.strip() or None
    if preset == "flagged":
        return WorklistFilter(flagged=True, text=search)
    if preset == "to_review":
        return WorklistFilter(review="to_review", text=search)
    if preset == "unreviewed":
        return WorklistFilter(review="unreviewed", text=search)
    if preset == "errors":
        return WorklistFilter(status="error", text=search)
    return WorklistFilter(text=search)


@dataclass(frozen=True, slots=True)
class WorklistViewState:
    """Filter and sort of the table; ``sort_column`` None means priority (flagged first)."""

    preset: Preset = "all"
    text: str = ""
    sort_column: int | None = None
    descending: bool = False

    def query(self, limit: int | None = None, offset: int = 0) -> WorklistQuery:
        """The page of rows to ask the worklist for."""
        sort_by = "priority" if self.sort_column is None else COLUMNS[self.sort_column].sort_key
        return WorklistQuery(
            filter=preset_filter(self.preset, self.text),
            sort_by=sort_by,
            descending=self.descending,
            limit=limit,
            offset=offset,
        )

    def sorted_by(self, column: int | None, descending: bool) -> WorklistViewState:
        """The same filter, sorted by ``column`` (None: priority)."""
        return dataclasses.replace(self, sort_column=column, descending=descending)

    def filtered(self, preset: Preset, text: str) -> WorklistViewState:
        """The same sort, another filter."""
        return dataclasses.replace(self, preset=preset, text=text)
