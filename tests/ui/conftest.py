"""Qt test setup: offscreen platform, isolated settings, and a guard against leaked windows."""

from __future__ import annotations

import os
import tempfile

# Before any Qt import: tests must never need a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_SETTINGS_DIR = tempfile.mkdtemp(prefix="ecgviewer-test-settings-")
os.environ["XDG_CONFIG_HOME"] = _SETTINGS_DIR
# One analysis worker thread per window, sharing the loaded model, instead of one process each
# (tests/ui/test_analysis_ui.py runs the process worker the app uses).
os.environ.setdefault("ECGVIEWER_ANALYSIS_MODE", "thread")

import gc  # noqa: E402
import threading  # noqa: E402
from collections.abc import Iterator  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtCore import QCoreApplication, QEvent, QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication, QDialog, QMainWindow, QWidget  # noqa: E402
from pytestqt.qtbot import QtBot  # noqa: E402

from ecgviewer.ui.qt_main_window import QtMainWindow  # noqa: E402

# QSettings("ecgviewer", "ecgviewer") must never touch the real user's recent-files list.
QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, _SETTINGS_DIR)
QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, _SETTINGS_DIR)


def _flush_deletes() -> None:
    app = QApplication.instance()
    if app is None:
        return
    app.processEvents()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def _is_open_window(widget: QWidget) -> bool:
    """A window a user would see, or a main window/dialog that outlived its test.

    Hidden parentless popup menus are not counted: pyqtgraph's PlotItem creates its context
    menu without a parent, and it lives as long as the Python wrapper of its window does.
    """
    try:
        return widget.isVisible() or isinstance(widget, QMainWindow | QDialog)
    except RuntimeError:  # already deleted on the C++ side
        return False


@pytest.fixture(autouse=True)
def _no_leaked_widgets_or_threads(qapp: QApplication) -> Iterator[None]:
    """Fail a test that leaves windows or threads behind (as napari does).

    pytest-qt closes widgets registered with ``qtbot.addWidget`` before fixtures tear down,
    so a window still here was created and not closed by the code under test.
    """
    _flush_deletes()
    widgets_before = set(QApplication.topLevelWidgets())
    threads_before = set(threading.enumerate())
    yield
    _flush_deletes()
    leaked = [
        w for w in QApplication.topLevelWidgets() if w not in widgets_before and _is_open_window(w)
    ]
    names = [type(w).__name__ for w in leaked]
    threads = [t for t in threading.enumerate() if t not in threads_before and t.is_alive()]
    for widget in leaked:  # close them so one leak does not fail every later test
        widget.close()
        widget.deleteLater()
    _flush_deletes()
    assert not leaked, f"test left windows open: {names}"
    assert not threads, f"test left threads running: {[t.name for t in threads]}"


@pytest.fixture
def settings(tmp_path) -> QSettings:  # type: ignore[no-untyped-def]
    """A fresh settings file per test."""
    return QSettings(str(tmp_path / "ecgviewer.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot: QtBot, settings: QSettings) -> QtMainWindow:
    """A shown main window using the temporary settings, laid out at a fixed size."""
    win = QtMainWindow(settings=settings)
    qtbot.addWidget(win)
    win.resize(1400, 900)
    win.show()
    qtbot.waitExposed(win)
    return win
