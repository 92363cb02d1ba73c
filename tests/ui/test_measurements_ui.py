"""Measurements in the viewer: background worker, table, fiducial ticks, medians, PDF export."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from ecgviewer.controllers.measurements_view import FIDUCIAL_TICK_MM
from ecgviewer.dsp.measure import Measurements
from ecgviewer.synth import SynthSpec, synthesize
from ecgviewer.ui.qt_main_window import QtMainWindow


@pytest.fixture(scope="module")
def synth75():  # type: ignore[no-untyped-def]
    return synthesize(SynthSpec(hr_bpm=75))


def _open_and_wait(qtbot: QtBot, window: QtMainWindow, record: object) -> Measurements:
    docks = window.measure_docks
    with qtbot.waitSignal(docks.measurementsShown, timeout=10_000) as blocker:
        window.set_record(record)  # type: ignore[arg-type]
        assert docks.table.status_text.startswith("Measuring")
    result = blocker.args[0]
    assert isinstance(result, Measurements)
    return result


def test_table_shows_measurements(qtbot: QtBot, window: QtMainWindow, synth75) -> None:  # type: ignore[no-untyped-def]
    _open_and_wait(qtbot, window, synth75.record)
    table = window.measure_docks.table
    assert abs(float(table.value_text("hr_bpm")) - 75) <= 1
    assert abs(float(table.value_text("qrs_ms")) - synth75.truth.qrs_ms) <= 15
    assert table.value_text("rr_ms").startswith("800 ±")
    labels = [table.table.item(i, 0).text() for i in range(table.table.rowCount())]
    assert "QTc Fridericia" in labels and "P axis" in labels
    assert not window.measure_docks.worker.busy


def test_fiducial_ticks_on_the_traces_and_toggle(  # type: ignore[no-untyped-def]
    qtbot: QtBot, window: QtMainWindow, synth75
) -> None:
    m = _open_and_wait(qtbot, window, synth75.record)
    assert window.state.fiducials is not None
    curve = window.view.page.fiducial_curves["qrs_on"]
    x, y = curve.getData()
    panel = window.view.page_layout.panels[0]
    t0, _ = panel.window_s(window.state.start_s)
    beat = m.beat_records[1]
    expected = panel.x_mm + (beat.qrs_on_s - t0) * panel.mm_per_s
    i = int(np.argmin(np.abs(x - expected)))
    assert x[i] == pytest.approx(expected, abs=1e-6)
    tick = sorted((float(y[i]), float(y[i ^ 1])))
    base = panel.baseline_y_mm
    assert tick == pytest.approx([base - FIDUCIAL_TICK_MM, base + FIDUCIAL_TICK_MM])
    window.viewer_actions.by_name["fiducials"].trigger()
    assert not window.state.show_fiducials
    assert window.view.page.fiducial_curves["qrs_on"].getData()[0] is None or not len(
        window.view.page.fiducial_curves["qrs_on"].getData()[0]
    )
    window.viewer_actions.by_name["fiducials"].trigger()
    assert len(window.view.page.fiducial_curves["qrs_on"].getData()[0]) == len(x)


def test_ticks_move_when_scrolling(qtbot: QtBot, window: QtMainWindow) -> None:
    long = synthesize(SynthSpec(hr_bpm=60, duration_s=30.0)).record
    _open_and_wait(qtbot, window, long)
    before = np.array(window.view.page.fiducial_curves["qrs_on"].getData()[0])
    window.update_state(lambda s: s.scrolled_to(10.4))
    after = np.array(window.view.page.fiducial_curves["qrs_on"].getData()[0])
    assert window.state.start_s == pytest.approx(10.4)
    assert after.size and not np.array_equal(before[: after.size], after[: before.size])


def test_median_dock_has_twelve_curves(qtbot: QtBot, window: QtMainWindow, synth75) -> None:  # type: ignore[no-untyped-def]
    _open_and_wait(qtbot, window, synth75.record)
    medians = window.measure_docks.medians
    assert len(medians.curves) == 12
    assert medians.sheet is not None and len(medians.sheet.lines) == 12 * 4
    window.set_record(None)
    assert medians.curves == ()


def test_stale_result_is_dropped(qtbot: QtBot, window: QtMainWindow) -> None:
    first = synthesize(SynthSpec(hr_bpm=60)).record
    second = synthesize(SynthSpec(hr_bpm=100)).record
    docks = window.measure_docks
    dropped: list[int] = []
    docks.worker.dropped.connect(dropped.append)
    with qtbot.waitSignal(docks.measurementsShown, timeout=10_000) as blocker:
        window.set_record(first)
        window.set_record(second)  # before the first answer can arrive
    assert blocker.args[0].hr_bpm == pytest.approx(100, abs=1)
    qtbot.wait(300)  # give a stale answer (if the first job had started) time to arrive
    assert abs(float(docks.table.value_text("hr_bpm")) - 100) <= 1
    assert window.state.record is second
    # The first job was running when the second record came: its answer arrived and was dropped.
    assert len(dropped) == 1 and dropped[0] < docks.worker.generation


def test_export_pdf(
    qtbot: QtBot, window: QtMainWindow, synth75, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    _open_and_wait(qtbot, window, synth75.record)
    target = tmp_path / "out"
    asked: list[str] = []

    def fake_save(_parent, _title, default, filters):  # type: ignore[no-untyped-def]
        asked.append(default)
        return str(target), filters.split(";;")[1]

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake_save))
    window.viewer_actions.by_name["export_pdf"].trigger()
    pdf = tmp_path / "out.pdf"
    assert asked and asked[0].endswith(f"{synth75.record.record_name}.pdf")
    assert pdf.stat().st_size > 10_000 and pdf.read_bytes().startswith(b"%PDF")
    assert "Letter" in window.statusBar().currentMessage()


def test_export_failure_explains(
    qtbot: QtBot, window: QtMainWindow, synth75, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    window.set_record(synth75.record)
    bad = tmp_path / "missing-dir" / "x.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a: (str(bad), "PDF")))
    shown: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", staticmethod(lambda _p, _t, text: shown.append(text))
    )
    assert window.measure_docks.export_pdf() is None
    assert shown and "could not be written" in shown[0]
    assert not bad.exists()


def test_close_leaves_no_running_worker(qtbot: QtBot, settings, synth75) -> None:  # type: ignore[no-untyped-def]
    win = QtMainWindow(settings=settings)
    qtbot.addWidget(win)
    win.show()
    win.set_record(synth75.record)
    service = win.measure_docks.worker.service
    assert win.measure_docks.worker.busy and service.worker_alive
    win.close()
    assert not service.worker_alive
    qtbot.wait(100)  # the in-flight answer, if any, arrives and is dropped
    assert win.measure_docks.measurements is None
    assert win.measure_docks.table.status_text.startswith("Measuring")
