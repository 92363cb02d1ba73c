"""Issue 8: analysis in the background, the findings panel, cancel, and no leaked workers."""

from __future__ import annotations

import itertools
import multiprocessing
import time

import numpy as np
import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ecgviewer.analysis import AnalysisResult, ClassFinding, ConsistencyNote, RecordSummary
from ecgviewer.synth import SynthSpec, synthesize
from ecgviewer.ui.qt_findings import QtFindings
from ecgviewer.ui.qt_main_window import QtMainWindow


def _result() -> AnalysisResult:
    summary = RecordSummary("r", "r", "WFDB", 500.0, ("I",), 10.0, 5000, None, {})
    return AnalysisResult(
        summary=summary,
        notices=("Classifier input: Resampled from 500 Hz to 100 Hz (polyphase).",
                 "Leads renamed: AVR -> aVR."),
        classes={
            "NORM": ClassFinding(0.08, 0.5, False, 0.9, 0.88),
            "AF": ClassFinding(0.93, 0.40, True, 0.91, 0.97),
            "LBBB": ClassFinding(0.62, 0.30, True),
            "SB": ClassFinding(0.02, 0.35, False),
        },
        consistency=(ConsistencyNote("AF_WITH_REGULAR_RR", "AF", "AF flagged, but regular."),),
    )  # fmt: skip


def test_panel_lists_flagged_first_with_checks_and_operating_point(qtbot: QtBot) -> None:
    panel = QtFindings()
    qtbot.addWidget(panel)
    panel.set_result(_result())
    view = panel.view
    assert view is not None
    assert [r.name for r in view.rows] == ["AF", "LBBB", "NORM", "SB"]
    assert view.headline.startswith("Flagged: AF, LBBB")
    assert panel.status.text() == view.headline and panel.cancel_button.isHidden()
    texts = panel.texts()
    af = texts.index("AF")
    assert texts[af + 1] == "Atrial fibrillation" and texts[af + 2] == "0.93"
    assert texts[af + 3] == "⚠ AF flagged, but regular."  # the check sits under its finding
    assert "sensitivity 0.91, specificity 0.97" in view.rows[0].tooltip
    assert "no validation operating point" in view.rows[1].tooltip
    assert any("Resampled from 500 Hz" in t for t in texts)
    assert not any("Leads renamed" in t for t in texts)  # not a model notice
    assert any(t.startswith("No anomaly score") for t in texts)


def test_window_analyses_in_background_and_cancel_stops_it(
    qtbot: QtBot, window: QtMainWindow
) -> None:
    docks = window.measure_docks
    long = synthesize(SynthSpec(hr_bpm=70, duration_s=240.0)).record
    window.set_record(long)
    assert docks.findings.status.text().startswith("Analysing") and docks.worker.busy
    assert docks.findings.cancel_button.isVisibleTo(docks.findings)
    with qtbot.waitSignal(docks.worker.cancelled, timeout=5_000):
        docks.findings.cancel_button.click()
    assert "cancelled" in docks.findings.status.text()
    assert docks.findings.cancel_button.isHidden() and docks.result is None
    qtbot.wait(300)
    assert docks.result is None  # a late answer for the cancelled request is dropped
    short = synthesize(SynthSpec(hr_bpm=60)).record
    with qtbot.waitSignal(docks.analysisShown, timeout=20_000) as blocker:
        window.set_record(short)
    assert blocker.args[0].summary.record_name == short.record_name
    assert docks.findings.view is not None and docks.result is blocker.args[0]


def test_overlay_boxes_follow_and_drive_the_viewer_state(window: QtMainWindow) -> None:
    boxes = window.measure_docks.findings.overlays
    assert boxes["show_fiducials"].isChecked() == window.state.show_fiducials
    boxes["show_fiducials"].click()
    assert window.state.show_fiducials is boxes["show_fiducials"].isChecked()
    window.viewer_actions.by_name["beats"].trigger()
    assert boxes["show_beats"].isChecked() == window.state.show_beats


@pytest.fixture
def process_window(qtbot: QtBot, settings, monkeypatch):  # type: ignore[no-untyped-def]
    """A window whose analysis runs in a worker process, as in the app."""
    monkeypatch.setenv("ECGVIEWER_ANALYSIS_MODE", "process")
    win = QtMainWindow(settings=settings)
    qtbot.addWidget(win)
    win.resize(1200, 800)
    win.show()
    return win


def test_twenty_records_in_quick_succession_show_the_last(qtbot: QtBot, process_window) -> None:  # type: ignore[no-untyped-def]
    docks = process_window.measure_docks
    records = [synthesize(SynthSpec(hr_bpm=50 + 3 * i, seed=i)).record for i in range(20)]
    shown: list[AnalysisResult] = []
    docks.analysisShown.connect(shown.append)
    for record in records:
        process_window.set_record(record)
        QApplication.processEvents()
    qtbot.waitUntil(lambda: bool(shown), timeout=60_000)
    qtbot.wait(200)
    assert len(shown) == 1 and shown[0].generation == docks.worker.generation
    assert shown[0].summary.duration_s == records[-1].duration_s
    assert abs((shown[0].measurements["hr_bpm"] or 0) - (50 + 3 * 19)) <= 2
    service = docks.worker.service
    process_window.close()
    assert not service.worker_alive and multiprocessing.active_children() == []


def test_event_loop_keeps_ticking_while_the_process_analyses(qtbot: QtBot, process_window) -> None:  # type: ignore[no-untyped-def]
    """Responsiveness only (the figure itself: benchmarks/bench_analysis_ui.py)."""
    docks = process_window.measure_docks
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    try:
        for hr in (55, 80, 110):
            with qtbot.waitSignal(docks.analysisShown, timeout=60_000):
                process_window.set_record(synthesize(SynthSpec(hr_bpm=hr)).record)
    finally:
        timer.stop()
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    assert len(ticks) > 20
    assert max(gaps) < 1.0, f"the GUI stalled {max(gaps) * 1e3:.0f} ms"


def test_beat_labels_are_drawn_and_e_jumps_to_the_next_ectopic_beat(
    qtbot: QtBot, window: QtMainWindow
) -> None:
    """A 60 s record with two PVCs: the classifier's labels appear and E/Shift+E find them."""
    ecg = synthesize(SynthSpec(hr_bpm=60, duration_s=60.0, pvc_beats=(20, 45)))
    docks = window.measure_docks
    with qtbot.waitSignal(docks.analysisShown, timeout=30_000) as blocker:
        window.set_record(ecg.record)
    result = blocker.args[0]
    assert result.beat_summary is not None and result.beat_summary["counts"]["VEB"] >= 2
    assert window.state.predicted_beats is not None
    assert "Beats (AI):" in docks.findings.view.beats
    truth = ecg.truth
    pairs = zip(truth.r_peak_s, truth.labels, strict=True)
    pvc_times = [float(t) for t, lab in pairs if lab == "V"]
    window.update_state(lambda s: s.scrolled_to(0.0))
    window.viewer_actions.by_name["next_ectopic"].trigger()
    first = window.state.ectopic_cursor_s
    assert first is not None and window.state.start_s <= first
    veb = [b["time_s"] for b in result.beats if b["label"] == "VEB"]
    assert first == pytest.approx(veb[0], abs=1e-3)
    assert first == pytest.approx(pvc_times[0], abs=0.15)
    window.viewer_actions.by_name["next_ectopic"].trigger()
    assert window.state.ectopic_cursor_s == pytest.approx(veb[1], abs=1e-3)
    window.viewer_actions.by_name["previous_ectopic"].trigger()
    assert window.state.ectopic_cursor_s == pytest.approx(veb[0], abs=1e-3)
    assert any(m.beat_class == "V" for m in window.view.shown_page.beat_labels)


def test_heat_map_strips_follow_the_anomaly_result_and_the_toggle(
    qtbot: QtBot, window: QtMainWindow
) -> None:
    """A PVC in a synthetic record: the heat strip of lead II is darkest at that beat."""
    ecg = synthesize(SynthSpec(hr_bpm=60, pvc_beats=(5,)))
    docks = window.measure_docks
    with qtbot.waitSignal(docks.analysisShown, timeout=30_000):
        window.set_record(ecg.record)
    assert window.state.errors is not None
    page = window.view.shown_page
    leads = {s.lead for s in page.heat_strips}
    assert {"I", "II", "V1", "V6"} <= leads
    strip = next(s for s in page.heat_strips if s.lead == "II")
    panel = next(p for p in page.layout.panels if p.lead == "II" and p.row == 3)
    assert strip.x_mm == panel.x_mm
    pvc_s = float(ecg.truth.r_peak_s[[lab == "V" for lab in ecg.truth.labels]][0])
    rhythm = [s for s in page.heat_strips if s.lead == "II" and s.x_mm == panel.x_mm][-1]
    centres = panel.offset_s + (np.arange(len(rhythm.levels)) + 0.5) * panel.duration_s / len(
        rhythm.levels
    )
    near = np.abs(centres - pvc_s) < 0.4
    assert rhythm.levels[near].max() == rhythm.levels.max() > np.median(rhythm.levels)
    assert window.view._page.heat_strips_shown == len(page.heat_strips)
    docks.findings.overlays["show_heatmap"].click()
    assert window.state.show_heatmap is False and window.view.shown_page.heat_strips == ()
