"""Median beats on paper: one cell per lead, at the page's speed and gain, with fiducials.

The cells follow the 3x4 reading order of page 1 (I, II, III | aVR, aVL, aVF | V1-V3 | V4-V6)
for a 12-lead record, else the record's leads four to a row. The global fiducials the
intervals are measured between (P on, QRS on, QRS off, T off) are dashed lines across every
cell, so the reader sees exactly what the PR, QRS and QT of the table span.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ecgviewer.controllers.layout import TWELVE_LEAD_COLUMNS, standard_order
from ecgviewer.controllers.paper import PaperSpec, calibration_pulse
from ecgviewer.io.record import STANDARD_LEADS
from ecgviewer.report.ecg_page import (
    LABEL_PT,
    TRACE_RGB,
    TRACE_WIDTH_MM,
    grid_ops,
)
from ecgviewer.report.fonts import Fonts
from ecgviewer.report.measured import MEDIAN_MARKS, MedianView
from ecgviewer.report.vector import RGB, MmCanvas, polyline_ops, segments_ops, stroke

ROW_PITCH_MM = 30.0
BASELINE_MM = 19.0
FIDUCIAL_RGB: RGB = (0.0, 0.35, 0.9)
#: Shown around the R peak at least; widened to include P onset and T offset.
WINDOW_S = (-0.4, 0.6)
_PAD_S = 0.06


@dataclass(frozen=True, slots=True)
class MedianCell:
    lead: str
    row: int
    x_mm: float
    top_mm: float
    baseline_y_mm: float


@dataclass(frozen=True, slots=True)
class MedianLayout:
    """Cells in mm from the block's top-left; ``start_s``..``stop_s`` is each cell's window."""

    cells: tuple[MedianCell, ...]
    cell_width_mm: float
    width_mm: float
    height_mm: float
    start_s: float
    stop_s: float
    n_rows: int


def median_window_s(view: MedianView) -> tuple[float, float]:
    """The window around R: ``WINDOW_S`` widened to the P onset and T offset, within the data."""
    lo, hi = WINDOW_S
    p_on, t_off = view.fiducials_s.get("p_on", math.nan), view.fiducials_s.get("t_off", math.nan)
    if math.isfinite(p_on):
        lo = min(lo, p_on - _PAD_S)
    if math.isfinite(t_off):
        hi = max(hi, t_off + _PAD_S)
    return max(lo, float(view.time_s[0])), min(hi, float(view.time_s[-1]))


def median_layout(view: MedianView, paper: PaperSpec) -> MedianLayout:
    """Where each lead's median beat goes; cells are whole 5 mm squares wide."""
    lo, hi = median_window_s(view)
    speed = paper.speed_mm_per_s
    cell_w = math.ceil((hi - lo) * speed / paper.major_mm - 1e-9) * paper.major_mm
    names = view.lead_names
    if set(STANDARD_LEADS) <= set(names):
        grid = [[(col[r], c) for c, col in enumerate(TWELVE_LEAD_COLUMNS)] for r in range(3)]
    else:
        ordered = standard_order(names)
        grid = [
            [(lead, i % 4) for i, lead in enumerate(ordered[k : k + 4])]
            for k in range(0, len(ordered), 4)
        ]
    x0 = paper.calibration_block_mm
    cells = [
        MedianCell(lead, r, x0 + c * cell_w, r * ROW_PITCH_MM, r * ROW_PITCH_MM + BASELINE_MM)
        for r, row in enumerate(grid)
        for lead, c in row
    ]
    n_cols = max(len(row) for row in grid)
    return MedianLayout(
        cells=tuple(cells),
        cell_width_mm=cell_w,
        width_mm=x0 + n_cols * cell_w,
        height_mm=len(grid) * ROW_PITCH_MM,
        start_s=lo,
        stop_s=lo + cell_w / speed,
        n_rows=len(grid),
    )


def draw_medians(
    mc: MmCanvas,
    view: MedianView,
    layout: MedianLayout,
    origin: tuple[float, float],
    paper: PaperSpec,
    fonts: Fonts,
) -> None:
    """Grid, calibration pulses, the median beat of every lead and the fiducial lines."""
    mc.draw(grid_ops(layout.width_mm, layout.height_mm, paper), origin)
    speed, gain = paper.speed_mm_per_s, paper.gain_mm_per_mv
    keep = (view.time_s >= layout.start_s) & (view.time_s <= layout.stop_s)
    t = view.time_s[keep]
    paths, pulses, marks, ticks = [], [], [], []
    for r in range(layout.n_rows):
        xs, ys = calibration_pulse(0.0, r * ROW_PITCH_MM + BASELINE_MM, paper)
        pulses.append(polyline_ops(xs, ys))
    for cell in layout.cells:
        row = view.lead_names.index(cell.lead)
        x = cell.x_mm + (t - layout.start_s) * speed
        y = cell.baseline_y_mm - view.samples_mv[row, keep] * gain
        paths.append(polyline_ops(x, y))
        if cell.x_mm > paper.calibration_block_mm:
            ticks.append((cell.x_mm, cell.baseline_y_mm - 2, cell.x_mm, cell.baseline_y_mm + 2))
        for key, _ in MEDIAN_MARKS:
            at = view.fiducials_s.get(key, math.nan)
            if math.isfinite(at) and layout.start_s <= at <= layout.stop_s:
                mx = cell.x_mm + (at - layout.start_s) * speed
                marks.append((mx, cell.top_mm + 1.0, mx, cell.top_mm + ROW_PITCH_MM - 1.0))
    mc.draw(stroke(segments_ops(marks), FIDUCIAL_RGB, 0.15, dash_mm=(0.8, 0.8)), origin)
    clip = (0.0, 0.0, layout.width_mm, layout.height_mm)
    body = "\n".join([*paths, *pulses, segments_ops(ticks)])
    mc.draw(stroke(body, TRACE_RGB, TRACE_WIDTH_MM), origin, clip)
    for cell in layout.cells:
        mc.text(
            origin[0] + cell.x_mm + 1.0,
            origin[1] + cell.top_mm + 4.3,
            cell.lead,
            fonts.bold,
            LABEL_PT - 1,
        )


def median_caption(view: MedianView, paper: PaperSpec) -> str:
    """The line under the median beats: scale, what the dashed lines are, beats included."""
    names = ", ".join(
        label for key, label in MEDIAN_MARKS if math.isfinite(view.fiducials_s.get(key, math.nan))
    )
    text = (
        f"{paper.speed_mm_per_s:g} mm/s · {paper.gain_mm_per_mv:g} mm/mV · "
        f"median of {view.n_beats} beats of the dominant shape"
    )
    if names:
        text += f" · dashed: {names} (global, over all leads)"
    extra = sum(n for _, n in view.other_groups)
    if extra:
        text += f" · {extra} beat(s) of other shapes not included"
    return text
