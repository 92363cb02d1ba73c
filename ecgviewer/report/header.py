"""The words around the ECG: the page 1 header, the header of later sheets, the footer.

Page 1: the title and review status, then three columns (patient and recording | measurement
table | AI summary) on a wide sheet, or two columns and an AI band underneath on a narrow one.
"""

from __future__ import annotations

from ecgviewer.controllers.display_filters import filter_caption
from ecgviewer.io.record import Record
from ecgviewer.report import content
from ecgviewer.report.fonts import Fonts, fit_text, text_width_mm
from ecgviewer.report.geometry import MARGIN_TOP_MM, EcgPlan, Sheet
from ecgviewer.report.measured import MeasurementLine
from ecgviewer.report.options import ReportItem, ReportOptions
from ecgviewer.report.vector import RGB, MmCanvas, segments_ops, stroke

BLACK: RGB = (0.0, 0.0, 0.0)
GREY: RGB = (0.35, 0.35, 0.35)
RULE: RGB = (0.55, 0.55, 0.55)
ALERT: RGB = (0.65, 0.05, 0.05)
#: Line pitch of the header's columns.
LINE_MM = 3.45
SIDE_MM = 6.0


def report_title(record: Record, options: ReportOptions) -> str:
    """The options' title, else "12-lead ECG" or "ECG, 2 leads" from what the record holds."""
    if options.title:
        return options.title
    return "12-lead ECG" if record.has_standard_12 else f"ECG, {record.n_leads} leads"


def _rule(mc: MmCanvas, x0: float, x1: float, y: float, width_mm: float = 0.2) -> None:
    mc.draw(stroke(segments_ops([(x0, y, x1, y)]), RULE, width_mm))


def draw_header(
    mc: MmCanvas,
    fonts: Fonts,
    item: ReportItem,
    plan: EcgPlan,
    lines: tuple[MeasurementLine, ...],
    options: ReportOptions,
) -> None:
    """Title and status, then patient/recording | measurements | AI summary."""
    f, record = fonts, item.record
    x0, w = plan.frame_x_mm, plan.frame_width_mm
    top = MARGIN_TOP_MM
    title = f"{report_title(record, options)}   ·   {record.record_name}"
    mc.text(x0, top + 4.2, fit_text(title, f.bold, 11, w * 0.6), f.bold, 11)
    status = "Unconfirmed report" if not item.reviews else content.reviewers(item.reviews)
    colour = ALERT if not item.reviews else GREY
    mc.text(
        x0 + w,
        top + 4.2,
        fit_text(status, f.bold, 8.5, w * 0.38),
        f.bold,
        8.5,
        colour,
        align="right",
    )
    _rule(mc, x0, x0 + w, top + 6.0)
    y0 = top + 6.0 + LINE_MM
    if plan.wide_header:
        c1, c2 = w * 0.37, w * 0.30
        _patient_column(mc, f, item, plan, options, x0, y0, c1)
        _measurement_column(mc, f, lines, x0 + c1, y0, c2)
        _ai_column(mc, f, item, x0 + c1 + c2, y0, w - c1 - c2)
    else:
        c1 = w * 0.55
        _patient_column(mc, f, item, plan, options, x0, y0, c1)
        _measurement_column(mc, f, lines, x0 + c1, y0, w - c1)
        _ai_band(mc, f, item, x0, y0 + 6 * LINE_MM + 1.0, w)


def _patient_column(
    mc: MmCanvas,
    f: Fonts,
    item: ReportItem,
    plan: EcgPlan,
    options: ReportOptions,
    x: float,
    y0: float,
    width: float,
) -> None:
    record = item.record
    rows = content.patient_lines(record)
    scale = f"{plan.paper.speed_mm_per_s:g} mm/s   ·   {plan.paper.gain_mm_per_mv:g} mm/mV"
    rows.append(("Display", f"{scale}   ·   {filter_caption(options.filters, record.fs_hz)}"))
    rows.append(("File", record.source_path or "—"))
    label_w = 13.5
    for k, (label, value) in enumerate(rows):
        y = y0 + k * LINE_MM
        mc.text(x, y, label, f.bold, 7.5)
        value = fit_text(value, f.regular, 7.5, width - label_w - 3, middle=label == "File")
        mc.text(x + label_w, y, value, f.regular, 7.5)


def _measurement_column(
    mc: MmCanvas, f: Fonts, lines: tuple[MeasurementLine, ...], x: float, y0: float, width: float
) -> None:
    by_key = {ln.key: ln for ln in lines}

    def entry(key: str, xl: float, y: float) -> float:
        ln = by_key[key]
        mc.text(xl, y, ln.label, f.bold, 8)
        xv = xl + max(8.0, text_width_mm(ln.label, f.bold, 8) + 1.8)
        mc.text(xv, y, ln.value, f.regular, 8)
        return xv + text_width_mm(ln.value, f.regular, 8)

    half = width * 0.42
    for k, pair in enumerate((("hr_bpm", "qrs_ms"), ("rr_ms", "qt_ms"), ("pr_ms", "axes"))):
        for j, key in enumerate(pair):
            entry(key, x + j * half, y0 + k * LINE_MM)
    for k, key in enumerate(("qtc_bazett_ms", "qtc_fridericia_ms")):
        y = y0 + (3 + k) * LINE_MM
        end = max(entry(key, x, y), x + 21.0)
        formula = fit_text(by_key[key].formula, f.regular, 7, x + width - end - 3)
        mc.text(end + 2.0, y, formula, f.regular, 7, GREY)
    if any(not ln.known for ln in lines):
        note = fit_text("— not measured: the reasons are in the notes", f.regular, 6.8, width - 3)
        mc.text(x, y0 + 5 * LINE_MM, note, f.regular, 6.8, GREY)


def _ai_column(mc: MmCanvas, f: Fonts, item: ReportItem, x: float, y0: float, width: float) -> None:
    mc.text(x, y0, "AI findings", f.bold, 8)
    summary = content.ai_summary(item.result, item.reviews)
    for k, (text, strong) in enumerate(summary[:4], start=1):
        font = f.bold if strong else f.regular
        colour = ALERT if strong else BLACK
        mc.text(x, y0 + k * LINE_MM, fit_text(text, font, 7.5, width), font, 7.5, colour)
    statement = fit_text(content.CONFIRMATION_SHORT, f.bold, 7.5, width)
    mc.text(x, y0 + 5 * LINE_MM, statement, f.bold, 7.5)


def _ai_band(mc: MmCanvas, f: Fonts, item: ReportItem, x: float, y0: float, width: float) -> None:
    _rule(mc, x, x + width, y0 - 2.6, 0.1)
    mc.text(x, y0, "AI findings", f.bold, 8)
    summary = content.ai_summary(item.result, item.reviews, max_findings=2)
    inner = x + 20.0
    col_w = (x + width - inner) / 2
    for k, (text, strong) in enumerate(summary[:4]):
        font = f.bold if strong else f.regular
        xx, yy = inner + (k // 2) * col_w, y0 + (k % 2) * LINE_MM
        mc.text(xx, yy, fit_text(text, font, 7.5, col_w - 2), font, 7.5, ALERT if strong else BLACK)
    statement = fit_text(content.CONFIRMATION_SHORT, f.bold, 7.5, width - 20)
    mc.text(inner, y0 + 2 * LINE_MM, statement, f.bold, 7.5)


def draw_continued_header(
    mc: MmCanvas, fonts: Fonts, record: Record, sheet: Sheet, what: str
) -> None:
    """One line on later sheets: record, patient, acquisition, and what the sheet holds."""
    f = fonts
    x0, w = SIDE_MM, sheet.width_mm - 2 * SIDE_MM
    top = MARGIN_TOP_MM
    name = record.record_name
    mc.text(x0, top + 4.0, name, f.bold, 10)
    rest = "   ·   ".join(f"{k} {v}" for k, v in content.patient_lines(record)[:2])
    used = text_width_mm(name, f.bold, 10) + 5
    mc.text(x0 + used, top + 4.0, fit_text(rest, f.regular, 7.5, w * 0.62 - used), f.regular, 7.5)
    mc.text(x0 + w, top + 4.0, what, f.bold, 8.5, align="right")
    _rule(mc, x0, x0 + w, top + 6.0)


def draw_footer(mc: MmCanvas, fonts: Fonts, sheet: Sheet, left: str, right: str) -> None:
    """The small print at the bottom of every sheet."""
    y = sheet.height_mm - 4.0
    mc.text(SIDE_MM, y, left, fonts.regular, 6.5, GREY)
    mc.text(sheet.width_mm - SIDE_MM, y, right, fonts.regular, 6.5, GREY, align="right")
