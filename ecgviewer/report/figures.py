"""Sheet 2's figures: the median beats and the restoration heat map, and where text may go.

:func:`plan_figures` decides everything (positions, the binned heat map, the sentences that
stand in for a missing figure) into a frozen :class:`Figures`; :meth:`Figures.draw` only draws.
On a wide sheet the heat map sits beside the median beats, on a narrow one under them; the text
(AI findings, review, notes) flows into the :attr:`Figures.boxes` left free.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ecgviewer.controllers.decimate import minmax_decimate
from ecgviewer.controllers.paper import PaperSpec
from ecgviewer.report.ecg_page import CAPTION_RGB
from ecgviewer.report.fonts import Fonts, text_width_mm
from ecgviewer.report.geometry import CONTINUED_HEADER_MM, MARGIN_TOP_MM, EcgPlan, Sheet
from ecgviewer.report.header import BLACK, SIDE_MM
from ecgviewer.report.heatmap import (
    LABEL_COLUMN_MM,
    HeatMap,
    draw_heat_map,
    heat_map,
    heat_map_height_mm,
    strip_for_height,
)
from ecgviewer.report.measured import MedianView, median_view
from ecgviewer.report.medians import MedianLayout, draw_medians, median_caption, median_layout
from ecgviewer.report.options import ReportItem, ReportOptions
from ecgviewer.report.story import Box
from ecgviewer.report.vector import PT_PER_MM, RGB, MmCanvas

#: Narrower than this (mm) beside the median beats, text goes under them instead.
MIN_SIDE_TEXT_MM = 70.0
#: The heat map goes beside the median beats only with this much room.
MIN_SIDE_HEAT_MM = 120.0
GAP_MM = 6.0
_TITLE_PT = 9.5


@dataclass(frozen=True, slots=True)
class Label:
    x_mm: float
    y_mm: float
    text: str
    bold: bool = False
    size_pt: float = 8.0
    rgb: RGB = BLACK


@dataclass(frozen=True, slots=True)
class Figures:
    """What sheet 2 draws, and the boxes left for text."""

    labels: tuple[Label, ...]
    medians: tuple[MedianView, MedianLayout, tuple[float, float]] | None
    heat: tuple[HeatMap, tuple[float, float], float, dict[str, Any], float] | None
    boxes: tuple[Box, ...]
    paper: PaperSpec

    def draw(self, mc: MmCanvas, fonts: Fonts) -> None:
        for lab in self.labels:
            font = fonts.bold if lab.bold else fonts.regular
            mc.text(lab.x_mm, lab.y_mm, lab.text, font, lab.size_pt, lab.rgb)
        if self.medians is not None:
            view, layout, origin = self.medians
            draw_medians(mc, view, layout, origin, self.paper, fonts)
        if self.heat is not None:
            hm, origin, width, traces, strip = self.heat
            draw_heat_map(mc, hm, origin, width, fonts, traces, strip)


def _overlay_traces(
    item: ReportItem, leads: tuple[str, ...], plan: EcgPlan, width_mm: float
) -> dict[str, Any]:
    """Each lead over the heat map's window, thinned to 4 min/max pairs per mm: the overlay
    shows where the error is, it is not the ECG (page 1 has every sample)."""
    rec = item.record
    a = int(plan.page_start_s * rec.fs_hz)
    b = min(rec.n_samples, int((plan.page_start_s + plan.page_duration_s) * rec.fs_hz))
    out = {}
    for lead in leads:
        index, mv = minmax_decimate(rec.samples[rec.lead_index(lead), a:b], int(width_mm * 4))
        out[lead] = ((a + index) / rec.fs_hz, mv)
    return out


def plan_figures(
    item: ReportItem, plan: EcgPlan, options: ReportOptions, sheet: Sheet, fonts: Fonts
) -> Figures:
    """Lay out sheet 2 for ``item``."""
    from reportlab.lib.utils import simpleSplit

    x0, full_w = SIDE_MM, sheet.width_mm - 2 * SIDE_MM
    y = MARGIN_TOP_MM + CONTINUED_HEADER_MM
    labels: list[Label] = []
    medians = None
    med_w, left_bottom = 0.0, y
    if options.median_beats:
        labels.append(Label(x0, y + 3.5, "Median beats", True, _TITLE_PT))
        view, reason = median_view(item.measurements)
        if view is not None:
            ml = median_layout(view, plan.paper)
            top = y + 5.5
            medians = (view, ml, (x0, top))
            med_w = ml.width_mm
            caption = median_caption(view, plan.paper)
            lines = simpleSplit(caption, fonts.regular, 7, max(med_w, 100) * PT_PER_MM)
            for k, line in enumerate(lines):
                labels.append(
                    Label(x0, top + ml.height_mm + 3.4 + 3.0 * k, line, False, 7, CAPTION_RGB)
                )
            left_bottom = top + ml.height_mm + 1.5 + 3.0 * len(lines)
        else:
            labels.append(Label(x0, y + 8.0, reason))
            med_w = min(full_w, text_width_mm(reason, fonts.regular, 8))
            left_bottom = y + 10.0

    side_w = full_w - med_w - GAP_MM
    bottom = left_bottom
    heat = None
    if options.heat_maps:
        title_y = left_bottom + 5.0
        if item.restoration_error is None:
            why = (
                "No restoration heat map: no anomaly model is bundled in this version."
                if item.result.anomaly is None
                else "No restoration heat map was supplied for this recording."
            )
            labels.append(Label(x0, title_y, "Restoration heat map", True, _TITLE_PT))
            labels.append(Label(x0, title_y + 4.5, why))
            bottom = title_y + 6.5
        else:
            n = item.record.n_leads
            beside = med_w > 0 and side_w >= MIN_SIDE_HEAT_MM
            hx, hw = (x0 + med_w + GAP_MM, side_w) if beside else (x0, full_w)
            hy = y if beside else title_y - 3.5
            strip = strip_for_height(n, left_bottom - y - 5.5) if beside else 5.0
            rec = item.record
            hm = heat_map(
                item.restoration_error,
                rec.lead_names,
                rec.fs_hz,
                plan.page_start_s,
                plan.page_duration_s,
                n_bins=int((hw - LABEL_COLUMN_MM) / 0.5),
            )
            speed = (hw - LABEL_COLUMN_MM) / max(plan.page_duration_s, 1e-9)
            title = (
                f"Restoration heat map   ·   {plan.page_duration_s:.1f} s at {speed:.3g} mm/s, "
                "traces not to scale"
            )
            labels.append(Label(hx, hy + 3.5, title, True, 9.0))
            heat = (hm, (hx, hy + 5.5), hw, _overlay_traces(item, hm.leads, plan, hw), strip)
            heat_bottom = hy + 5.5 + heat_map_height_mm(n, strip)
            if beside:
                bottom, side_w = max(left_bottom, heat_bottom), 0.0
            else:
                bottom = heat_bottom

    boxes = []
    if side_w >= MIN_SIDE_TEXT_MM and med_w > 0:
        boxes.append(Box(x0 + med_w + GAP_MM, y, side_w, left_bottom - y))
    below = bottom + 4.0
    if sheet.bottom_mm - below > 15:
        boxes.append(Box(x0, below, full_w, sheet.bottom_mm - below))
    return Figures(tuple(labels), medians, heat, tuple(boxes), plan.paper)
