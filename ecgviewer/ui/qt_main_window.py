"""``QtMainWindow``: the parts laid out together, file opening, drag and drop, settings.

The window owns the current :class:`~ecgviewer.controllers.viewer.ViewerState` and hands each
new one to the widgets, which touch only what changed; it draws nothing itself. Menus and
shortcuts live in :mod:`ecgviewer.ui.qt_actions`, dialogs in :mod:`ecgviewer.ui.qt_dialogs`.
A file that cannot be opened produces a message box with the reader's explanation and leaves
the record already shown in place.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from ecgviewer.controllers.calipers import Caliper, is_click
from ecgviewer.controllers.navigation import format_time, parse_time
from ecgviewer.controllers.record_info import describe_display, describe_record
from ecgviewer.controllers.viewer import ViewerState
from ecgviewer.io import RecordError, open_record
from ecgviewer.io.record import Record
from ecgviewer.ui.qt_actions import QtViewerActions, Transition
from ecgviewer.ui.qt_dialogs import QtCalibrationDialog, ask_time
from ecgviewer.ui.qt_ecg_view import QtEcgView
from ecgviewer.ui.qt_measure_docks import QtMeasureDocks
from ecgviewer.ui.qt_overview import QtOverview
from ecgviewer.ui.qt_recent_files import QtRecentFilesMenu
from ecgviewer.ui.qt_record_info import QtRecordInfo
from ecgviewer.ui.qt_settings import load_state, restore_window, save_state, save_window

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


class QtMainWindow(QMainWindow):
    """The viewer window. ``settings`` defaults to the user's ``ecgviewer`` QSettings."""

    def __init__(self, settings: QSettings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._settings = settings if settings is not None else QSettings("ecgviewer", "ecgviewer")
        self._state = ViewerState()
        self.setWindowTitle(APP_TITLE)
        self.setAcceptDrops(True)

        self._view = QtEcgView(self)
        self._overview = QtOverview(self)
        central = QWidget(self)
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self._view, 1)
        column.addWidget(self._overview)
        self.setCentralWidget(central)
        self._info = QtRecordInfo(self)
        self._info_dock = QDockWidget("Recording", self)
        self._info_dock.setObjectName("record_info_dock")
        self._info_dock.setWidget(self._info)
        self._info_dock.setMinimumWidth(300)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self._info_dock)

        self._measure = QtMeasureDocks(self, self, self._settings)
        # AI findings on top; the measurement table under them (the recording's details a tab
        # beside it); the median beats at the bottom.
        findings = self._measure.findings_dock
        self.splitDockWidget(findings, self._info_dock, Qt.Orientation.Vertical)
        self.splitDockWidget(self._info_dock, self._measure.median_dock, Qt.Orientation.Vertical)
        self.tabifyDockWidget(self._info_dock, self._measure.table_dock)
        self._measure.table_dock.raise_()
        self.resizeDocks(
            [findings, self._info_dock, self._measure.median_dock],
            [430, 260, 200],
            Qt.Orientation.Vertical,
        )
        self._measure.findings.ectopicRequested.connect(
            lambda forward: self.update_state(lambda s: s.jumped_to_ectopic(forward))
        )
        self._measure.findings.overlayToggled.connect(
            lambda field, on: self.update_state(lambda s: replace(s, **{field: on}))
        )
        self._measure.findings.errorBeatRequested.connect(
            lambda lead, t: self.update_state(lambda s: s.jumped_to_error(lead, t))
        )

        self._recent = QtRecentFilesMenu(self._settings, self)
        self._recent.pathChosen.connect(self.open_path)
        self._actions = QtViewerActions(self, self, self._recent)
        self._actions.view_menu.addAction(self._measure.findings_dock.toggleViewAction())
        self._actions.view_menu.addAction(self._info_dock.toggleViewAction())
        self._actions.view_menu.addAction(self._measure.table_dock.toggleViewAction())
        self._actions.view_menu.addAction(self._measure.median_dock.toggleViewAction())

        self._scale_label = QLabel(self)
        self._caliper_label = QLabel(self)
        self.statusBar().addPermanentWidget(self._caliper_label)
        self.statusBar().addPermanentWidget(self._scale_label)
        self._view.scaleChanged.connect(self._on_scale)
        self._view.caliperDragged.connect(self._on_caliper)
        self._view.leadMenuRequested.connect(self._on_lead_menu)
        self._overview.startRequested.connect(
            lambda t: self.update_state(lambda s: s.scrolled_to(t))
        )
        self._display_notes: tuple[str, ...] = ()
        self._saved: dict[str, str] | None = None
        self.set_state(load_state(self._settings, self._state))
        self._view.setFocus()

    # -- public API ----------------------------------------------------------------------------
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
    def overview(self) -> QtOverview:
        return self._overview

    @property
    def info(self) -> QtRecordInfo:
        return self._info

    @property
    def measure_docks(self) -> QtMeasureDocks:
        """The measurement table, the median beats and their background worker."""
        return self._measure

    @property
    def recent_menu(self) -> QtRecentFilesMenu:
        return self._recent

    @property
    def viewer_actions(self) -> QtViewerActions:
        return self._actions

    @property
    def caliper_text(self) -> str:
        return str(self._caliper_label.text())

    def set_state(self, state: ViewerState) -> None:
        """Show ``state``; each widget is told and touches only what changed for it."""
        old, self._state = self._state, state
        self._view.set_state(state)
        self._overview.set_state(state)
        self._actions.sync(state)
        self._measure.findings.sync_overlays(
            {
                "show_fiducials": state.show_fiducials,
                "show_beats": state.show_beats,
                "show_heatmap": state.show_heatmap,
                "show_restored": state.show_restored,
            }
        )
        self._sync_restored_toggle(state)
        self._refresh_info(force=state.record is not old.record)
        if state.record is not old.record:
            self._measure.set_record(state.record)
        if state.calipers != old.calipers:
            self._caliper_label.setText(state.calipers[-1].describe() if state.calipers else "")
        self._saved = save_state(self._settings, state, self._saved)

    def _sync_restored_toggle(self, state: ViewerState) -> None:
        """The restored-trace toggles work only once the anomaly model restored this record."""
        available = state.restored is not None
        if state.record is None:
            why = "Open a recording first."
        else:
            why = (
                "No restored trace: the anomaly model has not restored this recording (it is "
                "still running, or it needs the 12 standard leads; see the AI Findings notices)."
            )
        self._measure.findings.set_overlay_available("show_restored", available, why)
        action = self._actions.by_name["restored"]
        action.setEnabled(available)
        action.setToolTip("" if available else why)

    def _refresh_info(self, force: bool = False) -> None:
        """Update the record panel when the record or what the screen does to it changed."""
        state, layout = self._state, self._view.page_layout
        notes = describe_display(state, layout, self._view.px_per_mm)
        if not force and notes == self._display_notes:
            return
        self._display_notes = notes
        record = state.record
        self._info.set_summary(describe_record(record, layout) if record else None, notes)
        self.setWindowTitle(f"{record.record_name} — {APP_TITLE}" if record else APP_TITLE)

    def update_state(self, transition: Transition) -> None:
        """Apply a pure transition to the current state."""
        self.set_state(transition(self._state))

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

    def go_to_time(self, text: str) -> bool:
        """Scroll so the page starts at the time in ``text``; explain in the status bar if bad."""
        try:
            t = parse_time(text)
        except ValueError as exc:
            self.statusBar().showMessage(str(exc), 10_000)
            return False
        self.update_state(lambda s: s.scrolled_to(t))
        return True

    # -- commands (menus) ----------------------------------------------------------------------
    def choose_file(self) -> None:
        start = str(self._settings.value("last_dir", str(Path.home())))
        path, _ = QFileDialog.getOpenFileName(self, "Open ECG recording", start, FILE_FILTERS)
        if path:
            self._settings.setValue("last_dir", str(Path(path).parent))
            self.open_path(path)

    def open_worklist(self, folder: str | None = None) -> QWidget | None:
        """Open ``folder`` (asked for when None) as a worklist window and start its analysis."""
        from ecgviewer.ui.qt_worklist import QtWorklistWindow  # only when asked for
        from ecgviewer.worklist import WorklistError

        if folder is None:
            start = str(self._settings.value("last_dir", str(Path.home())))
            folder = QFileDialog.getExistingDirectory(self, "Open folder as worklist", start)
            if not folder:
                return None
        try:
            worklist = QtWorklistWindow(
                folder, settings=self._settings, open_record=self.open_path, parent=self
            )
        except WorklistError as exc:
            self._show_open_error(Path(folder).name, str(exc))
            return None
        worklist.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        worklist.show()
        worklist.start_batch()
        return worklist

    def export_pdf(self) -> None:
        self._measure.export_pdf()

    def go_to_time_dialog(self) -> None:
        text = ask_time(self, format_time(self._state.start_s, self._state.record_duration_s))
        if text is not None:
            self.go_to_time(text)

    def calibrate_screen(self) -> None:
        dialog = QtCalibrationDialog(
            self._view.calibrated_px_per_mm(), self._state.screen_factor, self
        )
        try:
            if dialog.exec() != QtCalibrationDialog.DialogCode.Accepted:
                return
            factor = dialog.factor()
        except ValueError as exc:
            QMessageBox.warning(self, "Screen calibration", str(exc))
            return
        finally:
            dialog.deleteLater()
        self.set_state(replace(self._state, screen_factor=factor))

    def _on_caliper(self, caliper: Caliper, started: bool, finished: bool) -> None:
        state = self._state.with_caliper(caliper, replace_last=not started)
        if finished and is_click(caliper):
            state = replace(state, calipers=state.calipers[:-1])
        self.set_state(state)

    def _on_scale(self, _px_per_mm: float, text: str) -> None:
        self._scale_label.setText(text)
        self._refresh_info()

    def _on_lead_menu(self, lead: str, at: QPoint) -> None:
        self._actions.show_lead_menu(lead, at)

    def _show_open_error(self, name: str, message: str) -> None:
        kept = "The recording already open is still shown." if self.record else ""
        QMessageBox.warning(
            self,
            "Cannot open recording",
            f"{name} could not be opened.\n\n{message}\n\n{kept}".strip(),
        )
        self.statusBar().showMessage(f"Could not open {name}", 10_000)

    # -- window --------------------------------------------------------------------------------
    def restore_window(self) -> bool:
        """Restore the saved geometry and docks; ``False`` on a first run."""
        return restore_window(self._settings, self)

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
        self._measure.shutdown()  # no measuring thread may outlive the window
        save_state(self._settings, self._state, self._saved)
        save_window(self._settings, self)
        self._settings.sync()
        super().closeEvent(event)
