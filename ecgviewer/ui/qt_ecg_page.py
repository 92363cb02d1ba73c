"""``QtEcgPage``: one ECG page (paper, calibration pulses, traces, labels, marks) in paper mm.

It draws a :class:`~ecgviewer.controllers.page.Page` and decides nothing itself. :meth:`set_page`
compares the new page with the one shown: the static items (lead labels, calibration pulses,
separators, one curve per panel) are rebuilt only when the layout changed; scrolling only hands
new arrays to the existing curves and markers, which is what keeps a Holter smooth.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsPathItem

from ecgviewer.controllers.annotations import WAVES
from ecgviewer.controllers.calipers import CaliperShape
from ecgviewer.controllers.error_ranking import MarkBox
from ecgviewer.controllers.heatmap_view import N_LEVELS, HeatStrip, level_colour
from ecgviewer.controllers.layout import SEPARATOR_HALF_MM, PageLayout
from ecgviewer.controllers.measurements_view import FIDUCIALS, Fiducial
from ecgviewer.controllers.page import Page
from ecgviewer.controllers.paper import PaperSpec, calibration_pulse
from ecgviewer.controllers.traces import Trace
from ecgviewer.ui.qt_calipers import QtCalipers
from ecgviewer.ui.qt_markers import QtTextMarkers
from ecgviewer.ui.qt_paper_grid import QtPaperGrid

TRACE_COLOUR = QColor(0, 0, 0)
LABEL_COLOUR = QColor(0, 0, 0)
CAPTION_COLOUR = QColor(60, 30, 30)
#: Wave marks in colours that stand off the pink paper (no red: it would vanish in the grid).
WAVE_COLOURS = {"P": QColor(0, 90, 230), "QRS": QColor(120, 0, 160), "T": QColor(0, 140, 50)}
#: Measured fiducial ticks: the wave's colour, half transparent, so the trace stays on top.
FIDUCIAL_COLOURS: dict[Fiducial, QColor] = {
    name: QColor(c.red(), c.green(), c.blue(), 150)
    for name, c in (
        ("p_on", WAVE_COLOURS["P"]),
        ("p_off", WAVE_COLOURS["P"]),
        ("qrs_on", WAVE_COLOURS["QRS"]),
        ("qrs_off", WAVE_COLOURS["QRS"]),
        ("t_off", WAVE_COLOURS["T"]),
    )
}
#: The restored (expected normal) trace: blue, wider than the trace and drawn under it, so it
#: shows as a blue edge where the model expected what it saw and as its own line where not.
RESTORED_COLOUR = QColor(20, 110, 255, 170)
RESTORED_WIDTH_PX = 2.0
#: The highlight of a beat jumped to from the largest-error list.
MARK_COLOUR = QColor(20, 110, 255)
#: One device-independent pixel, antialiased: Qt draws 1 px antialiased lines ten times faster
#: than wider ones (0.8 ms against 11 ms for a 10 s two-lead page), which is what keeps a
#: Holter scrolling at screen rate; on a 96 dpi screen it is 0.26 mm, like a printed trace.
TRACE_WIDTH_PX = 1.0


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
    """The page as a group of child items; :meth:`set_page` shows a computed page."""

    def __init__(self) -> None:
        super().__init__()
        self._grid = QtPaperGrid(self)
        self._heat = pg.ItemGroup(self)  # over the grid, under the traces
        self._heat_count = 0
        self._heat_paths = [QGraphicsPathItem(self._heat) for _ in range(N_LEVELS)]
        for level, item in enumerate(self._heat_paths):
            r, g, b = level_colour(level)
            item.setBrush(QColor.fromRgbF(r, g, b, 0.85))
            item.setPen(Qt.PenStyle.NoPen)
        # Under the traces (the static group is always added after it), over the heat strips.
        self._restored = pg.PlotCurveItem(
            pen=_pen(RESTORED_COLOUR, RESTORED_WIDTH_PX), antialias=True, parent=self
        )
        self._marks = QGraphicsPathItem(self)
        mark_pen = _pen(MARK_COLOUR, 1.5)
        mark_pen.setStyle(Qt.PenStyle.DashLine)
        self._marks.setPen(mark_pen)
        self._marks.setBrush(QColor(MARK_COLOUR.red(), MARK_COLOUR.green(), MARK_COLOUR.blue(), 28))
        self._mark_label = _text("", 0, 0, MARK_COLOUR, 8.0, True)
        self._mark_label.setParentItem(self)
        self._mark_count = 0
        self._static = pg.ItemGroup(self)
        self._page: Page | None = None
        self._paper = PaperSpec()
        self._trace_pen = _pen(TRACE_COLOUR, TRACE_WIDTH_PX)
        self._curves: tuple[pg.PlotCurveItem, ...] = ()
        self._labels: tuple[pg.TextItem, ...] = ()
        self._calibration: pg.PlotCurveItem | None = None
        self._beats = QtTextMarkers(self)
        self._waves = {
            wave: pg.PlotCurveItem(pen=_pen(WAVE_COLOURS[wave], 1.5), connect="pairs", parent=self)
            for wave in WAVES
        }
        self._fiducials = {
            name: pg.PlotCurveItem(pen=_pen(FIDUCIAL_COLOURS[name], 1.0), parent=self)
            for name in FIDUCIALS
        }
        self._caption = _text("", 0, 0, CAPTION_COLOUR, 8.0, False)
        self._time = _text("", 0, 0, CAPTION_COLOUR, 8.0, False)
        self._time.setAnchor((1, 0))
        self._legend = _text("", 0, 0, CAPTION_COLOUR, 8.0, False)
        self._legend.setAnchor((0.5, 0))
        self._legend.setHtml(
            "Wave marks: "
            + " · ".join(
                f'<span style="color:{WAVE_COLOURS[w].name()}"><b>⊔</b> {w}</span>' for w in WAVES
            )
        )
        self._legend.setVisible(False)
        for item in (self._caption, self._time, self._legend):
            item.setParentItem(self)
        self._calipers = QtCalipers(self)
        #: How many times the static items were rebuilt (a test hook for the diffing).
        self.static_builds = 0

    # -- read access (tests, benchmarks) -------------------------------------------------------
    @property
    def grid(self) -> QtPaperGrid:
        return self._grid

    @property
    def shown(self) -> Page | None:
        return self._page

    @property
    def curves(self) -> tuple[pg.PlotCurveItem, ...]:
        """One curve per panel, in layout order."""
        return self._curves

    @property
    def labels(self) -> tuple[pg.TextItem, ...]:
        return self._labels

    @property
    def calibration_curve(self) -> pg.PlotCurveItem | None:
        return self._calibration

    @property
    def beat_markers(self) -> QtTextMarkers:
        return self._beats

    @property
    def wave_curves(self) -> dict[str, pg.PlotCurveItem]:
        return dict(self._waves)

    @property
    def fiducial_curves(self) -> dict[Fiducial, pg.PlotCurveItem]:
        """One segment-pairs curve per measured fiducial (empty when hidden or not measured)."""
        return dict(self._fiducials)

    @property
    def restored_curve(self) -> pg.PlotCurveItem:
        """The restored trace of every panel, one polyline with NaN between panels."""
        return self._restored

    @property
    def mark_boxes_shown(self) -> int:
        """How many highlight boxes are drawn (tests)."""
        return self._mark_count

    @property
    def caption_text(self) -> str:
        return str(self._caption.toPlainText())

    @property
    def time_text(self) -> str:
        return str(self._time.toPlainText())

    @property
    def wave_legend_shown(self) -> bool:
        return bool(self._legend.isVisible())

    @property
    def calipers(self) -> QtCalipers:
        return self._calipers

    # -- updates -------------------------------------------------------------------------------
    def set_page(self, page: Page, paper: PaperSpec) -> None:
        """Show ``page``, rebuilding static items only if its layout or paper changed."""
        old = self._page
        if old is None or old.layout != page.layout or paper != self._paper:
            self._paper = paper
            self._build_static(page.layout, paper)
        self._page = page
        for curve, trace in zip(self._curves, page.traces, strict=True):
            # connect="finite": NaN samples (missing signal) stay blank instead of being bridged.
            curve.setData(trace.x_mm, trace.y_mm, connect="finite")
        rect = self._rect()
        self._beats.set_markers(page.beat_labels, rect)
        ticks = {t.wave: t for t in page.wave_ticks}
        for wave, curve in self._waves.items():
            tick = ticks.get(wave)
            if tick is not None and tick.x_mm.size:
                curve.setData(tick.x_mm, tick.y_mm, connect="pairs")
            else:
                curve.setData([], [])
        self._legend.setVisible(any(t.x_mm.size for t in page.wave_ticks))
        measured = {t.fiducial: t for t in page.fiducial_ticks}
        for name, curve in self._fiducials.items():
            fid = measured.get(name)
            if fid is not None and fid.x_mm.size:
                curve.setData(fid.x_mm, fid.y_mm, connect="pairs")
            else:
                curve.setData([], [])
        self._set_heat(page.heat_strips)
        self._set_restored(page.restored_traces)
        self._set_marks(page.mark_boxes)
        if self._caption.toPlainText() != page.caption:
            self._caption.setText(page.caption)
        if self._time.toPlainText() != page.time_text:
            self._time.setText(page.time_text)

    def _set_heat(self, strips: Sequence[HeatStrip]) -> None:
        """One filled path per colour level; runs of one level become one rectangle."""
        paths = [QPainterPath() for _ in range(N_LEVELS)]
        self._heat_count = 0
        for strip in strips:
            bin_w = strip.width_mm / max(len(strip.levels), 1)
            start = 0
            for k in range(1, len(strip.levels) + 1):
                if k < len(strip.levels) and strip.levels[k] == strip.levels[start]:
                    continue
                level = int(strip.levels[start])
                if level >= 0:
                    x = strip.x_mm + start * bin_w
                    paths[level].addRect(
                        QRectF(x, strip.y_mm, (k - start) * bin_w, strip.height_mm)
                    )
                start = k
            self._heat_count += 1
        for item, path in zip(self._heat_paths, paths, strict=True):
            item.setPath(path)

    def _set_restored(self, traces: Sequence[Trace]) -> None:
        if not traces:
            self._restored.setData([], [])
            return
        gap = np.array([np.nan])
        x = np.concatenate([a for t in traces for a in (t.x_mm, gap)])
        y = np.concatenate([a for t in traces for a in (t.y_mm, gap)])
        self._restored.setData(x, y, connect="finite")

    def _set_marks(self, boxes: Sequence[MarkBox]) -> None:
        path = QPainterPath()
        for box in boxes:
            path.addRect(QRectF(box.x_mm, box.y_mm, box.width_mm, box.height_mm))
        self._marks.setPath(path)
        self._mark_count = len(boxes)
        labelled = next((b for b in boxes if b.label), None)
        self._mark_label.setVisible(labelled is not None)
        if labelled is not None:
            self._mark_label.setText(labelled.label)
            self._mark_label.setPos(labelled.x_mm + 0.3, labelled.y_mm + 0.3)  # inside, top left

    @property
    def heat_strips_shown(self) -> int:
        """How many heat strips are drawn (tests)."""
        return self._heat_count

    def set_calipers(self, shapes: Sequence[CaliperShape]) -> None:
        self._calipers.set_shapes(shapes, self._rect())

    def _rect(self) -> QRectF:
        layout = self._page.layout if self._page is not None else None
        if layout is None:
            return QRectF()
        return QRectF(0.0, 0.0, layout.width_mm, layout.height_mm)

    def _build_static(self, layout: PageLayout, paper: PaperSpec) -> None:
        self.static_builds += 1
        self._grid.set_page(layout.width_mm, layout.height_mm, paper)
        # Drop the old group with every item in it: taken out of the scene first (so pyqtgraph
        # disconnects its items from the view), deleted by Qt once pending events are done.
        old = self._static
        scene = old.scene()
        if scene is not None:
            scene.removeItem(old)
        else:
            old.setParentItem(None)
        del old
        self._static = pg.ItemGroup(self)
        self._curves = tuple(
            pg.PlotCurveItem(pen=self._trace_pen, antialias=True, parent=self._static)
            for _ in layout.panels
        )
        self._calibration = self._calibration_item(layout, paper)
        self._separator_item(layout)
        labels = [
            _text(p.label, p.label_x_mm, p.label_y_mm, LABEL_COLOUR, 10.0, True)
            for p in layout.panels
        ]
        for label in labels:
            label.setParentItem(self._static)
        self._labels = tuple(labels)
        self._caption.setPos(paper.calibration_block_mm, layout.footer_y_mm + 0.5)
        self._time.setPos(layout.width_mm - 1.0, layout.footer_y_mm + 0.5)
        self._legend.setPos(layout.width_mm * 0.55, layout.footer_y_mm + 0.5)

    def _calibration_item(self, layout: PageLayout, paper: PaperSpec) -> pg.PlotCurveItem:
        xs: list[float] = []
        ys: list[float] = []
        for mark in layout.calibrations:
            x, y = calibration_pulse(mark.x_mm, mark.baseline_y_mm, paper, mark.gain_mm_per_mv)
            xs += [*x, np.nan]
            ys += [*y, np.nan]
        return pg.PlotCurveItem(
            np.array(xs),
            np.array(ys),
            pen=self._trace_pen,
            connect="finite",
            parent=self._static,
        )

    def _separator_item(self, layout: PageLayout) -> None:
        if not layout.separators:
            return
        half = SEPARATOR_HALF_MM
        xs = np.repeat([x for x, _ in layout.separators], 2)
        ys = np.array([[y - half, y + half] for _, y in layout.separators]).ravel()
        pg.PlotCurveItem(xs, ys, pen=self._trace_pen, connect="pairs", parent=self._static)
