"""Where the ECG goes on the sheet: a pure function from (leads, duration, options) to a plan.

The page layout is the viewer's own (:func:`ecgviewer.controllers.layout.compute_layout` and
:class:`~ecgviewer.controllers.paper.PaperSpec`), so screen and paper agree panel for panel;
this module only places it on a sheet of A4 or Letter. Everything is in millimetres from the
sheet's top-left corner, y downward, exactly as the layout itself; the PDF writer converts to
points at the very end. Tests use the plan to know where, in a rendered PNG, a grid line, a
calibration pulse or an R peak must be.

Two things the viewer never has to do are decided here: when the paper is narrower than the
page (portrait), fewer seconds are shown at the same true scale; when it is shorter than the
page (many rows), the rows continue on the next sheet.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from ecgviewer.controllers.layout import PageLayout, compute_layout
from ecgviewer.controllers.paper import PaperSpec, page_duration_s
from ecgviewer.report.options import Orientation, PageSize, ReportOptions

#: Portrait width and height of each paper size.
PAPER_MM: dict[str, tuple[float, float]] = {"A4": (210.0, 297.0), "Letter": (215.9, 279.4)}
#: Inside the unprintable border of office printers (about 4-5 mm).
MARGIN_X_MM = 6.0
MARGIN_TOP_MM = 7.0
MARGIN_BOTTOM_MM = 8.0
#: Page 1 header (title, patient, record, measurements, AI summary in three columns) and the
#: one-line header of the following sheets. A narrow (portrait) header puts the AI summary in
#: a band of its own under the other two columns.
HEADER_MM = 29.0
AI_BAND_MM = 12.0
WIDE_HEADER_MM = 240.0
CONTINUED_HEADER_MM = 9.0
#: The width of the standard page (10 s at 25 mm/s with its calibration block): header and
#: text use at least this width, so a slow-speed page does not squeeze them.
STANDARD_FRAME_MM = 265.0
#: The shown seconds are cut to whole multiples of this paper length (4 columns of 5 mm).
_TRACE_STEP_MM = 20.0


@dataclass(frozen=True, slots=True)
class Sheet:
    """One sheet of paper in its orientation."""

    page_size: PageSize
    orientation: Orientation
    width_mm: float
    height_mm: float

    @property
    def usable_width_mm(self) -> float:
        return self.width_mm - 2 * MARGIN_X_MM

    @property
    def bottom_mm(self) -> float:
        """Lowest y content may reach."""
        return self.height_mm - MARGIN_BOTTOM_MM


def sheet_for(page_size: PageSize, orientation: Orientation) -> Sheet:
    """The sheet of ``page_size`` (``A4``/``Letter``) in ``orientation``."""
    short, long_ = PAPER_MM[page_size]
    if orientation == "landscape":
        return Sheet(page_size, orientation, long_, short)
    return Sheet(page_size, orientation, short, long_)


@dataclass(frozen=True, slots=True)
class EcgBlock:
    """Some rows of the page layout, drawn with their grid at ``(x_mm, y_mm)`` on one sheet.

    ``layout`` holds only these rows, moved up so the first starts at 0; ``rows`` are their
    numbers in the full layout. Layout coordinates plus ``(x_mm, y_mm)`` are sheet coordinates.
    """

    layout: PageLayout
    x_mm: float
    y_mm: float
    rows: tuple[int, ...]

    def on_sheet(self, x_mm: float, y_mm: float) -> tuple[float, float]:
        """Sheet position of a layout position."""
        return self.x_mm + x_mm, self.y_mm + y_mm


@dataclass(frozen=True, slots=True)
class EcgPlan:
    """The ECG of one record on paper: the layout, the time shown, and one block per sheet."""

    sheet: Sheet
    paper: PaperSpec
    layout: PageLayout
    page_start_s: float
    page_duration_s: float
    #: The viewer would show more seconds than this paper's width holds at true scale.
    shortened: bool
    blocks: tuple[EcgBlock, ...]
    #: Left edge and width of the header and text (the grid's left edge).
    frame_x_mm: float
    frame_width_mm: float
    #: Height of the page 1 header (three columns when the frame is wide, else two and a band).
    header_mm: float

    @property
    def wide_header(self) -> bool:
        return self.frame_width_mm >= WIDE_HEADER_MM


def _fitting_duration(
    lead_names: tuple[str, ...],
    paper: PaperSpec,
    wanted_s: float,
    width_mm: float,
    options: ReportOptions,
) -> tuple[float, PageLayout]:
    """The longest duration up to ``wanted_s`` whose layout fits ``width_mm``, and its layout."""

    def layout_for(duration_s: float) -> PageLayout:
        return compute_layout(
            lead_names,
            paper,
            kind=options.layout,
            page_duration_s=duration_s,
            rhythm_leads=options.rhythm_leads,
            lead_gains=dict(options.lead_gains),
        )

    layout = layout_for(wanted_s)
    if layout.width_mm <= width_mm + 1e-6:
        return wanted_s, layout
    spare = layout.width_mm - wanted_s * paper.speed_mm_per_s  # calibration block and margin
    trace_mm = width_mm - spare
    steps = math.floor(trace_mm / _TRACE_STEP_MM + 1e-9)
    duration = (steps * _TRACE_STEP_MM if steps else max(trace_mm, 1.0)) / paper.speed_mm_per_s
    layout = layout_for(duration)
    while layout.width_mm > width_mm + 1e-6 and duration > 0.2:  # layout rounds up its width
        duration -= _TRACE_STEP_MM / paper.speed_mm_per_s if steps > 1 else 0.1
        layout = layout_for(duration)
    return duration, layout


def _row_spans(layout: PageLayout) -> list[tuple[int, float, float]]:
    """``(row, top, bottom)`` of each row, top first."""
    tops: dict[int, float] = {}
    for panel in layout.panels:
        tops.setdefault(panel.row, panel.top_mm)
    rows = sorted(tops, key=tops.__getitem__)
    spans = []
    for i, row in enumerate(rows):
        bottom = tops[rows[i + 1]] if i + 1 < len(rows) else layout.footer_y_mm
        spans.append((row, tops[row], bottom))
    return spans


def slice_rows(layout: PageLayout, rows: tuple[int, ...]) -> PageLayout:
    """The part of ``layout`` holding ``rows`` (consecutive), moved up to start at 0."""
    spans = {row: (top, bottom) for row, top, bottom in _row_spans(layout)}
    top = min(spans[r][0] for r in rows)
    bottom = max(spans[r][1] for r in rows)

    def inside(y: float) -> bool:
        return top <= y < bottom

    footer = layout.height_mm - layout.footer_y_mm
    return replace(
        layout,
        panels=tuple(
            replace(
                p,
                top_mm=p.top_mm - top,
                baseline_y_mm=p.baseline_y_mm - top,
                label_y_mm=p.label_y_mm - top,
            )
            for p in layout.panels
            if p.row in rows
        ),
        calibrations=tuple(
            replace(c, baseline_y_mm=c.baseline_y_mm - top)
            for c in layout.calibrations
            if inside(c.baseline_y_mm)
        ),
        separators=tuple((x, y - top) for x, y in layout.separators if inside(y)),
        height_mm=bottom - top + footer,
        footer_y_mm=bottom - top,
    )


def _split(layout: PageLayout, first_mm: float, other_mm: float) -> list[tuple[int, ...]]:
    """Rows per sheet: as many as fit ``first_mm`` on the first sheet, ``other_mm`` after."""
    footer = layout.height_mm - layout.footer_y_mm
    chunks: list[tuple[int, ...]] = []
    current: list[int] = []
    start = 0.0
    for row, top, bottom in _row_spans(layout):
        room = (first_mm if not chunks else other_mm) - footer
        if current and bottom - start > room + 1e-6:
            chunks.append(tuple(current))
            current, start = [], top
        if not current:
            start = top
        current.append(row)
    if current:
        chunks.append(tuple(current))
    return chunks


def plan_ecg(
    lead_names: tuple[str, ...], record_duration_s: float, options: ReportOptions
) -> EcgPlan:
    """Place a record's page on the sheet of ``options``.

    Parameters
    ----------
    lead_names
        The record's canonical lead names.
    record_duration_s
        Its length; the page never shows more.
    options
        Paper size, orientation, speed, gain, format and start time.
    """
    sheet = sheet_for(options.page_size, options.orientation)
    paper = PaperSpec(speed_mm_per_s=options.speed_mm_s, gain_mm_per_mv=options.gain_mm_mv)
    wanted = page_duration_s(paper.speed_mm_per_s, record_duration_s)
    duration, layout = _fitting_duration(lead_names, paper, wanted, sheet.usable_width_mm, options)
    start = min(max(0.0, options.start_s), max(0.0, record_duration_s - duration))
    # Header and text line up with the grid when it (nearly) fills the paper's width; a short
    # slow-speed grid gets the standard width of text beside it instead.
    standard = min(sheet.usable_width_mm, STANDARD_FRAME_MM)
    frame_w = layout.width_mm if layout.width_mm >= 0.9 * standard else standard
    frame_x = (sheet.width_mm - frame_w) / 2
    header = HEADER_MM if frame_w >= WIDE_HEADER_MM else HEADER_MM + AI_BAND_MM
    first_y = MARGIN_TOP_MM + header
    other_y = MARGIN_TOP_MM + CONTINUED_HEADER_MM
    chunks = _split(layout, sheet.bottom_mm - first_y, sheet.bottom_mm - other_y)
    blocks = []
    for i, rows in enumerate(chunks):
        part = layout if len(chunks) == 1 else slice_rows(layout, rows)
        blocks.append(EcgBlock(part, frame_x, first_y if i == 0 else other_y, rows))
    return EcgPlan(
        sheet=sheet,
        paper=paper,
        layout=layout,
        page_start_s=start,
        page_duration_s=duration,
        shortened=duration < wanted - 1e-9,
        blocks=tuple(blocks),
        frame_x_mm=frame_x,
        frame_width_mm=frame_w,
        header_mm=header,
    )
