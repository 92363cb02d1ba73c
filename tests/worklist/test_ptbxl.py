"""A real PTB-XL folder: indexed from headers, analysed, listed (skips without the data)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecgviewer.worklist import Store, index_folder, list_records, pending_tasks, run_batch

pytestmark = pytest.mark.data


def test_ptbxl_folder_indexes_and_analyses(data_root: Path, tmp_path: Path) -> None:
    folder = data_root / "ptb-xl" / "records100" / "00000"
    with Store.open(tmp_path / "w.sqlite3", folder, version="test") as store:
        report = index_folder(store)
        assert report.total == report.new > 500
        fields = store.conn.execute(
            "SELECT DISTINCT fs_hz, duration_s, n_leads, source_format FROM records"
        ).fetchall()
        assert fields == [(100.0, 10.0, 12, "WFDB (format 16)")]
        tasks = pending_tasks(store)[:40]
        store.conn.execute("BEGIN")  # analyse a sample: hide the rest from the batch
        store.conn.execute(
            f"UPDATE records SET present = 0 WHERE id NOT IN ({','.join('?' * len(tasks))})",
            [t.record_id for t in tasks],
        )
        store.conn.execute("COMMIT")
        assert run_batch(store, workers=0).analysed == 40
        rows = list_records(store)
        assert len(rows) == 40 and all(r.status == "analysed" for r in rows)
        assert {r.record_name for r in rows} == {Path(t.rel_path).stem for t in tasks}
    assert not list(folder.glob("*.sqlite3*"))
