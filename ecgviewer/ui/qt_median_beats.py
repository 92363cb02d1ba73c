"""``QtMedianBeats``: the 12 median beats of the dominant beats on small true-ratio ECG paper.

Draws a :class:`~ecgviewer.controllers.measurements_view.MedianSheet` (25 mm/s, 10 mm/mV, 3×4,
standard lead order) on the viewer's own paper grid, with dashed lines at P on, QRS on, QRS off
and T off, as the PDF report prints them. The aspect ratio is locked: 1 mm across is 1 mm up.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QPen
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ecgviewer.controllers.measurements_view import MedianSheet, median_sheet
from ecgviewer.dsp.measure import Measurements
from ecgviewer.ui.qt_ecg_page import TRACE_COLOUR
from ecgviewer.ui.qt_paper_grid import PAPER_COLOUR, QtPaperGrid

DASH_COLOUR = QColor(60, 60, 160)


def _pen(colour: QColor, dashed: bool = False) -> QPen:
    pen = QPen(colour, 1.0)
    pen.setCosmetic(True)
    if dashed:
        pen.setStyle(Qt.PenStyle.DashLine)
    return pen


class QtMedianBeats(QWidget):
    """A small plot of the median beats, or a line saying why there are none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._plot = pg.GraphicsLayoutWidget(self)
        self._plot.setBackground(PAPER_COLOUR)
        self._vb = self._plot.addViewBox()
        self._vb.setAspectLocked(True, 1.0)
        self._vb.invertY(True)
        self._vb.setMouseEnabled(False, False)
        self._vb.setMenuEnabled(False)
        self._grid = QtPaperGrid()
        self._vb.addItem(self._grid)
        self._items: list[pg.GraphicsObject] = []
        self._curves: list[pg.PlotCurveItem] = []
        self._sheet: MedianSheet | None = None
        self._message = QLabel("No median beats yet.", self)
        self._message.setWordWrap(True)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self._message)
        column.addWidget(self._plot, 1)
        self.setMinimumHeight(160)

    @property
    def curves(self) -> tuple[pg.PlotCurveItem, ...]:
        """One curve per lead's median beat."""
        return tuple(self._curves)

    @property
    def sheet(self) -> MedianSheet | None:
        return self._sheet

    @property
    def message(self) -> str:
        return str(self._message.text())

    def clear(self, message: str = "No median beats yet.") -> None:
        for item in self._items:
            self._vb.removeItem(item)
        self._items.clear()
        self._curves.clear()
        self._sheet = None
        self._message.setText(message)
        self._message.setVisible(True)

    def set_measurements(self, m: Measurements) -> None:
        sheet = median_sheet(m)
        if sheet is None:
            self.clear("No median beats: too few beats could be delineated.")
            return
        self.clear("")
        self._message.setVisible(False)
        self._sheet = sheet
        self._grid.set_page(sheet.width_mm, sheet.height_mm)
        trace = _pen(TRACE_COLOUR)
        dash = _pen(DASH_COLOUR, dashed=True)
        font = QFont()
        font.setPointSizeF(8.0)
        font.setBold(True)
        for cell in sheet.cells:
            curve = pg.PlotCurveItem(cell.x_mm, cell.y_mm, pen=trace, antialias=True)
            self._add(curve)
            self._curves.append(curve)
            label = pg.TextItem(cell.lead, color=TRACE_COLOUR, anchor=(0, 0))
            label.setFont(font)
            label.setPos(cell.label_x_mm, cell.label_y_mm)
            self._add(label)
        if sheet.lines:
            xs = [v for _, x, _, _ in sheet.lines for v in (x, x)]
            ys = [v for _, _, top, bottom in sheet.lines for v in (top, bottom)]
            self._add(pg.PlotCurveItem(xs, ys, pen=dash, connect="pairs"))
        self._vb.setRange(xRange=(0.0, sheet.width_mm), yRange=(0.0, sheet.height_mm), padding=0.02)

    def _add(self, item: pg.GraphicsObject) -> None:
        self._vb.addItem(item)
        self._items.append(item)
