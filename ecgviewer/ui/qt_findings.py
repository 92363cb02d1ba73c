"""``QtFindings``: the AI findings panel — probabilities against thresholds, checks, notices.

Draws a :class:`~ecgviewer.controllers.findings_view.FindingsView`: a headline, one row per class
(flagged first and highlighted) with its probability as a bar and its threshold as a tick, the
operating point behind the threshold on hover, the consistency notes under the finding they
concern, the anomaly line with the beats and leads of largest restoration error (click one to
show it), what was done to the input before the models ran and what could not run, and the
overlay toggles. While the analysis runs it shows the step and a Cancel button.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ecgviewer.analysis import AnalysisResult
from ecgviewer.controllers.error_ranking import BEAT_POST_S, BEAT_PRE_S, LargeError
from ecgviewer.controllers.findings_view import FindingsView, findings_view
from ecgviewer.controllers.heatmap_view import N_LEVELS, VIEWER_SCALE_MV, level_colour

FLAGGED = QColor(200, 40, 40)
NOT_FLAGGED = QColor(90, 120, 170)
WARN = "#a15c00"
RESTORED_TIP = (
    "The anomaly model's restored (expected normal) trace in blue over the real one (R): it "
    "departs from the trace where the model did not expect what it saw"
)


def heat_legend_html() -> str:
    """``Heat map ■■■■■ 0 – 0.3 mV restoration error`` in the strip's own colours."""
    blocks = "".join(
        '<span style="color:#{:02x}{:02x}{:02x}">█</span>'.format(
            *(round(255 * c) for c in level_colour(level))
        )
        for level in range(N_LEVELS)
    )
    return (
        f"<small>Heat map&nbsp; <span style='background:#eee'>{blocks}</span>&nbsp; "
        f"0 – ≥ {VIEWER_SCALE_MV:g} mV restoration error</small>"
    )


class ProbabilityBar(QWidget):
    """A horizontal 0–1 bar with the threshold as a black tick."""

    def __init__(self, probability: float, threshold: float, flagged: bool, parent: QWidget):
        super().__init__(parent)
        self.probability, self.threshold, self.flagged = probability, threshold, flagged
        self.setMinimumSize(90, 14)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        r = QRectF(self.rect()).adjusted(0.5, 2.5, -0.5, -2.5)
        p.setPen(QPen(QColor(170, 170, 170), 1))
        p.setBrush(QColor(245, 245, 245))
        p.drawRect(r)
        width = r.width() * min(max(self.probability, 0.0), 1.0)
        fill = QRectF(r.left(), r.top(), width, r.height())
        p.fillRect(fill, FLAGGED if self.flagged else NOT_FLAGGED)
        x = r.left() + r.width() * min(max(self.threshold, 0.0), 1.0)
        p.setPen(QPen(QColor(0, 0, 0), 2))
        p.drawLine(int(x), int(r.top()) - 2, int(x), int(r.bottom()) + 2)
        p.end()


class QtFindings(QWidget):
    """The findings dock's widget."""

    #: The user asked to stop the running analysis.
    cancelRequested = Signal()
    #: Jump to the next (True) or previous (False) ectopic beat.
    ectopicRequested = Signal(bool)
    #: ``(viewer-state field, shown)`` from an overlay check box.
    overlayToggled = Signal(str, bool)
    #: ``(lead, beat time s)``: show that beat of that lead (a largest-error row was clicked).
    errorBeatRequested = Signal(str, float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(6, 6, 6, 6)
        status_row = QHBoxLayout()
        self.status = QLabel("No recording open.", self)
        self.status.setWordWrap(True)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setToolTip("Stop the analysis of this recording")
        self.cancel_button.clicked.connect(self.cancelRequested)
        self.cancel_button.hide()
        status_row.addWidget(self.status, 1)
        status_row.addWidget(self.cancel_button)
        outer.addLayout(status_row)

        self._scroll = QScrollArea(self)
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self._scroll.setMinimumHeight(24)  # the window stays usable on a small screen
        outer.addWidget(self._scroll, 1)
        self._body: QWidget | None = None

        # Two rows of two, so the dock stays narrow enough for a whole page beside it.
        toggles = QGridLayout()
        toggles.setVerticalSpacing(0)
        toggles.addWidget(QLabel("Show:", self), 0, 0)
        self.overlays: dict[str, QCheckBox] = {}
        self._overlay_tips: dict[str, str] = {}
        for field, text, tip in (
            ("show_fiducials", "Fiducials", "Measured P, QRS and T boundaries on the traces (M)"),
            ("show_beats", "Beat labels", "The file's beat labels, else the classifier's (A)"),
            ("show_heatmap", "Heat map",
             "Restoration error of the anomaly model under each lead (H): white none, yellow → "
             "dark red up to 0.3 mV and more, the same scale for every record"),
            ("show_restored", "Restored trace", RESTORED_TIP),
        ):  # fmt: skip
            place = len(self.overlays)
            box = QCheckBox(text, self)
            box.setToolTip(tip)
            self._overlay_tips[field] = tip
            box.toggled.connect(lambda on, f=field: self.overlayToggled.emit(f, on))
            toggles.addWidget(box, place // 2, 1 + place % 2)
            self.overlays[field] = box
        toggles.setColumnStretch(3, 1)
        outer.addLayout(toggles)
        self.heat_legend = QLabel(heat_legend_html(), self)
        self.heat_legend.setTextFormat(Qt.TextFormat.RichText)
        self.heat_legend.setToolTip("The same scale for every record, so records can be compared")
        outer.addWidget(self.heat_legend)
        self.view: FindingsView | None = None
        #: The largest-error rows of the result shown, largest first.
        self.error_buttons: list[QPushButton] = []

    # -- states ----------------------------------------------------------------------------------
    def set_empty(self) -> None:
        self._show(None, "No recording open.", busy=False)

    def set_running(self, record_name: str, step: str = "", index: int = 0, total: int = 0) -> None:
        where = f" — {step} ({index + 1}/{total})" if total else ""
        self._show(None, f"Analysing {record_name}{where}…", busy=True, keep_body=bool(step))

    def set_cancelled(self, record_name: str) -> None:
        self._show(None, f"Analysis of {record_name} cancelled; reopen the file to run it.",
                   busy=False)  # fmt: skip

    def set_failed(self, message: str) -> None:
        self._show(None, message, busy=False)

    def set_result(self, result: AnalysisResult) -> None:
        self.view = findings_view(result)
        self._show(self.view, self.view.headline, busy=False)

    def set_overlay_available(self, field: str, available: bool, why_not: str) -> None:
        """Enable an overlay check box, or disable it with the reason as its tooltip."""
        box = self.overlays[field]
        box.setEnabled(available)
        box.setToolTip(self._overlay_tips[field] if available else why_not)

    def sync_overlays(self, shown: dict[str, bool]) -> None:
        """Reflect the viewer's state without echoing it back."""
        for field, box in self.overlays.items():
            if field in shown and box.isChecked() != shown[field]:
                box.blockSignals(True)
                box.setChecked(shown[field])
                box.blockSignals(False)

    # -- drawing -----------------------------------------------------------------------------------
    def _show(self, view: FindingsView | None, status: str, busy: bool, keep_body: bool = False):
        self.status.setText(status)
        self.cancel_button.setVisible(busy)
        if keep_body:
            return
        if view is None:
            self.view = None
        self.error_buttons = []
        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 0, 0)
        if view is not None:
            column.addLayout(self._class_grid(view, body))
            if view.beats:
                beats_row = QHBoxLayout()
                beats_row.addWidget(self._label(view.beats, body), 1)
                for text, forward, tip in (("◀", False, "Previous ectopic beat (Shift+E)"),
                                           ("▶", True, "Next ectopic beat (E)")):  # fmt: skip
                    button = QPushButton(text, body)
                    button.setToolTip(tip)
                    button.setFixedWidth(28)
                    button.setEnabled("all N" not in view.beats)
                    button.clicked.connect(lambda _=False, f=forward: self.ectopicRequested.emit(f))
                    beats_row.addWidget(button)
                column.addLayout(beats_row)
            column.addWidget(self._label(view.anomaly, body))
            if view.largest_errors:
                column.addWidget(
                    self._label("<small>Largest restoration errors (click to show):</small>", body)
                )
                for item in view.largest_errors:
                    column.addWidget(self._error_button(item, body))
            if view.model_notices:
                column.addWidget(self._label("<b>Model input and limits</b>", body))
                for text in view.model_notices:
                    column.addWidget(self._label("• " + text, body))
            if view.model_line:
                column.addWidget(self._label(f"<small>{view.model_line}</small>", body))
        column.addStretch(1)
        self._scroll.setWidget(body)
        self._body = body

    def _class_grid(self, view: FindingsView, body: QWidget) -> QGridLayout:
        grid = QGridLayout()
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(2)
        row = 0
        for f in view.rows:
            weight = "bold" if f.flagged else "normal"
            colour = FLAGGED.name() if f.flagged else "#202020"
            name = self._label(
                f"<span style='font-weight:{weight}; color:{colour}'>{f.name}</span>", body
            )
            title = self._label(f"<span style='color:{colour}'>{f.title}</span>", body)
            bar = ProbabilityBar(f.probability, f.threshold, f.flagged, body)
            value = self._label(f"<span style='font-weight:{weight}'>{f.probability:.2f}</span>",
                                body)  # fmt: skip
            for w in (name, title, bar, value):
                w.setToolTip(f.tooltip)
            grid.addWidget(name, row, 0)
            grid.addWidget(title, row, 1)
            grid.addWidget(bar, row, 2)
            grid.addWidget(value, row, 3)
            row += 1
            for note in f.notes:
                warn = self._label(f"<span style='color:{WARN}'>⚠ {note}</span>", body)
                grid.addWidget(warn, row, 1, 1, 3)
                row += 1
        grid.setColumnStretch(2, 1)
        return grid

    def _error_button(self, item: LargeError, body: QWidget) -> QPushButton:
        button = QPushButton("↦ " + item.describe(), body)
        button.setFlat(True)
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        button.setStyleSheet("QPushButton { text-align: left; padding: 1px 4px; }")
        button.setToolTip(
            f"Mean restoration error of lead {item.lead} from {BEAT_PRE_S:g} s before to "
            f"{BEAT_POST_S:g} s after this beat; click to scroll there and highlight it"
        )
        button.clicked.connect(
            lambda _=False, lead=item.lead, t=item.time_s: self.errorBeatRequested.emit(lead, t)
        )
        self.error_buttons.append(button)
        return button

    @staticmethod
    def _label(html: str, parent: QWidget) -> QLabel:
        label = QLabel(html, parent)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.RichText)
        return label

    # -- for tests ---------------------------------------------------------------------------------
    def texts(self) -> list[str]:
        """Every label's plain text in the body, top to bottom (tests read the panel this way)."""
        if self._body is None:
            return []
        from PySide6.QtGui import QTextDocument

        out = []
        for label in self._body.findChildren(QLabel):
            doc = QTextDocument()
            doc.setHtml(label.text())
            out.append(doc.toPlainText())
        return out
