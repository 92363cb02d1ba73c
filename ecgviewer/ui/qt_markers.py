"""``QtTextMarkers``: many small text labels at paper positions, drawn by one item.

Beat labels change on every scroll step of a Holter; one ``TextItem`` each would mean creating
and destroying dozens of items per frame. This item keeps a plain list and draws the text in
screen pixels (centred on each point, unscaled by the paper zoom) in a single ``paint``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter

from ecgviewer.controllers.annotations import TextMarker

#: Beat label colours by AAMI class: ectopic beats stand out, normal ones stay quiet.
BEAT_COLOURS: Mapping[str, QColor] = {
    "N": QColor(70, 70, 70),
    "S": QColor(0, 90, 200),
    "V": QColor(200, 0, 0),
    "F": QColor(150, 0, 150),
    "Q": QColor(120, 90, 0),
    "rhythm": QColor(0, 110, 60),
}


class QtTextMarkers(pg.GraphicsObject):
    """Text centred horizontally on ``(x_mm, y_mm)``, its top at ``y_mm``."""

    def __init__(self, parent: pg.GraphicsObject | None = None, size_pt: float = 7.5) -> None:
        super().__init__(parent)
        self._markers: tuple[TextMarker, ...] = ()
        self._rect = QRectF()
        self._font = QFont()
        self._font.setPointSizeF(size_pt)
        self._font.setBold(True)
        self.setZValue(20)
        #: Labels drawn by the last paint (overlapping normal beats are left out).
        self.drawn = 0

    @property
    def markers(self) -> tuple[TextMarker, ...]:
        return self._markers

    def set_markers(self, markers: Sequence[TextMarker], page_rect: QRectF) -> None:
        """Show ``markers``; ``page_rect`` (mm) bounds them for Qt's repaint bookkeeping."""
        markers = tuple(markers)
        if markers == self._markers and page_rect == self._rect:
            return
        if page_rect != self._rect:
            self.prepareGeometryChange()
            self._rect = QRectF(page_rect)
        self._markers = markers
        self.update()

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(self, painter: QPainter, option: object, widget: object = None) -> None:
        if not self._markers:
            return
        transform = painter.transform()
        painter.save()
        painter.resetTransform()
        painter.setFont(self._font)
        metrics = QFontMetricsF(self._font)
        # Ectopic beats and rhythm changes first, then normal beats where there is room: on
        # slow paper labels would overprint, and an unreadable V is worse than a missing N.
        ordered = sorted(self._markers, key=lambda m: m.beat_class == "N")
        taken: dict[int, list[tuple[float, float]]] = {}
        for marker in ordered:
            at = transform.map(QPointF(marker.x_mm, marker.y_mm))
            width = metrics.horizontalAdvance(marker.text)
            left, right = at.x() - width / 2 - 1, at.x() + width / 2 + 1
            line = taken.setdefault(round(at.y()), [])
            if any(left < hi and lo < right for lo, hi in line):
                continue
            line.append((left, right))
            painter.setPen(BEAT_COLOURS.get(marker.beat_class, BEAT_COLOURS["N"]))
            painter.drawText(QPointF(left + 1, at.y() + metrics.ascent()), marker.text)
        self.drawn = sum(len(line) for line in taken.values())
        painter.restore()
