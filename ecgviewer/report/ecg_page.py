"""The ECG itself on paper: grid, calibration pulses, lead labels, traces and the scale caption.

Everything comes from the viewer's pure functions: the grid from
:func:`~ecgviewer.controllers.paper.grid_geometry`, the pulse from
:func:`~ecgviewer.controllers.paper.calibration_pulse`, the samples of each panel (filtered
like on screen) from :func:`~ecgviewer.controllers.traces.panel_trace`, asked for one point
per sample so nothing is decimated. All of it is vector: lines, not pictures.
"""

from __future__ import annotations

from dataclasses import dataclass

from ecgviewer.controllers.display_filters import DisplayFilters, FilteredBlocks, filter_caption
from ecgviewer.controllers.navigation import format_time
from ecgviewer.controllers.paper import PaperSpec, calibration_pulse, grid_geometry
from ecgviewer.controllers.traces import panel_trace
from ecgviewer.io.record import Record
from ecgviewer.report.fonts import Fonts, fit_text
from ecgviewer.report.geometry import EcgBlock, EcgPlan
from ecgviewer.report.vector import RGB, MmCanvas, polyline_ops, segments_ops, stroke

#: The viewer's paper colours (``ui/qt_paper_grid.py``), printed on white.
MINOR_RGB: RGB = (246 / 255, 196 / 255, 196 / 255)
MAJOR_RGB: RGB = (226 / 255, 122 / 255, 122 / 255)
TRACE_RGB: RGB = (0.0, 0.0, 0.0)
CAPTION_RGB: RGB = (60 / 255, 30 / 255, 30 / 255)
MINOR_WIDTH_MM = 0.1
MAJOR_WIDTH_MM = 0.2
TRACE_WIDTH_MM = 0.3
LABEL_PT = 9.0
CAPTION_PT = 7.0
#: Label baseline below the layout's label point (the layout gives the label's top-left).
LABEL_BASELINE_MM = 3.3


@dataclass(frozen=True, slots=True)
class Captions:
    """The text under a block: scale and filters (left), notes (middle), time span (right)."""

    scale: str
    note: str
    span: str


def grid_ops(width_mm: float, height_mm: float, paper: PaperSpec) -> str:
    """Minor (1 mm) and major (5 mm) grid lines of a ``width_mm`` x ``height_mm`` area."""
    geo = grid_geometry(width_mm, height_mm, paper)

    def lines(xs: tuple[float, ...], ys: tuple[float, ...]) -> str:
        return segments_ops(
            [(x, 0.0, x, height_mm) for x in xs] + [(0.0, y, width_mm, y) for y in ys]
        )

    return "\n".join(
        (
            stroke(lines(geo.minor_x, geo.minor_y), MINOR_RGB, MINOR_WIDTH_MM),
            stroke(lines(geo.major_x, geo.major_y), MAJOR_RGB, MAJOR_WIDTH_MM),
        )
    )


def block_captions(
    record: Record, plan: EcgPlan, block: EcgBlock, filters: DisplayFilters, gains: bool
) -> Captions:
    """What the caption of ``block`` says, so a reader never has to guess the scale."""
    scale = [f"{plan.paper.speed_mm_per_s:g} mm/s", f"{plan.paper.gain_mm_per_mv:g} mm/mV"]
    if gains:
        scale.append("other gains at the lead labels")
    scale.append(filter_caption(filters, record.fs_hz))
    notes = []
    if block.layout.note:
        notes.append(block.layout.note)
    if plan.layout.omitted_leads and block is plan.blocks[-1]:
        notes.append("Not shown: " + ", ".join(plan.layout.omitted_leads))
    if plan.shortened and block is plan.blocks[0]:
        notes.append(f"{plan.page_duration_s:.1f} s fit this paper at true scale")
    if len(plan.blocks) > 1:
        i = plan.blocks.index(block)
        notes.append(f"rows {i + 1}/{len(plan.blocks)}")
    total = record.duration_s
    start, stop = plan.page_start_s, plan.page_start_s + plan.page_duration_s
    span = (
        f"{format_time(start, total)} – {format_time(stop, total)} of {format_time(total, total)}"
    )
    return Captions("   ·   ".join(scale), "   ·   ".join(notes), span)


def draw_ecg_block(
    mc: MmCanvas,
    record: Record,
    plan: EcgPlan,
    block: EcgBlock,
    fonts: Fonts,
    filters: DisplayFilters,
    cache: FilteredBlocks | None = None,
) -> None:
    """Draw one block of the page (grid, pulses, traces, labels, caption) on the sheet."""
    layout = block.layout
    origin = (block.x_mm, block.y_mm)
    paper = plan.paper
    mc.draw(grid_ops(layout.width_mm, layout.height_mm, paper), origin)

    pulses = []
    for cal in layout.calibrations:
        xs, ys = calibration_pulse(cal.x_mm, cal.baseline_y_mm, paper, cal.gain_mm_per_mv)
        pulses.append(polyline_ops(xs, ys))
    ticks = segments_ops(
        (x, y - paper.minor_mm * 2, x, y + paper.minor_mm * 2) for x, y in layout.separators
    )
    mc.draw(stroke("\n".join([*pulses, ticks]), TRACE_RGB, TRACE_WIDTH_MM), origin)

    cache = cache if cache is not None else FilteredBlocks()
    # One column per sample: the trace keeps every sample (minmax_decimate is a no-op).
    px_per_mm = record.fs_hz / paper.speed_mm_per_s + 1.0
    paths = []
    for panel in layout.panels:
        trace = panel_trace(
            record, panel, plan.page_start_s, px_per_mm=px_per_mm, filters=filters, cache=cache
        )
        paths.append(polyline_ops(trace.x_mm, trace.y_mm))
    # Clipped to the grid, as on an electrocardiograph: a 6 mV artefact cannot run into the
    # header or the next sheet's text.
    clip = (0.0, 0.0, layout.width_mm, layout.footer_y_mm)
    mc.draw(stroke("\n".join(paths), TRACE_RGB, TRACE_WIDTH_MM), origin, clip)

    for panel in layout.panels:
        x, y = block.on_sheet(panel.label_x_mm, panel.label_y_mm + LABEL_BASELINE_MM)
        mc.text(x, y, panel.label, fonts.bold, LABEL_PT)

    caps = block_captions(record, plan, block, filters, bool(dict(paper_gains(plan))))
    baseline = block.y_mm + layout.footer_y_mm + 4.0
    left = block.x_mm + 1.0
    right = block.x_mm + layout.width_mm - 1.0
    span_w = 45.0
    mc.text(right, baseline, caps.span, fonts.regular, CAPTION_PT, CAPTION_RGB, align="right")
    scale_w = min(layout.width_mm * 0.55, layout.width_mm - span_w - 4)
    scale = fit_text(caps.scale, fonts.regular, CAPTION_PT, scale_w)
    mc.text(left, baseline, scale, fonts.regular, CAPTION_PT, CAPTION_RGB)
    if caps.note:
        from ecgviewer.report.fonts import text_width_mm

        used = text_width_mm(scale, fonts.regular, CAPTION_PT) + 5
        room = layout.width_mm - used - span_w - 4
        if room > 20:
            note = fit_text(caps.note, fonts.bold, CAPTION_PT, room)
            mc.text(left + used, baseline, note, fonts.bold, CAPTION_PT, CAPTION_RGB)
        else:  # narrow page: the note goes on its own line under the grid
            note = fit_text(caps.note, fonts.bold, CAPTION_PT, layout.width_mm - 2)
            mc.text(left, baseline + 3.2, note, fonts.bold, CAPTION_PT, CAPTION_RGB)


def paper_gains(plan: EcgPlan) -> dict[str, float]:
    """Per-lead gains that differ from the page gain (printed at their lead labels)."""
    return {
        p.lead: p.gain_mm_per_mv
        for p in plan.layout.panels
        if p.gain_mm_per_mv != plan.paper.gain_mm_per_mv
    }
