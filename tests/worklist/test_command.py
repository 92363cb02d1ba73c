"""``ecgviewer worklist FOLDER``: fills the database headless, resumes, exports CSV."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

import pytest

from ecgviewer.cli import main


def test_worklist_command_fills_the_database_and_exports(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, out = tmp_path / "w.sqlite3", tmp_path / "out.csv"
    (folder / "002" / "r0010.dat").write_bytes(b"\0" * 10)  # one unreadable record
    before = sorted(p.name for p in folder.rglob("*"))
    assert (
        main(["worklist", str(folder), "--db", str(db), "--workers", "0", "--export-csv", str(out)])
        == 0
    )
    err = capsys.readouterr().err
    assert "12 records indexed" in err and "12 new" in err
    assert "12 analysed" in err and "1 unreadable" in err
    assert sorted(p.name for p in folder.rglob("*")) == before  # nothing written beside records
    with out.open() as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 12 and sum(r["status"] == "error" for r in rows) == 1
    assert (tmp_path / "out.reviews.csv").read_text().startswith("review_id,rel_path")

    assert main(["worklist", str(folder), "--db", str(db), "--workers", "0", "-q"]) == 0
    assert "0 analysed" in capsys.readouterr().err  # nothing new: nothing analysed again
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM results").fetchone() == (12,)
    conn.close()


def test_worklist_command_refuses_a_missing_or_empty_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["worklist", str(tmp_path / "nope"), "--db", str(tmp_path / "w.sqlite3")]) == 1
    assert "is not a folder" in capsys.readouterr().err
    assert not (tmp_path / "w.sqlite3").exists()
    (tmp_path / "empty").mkdir()
    assert main(["worklist", str(tmp_path / "empty"), "--db", str(tmp_path / "e.sqlite3")]) == 1
    assert "No recordings found" in capsys.readouterr().err
