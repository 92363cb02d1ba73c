"""Layouts, speed, gain and display filters from the menus and the keyboard."""

from __future__ import annotations

import random

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from ecgviewer.io.record import STANDARD_LEADS, make_record
from ecgviewer.synth import SynthSpec, synthesize
from ecgviewer.ui.qt_main_window import QtMainWindow


@pytest.fixture
def shuffled_window(window: QtMainWindow, qtbot: QtBot) -> QtMainWindow:
    """A synthetic 12-lead record stored in a scrambled lead order, lead k offset by k mV."""
    record = synthesize(SynthSpec(hr_bpm=60, noise_mv=0.0, baseline_wander_mv=0.0)).record
    order = list(STANDARD_LEADS)
    random.Random(7).shuffle(order)
    data = np.stack([record.lead(name) + 10 * STANDARD_LEADS.index(name) for name in order])
    window.set_record(make_record(data, record.fs_hz, order, "shuffled"))
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.view.setFocus()
    return window


def curve_leads(window: QtMainWindow) -> list[str]:
    """The lead each curve shows, told from its data (lead k sits k * 10 mV up), not its label."""
    page = window.view.shown_page
    names = []
    for curve, trace in zip(window.view.page.curves, page.traces, strict=True):
        _, y = curve.getData()
        mv = np.median((trace.panel.baseline_y_mm - y) / trace.panel.gain_mm_per_mv)
        names.append(STANDARD_LEADS[round(mv / 10)])
    return names


def test_layouts_place_leads_in_standard_order_whatever_the_file_order(
    shuffled_window: QtMainWindow,
) -> None:
    w = shuffled_window
    assert w.state.filters.baseline  # the default; switch it off so offsets survive
    w.update_state(lambda s: s.with_filters(type(s.filters)()))
    # row by row: I aVR V1 V4 / II aVL V2 V5 / III aVF V3 V6 / the II rhythm strip
    assert curve_leads(w) == (
        ["I", "aVR", "V1", "V4", "II", "aVL", "V2", "V5", "III", "aVF", "V3", "V6", "II"]
    )
    expected = {
        "3x4+3": 12 + 3,
        "6x2": 12,
        "12x1": 12,
        "1x1": 1,
    }
    for kind, n in expected.items():
        w.viewer_actions.by_name[f"layout_{kind}"].trigger()
        assert w.state.layout_kind == kind
        assert len(w.view.page.curves) == n
    assert curve_leads(w) == ["II"]
    w.viewer_actions.by_name["layout_12x1"].trigger()
    assert curve_leads(w) == list(STANDARD_LEADS)
    labels = [label.toPlainText() for label in w.view.page.labels]
    assert labels == list(STANDARD_LEADS)


def test_keyboard_shortcuts_switch_layout_speed_and_gain(shuffled_window: QtMainWindow) -> None:
    w = shuffled_window
    QTest.keyClick(w.view, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert w.state.layout_kind == "6x2"
    QTest.keyClick(w.view, Qt.Key.Key_L)
    assert w.state.layout_kind == "12x1"
    QTest.keyClick(w.view, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert w.state.paper.speed_mm_per_s == 50.0
    assert w.state.page_duration_s == 5.0
    assert w.view.shown_page.traces[0].panel.mm_per_s == 50.0
    QTest.keyClick(w.view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(w.view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert w.state.paper.speed_mm_per_s == 12.5
    QTest.keyClick(w.view, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert w.state.paper.gain_mm_per_mv == 20.0
    _, ys = w.view.page.calibration_curve.getData()  # type: ignore[union-attr]
    assert np.nanmax(ys[:6]) - np.nanmin(ys[:6]) == pytest.approx(20.0)  # the pulse follows
    assert "12.5 mm/s" in w.view.page.caption_text and "20 mm/mV" in w.view.page.caption_text
    shortcut = w.viewer_actions.by_name["layout_6x2"].shortcut().toString()
    assert shortcut == "Ctrl+3"  # shown in the menu


def test_per_lead_gain_from_the_lead_menu(shuffled_window: QtMainWindow) -> None:
    w = shuffled_window
    menu = w.viewer_actions.lead_menu("V1")
    five = next(a for a in menu.actions() if a.text() == "5 mm/mV")
    five.trigger()
    menu.deleteLater()
    assert dict(w.state.lead_gains) == {"V1": 5.0}
    v1 = w.view.page_layout.panel_for("V1")
    assert v1.gain_mm_per_mv == 5.0 and v1.label == "V1  5 mm/mV"
    assert "V1  5 mm/mV" in [label.toPlainText() for label in w.view.page.labels]
    w.viewer_actions.by_name["&Chest Leads_20"].trigger()
    assert dict(w.state.lead_gains) == {lead: 20.0 for lead in STANDARD_LEADS[6:]}
    w.viewer_actions.by_name["gain_reset"].trigger()
    assert w.state.lead_gains == ()


def test_filter_keys_change_the_trace_and_the_caption_not_the_record(
    shuffled_window: QtMainWindow,
) -> None:
    w = shuffled_window
    record = w.record
    assert record is not None
    before = record.samples.copy()
    QTest.keyClick(w.view, Qt.Key.Key_N)  # notch: off -> 50 Hz
    QTest.keyClick(w.view, Qt.Key.Key_F)  # low-pass: off -> 40 Hz
    assert w.state.filters.notch_hz == 50.0 and w.state.filters.lowpass_hz == 40.0
    caption = w.view.page.caption_text
    assert "Filters: 0.5–40 Hz · 50 Hz notch" in caption
    assert "50 Hz notch" in w.info.toPlainText()  # also listed as an on-screen change
    QTest.keyClick(w.view, Qt.Key.Key_B)  # baseline filter off
    assert "Filters: 40 Hz low-pass · 50 Hz notch" in w.view.page.caption_text
    assert np.array_equal(record.samples, before)
