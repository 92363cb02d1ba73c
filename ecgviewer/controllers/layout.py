"""Where each lead goes on the page: a pure function from lead names to a frozen layout.

A 12-lead record is laid out as a clinical printout: three rows of four 2.5 s columns
(I, II, III | aVR, aVL, aVF | V1-V3 | V4-V6), each column showing the *next* 2.5 s as the
electrocardiograph recorded them, and a full-width lead II rhythm strip underneath. Any other
record gets one full-width row per lead. Navigation only changes ``start_s``; speed changes only
change :class:`~ecgviewer.controllers.paper.PaperSpec`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from ecgviewer.controllers.paper import PaperSpec
from ecgviewer.io.record import STANDARD_LEADS

#: Leads of each column of the 3x4 block, top row first.
TWELVE_LEAD_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("I", "II", "III"),
    ("aVR", "aVL", "aVF"),
    ("V1", "V2", "V3"),
    ("V4", "V5", "V6"),
)
RHYTHM_LEAD = "II"

#: Modified limb leads (Holter, MIT-BIH) sort where the lead they approximate would.
_RANK_ALIASES = {"MLI": "I", "MLII": "II", "MLIII": "III"}

ROW_HEIGHT_MM = 40.0
#: Baseline of a row below its top: room for 2.5 mV upward, 1.5 mV down before the next row.
BASELINE_OFFSET_MM = 25.0
RIGHT_MARGIN_MM = 5.0
FOOTER_MM = 5.0
LABEL_INSET_MM = 1.0
SEPARATOR_HALF_MM = 2.0


@dataclass(frozen=True, slots=True)
class Panel:
    """One lead drawn over one time window at one place on the page (all lengths in mm)."""

    lead: str
    row: int
    column: int
    start_s: float
    stop_s: float
    x_mm: float
    baseline_y_mm: float
    width_mm: float
    label_x_mm: float
    label_y_mm: float


@dataclass(frozen=True, slots=True)
class CalibrationMark:
    """Where a row's 1 mV calibration pulse starts."""

    x_mm: float
    baseline_y_mm: float


@dataclass(frozen=True, slots=True)
class PageLayout:
    """Everything about the page except the samples themselves."""

    kind: Literal["12-lead", "rows", "empty"]
    start_s: float
    page_duration_s: float
    width_mm: float
    height_mm: float
    panels: tuple[Panel, ...]
    calibrations: tuple[CalibrationMark, ...]
    #: Short vertical ticks ``(x_mm, baseline_y_mm)`` where one column's lead gives way to the next.
    separators: tuple[tuple[float, float], ...]
    #: Leads present in the record but not on this page (extra leads of a 15-lead record).
    omitted_leads: tuple[str, ...]
    footer_y_mm: float

    def panel_for(self, lead: str, row: int | None = None) -> Panel:
        """The first panel of ``lead`` (in ``row`` if given); ``KeyError`` if it is not shown."""
        for panel in self.panels:
            if panel.lead == lead and (row is None or panel.row == row):
                return panel
        raise KeyError(f"lead {lead!r} is not on this page")


def standard_order(lead_names: Sequence[str]) -> tuple[str, ...]:
    """Leads in reading order: I, II, III, aVR, aVL, aVF, V1-V6, then the rest as in the file."""
    rank = {name: i for i, name in enumerate(STANDARD_LEADS)}

    def key(item: tuple[int, str]) -> tuple[int, int]:
        position, name = item
        canonical = _RANK_ALIASES.get(name, name)
        return (rank.get(canonical, len(rank)), position)

    return tuple(name for _, name in sorted(enumerate(lead_names), key=key))


def _row_baseline(row: int) -> float:
    return row * ROW_HEIGHT_MM + BASELINE_OFFSET_MM


def _panel(
    lead: str, row: int, column: int, start_s: float, dur_s: float, x_mm: float, paper: PaperSpec
) -> Panel:
    baseline = _row_baseline(row)
    return Panel(
        lead=lead,
        row=row,
        column=column,
        start_s=start_s,
        stop_s=start_s + dur_s,
        x_mm=x_mm,
        baseline_y_mm=baseline,
        width_mm=dur_s * paper.speed_mm_per_s,
        label_x_mm=x_mm + LABEL_INSET_MM,
        label_y_mm=baseline - BASELINE_OFFSET_MM + LABEL_INSET_MM,
    )


def compute_layout(
    lead_names: Sequence[str],
    duration_s: float,
    paper: PaperSpec | None = None,
    *,
    start_s: float = 0.0,
    page_duration_s: float = 10.0,
) -> PageLayout:
    """Lay out a record's leads on a page of ``page_duration_s`` seconds starting at ``start_s``.

    Parameters
    ----------
    lead_names
        Canonical lead names in file order (any order; the page uses the standard one).
    duration_s
        Length of the record; only used to keep ``start_s`` inside it.
    paper
        Speed and gain; the page width follows the speed.
    start_s, page_duration_s
        The time window the page shows.

    Returns
    -------
    PageLayout
        Panels with their time windows and origins in paper millimetres (y grows downward).
    """
    paper = paper or PaperSpec()
    start_s = max(0.0, min(start_s, max(0.0, duration_s - page_duration_s)))
    x0 = paper.calibration_block_mm
    trace_width = page_duration_s * paper.speed_mm_per_s
    # Whole major squares across, so the page ends on a major line.
    width = math.ceil((x0 + trace_width + RIGHT_MARGIN_MM) / paper.major_mm - 1e-9) * paper.major_mm
    present = set(lead_names)
    panels: list[Panel] = []
    separators: list[tuple[float, float]] = []

    if present >= set(STANDARD_LEADS):
        kind: Literal["12-lead", "rows", "empty"] = "12-lead"
        col_s = page_duration_s / len(TWELVE_LEAD_COLUMNS)
        for column, leads in enumerate(TWELVE_LEAD_COLUMNS):
            col_x = x0 + column * col_s * paper.speed_mm_per_s
            for row, lead in enumerate(leads):
                panels.append(
                    _panel(lead, row, column, start_s + column * col_s, col_s, col_x, paper)
                )
                if column:
                    separators.append((col_x, _row_baseline(row)))
        rhythm_row = len(TWELVE_LEAD_COLUMNS[0])
        panels.append(_panel(RHYTHM_LEAD, rhythm_row, 0, start_s, page_duration_s, x0, paper))
        n_rows = rhythm_row + 1
        shown = set(STANDARD_LEADS)
    elif lead_names:
        kind = "rows"
        ordered = standard_order(lead_names)
        for row, lead in enumerate(ordered):
            panels.append(_panel(lead, row, 0, start_s, page_duration_s, x0, paper))
        n_rows = len(ordered)
        shown = present
    else:
        kind, n_rows, shown = "empty", 4, set()

    calibrations = tuple(CalibrationMark(0.0, _row_baseline(row)) for row in range(n_rows))
    if kind == "empty":
        calibrations = ()
    height = n_rows * ROW_HEIGHT_MM + FOOTER_MM
    return PageLayout(
        kind=kind,
        start_s=start_s,
        page_duration_s=page_duration_s,
        width_mm=width,
        height_mm=height,
        panels=tuple(panels),
        calibrations=calibrations,
        separators=tuple(separators),
        omitted_leads=tuple(name for name in lead_names if name not in shown),
        footer_y_mm=height - FOOTER_MM,
    )
