"""``QtPaperGrid``: the pink millimetre grid of ECG paper as vector lines in mm coordinates.

The two line paths (minor, major) are built once per page size and cached; ``paint`` only
strokes them. Pens are cosmetic (a width in screen pixels), so lines stay hairline-thin at any
zoom, and minor lines are left out when they would be closer than a few pixels, where real
paper would turn into a pink wash.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen

from ecgviewer.controllers.paper import GridGeometry, PaperSpec, grid_geometry

PAPER_COLOUR = QColor(255, 251, 250)
#: Pale minor and stronger major lines, so the 5 mm squares read at a glance and the grid
#: never competes with the 1-pixel black trace.
MINOR_COLOUR = QColor(249, 214, 214)
MAJOR_COLOUR = QColor(232, 140, 140)
#: Below this spacing in screen pixels, minor lines are not drawn (only major ones).
MIN_MINOR_SPACING_PX = 2.5


def _cosmetic_pen(colour: QColor, width_px: float) -> QPen:
    pen = QPen(colour, width_px)
    pen.setCosmetic(True)
    return pen


def _lines_path(
    geometry: GridGeometry, xs: tuple[float, ...], ys: tuple[float, ...]
) -> QPainterPath:
    path = QPainterPath()
    for x in xs:
        path.moveTo(x, 0.0)
        path.lineTo(x, geometry.height_mm)
    for y in ys:
        path.moveTo(0.0, y)
        path.lineTo(geometry.width_mm, y)
    return path


class QtPaperGrid(pg.GraphicsObject):
    """ECG paper covering ``(0, 0)`` to ``(width_mm, height_mm)`` in scene millimetres."""

    def __init__(self, parent: pg.GraphicsObject | None = None) -> None:
        super().__init__(parent)
        self._geometry = grid_geometry(0.0, 0.0)
        self._minor_mm = PaperSpec().minor_mm
        self._minor_drawn = False
        #: How many times the line paths were built (they are cached between paints).
        self.path_builds = 0
        self._minor_path: QPainterPath | None = None
        self._major_path: QPainterPath | None = None
        self._minor_pen = _cosmetic_pen(MINOR_COLOUR, 1.0)
        self._major_pen = _cosmetic_pen(MAJOR_COLOUR, 1.0)
        self.setZValue(-100)

    @property
    def geometry(self) -> GridGeometry:
        """The line positions currently drawn."""
        return self._geometry

    @property
    def minor_lines_drawn(self) -> bool:
        """Whether the last paint drew minor lines (False when zoomed far out)."""
        return self._minor_drawn

    def set_page(self, width_mm: float, height_mm: float, paper: PaperSpec | None = None) -> None:
        """Resize the paper; the cached paths are rebuilt only if the size or grid changed."""
        paper = paper or PaperSpec()
        new = grid_geometry(width_mm, height_mm, paper)
        if new == self._geometry:
            return
        self.prepareGeometryChange()
        self._minor_mm = paper.minor_mm
        self._geometry = new
        self._minor_path = self._major_path = None
        self.update()

    def boundingRect(self) -> QRectF:
        return QRectF(0.0, 0.0, self._geometry.width_mm, self._geometry.height_mm)

    def paint(self, painter: QPainter, option: object, widget: object = None) -> None:
        g = self._geometry
        if self._minor_path is None or self._major_path is None:
            self._minor_path = _lines_path(g, g.minor_x, g.minor_y)
            self._major_path = _lines_path(g, g.major_x, g.major_y)
            self.path_builds += 1
        painter.fillRect(self.boundingRect(), PAPER_COLOUR)
        # Crisp one-pixel lines read better than antialiased two-pixel smudges.
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        spacing_px = abs(painter.transform().m11()) * self._minor_mm
        self._minor_drawn = spacing_px >= MIN_MINOR_SPACING_PX
        if self._minor_drawn:
            painter.setPen(self._minor_pen)
            painter.drawPath(self._minor_path)
        painter.setPen(self._major_pen)
        painter.drawPath(self._major_path)
