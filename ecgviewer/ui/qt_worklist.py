"""``QtWorklistWindow``: a folder's worklist: batch progress, a sortable table, reviews.

The window indexes and analyses the folder in a background thread (:class:`QtWorklistBatch`)
and re-reads the table from its own :class:`~ecgviewer.worklist.Store` about once a second
while that runs. Flagged records sort first and stand out (bold, a coloured flag column);
J/K or F3/Shift+F3 step through them; Enter or a double-click opens one in the viewer; the
panel on the right confirms or rejects its findings. Closing cancels the batch and waits.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ecgviewer.controllers.worklist_view import (
    COLUMNS,
    PRESETS,
    Preset,
    WorklistViewState,
)
from ecgviewer.io import RecordError
from ecgviewer.ui.qt_worklist_batch import QtWorklistBatch
from ecgviewer.ui.qt_worklist_export import ask_pdf_path, write_reviewed_report
from ecgviewer.ui.qt_worklist_model import QtWorklistModel
from ecgviewer.ui.qt_worklist_review import QtReviewPanel
from ecgviewer.worklist import (
    BatchProgress,
    WorklistError,
    WorklistRow,
    add_review,
    count_records,
    list_records,
    neighbour,
    open_worklist,
    record_findings,
    summarize,
)

REFRESH_MS = 1000


class QtWorklistWindow(QMainWindow):
    """The worklist of ``folder``; raises :class:`WorklistError` if it cannot be opened.

    ``open_record(path)`` opens a recording in the viewer; ``analyse`` and ``workers`` are
    passed to :func:`~ecgviewer.worklist.run_batch` (tests use a fake analysis, 0 workers).
    """

    open_requested = Signal(str)

    def __init__(
        self,
        folder: str | Path,
        *,
        settings: QSettings | None = None,
        db_path: str | Path | None = None,
        version: str | None = None,
        workers: int = 2,
        analyse: Callable[[Path, str], dict[str, Any]] | None = None,
        open_record: Callable[[str], object] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self._settings = settings if settings is not None else QSettings("ecgviewer", "ecgviewer")
        self._store = open_worklist(folder, db_path=db_path, version=version)
        self._open_record = open_record
        self._view_state = WorklistViewState()
        self._selected: WorklistRow | None = None
        self.setWindowTitle(f"Worklist — {self._store.root}")

        self.model = QtWorklistModel(self._fetch, self)
        self.table = self._make_table()
        self.model.sort_requested.connect(self._on_sort)  # after the table's initial sort()
        self.review_panel = QtReviewPanel(self._settings)
        self.review_panel.review_requested.connect(self._on_review)
        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(self.review_panel)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        self.review_panel.setMinimumWidth(380)  # finding lines stay on one or two lines

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addLayout(self._make_progress_bar())
        layout.addLayout(self._make_filter_bar())
        layout.addWidget(splitter, 1)
        self.setCentralWidget(central)

        for keys, step in ((("J", "F3"), 1), (("K", "Shift+F3"), -1)):
            for key in keys:
                shortcut = QShortcut(QKeySequence(key), self)
                shortcut.activated.connect(lambda s=step: self.go_flagged(s))

        self.batch = QtWorklistBatch(self)
        self.batch.indexed.connect(lambda _report: self.refresh())
        self.batch.progress.connect(self._on_progress)
        self.batch.failed.connect(self._on_failed)
        self.batch.finished.connect(self._on_finished)
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        self._workers = workers
        self._analyse = analyse
        if parent is not None:
            parent.installEventFilter(self)  # the viewer closing closes (and stops) us too
        self.refresh()
        self.resize(1300, 800)

    # -- building ------------------------------------------------------------------------------
    def _make_table(self) -> QTableView:
        table = QTableView()
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(22)
        header = table.horizontalHeader()
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # -1: priority, flagged first
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        widths = (60, 170, 190, 80, 75, 70, 70, 70, 190, 80)
        for column, width in enumerate(widths[: len(COLUMNS)]):
            table.setColumnWidth(column, width)
        table.setSortingEnabled(True)
        table.activated.connect(self._on_activated)
        table.selectionModel().currentRowChanged.connect(self._on_current_row)
        return table

    def _make_progress_bar(self) -> QHBoxLayout:
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 1)
        self.progress_label = QLabel("")
        self.pause_button = QPushButton("Pause")
        self.pause_button.setCheckable(True)
        self.pause_button.toggled.connect(self._on_pause)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel_batch)
        self.pause_button.setEnabled(False)
        self.cancel_button.setEnabled(False)
        row = QHBoxLayout()
        row.addWidget(self.progress_bar, 2)
        row.addWidget(self.progress_label, 3)
        row.addWidget(self.pause_button)
        row.addWidget(self.cancel_button)
        return row

    def _make_filter_bar(self) -> QHBoxLayout:
        self.preset_box = QComboBox()
        for preset, label in PRESETS:
            self.preset_box.addItem(label, preset)
        self.preset_box.currentIndexChanged.connect(lambda _i: self._on_filter())
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search record name or path")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _t: self._on_filter())
        self.count_label = QLabel()
        hint = QLabel("J/K: next/previous flagged · Enter: open")
        hint.setStyleSheet("color: gray;")
        row = QHBoxLayout()
        row.addWidget(QLabel("Show"))
        row.addWidget(self.preset_box)
        row.addWidget(self.search, 1)
        row.addWidget(self.count_label)
        row.addWidget(hint)
        self.export_button = QPushButton("Export PDF…")
        self.export_button.setToolTip("The selected record's report with its review (Ctrl+E)")
        self.export_button.clicked.connect(lambda: self.export_pdf())
        QShortcut(QKeySequence("Ctrl+E"), self).activated.connect(lambda: self.export_pdf())
        row.addWidget(self.export_button)
        return row

    # -- export --------------------------------------------------------------------------------
    def export_pdf(self, pdf_path: Path | None = None) -> Path | None:
        """Write the selected record's PDF report with its current review decisions."""
        record_id = self.current_record_id()
        index = self.table.currentIndex()
        row = self.model.row_at(index.row()) if index.isValid() else None
        if record_id is None or row is None:
            self.statusBar().showMessage("Select a record to export first.", 8000)
            return None
        record_path = self._store.root / row.rel_path
        if pdf_path is None:
            start = Path(str(self._settings.value("last_pdf_dir", str(Path.home()))))
            pdf_path = ask_pdf_path(self, start, record_path.stem)
            if pdf_path is None:
                return None
            self._settings.setValue("last_pdf_dir", str(pdf_path.parent))
        try:
            pages = write_reviewed_report(self._store, record_id, record_path, pdf_path)
        except RecordError as exc:
            self.statusBar().showMessage(f"No report: {exc.message}", 10_000)
            return None
        except OSError as exc:
            self.statusBar().showMessage(f"The report could not be written: {exc}", 10_000)
            return None
        self.statusBar().showMessage(f"Report written: {pdf_path} ({pages} pages)", 10_000)
        return pdf_path

    # -- batch ---------------------------------------------------------------------------------
    def start_batch(self) -> None:
        """Index the folder and analyse what has no result yet, in the background."""
        self.batch.start(
            self._store.root,
            self._store.path,
            self._store.version,
            workers=self._workers,
            analyse=self._analyse,
        )
        self.progress_label.setText("Indexing the folder…")
        self.progress_bar.setRange(0, 0)  # busy until the first progress report
        self.pause_button.setEnabled(True)
        self.cancel_button.setEnabled(True)
        self._timer.start()

    def cancel_batch(self) -> None:
        """Stop after the records under way; what is analysed stays analysed."""
        self.batch.cancel()
        self.pause_button.setChecked(False)
        self.progress_label.setText("Cancelling…")
        self.cancel_button.setEnabled(False)

    def _on_pause(self, paused: bool) -> None:
        if paused:
            self.batch.pause()
        else:
            self.batch.resume()
        self.pause_button.setText("Resume" if paused else "Pause")

    def _on_progress(self, progress: BatchProgress) -> None:
        self.progress_bar.setRange(0, max(progress.total, 1))
        self.progress_bar.setValue(progress.done if progress.total else 1)
        self.progress_label.setText(progress.describe())

    def _on_failed(self, message: str) -> None:
        self._batch_over()
        self.progress_label.setText(message)

    def _on_finished(self, _report: object) -> None:
        self._batch_over()
        last = self.batch.last_progress
        if last is None or last.total == 0:
            self.progress_bar.setRange(0, 1)
            self.progress_bar.setValue(1)
            self.progress_label.setText("Every record is analysed.")

    def _batch_over(self) -> None:
        self._timer.stop()
        self.pause_button.setChecked(False)
        self.pause_button.setEnabled(False)
        self.cancel_button.setEnabled(False)
        self.refresh()

    # -- table ---------------------------------------------------------------------------------
    def _fetch(self, limit: int, offset: int) -> list[WorklistRow]:
        return list_records(self._store, self._view_state.query(limit, offset))

    @property
    def view_state(self) -> WorklistViewState:
        return self._view_state

    def set_view_state(self, state: WorklistViewState) -> None:
        self._view_state = state
        self.refresh()

    def refresh(self) -> None:
        """Read the table again, keeping the selected record selected."""
        selected = self.current_record_id()
        total = count_records(self._store, self._view_state.query().filter)
        self.model.reload(total)
        summary = summarize(self._store)
        self.count_label.setText(
            f"{total} shown · {summary.flagged} flagged · {summary.to_review} to review"
        )
        if selected is not None:
            self.select_record(selected)
        self._update_panel()

    def current_record_id(self) -> int | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()).record_id if index.isValid() else None

    def select_record(self, record_id: int) -> bool:
        """Select (and scroll to) a record, loading pages until it is found."""
        row = self.model.row_of(record_id)
        while row is None and self.model.canFetchMore():
            self.model.fetchMore()
            row = self.model.row_of(record_id)
        if row is None:
            return False
        index = self.model.index(row, 0)
        if index != self.table.currentIndex():
            self.table.setCurrentIndex(index)
        self.table.scrollTo(index)
        return True

    def go_flagged(self, step: int) -> bool:
        """Select the next (``step=1``) or previous (``-1``) flagged record of the list."""
        current = self.current_record_id()
        target = neighbour(self._store, -1 if current is None else current,
                           self._view_state.query(), step=step)  # fmt: skip
        if target is None:
            where = "below" if step > 0 else "above"
            self.statusBar().showMessage(f"No flagged record {where} this one.", 5000)
            return False
        return self.select_record(target)

    def _on_sort(self, column: int, order: Qt.SortOrder) -> None:
        descending = order == Qt.SortOrder.DescendingOrder
        self.set_view_state(self._view_state.sorted_by(column if column >= 0 else None, descending))

    def _on_filter(self) -> None:
        preset: Preset = self.preset_box.currentData()
        self.set_view_state(self._view_state.filtered(preset, self.search.text()))

    def _on_current_row(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        self._update_panel()

    def _update_panel(self) -> None:
        index = self.table.currentIndex()
        row = self.model.row_at(index.row()) if index.isValid() else None
        if row == self._selected:
            return  # unchanged: keep what the reviewer is typing and the focus
        self._selected = row
        if row is None:
            self.review_panel.set_findings(None, [])
        else:
            self.review_panel.set_findings(
                row.rel_path, record_findings(self._store, row.record_id)
            )

    def _on_activated(self, index: QModelIndex) -> None:
        row = self.model.row_at(index.row())
        path = str(self._store.root / row.rel_path)
        self.open_requested.emit(path)
        if self._open_record is not None:
            self._open_record(path)

    # -- review --------------------------------------------------------------------------------
    def _on_review(self, finding: str, decision: str, comment: str, reviewer: str) -> None:
        record_id = self.current_record_id()
        if record_id is None:
            return
        if not reviewer:
            self.statusBar().showMessage("Enter your name as reviewer first.", 8000)
            self.review_panel.reviewer.setFocus()
            self._selected = None  # redraw the buttons unticked
            self._update_panel()
            return
        try:
            add_review(self._store, record_id, finding, decision, reviewer, comment)  # type: ignore[arg-type]
        except (WorklistError, ValueError) as exc:
            self.statusBar().showMessage(str(exc), 10_000)
        else:
            verb = "Confirmed" if decision == "confirm" else "Rejected"
            self.statusBar().showMessage(f"{verb} {finding}.", 5000)
            self.review_panel.comment.clear()
        self._selected = None
        self.refresh()

    # -- closing -------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Close and watched is self.parent():
            self.close()
        return super().eventFilter(watched, event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._timer.stop()
        self.batch.stop()
        self._store.close()
        parent = self.parent()
        if parent is not None:
            parent.removeEventFilter(self)
        self._settings.sync()
        super().closeEvent(event)
