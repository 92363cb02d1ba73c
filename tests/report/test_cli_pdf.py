"""``ecgviewer analyze --pdf [--combined]``: a PDF beside each JSON, or one for the folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ecgviewer.cli import main
from tests.conftest import REPO
from tests.report.helpers import needs_poppler, page_count, text

pytestmark = needs_poppler


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    src = tmp_path / "in"
    src.mkdir()
    for part in ("hea", "dat", "atr"):
        shutil.copy(REPO / "resources" / "demo" / f"demo.{part}", src)
    (src / "broken.hea").write_text("this is not a WFDB header\n")
    return src


def test_one_pdf_beside_each_json(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["analyze", str(folder), "--out", str(out), "--pdf", "-q"]) == 1  # one failed
    assert sorted(p.name for p in out.iterdir()) == ["broken.json", "demo.json", "demo.pdf"]
    assert page_count(out / "demo.pdf") == 3  # sheet 1, sheet 2 and its continuation
    first = text(out / "demo.pdf").split("\f")[0]
    assert "12-lead ECG · demo" in " ".join(first.split())
    assert "HR" in first and "bpm" in first


def test_no_pdf_unless_asked(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    main(["analyze", str(folder / "demo.hea"), "--out", str(out), "-q"])
    assert sorted(p.name for p in out.iterdir()) == ["demo.json"]


def test_combined_pdf_has_a_page_for_the_unreadable_record(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["analyze", str(folder), "--out", str(out), "--combined", "-q"]) == 1
    assert sorted(p.name for p in out.iterdir()) == ["broken.json", "demo.json", "report.pdf"]
    pages = text(out / "report.pdf").split("\f")
    assert page_count(out / "report.pdf") == 4  # broken (1 sheet), then demo (3), by path
    assert "Recording could not be opened" in pages[0] and "broken.hea" in pages[0]
    assert "12-lead ECG" in pages[1]
