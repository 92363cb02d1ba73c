"""Issue 6: the restored-trace toggle and the largest-error list of the AI findings panel."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from ecgviewer.synth import SynthSpec, synthesize
from ecgviewer.ui.qt_main_window import QtMainWindow
from tests.ui.helpers import grab


def _blue_pixels(image: QImage) -> int:
    """Pixels in the overlay's blue (not the black trace, the pink paper or the grid)."""
    count = 0
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            c = image.pixelColor(x, y)
            count += c.blue() > 170 and c.red() < 150 and c.blue() - c.red() > 80
    return count


@pytest.fixture
def analysed(qtbot: QtBot, window: QtMainWindow) -> tuple[QtMainWindow, object]:
    """A 40 s synthetic record with a PVC in the 10 s the anomaly model reads (15-25 s)."""
    ecg = synthesize(SynthSpec(hr_bpm=60, duration_s=40.0, pvc_beats=(20,)))
    docks = window.measure_docks
    with qtbot.waitSignal(docks.analysisShown, timeout=60_000):
        window.set_record(ecg.record)
        # until the model has restored this record the toggles say why they are off
        box = docks.findings.overlays["show_restored"]
        assert not box.isEnabled() and "has not restored" in box.toolTip()
        assert not window.viewer_actions.by_name["restored"].isEnabled()
    return window, ecg


def test_restored_trace_toggle_draws_the_overlay_over_the_traces(
    qtbot: QtBot, analysed: tuple[QtMainWindow, object]
) -> None:
    window, ecg = analysed
    docks = window.measure_docks
    box = docks.findings.overlays["show_restored"]
    action = window.viewer_actions.by_name["restored"]
    assert window.state.restored is not None
    assert box.isEnabled() and action.isEnabled() and action.shortcut().toString() == "R"
    assert "expected normal" in box.toolTip()
    assert not window.state.show_restored and window.view.shown_page.restored_traces == ()
    window.update_state(lambda s: s.scrolled_to(15.0))
    off = _blue_pixels(grab(window.view))

    box.click()
    assert window.state.show_restored and action.isChecked()
    page = window.view.shown_page
    assert {t.panel.lead for t in page.restored_traces} == set(ecg.record.lead_names)
    for trace, over in zip(page.traces, page.restored_traces, strict=True):
        assert over.panel == trace.panel
    x, y = window.view.page.restored_curve.getData()
    assert x is not None and np.isfinite(y).sum() > 1000
    on = _blue_pixels(grab(window.view))
    assert on > off + 500, (off, on)

    action.trigger()  # View → Restored Trace (R) turns it off again, the box follows
    assert not window.state.show_restored and not box.isChecked()
    assert window.view.shown_page.restored_traces == ()


def test_largest_error_row_jumps_to_the_beat_and_marks_it(
    qtbot: QtBot, analysed: tuple[QtMainWindow, object]
) -> None:
    window, ecg = analysed
    findings = window.measure_docks.findings
    view = findings.view
    assert view is not None and len(view.largest_errors) == 5
    errors = [e.error_mv for e in view.largest_errors]
    assert errors == sorted(errors, reverse=True)
    pvc_s = float(ecg.truth.r_peak_s[[lab == "V" for lab in ecg.truth.labels]][0])
    top = view.largest_errors[0]
    assert top.time_s == pytest.approx(pvc_s, abs=0.15)  # the PVC has the largest error
    buttons = findings.error_buttons
    assert len(buttons) == 5 and buttons[0].text().endswith(top.describe())

    window.update_state(lambda s: s.scrolled_to(0.0))
    assert window.view.shown_page.mark_boxes == ()
    buttons[0].click()
    state = window.state
    assert state.error_mark is not None and state.error_mark.lead == top.lead
    layout = window.view.page_layout
    panel = layout.panel_for(top.lead)
    t0, t1 = panel.window_s(state.start_s)
    assert state.start_s > 0.0 and t0 <= top.time_s <= t1  # the lead's own panel shows it
    page = window.view.shown_page
    assert len(page.mark_boxes) >= 1 and page.mark_boxes[0].label == ""
    assert window.view.page.mark_boxes_shown == len(page.mark_boxes)
    box = page.mark_boxes[0]
    assert panel.x_mm <= box.x_mm <= panel.x_mm + panel.width_mm
