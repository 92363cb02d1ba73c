"""Helpers for widget tests: paper mm to viewport pixels, mouse drags, pixel probes."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QImage, QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from ecgviewer.ui.qt_ecg_view import QtEcgView


def mm_to_px(view: QtEcgView, x_mm: float, y_mm: float) -> QPointF:
    """Viewport pixel of a point of the paper."""
    return view.view_box.mapViewToDevice(QPointF(x_mm, y_mm))


def grab(view: QtEcgView) -> QImage:
    QApplication.processEvents()
    return view.viewport().grab().toImage()


def is_dark(colour: QColor) -> bool:
    """Trace ink (black, antialiased edges included), not paper or grid."""
    return colour.red() < 110 and colour.green() < 110 and colour.blue() < 110


def drag(
    view: QtEcgView,
    start: QPointF,
    end: QPointF,
    modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> None:
    """Press, move in steps and release the left button on the view (pyqtgraph drag).

    pyqtgraph drops mouse moves closer than 10 ms apart (its ``mouseRateLimit``), so the steps
    are spaced out; otherwise a quick second drag arrives as a click.
    """
    port = view.viewport()
    a, b = start.toPoint(), end.toPoint()
    QTest.mousePress(port, Qt.MouseButton.LeftButton, modifiers, a)
    for i in range(1, 5):
        QTest.qWait(15)
        at = QPointF(a + (b - a) * (i / 4))
        move = QMouseEvent(
            QEvent.Type.MouseMove,
            at,
            QPointF(port.mapToGlobal(at.toPoint())),
            Qt.MouseButton.NoButton,
            Qt.MouseButton.LeftButton,
            modifiers,
        )
        QApplication.sendEvent(port, move)
    QTest.mouseRelease(port, Qt.MouseButton.LeftButton, modifiers, QPoint(b))
    QApplication.processEvents()
