"""Small dialogs: go to a time, and the one-time screen calibration with a ruler."""

from __future__ import annotations

from PySide6.QtCore import QLineF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QInputDialog,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from ecgviewer.controllers.paper import CALIBRATION_BAR_MM, calibration_factor


def ask_time(parent: QWidget, current: str) -> str | None:
    """The text the user typed in the Go To Time dialog, or ``None`` if cancelled."""
    text, ok = QInputDialog.getText(
        parent,
        "Go to time",
        "Time from the start of the recording\n(seconds, min:s or h:min:s):",
        text=current,
    )
    return str(text) if ok else None


class QtRulerBar(QWidget):
    """A bar exactly ``CALIBRATION_BAR_MM`` long at ``px_per_mm``, with end ticks."""

    def __init__(self, px_per_mm: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.px_per_mm = px_per_mm
        self.setMinimumSize(self.sizeHint())

    @property
    def bar_px(self) -> float:
        return CALIBRATION_BAR_MM * self.px_per_mm

    def sizeHint(self) -> QSize:
        return QSize(round(self.bar_px) + 40, 70)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(255, 255, 255))
        pen = QPen(QColor(0, 0, 0), 2.0)
        painter.setPen(pen)
        x0, x1, y = 20.0, 20.0 + self.bar_px, 40.0
        painter.drawLine(QLineF(x0, y, x1, y))
        painter.drawLine(QLineF(x0, y - 15, x0, y + 15))
        painter.drawLine(QLineF(x1, y - 15, x1, y + 15))
        font = QFont()
        font.setPointSizeF(9.0)
        painter.setFont(font)
        painter.drawText(int(x0 + self.bar_px / 2 - 25), 20, f"{CALIBRATION_BAR_MM:g} mm")
        painter.end()


class QtCalibrationDialog(QDialog):
    """Measure the drawn bar with a ruler and type its length: true size is corrected from it."""

    def __init__(self, px_per_mm: float, current_factor: float, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Calibrate screen")
        self._current = current_factor
        self._reset = False
        self.bar = QtRulerBar(px_per_mm, self)
        self.measured = QDoubleSpinBox(self)
        self.measured.setRange(40.0, 250.0)
        self.measured.setDecimals(1)
        self.measured.setSuffix(" mm")
        self.measured.setValue(CALIBRATION_BAR_MM)
        intro = QLabel(
            f"Hold a ruler against the screen and measure the bar between its end ticks. "
            f"It should be {CALIBRATION_BAR_MM:g} mm; if it is not, type what you measured, "
            "and 1 mm of ECG paper will be 1 mm on this screen from then on.",
            self,
        )
        intro.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Measured length:", self.measured)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.RestoreDefaults,
            self,
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        restore = buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults)
        restore.setText("Trust the screen's size")
        restore.clicked.connect(self._restore)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.bar, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def _restore(self) -> None:
        self._reset = True
        self.accept()

    def factor(self) -> float:
        """The new correction factor (1 after "Trust the screen's size"); may raise ValueError."""
        if self._reset:
            return 1.0
        return calibration_factor(self.measured.value(), CALIBRATION_BAR_MM, self._current)
