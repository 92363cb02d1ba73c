"""Qt test set-up: offscreen platform before any Qt import, and no widgets left behind."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication


@pytest.fixture(autouse=True)
def no_leaked_widgets(qapp: QApplication) -> Iterator[None]:
    """Fail a test that leaves visible top-level widgets behind (napari style)."""
    before = {id(w) for w in qapp.topLevelWidgets()}
    yield
    qapp.processEvents()
    leaked = [w for w in qapp.topLevelWidgets() if id(w) not in before and w.isVisible()]
    for w in leaked:
        w.close()
    assert not leaked, f"test left widgets open: {[type(w).__name__ for w in leaked]}"


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    """Settings in a temporary file, so tests never touch the user's recent-files list."""
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
