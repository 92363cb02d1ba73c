"""The viewer window: opens the demo and records, explains bad files, never crashes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtWidgets import QMessageBox

from ecgviewer.io import STANDARD_LEADS
from ecgviewer.ui.app import demo_record_path
from ecgviewer.ui.qt_main_window import QtMainWindow
from tests.io.wfdb_helpers import write_record


def test_demo_record_is_bundled_and_opens(window: QtMainWindow) -> None:
    assert demo_record_path().is_file()
    assert window.open_path(str(demo_record_path()), remember=False)
    record = window.record
    assert record is not None and record.record_name == "demo"
    assert record.lead_names == STANDARD_LEADS
    assert window.windowTitle().startswith("demo")
    # 12 panels plus the lead II rhythm strip, each with its own curve
    assert len(window.view.page.curves) == 13


def test_bad_file_explains_and_keeps_the_open_record(
    window: QtMainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: shown.append(args[2]))
    header, _ = write_record(tmp_path)
    assert window.open_path(str(header))
    good = window.record
    junk = tmp_path / "junk.bin"
    junk.write_bytes(bytes(range(256)) * 4)
    assert not window.open_path(str(junk))
    assert window.record is good
    assert len(shown) == 1 and "not a recording format" in shown[0]


def test_long_two_lead_record_draws_only_the_visible_window(
    window: QtMainWindow, tmp_path: Path
) -> None:
    n = 360 * 60 * 30
    signal = np.tile(np.sin(np.arange(n) / 30.0), (2, 1))
    header, _ = write_record(
        tmp_path, leads=["MLII", "V1"], fs_hz=360, n_samples=n, fmt="212", signal=signal
    )
    assert window.open_path(str(header))
    curves = window.view.page.curves
    assert len(curves) == 2
    for curve in curves:
        x, _ = curve.getData()
        assert 0 < len(x) <= 360 * 10 + 2  # the first 10 s, not 30 minutes


def test_opened_files_go_to_recent_files(window: QtMainWindow, tmp_path: Path) -> None:
    header, _ = write_record(tmp_path)
    window.open_path(str(header))
    assert window.recent_menu.paths()[0] == str(header)
