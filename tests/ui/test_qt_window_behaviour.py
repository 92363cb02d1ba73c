"""Main window behaviour around files: info panel, errors, drag and drop, start-up, shut-down."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, QSettings, Qt, QTimer, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

import ecgviewer.ui.app as app_module
from ecgviewer.io import RecordError, open_record
from ecgviewer.ui.qt_main_window import QtMainWindow
from tests.controllers.synthetic_records import twelve_lead
from tests.io.wfdb_helpers import write_record


@pytest.fixture
def window(qtbot: QtBot, settings: QSettings) -> QtMainWindow:
    win = QtMainWindow(settings=settings)
    qtbot.addWidget(win)
    win.resize(1400, 850)
    win.show()
    return win


def test_info_panel_lists_every_conversion(window: QtMainWindow) -> None:
    record = twelve_lead()
    window.set_record(record)
    text = window.info.toPlainText()
    assert "Conversions made when reading (2)" in text
    assert "Samples converted from µV to mV." in text
    assert "Lead III computed as II − I." in text
    assert "500 Hz" in text and "synthetic-12" in text
    assert window.windowTitle().startswith("synthetic-12")
    assert window.info.isVisible()  # on screen, not in a tooltip


def test_non_ecg_file_shows_the_reader_message_and_keeps_the_record(
    window: QtMainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, title, text: shown.append((title, text)))
    record = twelve_lead()
    window.set_record(record)
    picture = tmp_path / "holiday.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    with pytest.raises(RecordError) as err:
        open_record(picture)
    assert window.open_path(str(picture)) is False
    assert len(shown) == 1
    assert err.value.message in shown[0][1]
    assert "still shown" in shown[0][1]
    assert window.record is record
    assert window.windowTitle().startswith("synthetic-12")
    assert len(window.view.page.curves) == 13


def test_dropping_a_record_opens_it_by_its_header(window: QtMainWindow, tmp_path: Path) -> None:
    header, _ = write_record(tmp_path, "dropped")
    mime = QMimeData()
    # A WFDB record dragged from a file manager arrives as both files, .dat first.
    mime.setUrls(
        [QUrl.fromLocalFile(str(header.with_suffix(".dat"))), QUrl.fromLocalFile(str(header))]
    )
    event = QDropEvent(
        QPointF(100, 100),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(event)
    assert window.record is not None
    assert window.record.record_name == "dropped"
    assert window.recent_menu.paths()[0] == str(header)


def test_missing_demo_opens_an_empty_window_with_a_note(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app_module, "demo_record_path", lambda: tmp_path / "nope" / "demo.hea")
    window = app_module.create_window(None)
    qtbot.addWidget(window)
    assert window.record is None
    assert "demo recording is missing" in window.statusBar().currentMessage()
    assert window.view.page.curves == ()


def test_run_returns_after_close_and_leaves_nothing_behind(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[QtMainWindow] = []
    real_create = app_module.create_window

    def create(path: str | None = None, layout: object = None) -> QtMainWindow:
        window = real_create(path, layout)  # type: ignore[arg-type]
        opened.append(window)
        QTimer.singleShot(50, window.close)
        return window

    monkeypatch.setattr(app_module, "create_window", create)
    assert app_module.run(None) == 0
    assert len(opened) == 1
    # WA_DeleteOnClose: the window is gone once its deferred delete runs.
    qtbot.waitUntil(
        lambda: not any(isinstance(w, QtMainWindow) for w in QApplication.topLevelWidgets()),
        timeout=2000,
    )
    for thread in threading.enumerate():
        if thread.name == "warm-up":
            thread.join(timeout=10)  # a start-up helper may still be importing; it must end
    assert not [t for t in threading.enumerate() if t.name == "warm-up"]
