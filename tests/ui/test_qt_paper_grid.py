"""The paper grid item: exact line geometry, cached paths, level of detail."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from pytestqt.qtbot import QtBot

from ecgviewer.controllers.paper import PaperSpec
from ecgviewer.ui.qt_paper_grid import QtPaperGrid


def _view_with_grid(qtbot: QtBot, width_px: int) -> tuple[pg.GraphicsView, QtPaperGrid]:
    view = pg.GraphicsView()
    qtbot.addWidget(view)
    box = pg.ViewBox(invertY=True, enableMenu=False)
    view.setCentralItem(box)
    grid = QtPaperGrid()
    grid.set_page(100.0, 50.0)
    box.addItem(grid)
    view.resize(width_px, width_px // 2)
    box.setRange(xRange=(0, 100), yRange=(0, 50), padding=0)
    view.show()
    qtbot.waitExposed(view)
    return view, grid


def test_grid_geometry_in_millimetres(qtbot: QtBot) -> None:
    grid = QtPaperGrid()
    grid.set_page(265.0, 165.0, PaperSpec())
    g = grid.geometry
    xs = np.sort(np.array(g.minor_x + g.major_x))
    np.testing.assert_allclose(np.diff(xs), 1.0)
    np.testing.assert_allclose(g.major_x, np.arange(0.0, 266.0, 5.0))
    np.testing.assert_allclose(g.major_y, np.arange(0.0, 166.0, 5.0))
    rect = grid.boundingRect()
    assert (rect.width(), rect.height()) == (265.0, 165.0)


def test_paths_are_built_once_per_page_size(qtbot: QtBot) -> None:
    view, grid = _view_with_grid(qtbot, 800)
    view.grab()
    view.grab()
    assert grid.path_builds == 1  # repaints reuse the cached paths
    grid.set_page(100.0, 50.0)  # same size: nothing to rebuild
    view.grab()
    assert grid.path_builds == 1
    grid.set_page(120.0, 50.0)
    view.grab()
    assert grid.path_builds == 2


def test_minor_lines_only_when_far_enough_apart(qtbot: QtBot) -> None:
    view, grid = _view_with_grid(qtbot, 800)  # 8 px per mm
    view.grab()
    assert grid.minor_lines_drawn
    view.resize(150, 75)  # 1.5 px per mm: minor lines would be a pink wash
    grid.getViewBox().setRange(xRange=(0, 100), yRange=(0, 50), padding=0)
    view.grab()
    assert not grid.minor_lines_drawn
