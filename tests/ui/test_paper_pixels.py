"""ECG paper on screen: true scale, 1 and 5 mm grid, calibration pulse; numbers, then pixels."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from ecgviewer.controllers.paper import pixels_per_mm
from ecgviewer.synth import SynthSpec, synthesize
from ecgviewer.ui.qt_dialogs import QtCalibrationDialog
from ecgviewer.ui.qt_main_window import QtMainWindow
from ecgviewer.ui.qt_paper_grid import MAJOR_COLOUR, MINOR_COLOUR
from tests.ui.helpers import grab, is_dark, mm_to_px


@pytest.fixture
def ecg_window(window: QtMainWindow) -> QtMainWindow:
    window.set_record(synthesize(SynthSpec(hr_bpm=60, noise_mv=0.0)).record)
    return window


def test_true_scale_uses_the_screens_physical_dpi(ecg_window: QtMainWindow) -> None:
    view = ecg_window.view
    screen = view.screen()
    assert view.px_per_mm == pytest.approx(pixels_per_mm(screen.physicalDotsPerInch()))
    # one paper mm spans exactly that many viewport pixels
    a, b = mm_to_px(view, 0.0, 0.0), mm_to_px(view, 100.0, 0.0)
    assert b.x() - a.x() == pytest.approx(100 * view.px_per_mm, abs=0.01)


def test_major_grid_line_every_5_mm_in_pixels(ecg_window: QtMainWindow) -> None:
    view = ecg_window.view
    grid = view.page.grid.geometry
    assert grid.major_x[:4] == (0.0, 5.0, 10.0, 15.0)
    image = grab(view)
    y = round(mm_to_px(view, 0.0, 2.0).y())  # 2 mm below the page top: grid only
    row = [image.pixelColor(x, y) for x in range(image.width())]
    major = [x for x, c in enumerate(row) if c == MAJOR_COLOUR]
    minor = [x for x, c in enumerate(row) if c == MINOR_COLOUR]
    assert len(major) == len(grid.major_x)  # 54 lines across a 265 mm page
    spacing = np.diff(major)
    assert np.all(np.abs(spacing - 5 * view.px_per_mm) <= 1.0)
    assert np.all(np.abs(np.diff(minor) - view.px_per_mm) <= 1.0 + 4 * view.px_per_mm)
    assert len(minor) >= 4 * (len(major) - 1) - 2  # four minor lines per major square


@pytest.mark.parametrize("gain", [10.0, 20.0])
def test_calibration_pulse_is_10_mm_at_10_mm_per_mv(ecg_window: QtMainWindow, gain: float) -> None:
    ecg_window.update_state(lambda s: s.with_gain(gain))
    view = ecg_window.view
    mark = view.page_layout.calibrations[0]
    xs, ys = view.page.calibration_curve.getData()  # type: ignore[union-attr]
    first = slice(0, 6)  # the first row's pulse
    assert np.nanmax(ys[first]) - np.nanmin(ys[first]) == pytest.approx(gain)
    # in pixels: the rising edge is a dark vertical run of gain mm
    edge_x = xs[1]
    image = grab(view)
    col = round(mm_to_px(view, edge_x, 0).x())
    top = mm_to_px(view, edge_x, mark.baseline_y_mm - gain - 3).y()
    bottom = mm_to_px(view, edge_x, mark.baseline_y_mm + 3).y()
    dark = [
        y
        for y in range(round(top), round(bottom))
        if any(is_dark(image.pixelColor(c, y)) for c in (col - 1, col, col + 1))
    ]
    assert (max(dark) - min(dark)) == pytest.approx(gain * view.px_per_mm, abs=2.0)


def test_traces_are_drawn_where_the_data_says(ecg_window: QtMainWindow) -> None:
    view = ecg_window.view
    rhythm = view.shown_page.traces[-1]
    i = int(np.argmin(rhythm.y_mm))  # an R peak: highest point of the strip
    image = grab(view)
    at = mm_to_px(view, rhythm.x_mm[i], rhythm.y_mm[i])
    near = [
        image.pixelColor(round(at.x()) + dx, round(at.y()) + dy)
        for dx in (-1, 0, 1)
        for dy in (-1, 0, 1)
    ]
    assert any(is_dark(c) for c in near)


def test_screen_calibration_corrects_true_size(
    ecg_window: QtMainWindow, qtbot: QtBot, settings: QSettings
) -> None:
    view = ecg_window.view
    reported = view.px_per_mm
    dialog = QtCalibrationDialog(view.calibrated_px_per_mm(), 1.0, ecg_window)
    qtbot.addWidget(dialog)
    assert dialog.bar.bar_px == pytest.approx(100 * reported)
    dialog.measured.setValue(95.0)  # the ruler says the 100 mm bar is 95 mm
    factor = dialog.factor()
    assert factor == pytest.approx(100 / 95)
    ecg_window.update_state(lambda s: s.__class__(**{**_fields(s), "screen_factor": factor}))
    assert view.px_per_mm == pytest.approx(reported * 100 / 95)
    settings.sync()
    assert float(settings.value("viewer/screen_factor")) == pytest.approx(factor, rel=1e-5)


def _fields(state: object) -> dict[str, object]:
    return {name: getattr(state, name) for name in state.__dataclass_fields__}  # type: ignore[attr-defined]
