"""``QtMeasureDocks``: the analysis docks (findings, measurement table, median beats).

The window tells it which record is shown (:meth:`set_record`); it submits the record to
:class:`~ecgviewer.ui.qt_analysis_worker.QtAnalysisWorker`, shows the running step with a Cancel
button, and when the current answer arrives fills the docks and hands the fiducials back to the
window as a state transition (so the ticks scroll with the page like everything else on it). It
also writes the PDF report of the record shown (File → Export PDF…) from that same result.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QMainWindow,
    QMessageBox,
    QWidget,
)

from ecgviewer.analysis import AnalysisResult
from ecgviewer.controllers.annotations import predicted_beats
from ecgviewer.controllers.heatmap_view import ErrorMap
from ecgviewer.controllers.measurements_view import BeatFiducials, beat_fiducials
from ecgviewer.controllers.restored_view import RestoredSignal
from ecgviewer.controllers.viewer import ViewerState
from ecgviewer.dsp.measure import Measurements
from ecgviewer.io.record import Record
from ecgviewer.ui.qt_analysis_worker import QtAnalysisWorker
from ecgviewer.ui.qt_findings import QtFindings
from ecgviewer.ui.qt_measurements import QtMeasurements
from ecgviewer.ui.qt_median_beats import QtMedianBeats

log = logging.getLogger(__name__)
Transition = Callable[[ViewerState], ViewerState]
#: Save-dialog filters: the chosen one sets the paper (landscape, as the report's default).
PDF_FILTERS: dict[str, str] = {
    "PDF, A4 landscape (*.pdf)": "A4",
    "PDF, Letter landscape (*.pdf)": "Letter",
}


class MeasuredWindow(Protocol):
    @property
    def state(self) -> ViewerState: ...
    def update_state(self, transition: Transition) -> None: ...
    def show_status(self, text: str) -> None: ...


class QtMeasureDocks(QObject):
    """Owns the worker and the three docks of ``window``."""

    #: The current record's measurements arrived (after the docks were filled).
    measurementsShown = Signal(object)
    #: The current record's whole analysis arrived (after the docks were filled).
    analysisShown = Signal(object)

    def __init__(self, window: QMainWindow, viewer: MeasuredWindow, settings: QSettings) -> None:
        super().__init__(window)
        self._window = window
        self._viewer = viewer
        self._settings = settings
        self._record: Record | None = None
        self._measurements: Measurements | None = None
        self._result: AnalysisResult | None = None
        self.worker = QtAnalysisWorker(self)
        self.worker.analysed.connect(self._on_analysed)
        self.worker.progress.connect(self._on_progress)
        self.worker.cancelled.connect(self._on_cancelled)
        self.findings = QtFindings(window)
        self.findings.cancelRequested.connect(self.worker.cancel)
        self.findings_dock = self._dock("AI Findings", "findings_dock", self.findings)
        self.table = QtMeasurements(window)
        self.medians = QtMedianBeats(window)
        self.table_dock = self._dock("Measurements", "measurements_dock", self.table)
        self.median_dock = self._dock("Median Beats", "median_beats_dock", self.medians)

    def _dock(self, title: str, name: str, widget: QWidget) -> QDockWidget:
        dock = QDockWidget(title, self._window)
        dock.setObjectName(name)
        dock.setWidget(widget)
        self._window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        return dock

    @property
    def measurements(self) -> Measurements | None:
        """The measurements of the record shown (``None`` while measuring)."""
        return self._measurements

    @property
    def result(self) -> AnalysisResult | None:
        """The analysis of the record shown (``None`` while it runs)."""
        return self._result

    def set_record(self, record: Record | None) -> None:
        """A new record is shown: analyse it in the background (older answers are dropped)."""
        self._record = record
        self._measurements = None
        self._result = None
        self.worker.submit(record, record.source_path if record is not None else None)
        if record is None:
            self.table.set_empty()
            self.medians.clear()
            self.findings.set_empty()
        else:
            self.table.set_measuring(record.record_name)
            self.medians.clear("Measuring…")
            self.findings.set_running(record.record_name)

    def shutdown(self) -> None:
        self.worker.shutdown()

    def _on_progress(self, _generation: int, step: str, index: int, total: int) -> None:
        if self._record is not None:
            self.findings.set_running(self._record.record_name, step, index, total)

    def _on_cancelled(self, _generation: int) -> None:
        name = self._record.record_name if self._record is not None else "the recording"
        self.findings.set_cancelled(name)
        self.table.set_failed("Analysis cancelled.")
        self.medians.clear("Analysis cancelled.")

    def _on_analysed(self, _generation: int, analysis: object, error: str) -> None:
        if not isinstance(analysis, AnalysisResult):
            message = error or "The analysis could not be completed."
            self.findings.set_failed(message)
            self.table.set_failed(message)
            self.medians.clear(message)
            return
        self._result = analysis
        self.findings.set_result(analysis)
        detail = analysis.detail
        fiducials = beat_fiducials(detail) if isinstance(detail, Measurements) else None
        record = self._record
        if record is not None:
            labelled = predicted_beats(analysis.beats, record.fs_hz)
            err = analysis.restoration_error
            errors = None if err is None else ErrorMap(err, record.lead_names, record.fs_hz)
            rest = analysis.restored_signal
            restored = (
                None if rest is None else RestoredSignal(rest, record.lead_names, record.fs_hz)
            )
            # One state change, so the page is rebuilt once per result.
            self._viewer.update_state(
                lambda s: (
                    _with_fiducials(
                        s.with_predicted_beats(labelled)
                        .with_errors(errors)
                        .with_restored(restored),
                        fiducials,
                    )
                    if s.record is record
                    else s
                )
            )
        self.analysisShown.emit(analysis)
        result = analysis.detail
        if not isinstance(result, Measurements):
            reason = next(iter(analysis.measurement_notes.values()), "")
            self.table.set_failed(reason or "The measurements could not be computed.")
            self.medians.clear(reason)
            return
        self._measurements = result
        self.table.set_measurements(result)
        self.medians.set_measurements(result)
        self.measurementsShown.emit(result)

    # -- PDF ------------------------------------------------------------------------------------
    def export_pdf(self) -> str | None:
        """Ask where, then write the report of the record shown; returns the path written."""
        state = self._viewer.state
        record = state.record
        if record is None:
            self._viewer.show_status("Open a recording first: there is nothing to export.")
            return None
        start = Path(str(self._settings.value("last_pdf_dir", str(Path.home()))))
        path, chosen = QFileDialog.getSaveFileName(
            self._window,
            "Export PDF report",
            str(start / f"{record.record_name}.pdf"),
            ";;".join(PDF_FILTERS),
        )
        if not path:
            return None
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        self._settings.setValue("last_pdf_dir", str(Path(path).parent))
        page_size = PDF_FILTERS.get(chosen, "A4")
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            summary = write_pdf(path, state, record, self._measurements, page_size, self._result)
        except Exception as exc:  # a full disk or a report bug must not close the viewer
            log.exception("PDF export failed for %s", record.record_name)
            message = str(exc.strerror) if isinstance(exc, OSError) and exc.strerror else str(exc)
            QApplication.restoreOverrideCursor()
            QMessageBox.warning(
                self._window,
                "Export PDF",
                f"The report could not be written to {path}.\n\n{type(exc).__name__}: {message}",
            )
            return None
        QApplication.restoreOverrideCursor()
        self._viewer.show_status(f"Report written: {path} ({summary})")
        return path


def _with_fiducials(state: ViewerState, fiducials: BeatFiducials | None) -> ViewerState:
    return state if fiducials is None else state.with_fiducials(fiducials)


def write_pdf(
    path: str,
    state: ViewerState,
    record: Record,
    measurements: Measurements | None,
    page_size: str = "A4",
    result: AnalysisResult | None = None,
) -> str:
    """Write the report of ``record`` with the viewer's speed, gain and filters.

    ``result`` is the analysis the viewer shows; without it (the analysis is still running or
    was cancelled) the record is analysed here, in the calling thread.
    """
    from ecgviewer.analysis import AnalysisRequest, run_analysis
    from ecgviewer.report import ReportItem, options_from_viewer, report_item, write_report

    if result is None:
        result = run_analysis(AnalysisRequest(record, display_path=record.source_path))
    item = (
        ReportItem(
            record, result, measurements=measurements, restoration_error=result.restoration_error
        )
        if measurements is not None
        else report_item(record, result)
    )
    size = "Letter" if page_size == "Letter" else "A4"
    summary = write_report(path, [item], options_from_viewer(state, size, "landscape"))
    return f"{summary.pages} page(s), {size} landscape"
