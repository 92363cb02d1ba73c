"""The worklist window: batch in a thread, flagged-first table, filters, J/K, reviews, closing.

Flags come from ``fake_analyse`` (no classifier is bundled yet): deterministic per record name.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QBrush, QFont
from pytestqt.qtbot import QtBot

from ecgviewer.controllers.worklist_view import COLUMNS, FLAG_COLUMN
from ecgviewer.ui.qt_main_window import QtMainWindow
from ecgviewer.ui.qt_worklist import QtWorklistWindow
from ecgviewer.worklist import Store, index_folder, review_history, run_batch
from tests.worklist.helpers import fake_analyse, make_folder, slow_analyse

N_RECORDS = 30
VERSION = "test"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("worklist-ui") / "ecgs"
    make_folder(root, N_RECORDS, per_folder=10)
    return root


@pytest.fixture(scope="module")
def analysed_db(folder: Path) -> Path:
    """A database of the folder already analysed (copied per test)."""
    db = folder.parent / "template.sqlite3"
    with Store.open(db, folder, version=VERSION) as store:
        index_folder(store)
        assert run_batch(store, workers=0, analyse=fake_analyse).analysed == N_RECORDS
    return db


def _open(
    qtbot: QtBot, folder: Path, db: Path, settings: QSettings, **kw: object
) -> QtWorklistWindow:
    win = QtWorklistWindow(
        folder, settings=settings, db_path=db, version=VERSION, workers=0,
        analyse=kw.pop("analyse", fake_analyse), **kw,  # type: ignore[arg-type]
    )  # fmt: skip
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


@pytest.fixture
def worklist(
    qtbot: QtBot, folder: Path, analysed_db: Path, tmp_path: Path, settings: QSettings
) -> Iterator[QtWorklistWindow]:
    db = tmp_path / "worklist.sqlite3"
    shutil.copy(analysed_db, db)
    win = _open(qtbot, folder, db, settings)
    yield win
    win.close()


def _rows(win: QtWorklistWindow) -> list:  # type: ignore[type-arg]
    return [win.model.row_at(i) for i in range(win.model.rowCount())]


def test_batch_fills_the_table_with_flagged_records_first_and_styled(
    qtbot: QtBot, folder: Path, tmp_path: Path, settings: QSettings
) -> None:
    win = _open(qtbot, folder, tmp_path / "fresh.sqlite3", settings)
    assert win.model.rowCount() == 0  # nothing indexed before the batch
    with qtbot.waitSignal(win.batch.finished, timeout=20_000) as done:
        win.start_batch()
    assert done.args[0].analysed == N_RECORDS
    assert win.model.rowCount() == N_RECORDS
    assert win.progress_label.text().startswith(f"{N_RECORDS} of {N_RECORDS} records")
    assert not win.cancel_button.isEnabled()
    flags = [r.n_flagged > 0 for r in _rows(win)]
    assert 0 < sum(flags) < N_RECORDS
    assert flags == sorted(flags, reverse=True), "flagged records must come first"

    first = win.model.index(0, FLAG_COLUMN)
    last = win.model.index(N_RECORDS - 1, FLAG_COLUMN)
    assert win.model.data(first).startswith("⚑")
    font = win.model.data(win.model.index(0, 1), Qt.ItemDataRole.FontRole)
    assert isinstance(font, QFont) and font.bold()
    assert win.model.data(win.model.index(N_RECORDS - 1, 1), Qt.ItemDataRole.FontRole) is None
    brush = win.model.data(first, Qt.ItemDataRole.BackgroundRole)
    assert isinstance(brush, QBrush) and brush.color().red() > 150 > brush.color().green()
    assert win.model.data(last, Qt.ItemDataRole.BackgroundRole) is None
    # and a person sees it: the flag cell of the first row is painted red
    rect = win.table.visualRect(first)
    image = win.table.viewport().grab(rect).toImage()
    pixel = image.pixelColor(2, rect.height() // 2)
    assert pixel.red() > 150 > pixel.green(), pixel.name()
    win.close()
    assert not win.batch.running


def test_flagged_only_and_search_reduce_the_rows(worklist: QtWorklistWindow) -> None:
    all_rows = _rows(worklist)
    assert len(all_rows) == N_RECORDS
    n_flagged = sum(r.n_flagged > 0 for r in all_rows)
    worklist.preset_box.setCurrentIndex(worklist.preset_box.findData("flagged"))
    rows = _rows(worklist)
    assert len(rows) == n_flagged < N_RECORDS
    assert all(r.n_flagged > 0 for r in rows)
    assert worklist.count_label.text().startswith(f"{n_flagged} shown · {n_flagged} flagged")
    worklist.preset_box.setCurrentIndex(worklist.preset_box.findData("all"))
    worklist.search.setText("r0017")
    assert [r.record_name for r in _rows(worklist)] == ["r0017"]


def test_header_clicks_sort_in_the_database(qtbot: QtBot, worklist: QtWorklistWindow) -> None:
    hr = [c.title for c in COLUMNS].index("HR (bpm)")
    worklist.table.horizontalHeader().sectionClicked.emit(hr)  # as a click does
    worklist.table.sortByColumn(hr, Qt.SortOrder.AscendingOrder)
    values = [r.hr_bpm for r in _rows(worklist)]
    assert worklist.view_state.query().sort_by == "hr_bpm"
    assert values == sorted(values)
    worklist.table.sortByColumn(hr, Qt.SortOrder.DescendingOrder)
    assert [r.hr_bpm for r in _rows(worklist)] == sorted(values, reverse=True)


def test_j_and_k_step_through_flagged_records(qtbot: QtBot, worklist: QtWorklistWindow) -> None:
    worklist.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)  # by path: flags interleaved
    rows = _rows(worklist)
    flagged = [i for i, r in enumerate(rows) if r.n_flagged]
    assert len(flagged) >= 2
    worklist.table.setCurrentIndex(worklist.model.index(0, 1))
    worklist.activateWindow()
    worklist.table.setFocus()
    qtbot.waitUntil(worklist.isActiveWindow)
    expected = [i for i in flagged if i > 0]
    qtbot.keyClick(worklist.table, Qt.Key.Key_J)
    assert worklist.table.currentIndex().row() == expected[0]
    qtbot.keyClick(worklist.table, Qt.Key.Key_F3)
    assert worklist.table.currentIndex().row() == expected[1]
    qtbot.keyClick(worklist.table, Qt.Key.Key_K)
    assert worklist.table.currentIndex().row() == expected[0]
    last = worklist.model.index(flagged[-1], 1)
    worklist.table.setCurrentIndex(last)
    assert not worklist.go_flagged(1)  # past the last one: stays, says so
    assert worklist.table.currentIndex().row() == flagged[-1]
    assert "No flagged record below" in worklist.statusBar().currentMessage()


def test_a_review_from_the_panel_lands_in_the_history(
    qtbot: QtBot, worklist: QtWorklistWindow, settings: QSettings
) -> None:
    worklist.table.setCurrentIndex(worklist.model.index(0, 1))
    row = worklist.model.row_at(0)
    assert row.n_open > 0
    finding = row.flagged[0]
    panel = worklist.review_panel
    assert (finding, "confirm") in panel.buttons
    # without a name nothing is written
    panel.buttons[(finding, "confirm")].click()
    assert "reviewer" in worklist.statusBar().currentMessage()
    panel.reviewer.setText("Dr Test")
    panel.comment.setText("clear AF")
    panel.buttons[(finding, "confirm")].click()
    with Store.open(worklist._store.path, worklist._store.root, version=VERSION) as other:
        history = review_history(other, row.record_id)
    assert [(h.finding, h.decision, h.reviewer, h.comment) for h in history] == [
        (finding, "confirm", "Dr Test", "clear AF")
    ]
    updated = worklist.model.row_at(worklist.model.row_of(row.record_id) or 0)
    assert updated.record_id == row.record_id and updated.n_confirmed == 1
    assert worklist.current_record_id() == row.record_id  # still selected after re-sorting
    assert panel.buttons[(finding, "confirm")].isChecked()
    assert settings.value("worklist/reviewer") == "Dr Test"


def test_enter_opens_the_record_in_the_viewer(
    qtbot: QtBot, window: QtMainWindow, folder: Path, analysed_db: Path, tmp_path: Path,
    settings: QSettings,
) -> None:  # fmt: skip
    assert "worklist" in window.viewer_actions.by_name
    db = tmp_path / "worklist.sqlite3"
    shutil.copy(analysed_db, db)
    win = QtWorklistWindow(
        folder, settings=settings, db_path=db, version=VERSION, workers=0,
        open_record=window.open_path, parent=window,
    )  # fmt: skip
    win.show()
    win.table.setCurrentIndex(win.model.index(0, 1))
    name = win.model.row_at(0).record_name
    qtbot.keyClick(win.table, Qt.Key.Key_Return)
    assert window.record is not None and window.record.record_name == name
    window.close()  # closing the viewer closes its worklist windows
    assert not win.isVisible()


def test_cancel_stops_a_running_batch_and_closing_leaves_no_thread(
    qtbot: QtBot, folder: Path, tmp_path: Path, settings: QSettings
) -> None:
    win = _open(qtbot, folder, tmp_path / "fresh.sqlite3", settings, analyse=slow_analyse)
    with qtbot.waitSignal(win.batch.progress, timeout=10_000):
        win.start_batch()
    assert win.batch.running and win.cancel_button.isEnabled()
    win.pause_button.setChecked(True)
    assert win.batch.control.paused and win.pause_button.text() == "Resume"
    with qtbot.waitSignal(win.batch.finished, timeout=10_000) as done:
        win.cancel_button.click()
    report = done.args[0]
    assert report.cancelled and report.analysed < N_RECORDS
    assert win.model.rowCount() == N_RECORDS  # indexed, partly analysed
    assert any(r.status == "pending" for r in _rows(win))
    # start again and close while it runs: the thread is stopped and waited for
    with qtbot.waitSignal(win.batch.progress, timeout=10_000):
        win.start_batch()
    assert win.batch.running
    win.close()
    assert not win.batch.running


def test_export_pdf_carries_the_review(worklist: QtWorklistWindow, tmp_path: Path) -> None:
    import subprocess

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    assert worklist.export_pdf(tmp_path / "none.pdf") is None  # nothing selected yet
    worklist.table.setCurrentIndex(worklist.model.index(0, 1))
    row = worklist.model.row_at(0)
    finding = row.flagged[0]
    worklist.review_panel.reviewer.setText("Dr Export")
    worklist.review_panel.buttons[(finding, "reject")].click()
    worklist.table.setCurrentIndex(worklist.model.index(worklist.model.row_of(row.record_id), 1))
    pdf = worklist.export_pdf(tmp_path / "out.pdf")
    assert pdf is not None and pdf.read_bytes()[:4] == b"%PDF"
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Dr Export" in text and finding in text
