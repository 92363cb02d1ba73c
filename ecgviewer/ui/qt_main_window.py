"""``QtMainWindow``: menus, file opening, drag and drop, and the parts laid out together.

The window owns the current :class:`~ecgviewer.controllers.viewer.ViewerState` and hands it to
the widgets; it draws nothing itself. A file that cannot be opened produces a message box
with the reader's explanation and leaves the record already shown in place.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QWidget,
)

from ecgviewer.controllers.record_info import describe_record
from ecgviewer.controllers.viewer import ViewerState
from ecgviewer.io import RecordError, open_record
from ecgviewer.io.record import Record
from ecgviewer.ui.qt_ecg_view import QtEcgView
from ecgviewer.ui.qt_recent_files import QtRecentFilesMenu
from ecgviewer.ui.qt_record_info import QtRecordInfo

log = logging.getLogger(__name__)

APP_TITLE = "ECG Viewer"
FILE_FILTERS = ";;".join(
    (
        "ECG recordings (*.hea *.dat *.mat *.edf *.bdf *.dcm *.xml *.csv *.txt)",
        "WFDB / PhysioNet (*.hea *.dat *.mat)",
        "EDF / BDF (*.edf *.bdf)",
        "DICOM waveform (*.dcm)",
        "HL7 aECG XML (*.xml)",
        "CSV / text (*.csv *.txt)",
        "All files (*)",
    )
)


def _settings_dir(settings: QSettings) -> str:
    return str(settings.value("last_dir", str(Path.home())))


class QtMainWindow(QMainWindow):
    """The viewer window. ``settings`` defaults to the user's ``ecgviewer`` QSettings."""

    def __init__(self, settings: QSettings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._settings = settings if settings is not None else QSettings("ecgviewer", "ecgviewer")
        self._state = ViewerState()
        self.setWindowTitle(APP_TITLE)
        self.setAcceptDrops(True)

        self._view = QtEcgView(self)
        self.setCentralWidget(self._view)
        self._info = QtRecordInfo(self)
        self._info_dock = QDockWidget("Recording", self)
        self._info_dock.setObjectName("record_info_dock")
        self._info_dock.setWidget(self._info)
        self._info_dock.setMinimumWidth(300)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self._info_dock)

        self._recent = QtRecentFilesMenu(self._settings, self)
        self._recent.pathChosen.connect(self.open_path)
        self._fit_action = QAction("&Fit Page to Window", self, checkable=True)
        self._fit_action.setShortcut(QKeySequence("Ctrl+0"))
        self._fit_action.toggled.connect(self._on_fit_toggled)
        self._build_menus()

        self._scale_label = QLabel(self)
        self.statusBar().addPermanentWidget(self._scale_label)
        self._view.scaleChanged.connect(lambda _ppm, text: self._scale_label.setText(text))

    # -- public API -------------------------------------------------------------------------
    @property
    def state(self) -> ViewerState:
        return self._state

    @property
    def record(self) -> Record | None:
        return self._state.record

    @property
    def view(self) -> QtEcgView:
        return self._view

    @property
    def info(self) -> QtRecordInfo:
        return self._info

    @property
    def recent_menu(self) -> QtRecentFilesMenu:
        return self._recent

    def set_state(self, state: ViewerState) -> None:
        """Show ``state``; widgets are told only about what changed."""
        old, self._state = self._state, state
        self._view.set_state(state)
        if state.record is not old.record:
            record = state.record
            summary = describe_record(record, self._view.page_layout) if record else None
            self._info.set_summary(summary)
            self.setWindowTitle(f"{record.record_name} — {APP_TITLE}" if record else APP_TITLE)
        self._fit_action.setChecked(state.scale_mode == "fit")

    def set_record(self, record: Record | None) -> None:
        self.set_state(self._state.with_record(record))

    def open_path(self, path: str, *, remember: bool = True) -> bool:
        """Open the recording at ``path``; on failure explain why and keep the current one.

        Returns whether the recording was opened. Never raises for a bad file.
        """
        name = Path(path).name or path
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            record = open_record(path)
        except RecordError as exc:
            message = exc.message
        except OSError as exc:  # permissions, a vanished network drive
            message = f"{name} could not be read: {exc.strerror or exc}."
        except Exception as exc:  # a bug must not cost the clinician the open record
            log.exception("unexpected failure opening %s", path)
            message = (
                f"An unexpected error stopped {name} from opening ({type(exc).__name__}: {exc})."
            )
        else:
            message = ""
        finally:
            QApplication.restoreOverrideCursor()
        if message:
            self._show_open_error(name, message)
            return False
        self.set_record(record)
        if remember:
            self._recent.add(path)
        issues = (
            f" · {len(record.issues)} signal problem(s), see the panel" if record.issues else ""
        )
        self.statusBar().showMessage(f"Opened {name}{issues}", 10_000)
        return True

    def show_status(self, text: str) -> None:
        self.statusBar().showMessage(text)

    # -- menus and actions ------------------------------------------------------------------
    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        open_action = file_menu.addAction("&Open…")
        open_action.setShortcut(QKeySequence.StandardKey.Open)
        open_action.triggered.connect(self.choose_file)
        file_menu.addMenu(self._recent)
        file_menu.addSeparator()
        quit_action = file_menu.addAction("&Quit")
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.close)

        view_menu = self.menuBar().addMenu("&View")
        view_menu.addAction(self._fit_action)
        view_menu.addAction(self._info_dock.toggleViewAction())

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Open ECG recording", _settings_dir(self._settings), FILE_FILTERS
        )
        if path:
            self._settings.setValue("last_dir", str(Path(path).parent))
            self.open_path(path)

    def _on_fit_toggled(self, checked: bool) -> None:
        mode = "fit" if checked else "true"
        if mode != self._state.scale_mode:
            self.set_state(replace(self._state, scale_mode=mode))

    def _show_open_error(self, name: str, message: str) -> None:
        kept = "The recording already open is still shown." if self.record else ""
        QMessageBox.warning(
            self,
            "Cannot open recording",
            f"{name} could not be opened.\n\n{message}\n\n{kept}".strip(),
        )
        self.statusBar().showMessage(f"Could not open {name}", 10_000)

    # -- drag and drop ----------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        # A WFDB record is often dropped as its .hea and .dat together: open it once, by its header.
        headers = [p for p in paths if p.lower().endswith(".hea")]
        self.open_path((headers or paths)[0])

    def closeEvent(self, event: QCloseEvent) -> None:
        self._settings.sync()
        super().closeEvent(event)
