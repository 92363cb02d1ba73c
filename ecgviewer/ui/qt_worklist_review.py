"""``QtReviewPanel``: the findings of the selected record, each with Confirm and Reject.

The panel shows values and asks; the window writes the decision (:func:`add_review`) and hands
the panel the record's findings again. The reviewer's name is remembered in QSettings.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ecgviewer.controllers.worklist_view import format_finding
from ecgviewer.worklist import Finding

REVIEWER_KEY = "worklist/reviewer"


class QtReviewPanel(QWidget):
    """Emits :attr:`review_requested` (finding, ``confirm``/``reject``, comment, reviewer)."""

    review_requested = Signal(str, str, str, str)

    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self.title = QLabel("No record selected")
        self.title.setWordWrap(True)
        self._box = QGroupBox("Findings")
        self._grid = QGridLayout(self._box)
        self.comment = QLineEdit()
        self.comment.setPlaceholderText("optional comment, saved with the decision")
        self.reviewer = QLineEdit(str(settings.value(REVIEWER_KEY, "") or ""))
        self.reviewer.setPlaceholderText("your name (required to review)")
        self.reviewer.editingFinished.connect(self._remember_reviewer)
        form = QFormLayout()
        form.addRow("Comment", self.comment)
        form.addRow("Reviewer", self.reviewer)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self._box)
        layout.addLayout(form)
        layout.addStretch(1)
        self.buttons: dict[tuple[str, str], QPushButton] = {}
        self.set_findings(None, [])

    def set_findings(self, name: str | None, findings: list[Finding]) -> None:
        """Show ``findings`` of the record ``name`` (None: nothing selected)."""
        while self._grid.count():
            item = self._grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.buttons = {}
        self.title.setText(f"<b>{name}</b>" if name else "No record selected")
        if name and not findings:
            self._grid.addWidget(QLabel("No findings (not analysed yet, or unreadable)."), 0, 0)
        for i, finding in enumerate(findings):
            label = QLabel(format_finding(finding))
            label.setWordWrap(True)
            if finding.flagged and finding.review is None:
                label.setStyleSheet("font-weight: bold; color: #b01e1e;")
            self._grid.addWidget(label, i, 0)
            for col, (decision, text) in enumerate((("confirm", "Confirm"), ("reject", "Reject"))):
                button = QPushButton(text)
                button.setCheckable(True)
                button.setChecked(
                    finding.review is not None and finding.review.decision == decision
                )
                button.clicked.connect(
                    lambda _=False, f=finding.name, d=decision: self._request(f, d)
                )
                self._grid.addWidget(button, i, col + 1)
                self.buttons[(finding.name, decision)] = button
        self.setEnabled(bool(name))

    def _remember_reviewer(self) -> None:
        self._settings.setValue(REVIEWER_KEY, self.reviewer.text().strip())

    def _request(self, finding: str, decision: str) -> None:
        self._remember_reviewer()
        self.review_requested.emit(
            finding, decision, self.comment.text().strip(), self.reviewer.text().strip()
        )
