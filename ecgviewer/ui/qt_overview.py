"""``QtOverview``: the whole record in a strip, the page as a draggable region, a scrollbar.

The strip is the min/max envelope of the rhythm lead
(:func:`~ecgviewer.controllers.navigation.overview_envelope`), computed once per record.
Dragging the region, clicking in the strip or moving the scrollbar asks for a new page start
through :attr:`QtOverview.startRequested`; the window decides, and :meth:`QtOverview.set_state`
shows the result (with signals blocked, so nothing echoes back).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QScrollBar, QVBoxLayout, QWidget

from ecgviewer.controllers.layout import resolve_lead
from ecgviewer.controllers.navigation import Overview, format_time, overview_envelope
from ecgviewer.controllers.viewer import ViewerState
from ecgviewer.io.record import Record

#: Scrollbar resolution (the scrollbar works in integers).
UNITS_PER_S = 10
STRIP_HEIGHT_PX = 64


class _TimeAxis(pg.AxisItem):
    def __init__(self) -> None:
        super().__init__("bottom")
        self.total_s = 0.0

    def tickStrings(self, values: Sequence[float], scale: float, spacing: float) -> list[str]:
        return [format_time(v, self.total_s).removesuffix(".0") for v in values]


class QtOverview(QWidget):
    """Overview strip and scrollbar under the paper; hidden when the record fits on one page."""

    startRequested = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # A bare view box and axis, not a PlotWidget: its PlotItem brings parentless menus and
        # buttons that outlive the window and crash PySide at interpreter exit.
        self._plot = pg.GraphicsView(background="w")
        self._plot.setFixedHeight(STRIP_HEIGHT_PX)
        layout_item = pg.GraphicsLayout()
        layout_item.setContentsMargins(2, 2, 2, 0)
        self._vb = pg.ViewBox(enableMenu=False)
        self._vb.setMouseEnabled(x=False, y=False)
        self._axis = _TimeAxis()
        self._axis.linkToView(self._vb)
        layout_item.addItem(self._vb, row=0, col=0)
        layout_item.addItem(self._axis, row=1, col=0)
        self._plot.setCentralItem(layout_item)
        self._curve = pg.PlotCurveItem(pen=pg.mkPen(70, 70, 70, width=1))
        self._vb.addItem(self._curve)
        # Edges two pixels wide: 10 s of a 24 h record is narrower than a pixel, yet must show.
        self._region = pg.LinearRegionItem(
            brush=(0, 90, 200, 70), pen=pg.mkPen(0, 90, 200, width=2)
        )
        for line in self._region.lines:
            line.setMovable(False)  # the page width is the paper's, only its place moves
        self._vb.addItem(self._region)
        self._region.sigRegionChanged.connect(self._on_region)
        self._plot.scene().sigMouseClicked.connect(self._on_click)
        self._scroll = QScrollBar(Qt.Orientation.Horizontal, self)
        self._scroll.valueChanged.connect(self._on_scroll)
        self._label = QLabel(self)
        self._label.setMinimumWidth(160)
        self._label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        row = QHBoxLayout()
        row.addWidget(self._scroll, 1)
        row.addWidget(self._label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 2)
        layout.setSpacing(2)
        layout.addWidget(self._plot)
        layout.addLayout(row)
        self._record: Record | None = None
        self._overview: Overview | None = None
        self._page_s = 10.0
        self.setVisible(False)

    @property
    def overview(self) -> Overview | None:
        return self._overview

    @property
    def region(self) -> pg.LinearRegionItem:
        return self._region

    @property
    def scrollbar(self) -> QScrollBar:
        return self._scroll

    @property
    def plot(self) -> pg.GraphicsView:
        return self._plot

    @property
    def view_box(self) -> pg.ViewBox:
        return self._vb

    def set_state(self, state: ViewerState) -> None:
        record = state.record
        if record is not self._record:
            self._record = record
            self._set_record(record, state)
        self._page_s = state.page_duration_s
        if record is None:
            self.setVisible(False)
            return
        total = record.duration_s
        self.setVisible(total > self._page_s + 1e-6)
        start, stop = state.start_s, state.start_s + self._page_s
        self._region.blockSignals(True)
        self._region.setRegion((start, stop))
        self._region.blockSignals(False)
        self._scroll.blockSignals(True)
        self._scroll.setRange(0, math.ceil((total - self._page_s) * UNITS_PER_S))
        self._scroll.setPageStep(max(1, round(self._page_s * UNITS_PER_S)))
        self._scroll.setSingleStep(max(1, round(self._page_s * UNITS_PER_S / 10)))
        self._scroll.setValue(round(start * UNITS_PER_S))
        self._scroll.blockSignals(False)
        self._label.setText(f"{format_time(start, total)} / {format_time(total, total)}")

    def _set_record(self, record: Record | None, state: ViewerState) -> None:
        if record is None:
            self._overview = None
            self._curve.setData([], [])
            return
        lead = resolve_lead(record.lead_names, state.rhythm_leads[0])
        self._overview = overview_envelope(record, lead)
        t, y = self._overview.polyline()
        self._curve.setData(t, y, connect="finite")
        self._axis.total_s = record.duration_s
        self._vb.setXRange(0.0, record.duration_s, padding=0.0)
        finite = y[np.isfinite(y)]
        if finite.size:
            lo, hi = float(finite.min()), float(finite.max())
            self._vb.setYRange(lo, hi if hi > lo else lo + 1.0, padding=0.05)

    def _on_region(self) -> None:
        start, _ = self._region.getRegion()
        self.startRequested.emit(float(start))

    def _on_scroll(self, value: int) -> None:
        self.startRequested.emit(value / UNITS_PER_S)

    def _on_click(self, event: object) -> None:
        if self._overview is None or event.button() != Qt.MouseButton.LeftButton:  # type: ignore[attr-defined]
            return
        vb = self._vb
        if not vb.sceneBoundingRect().contains(event.scenePos()):  # type: ignore[attr-defined]
            return
        at = vb.mapSceneToView(event.scenePos())  # type: ignore[attr-defined]
        self.startRequested.emit(float(at.x()) - self._page_s / 2)
