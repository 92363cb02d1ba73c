"""Where each lead goes on the page: a pure function from lead names to a frozen layout.

The layouts are those of clinical electrocardiographs. In the 3x4 formats each column shows
the *next* 2.5 s as recorded (I, II, III | aVR, aVL, aVF | V1-V3 | V4-V6) with one or three
full-width rhythm strips underneath; 6x2 shows the limb leads over the first half and the chest
leads over the second; 12x1 and the single-lead format show each lead over the whole page.
Leads are placed by name, so the file's order never matters. A record without the 12 standard
leads gets one full-width row per lead (in standard order) whatever format is asked for.

A layout is independent of time: panel windows are offsets from the page start, so scrolling
changes no layout and the view only rebuilds its static items when the layout itself changes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from ecgviewer.controllers.paper import PaperSpec
from ecgviewer.io.record import STANDARD_LEADS

LayoutKind = Literal["3x4+1", "3x4+3", "6x2", "12x1", "1x1"]
PageKind = Literal["3x4+1", "3x4+3", "6x2", "12x1", "1x1", "rows", "empty"]
LAYOUT_KINDS: tuple[LayoutKind, ...] = ("3x4+1", "3x4+3", "6x2", "12x1", "1x1")
LAYOUT_TITLES: Mapping[str, str] = {
    "3x4+1": "3×4 + rhythm strip",
    "3x4+3": "3×4 + 3 rhythm strips",
    "6x2": "6×2",
    "12x1": "12×1",
    "1x1": "Single lead",
    "rows": "One row per lead",
    "empty": "",
}
#: The rhythm strips of 3x4+3 (V1, II, V5 is the usual choice); the first is the one of 3x4+1.
DEFAULT_RHYTHM_LEADS: tuple[str, ...] = ("II", "V1", "V5")

#: Leads of each column of the 3x4 block, top row first.
TWELVE_LEAD_COLUMNS: tuple[tuple[str, ...], ...] = (
    ("I", "II", "III"),
    ("aVR", "aVL", "aVF"),
    ("V1", "V2", "V3"),
    ("V4", "V5", "V6"),
)
SIX_BY_TWO_COLUMNS: tuple[tuple[str, ...], ...] = (STANDARD_LEADS[:6], STANDARD_LEADS[6:])

#: Modified limb leads (Holter, MIT-BIH) stand in for the lead they approximate.
_ALIASES = {"MLI": "I", "MLII": "II", "MLIII": "III"}

#: Row pitch and baseline depth below the row top (mm) of each format: room for about
#: 2.5 mV up and 1.5 mV down in 40 mm rows; tighter rows overlap on tall waves, as on paper.
_ROWS_MM: Mapping[str, tuple[float, float]] = {
    "3x4+1": (40.0, 25.0),
    "3x4+3": (30.0, 20.0),
    "6x2": (30.0, 20.0),
    "12x1": (20.0, 13.0),
    "1x1": (40.0, 25.0),
    "rows": (40.0, 25.0),
    "empty": (40.0, 25.0),
}
_MANY_ROWS_MM = (25.0, 16.0)
RIGHT_MARGIN_MM = 5.0
FOOTER_MM = 6.0
LABEL_INSET_MM = 1.0
#: Lead labels sit this fraction of the way from the row top down to the baseline: close enough
#: to the trace to belong to it, high enough to clear most R waves at a column's start.
LABEL_DEPTH_FRACTION = 0.35
SEPARATOR_HALF_MM = 2.0


@dataclass(frozen=True, slots=True)
class Panel:
    """One lead drawn over one time window at one place on the page (lengths in mm).

    ``offset_s`` is where the panel's window starts after the page start time, so the samples
    shown are ``[page_start + offset_s, page_start + offset_s + duration_s]``.
    """

    lead: str
    row: int
    column: int
    offset_s: float
    duration_s: float
    x_mm: float
    width_mm: float
    top_mm: float
    height_mm: float
    baseline_y_mm: float
    gain_mm_per_mv: float
    label: str
    label_x_mm: float
    label_y_mm: float

    @property
    def mm_per_s(self) -> float:
        return self.width_mm / self.duration_s

    def window_s(self, page_start_s: float) -> tuple[float, float]:
        start = page_start_s + self.offset_s
        return start, start + self.duration_s

    def contains(self, x_mm: float, y_mm: float) -> bool:
        return (
            self.x_mm <= x_mm <= self.x_mm + self.width_mm
            and self.top_mm <= y_mm <= self.top_mm + self.height_mm
        )


@dataclass(frozen=True, slots=True)
class CalibrationMark:
    """Where a row's 1 mV calibration pulse starts, and the gain it shows."""

    x_mm: float
    baseline_y_mm: float
    gain_mm_per_mv: float


@dataclass(frozen=True, slots=True)
class PageLayout:
    """Everything about the page except the time shown and the samples."""

    kind: PageKind
    requested: LayoutKind
    page_duration_s: float
    speed_mm_per_s: float
    width_mm: float
    height_mm: float
    panels: tuple[Panel, ...]
    calibrations: tuple[CalibrationMark, ...]
    #: Short vertical ticks ``(x_mm, baseline_y_mm)`` where one column's lead gives way to the next.
    separators: tuple[tuple[float, float], ...]
    #: Rows whose panels carry the beat labels (the first rhythm strip, else the top row).
    beat_rows: tuple[int, ...]
    #: Leads present in the record but not on this page.
    omitted_leads: tuple[str, ...]
    footer_y_mm: float
    #: Why the page differs from the format asked for ("" when it does not).
    note: str = ""

    def panel_for(self, lead: str, row: int | None = None) -> Panel:
        """The first panel of ``lead`` (in ``row`` if given); ``KeyError`` if it is not shown."""
        for panel in self.panels:
            if panel.lead == lead and (row is None or panel.row == row):
                return panel
        raise KeyError(f"lead {lead!r} is not on this page")

    def panel_at(self, x_mm: float, y_mm: float) -> Panel | None:
        """The panel under a point of the paper, or ``None`` (margins, calibration block)."""
        for panel in self.panels:
            if panel.contains(x_mm, y_mm):
                return panel
        return None


def standard_order(lead_names: Sequence[str]) -> tuple[str, ...]:
    """Leads in reading order: I, II, III, aVR, aVL, aVF, V1-V6, then the rest as in the file."""
    rank = {name: i for i, name in enumerate(STANDARD_LEADS)}

    def key(item: tuple[int, str]) -> tuple[int, int]:
        position, name = item
        return (rank.get(_ALIASES.get(name, name), len(rank)), position)

    return tuple(name for _, name in sorted(enumerate(lead_names), key=key))


def resolve_lead(lead_names: Sequence[str], wanted: str) -> str:
    """``wanted`` if present, else its modified-lead twin (II <-> MLII), else the first lead."""
    if wanted in lead_names:
        return wanted
    for modified, standard in _ALIASES.items():
        if wanted == standard and modified in lead_names:
            return modified
        if wanted == modified and standard in lead_names:
            return standard
    ordered = standard_order(lead_names)
    return ordered[0] if ordered else wanted


def _grid(
    kind: PageKind,
    lead_names: Sequence[str],
    rhythm_leads: Sequence[str],
) -> tuple[list[list[tuple[str, int]]], tuple[int, ...]]:
    """Rows of ``(lead, column)`` cells, and the rows that carry beat labels."""
    if kind in ("3x4+1", "3x4+3"):
        rows = [[(col[r], c) for c, col in enumerate(TWELVE_LEAD_COLUMNS)] for r in range(3)]
        n_rhythm = 1 if kind == "3x4+1" else 3
        strips = _rhythm_strips(lead_names, rhythm_leads, n_rhythm)
        return rows + [[(lead, 0)] for lead in strips], (3,)
    if kind == "6x2":
        return [[(col[r], c) for c, col in enumerate(SIX_BY_TWO_COLUMNS)] for r in range(6)], (0,)
    if kind == "12x1":
        return [[(lead, 0)] for lead in STANDARD_LEADS], (0,)
    if kind == "1x1":
        return [[(resolve_lead(lead_names, rhythm_leads[0] if rhythm_leads else "II"), 0)]], (0,)
    if kind == "rows":
        return [[(lead, 0)] for lead in standard_order(lead_names)], (0,)
    return [], ()


def _rhythm_strips(lead_names: Sequence[str], wanted: Sequence[str], n: int) -> list[str]:
    strips: list[str] = []
    for lead in [*wanted, *DEFAULT_RHYTHM_LEADS]:
        resolved = resolve_lead(lead_names, lead)
        if resolved not in strips:
            strips.append(resolved)
    return strips[:n]


def _page_kind(kind: LayoutKind, lead_names: Sequence[str]) -> tuple[PageKind, str]:
    if not lead_names:
        return "empty", ""
    if kind == "1x1" or set(lead_names) >= set(STANDARD_LEADS):
        return kind, ""
    return "rows", (
        f"{LAYOUT_TITLES[kind]} needs the 12 standard leads; this record has "
        f"{len(lead_names)}, shown one row per lead."
    )


def compute_layout(
    lead_names: Sequence[str],
    paper: PaperSpec | None = None,
    *,
    kind: LayoutKind = "3x4+1",
    page_duration_s: float = 10.0,
    rhythm_leads: Sequence[str] = DEFAULT_RHYTHM_LEADS,
    lead_gains: Mapping[str, float] | None = None,
) -> PageLayout:
    """Lay out a record's leads on a page showing ``page_duration_s`` seconds.

    Parameters
    ----------
    lead_names
        Canonical lead names in file order (any order; the page uses the standard one).
    paper
        Speed and page gain; the page width follows the speed.
    kind
        The format asked for; a record without the 12 standard leads gets one row per lead.
    page_duration_s
        Seconds across the page (columns share it).
    rhythm_leads
        Rhythm strip leads, first one first (3x4+1 uses one, 3x4+3 three, 1x1 shows the first).
    lead_gains
        Per-lead gains (mm/mV) overriding the page gain.

    Returns
    -------
    PageLayout
        Panels with their windows (offsets from the page start) and places in paper mm
        (y grows downward).
    """
    paper = paper or PaperSpec()
    gains = dict(lead_gains or {})
    page_kind, note = _page_kind(kind, lead_names)
    grid, beat_rows = _grid(page_kind, lead_names, rhythm_leads)
    pitch, depth = _ROWS_MM[page_kind]
    if page_kind == "rows" and len(grid) > 4:
        pitch, depth = _MANY_ROWS_MM
    x0 = paper.calibration_block_mm
    speed = paper.speed_mm_per_s
    # Whole major squares across, so the page ends on a major line.
    squares = math.ceil((x0 + page_duration_s * speed + RIGHT_MARGIN_MM) / paper.major_mm - 1e-9)
    width = squares * paper.major_mm
    panels: list[Panel] = []
    separators: list[tuple[float, float]] = []
    calibrations: list[CalibrationMark] = []
    for r, cells in enumerate(grid):
        top = r * pitch
        baseline = top + depth
        n_cols = 2 if page_kind == "6x2" else 4 if len(cells) == 4 else 1
        col_s = page_duration_s / n_cols
        row_gain = gains.get(cells[0][0], paper.gain_mm_per_mv)
        calibrations.append(CalibrationMark(0.0, baseline, row_gain))
        for lead, c in cells:
            x = x0 + c * col_s * speed
            gain = gains.get(lead, paper.gain_mm_per_mv)
            label = lead if gain == row_gain else f"{lead}  {gain:g} mm/mV"
            panels.append(
                Panel(
                    lead=lead,
                    row=r,
                    column=c,
                    offset_s=c * col_s,
                    duration_s=col_s,
                    x_mm=x,
                    width_mm=col_s * speed,
                    top_mm=top,
                    height_mm=pitch,
                    baseline_y_mm=baseline,
                    gain_mm_per_mv=gain,
                    label=label,
                    label_x_mm=x + LABEL_INSET_MM,
                    label_y_mm=top + max(LABEL_INSET_MM, LABEL_DEPTH_FRACTION * depth),
                )
            )
            if c:
                separators.append((x, baseline))
    n_rows = len(grid) if grid else 4
    height = n_rows * pitch + FOOTER_MM
    shown = {p.lead for p in panels}
    return PageLayout(
        kind=page_kind,
        requested=kind,
        page_duration_s=page_duration_s,
        speed_mm_per_s=speed,
        width_mm=width,
        height_mm=height,
        panels=tuple(panels),
        calibrations=tuple(calibrations),
        separators=tuple(separators),
        beat_rows=beat_rows,
        omitted_leads=tuple(name for name in lead_names if name not in shown),
        footer_y_mm=height - FOOTER_MM,
        note=note,
    )
