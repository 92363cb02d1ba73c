"""``QtMeasurements``: the measurement table (HR, RR, PR, QRS, QT, four QTc, axes).

It shows rows computed by :func:`~ecgviewer.controllers.measurements_view.measurement_rows`;
a value that could not be measured reads ``—`` and its reason is written under the table in
plain words (and as the row's tooltip). While the worker measures it says so.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ecgviewer.controllers.measurements_view import (
    MeasurementRow,
    measurement_footnotes,
    measurement_rows,
)
from ecgviewer.dsp.measure import Measurements

NULL_COLOUR = QColor(150, 60, 0)


class QtMeasurements(QWidget):
    """The table plus a line of state ("measuring…") and the reasons for missing values."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: tuple[MeasurementRow, ...] = ()
        self._status = QLabel("No recording open.", self)
        self._table = QTableWidget(0, 3, self)
        self._table.setHorizontalHeaderLabels(("Measurement", "Value", "Unit"))
        self._table.verticalHeader().setVisible(False)
        self._table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self._table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        self._table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        header = self._table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self._notes = QLabel("", self)
        self._notes.setWordWrap(True)
        self._notes.setTextFormat(Qt.TextFormat.PlainText)
        column = QVBoxLayout(self)
        column.setContentsMargins(4, 4, 4, 4)
        column.addWidget(self._status)
        column.addWidget(self._table, 1)
        column.addWidget(self._notes)

    # -- read access (tests) --------------------------------------------------------------------
    @property
    def rows(self) -> tuple[MeasurementRow, ...]:
        return self._rows

    @property
    def status_text(self) -> str:
        return str(self._status.text())

    @property
    def notes_text(self) -> str:
        return str(self._notes.text())

    @property
    def table(self) -> QTableWidget:
        return self._table

    def value_text(self, key: str) -> str:
        """The value cell shown for ``key`` (``"qrs_ms"`` …), ``""`` when not in the table."""
        for i, row in enumerate(self._rows):
            if row.key == key:
                item = self._table.item(i, 1)
                return str(item.text()) if item is not None else ""
        return ""

    # -- states ---------------------------------------------------------------------------------
    def set_measuring(self, name: str) -> None:
        self._status.setText(f"Measuring {name}…")
        self._show(())
        self._notes.setText("")

    def set_empty(self) -> None:
        self._status.setText("No recording open.")
        self._show(())
        self._notes.setText("")

    def set_failed(self, message: str) -> None:
        self._status.setText(message)
        self._show(())
        self._notes.setText("")

    def set_measurements(self, m: Measurements) -> None:
        rows = measurement_rows(m)
        self._status.setText("Global measurements (median of the dominant beats)")
        self._show(rows)
        # The same reason often applies to a whole group (PR, QT and every QTc): say it once.
        unique: list[str] = []
        seen: set[str] = set()
        for row in rows:
            if row.note and row.note not in seen:
                seen.add(row.note)
                names = [r.label for r in rows if r.note == row.note]
                unique.append(f"{', '.join(names)}: {row.note}")
        unique += measurement_footnotes(m)
        self._notes.setText("\n".join(unique))

    def _show(self, rows: tuple[MeasurementRow, ...]) -> None:
        self._rows = rows
        self._table.setRowCount(len(rows))
        for i, row in enumerate(rows):
            cells = (row.label, row.value_text, row.unit)
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if j == 1:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                    if not row.measured:
                        item.setForeground(NULL_COLOUR)
                if row.note:
                    item.setToolTip(row.note)
                self._table.setItem(i, j, item)
        self._table.resizeRowsToContents()
