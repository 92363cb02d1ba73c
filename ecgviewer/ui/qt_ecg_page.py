"""``QtEcgPage``: one printed ECG page (paper, calibration pulses, traces, labels) in mm.

It draws what :class:`~ecgviewer.controllers.layout.PageLayout` and
:func:`~ecgviewer.controllers.traces.page_traces` computed and decides nothing itself. The
grid is kept between pages (it caches its paths); everything else is rebuilt when the page
changes, which happens on a new record, paper or time window, never on a repaint.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QColor, QFont, QPen

from ecgviewer.controllers.layout import SEPARATOR_HALF_MM, PageLayout
from ecgviewer.controllers.paper import PaperSpec, calibration_pulse
from ecgviewer.controllers.traces import Trace, page_traces
from ecgviewer.io.record import Record
from ecgviewer.ui.qt_paper_grid import QtPaperGrid

TRACE_COLOUR = QColor(0, 0, 0)
LABEL_COLOUR = QColor(0, 0, 0)
FOOTER_COLOUR = QColor(90, 60, 60)
TRACE_WIDTH_PX = 1.3


def _pen(colour: QColor, width_px: float) -> QPen:
    pen = QPen(colour, width_px)
    pen.setCosmetic(True)
    return pen


def _text(
    text: str, x_mm: float, y_mm: float, colour: QColor, size_pt: float, bold: bool
) -> pg.TextItem:
    item = pg.TextItem(text, color=colour, anchor=(0, 0))
    font = QFont()
    font.setPointSizeF(size_pt)
    font.setBold(bold)
    item.setFont(font)
    item.setPos(x_mm, y_mm)
    return item


class QtEcgPage(pg.ItemGroup):
    """The page as a group of child items; call :meth:`set_page` to show a record on it."""

    def __init__(self) -> None:
        super().__init__()
        self._grid = QtPaperGrid(self)
        self._content = pg.ItemGroup(self)
        self._traces: tuple[Trace, ...] = ()
        self._curves: tuple[pg.PlotCurveItem, ...] = ()
        self._labels: tuple[pg.TextItem, ...] = ()
        self._calibration: pg.PlotCurveItem | None = None

    @property
    def grid(self) -> QtPaperGrid:
        return self._grid

    @property
    def traces(self) -> tuple[Trace, ...]:
        """The data of each panel, in layout order (what the curves were built from)."""
        return self._traces

    @property
    def curves(self) -> tuple[pg.PlotCurveItem, ...]:
        """One curve per panel, parallel to :attr:`traces`."""
        return self._curves

    @property
    def labels(self) -> tuple[pg.TextItem, ...]:
        return self._labels

    @property
    def calibration_curve(self) -> pg.PlotCurveItem | None:
        return self._calibration

    def set_page(self, record: Record | None, layout: PageLayout, paper: PaperSpec) -> None:
        """Replace the page's content with ``record`` laid out as ``layout`` on ``paper``."""
        self._grid.set_page(layout.width_mm, layout.height_mm, paper)
        self._clear()
        if record is None:
            return
        self._traces = page_traces(record, layout, paper)
        trace_pen = _pen(TRACE_COLOUR, TRACE_WIDTH_PX)
        # connect="finite": NaN samples (missing signal) stay blank instead of being bridged.
        self._curves = tuple(
            pg.PlotCurveItem(
                t.x_mm,
                t.y_mm,
                pen=trace_pen,
                connect="finite",
                antialias=True,
                parent=self._content,
            )
            for t in self._traces
        )
        self._calibration = self._calibration_item(layout, paper, trace_pen)
        self._separator_item(layout, trace_pen)
        labels = [
            _text(p.lead, p.label_x_mm, p.label_y_mm, LABEL_COLOUR, 10.0, True)
            for p in layout.panels
        ]
        stop_s = layout.start_s + layout.page_duration_s
        footer = (
            f"{paper.speed_mm_per_s:g} mm/s   {paper.gain_mm_per_mv:g} mm/mV   "
            f"{record.record_name}   {layout.start_s:g}–{stop_s:g} s"
        )
        labels.append(
            _text(footer, paper.calibration_block_mm, layout.footer_y_mm, FOOTER_COLOUR, 8.0, False)
        )
        for label in labels:
            label.setParentItem(self._content)
        self._labels = tuple(labels)

    def _calibration_item(
        self, layout: PageLayout, paper: PaperSpec, pen: QPen
    ) -> pg.PlotCurveItem:
        xs: list[float] = []
        ys: list[float] = []
        for mark in layout.calibrations:
            x, y = calibration_pulse(mark.x_mm, mark.baseline_y_mm, paper)
            xs += [*x, np.nan]
            ys += [*y, np.nan]
        return pg.PlotCurveItem(
            np.array(xs), np.array(ys), pen=pen, connect="finite", parent=self._content
        )

    def _separator_item(self, layout: PageLayout, pen: QPen) -> None:
        if not layout.separators:
            return
        half = SEPARATOR_HALF_MM
        xs = np.repeat([x for x, _ in layout.separators], 2)
        ys = np.array([[y - half, y + half] for _, y in layout.separators]).ravel()
        pg.PlotCurveItem(xs, ys, pen=pen, connect="pairs", parent=self._content)

    def _clear(self) -> None:
        # Dropping the old group (and every item in it) is cheaper and safer than tracking each.
        old = self._content
        old.setParentItem(None)
        scene = old.scene()
        if scene is not None:
            scene.removeItem(old)
        self._content = pg.ItemGroup(self)
        self._traces, self._curves, self._labels = (), (), ()
        self._calibration = None
