"""The page on screen: true scale, fit, curve coordinates, and what a person would see."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from PySide6.QtCore import QPointF, QSettings
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from ecgviewer.controllers.display_filters import NO_FILTERS
from ecgviewer.controllers.paper import screen_pixels_per_mm
from ecgviewer.io.record import Record
from ecgviewer.ui.qt_ecg_view import QtEcgView
from ecgviewer.ui.qt_main_window import QtMainWindow
from tests.controllers.synthetic_records import twelve_lead, two_lead_holter


@pytest.fixture
def window(qtbot: QtBot, settings: QSettings) -> QtMainWindow:
    win = QtMainWindow(settings=settings)
    qtbot.addWidget(win)
    win.resize(1500, 900)
    win.show()
    qtbot.waitExposed(win)
    return win


def _show(win: QtMainWindow, qtbot: QtBot, record: Record) -> QtEcgView:
    """Show ``record`` unfiltered, so curve values equal the record's samples."""
    win.set_state(replace(win.state.with_record(record), filters=NO_FILTERS))
    qtbot.wait(20)
    return win.view


def _rgb(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    w, h, stride = image.width(), image.height(), image.bytesPerLine()
    raw = np.frombuffer(image.constBits(), dtype=np.uint8, count=h * stride)
    return raw.reshape(h, stride)[:, : w * 3].reshape(h, w, 3).astype(int)


def _widget_px(view: QtEcgView, x_mm: float, y_mm: float) -> tuple[int, int]:
    scene = view.view_box.mapViewToScene(QPointF(x_mm, y_mm))
    p = view.mapFromScene(scene)
    return p.x(), p.y()


def test_true_scale_is_the_screen_physical_dpi(window: QtMainWindow, qtbot: QtBot) -> None:
    view = _show(window, qtbot, twelve_lead())
    screen = view.screen()
    expected, _ = screen_pixels_per_mm(screen.physicalDotsPerInch(), screen.logicalDotsPerInch())
    mm_per_px_x, mm_per_px_y = view.view_box.viewPixelSize()
    assert view.px_per_mm == pytest.approx(expected)
    # The camera really shows that many pixels per paper mm, the same on both axes.
    assert 1 / mm_per_px_x == pytest.approx(expected, rel=1e-3)
    assert 1 / mm_per_px_y == pytest.approx(expected, rel=1e-3)
    labels = [label.text() for label in window.statusBar().findChildren(QLabel)]
    assert any(text.startswith("True size") for text in labels)


def test_fit_to_window_shows_the_whole_page(window: QtMainWindow, qtbot: QtBot) -> None:
    view = _show(window, qtbot, twelve_lead())
    window.resize(700, 500)
    qtbot.wait(20)
    true_ppm = view.px_per_mm
    layout = view.page_layout
    assert layout.width_mm * true_ppm > view.view_box.size().width()  # does not fit at true size
    window.viewer_actions.by_name["fit"].trigger()
    qtbot.wait(20)
    assert window.state.scale_mode == "fit"
    assert view.px_per_mm < true_ppm
    visible = view.view_box.viewRect()
    assert visible.left() <= 0 and visible.right() >= layout.width_mm
    assert visible.top() <= 0 and visible.bottom() >= layout.height_mm
    window.viewer_actions.by_name["fit"].trigger()
    qtbot.wait(20)
    assert view.px_per_mm == pytest.approx(true_ppm)


def test_curve_data_of_a_lead_is_at_its_paper_millimetres(
    window: QtMainWindow, qtbot: QtBot
) -> None:
    order = ["V6", "I", "aVR", "V1", "II", "III", "aVL", "aVF", "V2", "V3", "V4", "V5"]
    record = twelve_lead(lead_order=order)
    view = _show(window, qtbot, record)
    layout = view.page_layout
    index = next(i for i, p in enumerate(layout.panels) if p.lead == "V5")
    panel = layout.panels[index]
    x, y = view.page.curves[index].getData()
    assert len(x) > 10
    k = np.round((x - panel.x_mm) / 25.0 * record.fs_hz + 7.5 * record.fs_hz).astype(int)
    np.testing.assert_allclose(y, panel.baseline_y_mm - 10.0 * record.lead("V5")[k], atol=1e-4)
    assert x.min() >= panel.x_mm - 1e-9 and x.max() <= panel.x_mm + panel.width_mm + 1e-9
    # The label drawn for the panel names the lead.
    assert view.page.labels[index].toPlainText() == "V5"


def test_calibration_pulses_are_one_millivolt_high(window: QtMainWindow, qtbot: QtBot) -> None:
    view = _show(window, qtbot, twelve_lead())
    x, y = view.page.calibration_curve.getData()
    pulses = np.split(y, np.flatnonzero(np.isnan(y)))
    heights = [np.nanmax(p) - np.nanmin(p) for p in pulses if np.isfinite(p).any()]
    assert len(heights) == 4  # one per row of 3x4 + rhythm strip
    np.testing.assert_allclose(heights, 10.0)
    assert np.nanmax(x) <= view.page_layout.panels[0].x_mm


def test_long_two_lead_record_builds_curves_from_the_visible_window_only(
    window: QtMainWindow, qtbot: QtBot
) -> None:
    record = two_lead_holter()
    view = _show(window, qtbot, record)
    visible = round(10.0 * record.fs_hz) + 1
    assert len(view.page.curves) == 2
    for curve in view.page.curves:
        x, _ = curve.getData()
        assert 0 < len(x) <= visible
    assert view.shown_page.n_source_samples <= 2 * visible
    assert record.n_samples == 1800 * 360


def test_pixels_show_pink_paper_and_black_trace(window: QtMainWindow, qtbot: QtBot) -> None:
    record = twelve_lead()
    view = _show(window, qtbot, record)
    rgb = _rgb(view.grab().toImage())
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    pink = (r > 200) & (r - g > 25) & (abs(g - b) < 30)
    dark = (r < 90) & (g < 90) & (b < 90)
    assert pink.mean() > 0.05, "the grid is not visible"
    assert dark.sum() > 500, "no trace drawn"
    # The R peak of the rhythm strip (1.2 mV at 0.3 s) is dark where the numbers put it.
    panel = view.page_layout.panel_for("II", row=3)
    peak = record.lead("II")[: round(record.fs_hz)].argmax() / record.fs_hz
    px, py = _widget_px(view, panel.x_mm + peak * 25.0, panel.baseline_y_mm - 10 * 1.21)
    patch = dark[py - 3 : py + 4, px - 3 : px + 4]
    assert patch.any(), "the trace is not where its millimetres say"
    # Half-way between rows there is paper, not ink.
    qx, qy = _widget_px(view, panel.x_mm + 0.7 * 25.0, panel.baseline_y_mm - 20.0)
    assert not dark[qy - 2 : qy + 3, qx - 2 : qx + 3].any()
