"""Long records: only the visible window is read and drawn; overview, scroll, jump, marks."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from ecgviewer.controllers.display_filters import DisplayFilters
from ecgviewer.controllers.navigation import OVERVIEW_CHUNK_SAMPLES
from ecgviewer.io.record import AnnotationTrack
from ecgviewer.ui.qt_main_window import QtMainWindow
from tests.controllers.helpers import counting_record

FS = 360.0


@pytest.fixture
def holter(window: QtMainWindow, qtbot: QtBot) -> QtMainWindow:
    """A 30-minute 2-lead record (1 beat/s, every 7th a 'V') whose samples count their readers."""
    n_beats = 1800
    symbols = tuple("V" if i % 7 == 3 else "N" for i in range(n_beats))
    beats = AnnotationTrack("atr", None, (np.arange(n_beats) + 0.5) * FS, symbols)
    window.update_state(lambda s: s.with_filters(DisplayFilters()))  # raw: exact read counts
    window.set_record(counting_record(1800.0, FS, annotations=[beats]))
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.view.setFocus()
    return window


def reads(window: QtMainWindow) -> list[int]:
    return window.record.samples.reads  # type: ignore[union-attr]


def test_overview_reads_one_lead_once_and_is_kept(window: QtMainWindow) -> None:
    record = counting_record(1800.0, FS)
    window.update_state(lambda s: s.with_filters(DisplayFilters()))
    record.samples.reads.clear()  # type: ignore[attr-defined]
    window.set_record(record)
    overview = window.overview.overview
    assert overview is not None and window.overview.isVisible()
    assert overview.lead == "MLII" and overview.duration_s == 1800.0
    page = 2 * (math.floor(10.0 * FS) + 1)
    # the overview touched one lead once (no copy of the record), the page its 10 s window
    assert sum(reads(window)) == record.n_samples + page
    assert max(reads(window)) <= OVERVIEW_CHUNK_SAMPLES
    reads(window).clear()
    QTest.keyClick(window.view, Qt.Key.Key_PageDown)
    assert window.overview.overview is overview  # not recomputed when scrolling
    assert sum(reads(window)) == page


def test_scrolling_reads_and_draws_only_the_visible_window(holter: QtMainWindow) -> None:
    view = holter.view
    visible = math.floor(10.0 * FS) + 1
    columns = math.ceil(250.0 * view.px_per_mm)
    keys = [Qt.Key.Key_Right] * 5 + [Qt.Key.Key_PageDown] * 3 + [Qt.Key.Key_End, Qt.Key.Key_Home]
    starts = []
    for key in keys:
        reads(holter).clear()
        QTest.keyClick(view, key)
        starts.append(holter.state.start_s)
        assert 0 < max(reads(holter)) <= visible
        assert sum(reads(holter)) <= 2 * visible  # two leads, nothing else
        for curve in view.page.curves:
            x, _ = curve.getData()
            assert len(x) <= 2 * columns + 2  # samples handed to the curve
    assert starts[:5] == pytest.approx([1.0, 2.0, 3.0, 4.0, 5.0])
    assert starts[5:8] == pytest.approx([15.0, 25.0, 35.0])
    assert starts[8:] == pytest.approx([1790.0, 0.0])


def test_overview_region_scrollbar_and_go_to_time(holter: QtMainWindow) -> None:
    overview = holter.overview
    overview.region.setRegion((600.0, 610.0))  # what dragging the region does
    assert holter.state.start_s == pytest.approx(600.0)
    overview.scrollbar.setValue(12_000)  # tenths of a second
    assert holter.state.start_s == pytest.approx(1200.0)
    assert holter.go_to_time("0:15:30")
    assert holter.state.start_s == pytest.approx(930.0)
    lo, hi = overview.region.getRegion()
    assert (lo, hi) == pytest.approx((930.0, 940.0))  # the strip follows
    assert not holter.go_to_time("half past")
    assert holter.state.start_s == pytest.approx(930.0)
    assert "00:15:30.0 – 00:15:40.0" in holter.view.page.time_text


def test_beat_labels_follow_the_page_and_toggle(holter: QtMainWindow) -> None:
    markers = holter.view.page.beat_markers.markers
    assert [m.text for m in markers] == [
        "V" if i % 7 == 3 else "N" for i in range(10)
    ]  # beats at 0.5 … 9.5 s
    QTest.keyClick(holter.view, Qt.Key.Key_PageDown)
    assert [m.text for m in holter.view.page.beat_markers.markers][:3] == ["V", "N", "N"]
    QTest.keyClick(holter.view, Qt.Key.Key_A)
    assert not holter.state.show_beats and holter.view.page.beat_markers.markers == ()
    assert not holter.viewer_actions.by_name["beats"].isChecked()


def test_wave_marks_toggle(window: QtMainWindow) -> None:
    from ecgviewer.synth import SynthSpec, synthesize

    ecg = synthesize(SynthSpec(hr_bpm=60))
    on, off = ecg.truth.samples("p_onset"), ecg.truth.samples("p_offset")
    ok = (on >= 0) & (off >= 0)
    samples = np.stack([on[ok], (on[ok] + off[ok]) // 2, off[ok]], axis=1).ravel()
    track = AnnotationTrack("ii", "II", samples, ("(", "p", ")") * int(ok.sum()))
    window.set_record(replace(ecg.record, annotations=(track,)))
    p_curve = window.view.page.wave_curves["P"]
    x, y = p_curve.getData()
    fs = window.record.fs_hz  # type: ignore[union-attr]
    ii = [p for p in window.view.page_layout.panels if p.lead == "II"]  # column and strip
    inside = [
        np.sum((on[ok] / fs >= p.offset_s) & (off[ok] / fs <= p.offset_s + p.duration_s))
        for p in ii
    ]
    assert len(x) == 6 * sum(inside)  # one bracket (3 segments) per P wave shown
    assert inside[-1] == ok.sum()  # the 10 s rhythm strip shows them all
    assert np.all(y >= min(p.baseline_y_mm for p in ii))  # under a lead II baseline
    assert window.view.page.wave_legend_shown
    window.viewer_actions.by_name["waves"].trigger()
    assert p_curve.getData()[0] is None or len(p_curve.getData()[0]) == 0
    assert not window.view.page.wave_legend_shown


def test_ctrl_g_asks_for_a_time(holter: QtMainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    import ecgviewer.ui.qt_main_window as main_window

    asked: list[str] = []

    def fake_ask(parent: object, current: str) -> str:
        asked.append(current)
        return "12:00"

    monkeypatch.setattr(main_window, "ask_time", fake_ask)
    QTest.keyClick(holter.view, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    assert asked == ["00:00:00.0"]  # the dialog opens on the current time
    assert holter.state.start_s == pytest.approx(720.0)
