"""``write_report(path, items, options)``: the PDF, one record after another.

Per record: sheet 1 is the header (patient, recording, display settings, measurement table,
AI summary) over the 12-lead page at true scale; further ECG sheets only if the rows do not
fit; then the sheet with the median beats, the restoration heat map (or why there is none)
and the text (AI findings, review, notes, recording), continued on more sheets if needed.
An :class:`UnreadableRecord` gets one sheet saying why. The file is written beside its final
name and renamed when complete, so a failed run never leaves a half-written PDF.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

import ecgviewer
from ecgviewer.controllers.display_filters import FilteredBlocks
from ecgviewer.report.ecg_page import draw_ecg_block
from ecgviewer.report.figures import GAP_MM, MIN_SIDE_TEXT_MM, plan_figures
from ecgviewer.report.fonts import fit_text, register_fonts
from ecgviewer.report.geometry import CONTINUED_HEADER_MM, MARGIN_TOP_MM, Sheet, plan_ecg, sheet_for
from ecgviewer.report.header import (
    ALERT,
    GREY,
    SIDE_MM,
    draw_continued_header,
    draw_footer,
    draw_header,
    report_title,
)
from ecgviewer.report.measured import measurement_lines, measurement_notes
from ecgviewer.report.options import ReportItem, ReportOptions, UnreadableRecord
from ecgviewer.report.story import MAX_TEXT_PAGES, Box, build_story, draw_placed, flow
from ecgviewer.report.vector import PT_PER_MM, MmCanvas


@dataclass(frozen=True, slots=True)
class ReportSummary:
    """What was written."""

    path: Path
    pages: int
    records: int
    unreadable: int
    elapsed_s: float


class ReportWriter:
    """Writes a PDF record by record (a combined report never holds all records at once).

    Use as a context manager: ``with ReportWriter(path, options) as w: w.add(item)``. The PDF
    appears at ``path`` when the block ends without an exception.
    """

    def __init__(self, path: str | os.PathLike[str], options: ReportOptions | None = None):
        from reportlab.pdfgen.canvas import Canvas

        self.path = Path(path)
        self.options = options or ReportOptions()
        self.sheet = sheet_for(self.options.page_size, self.options.orientation)
        self.fonts = register_fonts()
        self._part = self.path.with_name(self.path.name + ".part")
        self._canvas = Canvas(
            str(self._part),
            pagesize=(self.sheet.width_mm * PT_PER_MM, self.sheet.height_mm * PT_PER_MM),
            pageCompression=1,
            initialFontName=self.fonts.regular,  # else Helvetica, never embedded, is declared
        )
        self._canvas.setCreator(f"ecgviewer {ecgviewer.__version__}")
        self._canvas.setAuthor("ecgviewer")
        self._printed = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
        self._t0 = time.perf_counter()
        self._names: list[str] = []
        self._titles: list[str] = []
        self.pages = 0
        self.unreadable = 0
        self.summary: ReportSummary | None = None

    # -- context -------------------------------------------------------------------------
    def __enter__(self) -> ReportWriter:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if kind is None:
            self.close()
        else:
            self._part.unlink(missing_ok=True)

    def close(self) -> ReportSummary:
        """Finish the PDF and move it to its path."""
        c = self._canvas
        if self.pages == 0:
            self._unreadable_page(UnreadableRecord("—", "empty", "No recording was given."))
        names = self._names
        c.setTitle(
            f"{self._titles[0]}: {names[0]}"
            if len(names) == 1
            else f"ECG reports: {len(names)} recordings"
        )
        c.save()
        os.replace(self._part, self.path)
        self.summary = ReportSummary(
            self.path, self.pages, len(names), self.unreadable, time.perf_counter() - self._t0
        )
        return self.summary

    # -- records -------------------------------------------------------------------------
    def add(self, item: ReportItem | UnreadableRecord) -> int:
        """Append one record's sheets; returns how many were added."""
        before = self.pages
        if isinstance(item, UnreadableRecord):
            self._unreadable_page(item)
        else:
            self._record_pages(item)
        return self.pages - before

    def _new_page(self, outline: str | None = None) -> MmCanvas:
        """A fresh sheet; ``outline`` names it in the PDF's bookmarks (a record's first sheet)."""
        if outline is not None:
            key = f"sheet{self.pages}"
            self._canvas.bookmarkPage(key)
            self._canvas.addOutlineEntry(outline, key, level=0)
        return MmCanvas(self._canvas, self.sheet.width_mm, self.sheet.height_mm)

    def _end_page(self, mc: MmCanvas, name: str, page: int, total: int) -> None:
        left = (
            f"ecgviewer {ecgviewer.__version__}   ·   printed {self._printed}   ·   "
            "true scale only when printed at 100 % (no 'fit to page')"
        )
        draw_footer(mc, self.fonts, self.sheet, left, f"{name}   ·   page {page} of {total}")
        self._canvas.showPage()
        self.pages += 1

    def _unreadable_page(self, item: UnreadableRecord) -> None:
        name = Path(item.path).name or item.path
        mc, f = self._new_page(f"{name} (could not be opened)"), self.fonts
        x = 12.0
        width = self.sheet.width_mm - 24.0
        self._names.append(name)
        self._titles.append("Unreadable recording")
        self.unreadable += 1
        mc.text(x, MARGIN_TOP_MM + 8, "Recording could not be opened", f.bold, 14, ALERT)
        mc.text(x, MARGIN_TOP_MM + 16, fit_text(item.path, f.regular, 9, width), f.regular, 9)
        y = MARGIN_TOP_MM + 26
        from reportlab.lib.utils import simpleSplit

        for line in simpleSplit(item.message, f.regular, 11, width * PT_PER_MM):
            mc.text(x, y, line, f.regular, 11)
            y += 5.0
        mc.text(
            x,
            y + 4,
            f"Problem: {item.kind.replace('_', ' ')}. No ECG from this file is "
            "shown; nothing was measured or analysed.",
            f.regular,
            9,
            GREY,
        )
        self._end_page(mc, name, 1, 1)

    def _record_pages(self, item: ReportItem) -> None:
        record, opts = item.record, self.options
        plan = plan_ecg(record.lead_names, record.duration_s, opts)
        lines = measurement_lines(item.result, item.measurements)
        story = build_story(item, lines, measurement_notes(item.measurements), self.fonts)
        self._names.append(record.record_name)
        self._titles.append(report_title(record, opts))

        # Page 2 figure area first: it decides where the text may flow.
        figures = plan_figures(item, plan, opts, self.sheet, self.fonts)
        n_ecg = len(plan.blocks)
        first: list[tuple[int, Box]] = []
        if n_ecg == 1:  # room beside (slow paper) or under (portrait) the ECG: text starts there
            block = plan.blocks[0]
            side_x = block.x_mm + block.layout.width_mm + GAP_MM
            side_w = plan.frame_x_mm + plan.frame_width_mm - side_x
            if side_w >= MIN_SIDE_TEXT_MM:
                first.append((0, Box(side_x, block.y_mm, side_w, block.layout.height_mm)))
            below = block.y_mm + block.layout.height_mm + 8.0
            if self.sheet.bottom_mm - below >= 30.0:
                box = Box(plan.frame_x_mm, below, plan.frame_width_mm, self.sheet.bottom_mm - below)
                first.append((0, box))
        first += [(n_ecg, box) for box in figures.boxes]
        sheets = flow(story, _text_boxes(first, self.sheet, n_ecg))
        last_text = sheets[-1][0] if sheets else n_ecg
        total = max(last_text, n_ecg) + 1
        cache = FilteredBlocks()
        placed = dict(sheets)

        for i, block in enumerate(plan.blocks):
            mc = self._new_page(None if i else record.record_name)
            if i == 0:
                draw_header(mc, self.fonts, item, plan, lines, opts)
            else:
                draw_continued_header(mc, self.fonts, record, self.sheet, "ECG continued")
            draw_ecg_block(mc, record, plan, block, self.fonts, opts.filters, cache)
            draw_placed(self._canvas, self.sheet.height_mm, placed.get(i, []))
            self._end_page(mc, record.record_name, i + 1, total)

        for sheet_index in range(n_ecg, total):
            mc = self._new_page()
            what = "Median beats, AI findings and review" if sheet_index == n_ecg else "continued"
            draw_continued_header(mc, self.fonts, record, self.sheet, what)
            if sheet_index == n_ecg:
                figures.draw(mc, self.fonts)
            draw_placed(self._canvas, self.sheet.height_mm, placed.get(sheet_index, []))
            self._end_page(mc, record.record_name, sheet_index + 1, total)


def _text_boxes(
    first: list[tuple[int, Box]], sheet: Sheet, first_index: int
) -> Iterator[tuple[int, Box]]:
    yield from first
    top = MARGIN_TOP_MM + CONTINUED_HEADER_MM
    full = Box(SIDE_MM, top, sheet.width_mm - 2 * SIDE_MM, sheet.bottom_mm - top)
    for k in range(1, MAX_TEXT_PAGES + 1):
        yield first_index + k, full


def write_report(
    path: str | os.PathLike[str],
    items: Iterable[ReportItem | UnreadableRecord],
    options: ReportOptions | None = None,
) -> ReportSummary:
    """Write one PDF holding every item, in order.

    Parameters
    ----------
    path
        The PDF to write (replaced if it exists, only once complete).
    items
        :class:`ReportItem` per recording (or :class:`UnreadableRecord` for one that could not
        be opened); consumed one at a time, so a generator keeps memory flat.
    options
        Paper size, orientation, speed, gain, filters; :class:`ReportOptions` defaults.

    Returns
    -------
    ReportSummary
        Path, pages, records, unreadable records and the time taken.
    """
    with ReportWriter(path, options) as writer:
        for item in items:
            writer.add(item)
    assert writer.summary is not None
    return writer.summary
