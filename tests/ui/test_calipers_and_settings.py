"""Calipers dragged with the mouse, and settings remembered between runs."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from ecgviewer.controllers.display_filters import DisplayFilters
from ecgviewer.controllers.paper import PaperSpec
from ecgviewer.synth import SynthSpec, synthesize
from ecgviewer.ui.qt_main_window import QtMainWindow
from tests.ui.helpers import drag, mm_to_px


def open_synthetic(window: QtMainWindow, qtbot: QtBot, hr_bpm: float) -> np.ndarray:
    ecg = synthesize(SynthSpec(hr_bpm=hr_bpm, noise_mv=0.0))
    window.set_record(ecg.record)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.view.setFocus()
    return ecg.truth.r_peak_s


def r_to_r_pixels(window: QtMainWindow, r_peaks: np.ndarray) -> tuple:  # type: ignore[type-arg]
    panel = window.view.page_layout.panels[-1]  # rhythm strip, 0-10 s
    t0, t1 = r_peaks[(r_peaks > 1.0)][:2]
    y = panel.baseline_y_mm - 5.0
    start = mm_to_px(window.view, panel.x_mm + t0 * panel.mm_per_s, y)
    end = mm_to_px(window.view, panel.x_mm + t1 * panel.mm_per_s, y)
    return start, end


@pytest.mark.parametrize(("hr_bpm", "rr_ms"), [(60.0, 1000.0), (75.0, 800.0)])
def test_shift_drag_measures_the_rr_interval(
    window: QtMainWindow, qtbot: QtBot, hr_bpm: float, rr_ms: float
) -> None:
    r_peaks = open_synthetic(window, qtbot, hr_bpm)
    start, end = r_to_r_pixels(window, r_peaks)
    drag(window.view, start, end, Qt.KeyboardModifier.ShiftModifier)
    assert len(window.state.calipers) == 1
    caliper = window.state.calipers[0]
    ms_per_px = 1000.0 / (25.0 * window.view.px_per_mm)
    assert caliper.interval_ms == pytest.approx(rr_ms, abs=1.5 * ms_per_px)  # ±1 px each end
    assert caliper.rate_bpm == pytest.approx(hr_bpm, rel=0.02)
    assert caliper.lead == "II" and abs(caliper.amplitude_mv) < 0.05
    assert window.caliper_text.startswith(f"{caliper.interval_ms:.0f} ms")
    shapes = window.view.page.calipers.shapes
    assert len(shapes) == 1
    assert len(shapes[0].march_x_mm) >= 8  # walked out along the 10 s strip
    QTest.keyClick(window.view, Qt.Key.Key_Escape)
    assert window.state.calipers == () and window.view.page.calipers.shapes == ()


def test_plain_drag_pans_unless_caliper_mode_is_on(window: QtMainWindow, qtbot: QtBot) -> None:
    r_peaks = open_synthetic(window, qtbot, 60.0)
    start, end = r_to_r_pixels(window, r_peaks)
    before = window.view.view_box.viewRect()
    drag(window.view, start, end)
    assert window.state.calipers == ()
    moved = before.left() - window.view.view_box.viewRect().left()
    assert moved == pytest.approx((end.x() - start.x()) / window.view.px_per_mm, abs=1.0)
    QTest.keyClick(window.view, Qt.Key.Key_C)
    assert window.state.caliper_mode
    start, end = r_to_r_pixels(window, r_peaks)  # the paper moved under the mouse
    drag(window.view, start, end)
    assert len(window.state.calipers) == 1
    assert window.state.calipers[0].interval_ms == pytest.approx(1000.0, abs=15.0)


def test_settings_are_remembered(window: QtMainWindow, qtbot: QtBot, settings: QSettings) -> None:
    window.update_state(
        lambda s: (
            s.with_layout("6x2")
            .with_speed(50.0)
            .with_gain(20.0)
            .with_lead_gain("V1", 5.0)
            .with_filters(DisplayFilters(baseline=False, notch_hz=60.0, lowpass_hz=100.0))
        )
    )
    window.viewer_actions.by_name["beats"].trigger()
    window.resize(700, 560)  # inside the 800x800 offscreen screen and above the minimum size
    window.close()
    again = QtMainWindow(settings=settings)
    qtbot.addWidget(again)
    state = again.state
    assert state.layout_kind == "6x2"
    assert state.paper == PaperSpec(speed_mm_per_s=50.0, gain_mm_per_mv=20.0)
    assert state.lead_gains == (("V1", 5.0),)
    assert state.filters == DisplayFilters(baseline=False, notch_hz=60.0, lowpass_hz=100.0)
    assert state.show_beats is False
    assert again.restore_window()
    assert (again.width(), again.height()) == (700, 560)
    assert again.viewer_actions.by_name["layout_6x2"].isChecked()


def test_calibrate_screen_from_the_menu(
    window: QtMainWindow, monkeypatch: pytest.MonkeyPatch, settings: QSettings
) -> None:
    from ecgviewer.ui.qt_dialogs import QtCalibrationDialog

    def measure_105(dialog: QtCalibrationDialog) -> int:
        dialog.measured.setValue(105.0)  # the ruler says the 100 mm bar is 105 mm
        return int(QtCalibrationDialog.DialogCode.Accepted.value)

    monkeypatch.setattr(QtCalibrationDialog, "exec", measure_105)
    before = window.view.px_per_mm
    window.viewer_actions.by_name["calibrate"].trigger()
    assert window.state.screen_factor == pytest.approx(100 / 105)
    assert window.view.px_per_mm == pytest.approx(before * 100 / 105)
    settings.sync()
    assert settings.value("viewer/screen_factor") == f"{100 / 105:.6g}"


def test_command_line_layout_reaches_the_window(qtbot: QtBot) -> None:
    from ecgviewer.cli import _gui_parser
    from ecgviewer.ui.app import create_window

    args = _gui_parser().parse_args(["rec.hea", "--layout", "12x1"])
    assert (args.path, args.layout) == ("rec.hea", "12x1")
    window = create_window(None, layout="12x1")  # the bundled demo record
    qtbot.addWidget(window)
    assert window.state.layout_kind == "12x1"
    assert window.record is not None and len(window.view.page.curves) == 12
    window.close()
