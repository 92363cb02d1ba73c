"""``QtWorklistModel``: a table model over pages of :func:`ecgviewer.worklist.list_records`.

The model holds immutable rows and asks ``fetch(limit, offset)`` for more when the view scrolls
to the end (Qt's ``canFetchMore``/``fetchMore``), so a 20 000-record worklist loads a page at a
time. Sorting is the database's job: :meth:`sort` only emits :attr:`sort_requested`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont

from ecgviewer.controllers.worklist_view import (
    COLUMNS,
    FLAG_COLUMN,
    cell_text,
    row_emphasis,
    row_tooltip,
)
from ecgviewer.worklist import WorklistRow

PAGE_SIZE = 500
RECORD_ID_ROLE = Qt.ItemDataRole.UserRole + 1

Index = QModelIndex | QPersistentModelIndex
Fetch = Callable[[int, int], list[WorklistRow]]

# Strong colours only in the flag column; a pale tint across the row, so text stays readable.
_FLAG_BACKGROUND = {
    "to_review": QColor(200, 30, 30),
    "flagged": QColor(230, 140, 40),
    "error": QColor(120, 120, 120),
}
_ROW_BACKGROUND = {
    "to_review": QColor(255, 228, 225),
    "flagged": QColor(255, 243, 224),
    "error": QColor(238, 238, 238),
}
_GREY = QColor(128, 128, 128)


class QtWorklistModel(QAbstractTableModel):
    """Rows of the worklist; ``fetch(limit, offset)`` returns a page for the current query."""

    sort_requested = Signal(int, Qt.SortOrder)

    def __init__(self, fetch: Fetch, parent: Any = None) -> None:
        super().__init__(parent)
        self._fetch = fetch
        self._rows: list[WorklistRow] = []
        self._total = 0
        self._bold = QFont()
        self._bold.setBold(True)

    # -- loading -------------------------------------------------------------------------------
    def reload(self, total: int, *, fetch: Fetch | None = None) -> None:
        """Load again (as many rows as were shown, at least a page) after data or query change."""
        if fetch is not None:
            self._fetch = fetch
        wanted = max(PAGE_SIZE, len(self._rows))
        rows = self._fetch(min(wanted, total), 0) if total else []
        if [r.record_id for r in rows] == [r.record_id for r in self._rows]:
            # Same records in the same order (the usual refresh while a batch runs): update
            # the cells in place so selection and scroll position stay.
            self._rows, self._total = rows, total
            if rows:
                last = self.index(len(rows) - 1, len(COLUMNS) - 1)
                self.dataChanged.emit(self.index(0, 0), last)
            return
        self.beginResetModel()
        self._rows, self._total = rows, total
        self.endResetModel()

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid():
            return
        page = self._fetch(PAGE_SIZE, len(self._rows))
        if not page:
            self._total = len(self._rows)
            return
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()

    @property
    def total(self) -> int:
        """Records matching the query (loaded or not)."""
        return self._total

    def row_at(self, row: int) -> WorklistRow:
        return self._rows[row]

    def row_of(self, record_id: int) -> int | None:
        """The table row of a record among those loaded, or None."""
        for i, r in enumerate(self._rows):
            if r.record_id == record_id:
                return i
        return None

    # -- Qt model ------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section].title
        if role == Qt.ItemDataRole.ToolTipRole:
            return COLUMNS[section].tooltip or f"Sort by {COLUMNS[section].title}"
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return cell_text(row, column)
        if role == RECORD_ID_ROLE:
            return row.record_id
        emphasis = row_emphasis(row)
        if role == Qt.ItemDataRole.FontRole:
            return self._bold if emphasis in ("to_review", "flagged") else None
        if role == Qt.ItemDataRole.BackgroundRole:
            table = _FLAG_BACKGROUND if column == FLAG_COLUMN else _ROW_BACKGROUND
            color = table.get(emphasis)
            return QBrush(color) if color is not None else None
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == FLAG_COLUMN and emphasis in _FLAG_BACKGROUND:
                return QBrush(Qt.GlobalColor.white)
            return QBrush(_GREY) if emphasis == "pending" or not row.present else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if COLUMNS[column].numeric:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if column == FLAG_COLUMN:
                return int(Qt.AlignmentFlag.AlignCenter)
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return row_tooltip(row) or None
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sort_requested.emit(column, order)
