"""``QtCalipers``: the calipers on the paper, drawn from :class:`CaliperShape` objects.

Each caliper is two vertical legs over its row, a bar joining the two measured points, the
march-out ticks at every multiple of its interval along the panel, and a readout in a small
white box above the first leg. Lines are cosmetic (screen-pixel widths) so they stay thin at
any scale; the readout is drawn in screen pixels so it never scales with the paper.
"""

from __future__ import annotations

from collections.abc import Sequence

import pyqtgraph as pg
from PySide6.QtCore import QLineF, QPointF, QRectF
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen

from ecgviewer.controllers.calipers import CaliperShape

CALIPER_COLOUR = QColor(0, 80, 200)
MARCH_COLOUR = QColor(0, 80, 200, 150)
#: March-out ticks reach this far from the row top and bottom (mm).
MARCH_TICK_MM = 3.0


def _pen(colour: QColor, width: float, dashed: bool = False) -> QPen:
    pen = QPen(colour, width)
    pen.setCosmetic(True)
    if dashed:
        pen.setDashPattern([4.0, 3.0])
    return pen


class QtCalipers(pg.GraphicsObject):
    """All calipers of the page; :meth:`set_shapes` replaces them."""

    def __init__(self, parent: pg.GraphicsObject | None = None) -> None:
        super().__init__(parent)
        self._shapes: tuple[CaliperShape, ...] = ()
        self._rect = QRectF()
        self._leg_pen = _pen(CALIPER_COLOUR, 1.2)
        self._bar_pen = _pen(CALIPER_COLOUR, 1.0, dashed=True)
        self._march_pen = _pen(MARCH_COLOUR, 1.0)
        self._font = QFont()
        self._font.setPointSizeF(8.5)
        self.setZValue(30)

    @property
    def shapes(self) -> tuple[CaliperShape, ...]:
        return self._shapes

    def set_shapes(self, shapes: Sequence[CaliperShape], page_rect: QRectF) -> None:
        self.prepareGeometryChange()
        self._shapes = tuple(shapes)
        self._rect = QRectF(page_rect)
        self.update()

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(self, painter: QPainter, option: object, widget: object = None) -> None:
        if not self._shapes:
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        for s in self._shapes:
            painter.setPen(self._march_pen)
            for x in s.march_x_mm:
                painter.drawLine(QLineF(x, s.top_mm, x, s.top_mm + MARCH_TICK_MM))
                painter.drawLine(QLineF(x, s.bottom_mm - MARCH_TICK_MM, x, s.bottom_mm))
            painter.setPen(self._leg_pen)
            painter.drawLine(QLineF(s.x0_mm, s.top_mm, s.x0_mm, s.bottom_mm))
            painter.drawLine(QLineF(s.x1_mm, s.top_mm, s.x1_mm, s.bottom_mm))
            painter.setPen(self._bar_pen)
            painter.drawLine(QLineF(s.x0_mm, s.y0_mm, s.x1_mm, s.y0_mm))
            painter.drawLine(QLineF(s.x1_mm, s.y0_mm, s.x1_mm, s.y1_mm))
        self._paint_readouts(painter)

    def _paint_readouts(self, painter: QPainter) -> None:
        transform = painter.transform()
        painter.save()
        painter.resetTransform()
        painter.setFont(self._font)
        metrics = QFontMetricsF(self._font)
        for s in self._shapes:
            at = transform.map(QPointF(min(s.x0_mm, s.x1_mm), s.top_mm))
            box = metrics.boundingRect(s.text).adjusted(-3, -2, 3, 2)
            box.moveTopLeft(QPointF(at.x() + 3, at.y() + 2))
            painter.fillRect(box, QColor(255, 255, 255, 225))
            painter.setPen(_pen(CALIPER_COLOUR, 1.0))
            painter.drawRect(box)
            painter.drawText(
                box.adjusted(3, 2, -3, -2).bottomLeft() - QPointF(0, metrics.descent()), s.text
            )
        painter.restore()
