"""The Qt binding must not corrupt Python's reference counts.

PySide6-Essentials 6.12.0 drops a reference to ``None`` on every call of a method returning
``void`` (``setVisible``, ``setZValue``, ``setObjectName``, ...). On Python 3.11, where ``None``
is not immortal, a few thousand such calls (a few page rebuilds) bring its count to zero and the
interpreter aborts (``none_dealloc`` / ``bool_dealloc``) or segfaults. 6.11.3 does not have the
bug. This test fails as long as a broken binding is installed.
"""

from __future__ import annotations

import gc
import sys

from PySide6.QtCore import QObject, QRectF
from PySide6.QtWidgets import QApplication, QGraphicsRectItem

CALLS = 500


def test_void_qt_calls_keep_none_alive(qapp: QApplication) -> None:
    rect, obj, item = QRectF(), QObject(), QGraphicsRectItem()
    gc.collect()
    before = sys.getrefcount(None)
    for _ in range(CALLS):
        rect.setWidth(1.0)
        obj.setObjectName("x")
        item.setZValue(1.0)
    gc.collect()
    lost = before - sys.getrefcount(None)
    assert lost < CALLS // 10, (
        f"{lost} references to None lost in {3 * CALLS} void Qt calls: this PySide6 build "
        "corrupts reference counts and will crash the viewer (use PySide6-Essentials < 6.12)"
    )
