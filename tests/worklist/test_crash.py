"""Crashes: a batch killed with SIGKILL and restarted, a review made just before a crash.

Real subprocesses, really killed: nothing may be lost, duplicated or corrupted.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from ecgviewer.worklist import Store, record_findings, review_history
from tests.conftest import REPO
from tests.worklist.helpers import make_folder

N_RECORDS = 200
_BATCH = [sys.executable, "-c", "from tests.worklist.helpers import batch_main; batch_main()"]


def _committed(db: Path) -> int:
    """Results committed so far, read through a read-only connection (0 before the schema)."""
    if not db.exists():
        return 0
    conn = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True, timeout=5)
    try:
        return int(conn.execute("SELECT count(*) FROM results").fetchone()[0])
    except sqlite3.OperationalError:
        return 0
    finally:
        conn.close()


def _run_and_kill(root: Path, db: Path, at_least: int, *, whole_group: bool) -> None:
    proc = subprocess.Popen(
        [*_BATCH, str(root), str(db)], cwd=REPO, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while _committed(db) < at_least and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert proc.poll() is None, "the batch ended before it could be killed"
        if whole_group:
            os.killpg(proc.pid, signal.SIGKILL)
        else:  # only the writer dies; its orphaned workers cannot write
            os.kill(proc.pid, signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)  # the workers, which this test started
        if proc.stderr is not None:
            proc.stderr.close()


def test_batch_killed_twice_then_finished_loses_and_repeats_nothing(tmp_path: Path) -> None:
    root, db = tmp_path / "ecgs", tmp_path / "worklist.sqlite3"
    make_folder(root, N_RECORDS)
    _run_and_kill(root, db, 20, whole_group=False)
    first = _committed(db)
    _run_and_kill(root, db, first + 40, whole_group=True)
    before_restart = _committed(db)
    assert 20 <= first < before_restart < N_RECORDS

    done = subprocess.run(
        [*_BATCH, str(root), str(db)], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    # the restart analysed exactly what had not been committed: nothing twice
    assert report == {"analysed": N_RECORDS - before_restart, "pending": N_RECORDS - before_restart}

    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    per_record = conn.execute(
        "SELECT r.rel_path, count(res.content_hash) FROM records r LEFT JOIN results res "
        "ON res.content_hash = r.content_hash AND res.analysis_version = 'test' GROUP BY r.id"
    ).fetchall()
    assert len(per_record) == N_RECORDS
    assert {n for _, n in per_record} == {1}  # exactly one result per record, none lost
    assert conn.execute("SELECT count(*) FROM results").fetchone() == (N_RECORDS,)
    assert conn.execute("SELECT count(*) FROM results WHERE error_kind IS NOT NULL").fetchone() == (
        0,
    )
    findings = conn.execute("SELECT count(DISTINCT content_hash) FROM findings").fetchone()
    assert findings == (N_RECORDS,)  # every result has its findings rows
    conn.close()


def test_review_survives_a_crash_right_after_it_is_made(analysed: Store) -> None:
    record_id = analysed.conn.execute(
        "SELECT id FROM records WHERE rel_path = '000/r0001.hea'"
    ).fetchone()[0]
    finding = next(f.name for f in record_findings(analysed, record_id) if f.flagged)
    code = (
        "import os, signal\n"
        "from ecgviewer.worklist import Store, add_review\n"
        f"store = Store.open({str(analysed.path)!r}, {str(analysed.root)!r}, version='test')\n"
        f"add_review(store, {record_id}, {finding!r}, 'reject', 'Dr A', 'noise in V2')\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, timeout=60)
    assert proc.returncode == -signal.SIGKILL, proc.stderr

    with Store.open(analysed.path, analysed.root, version="test") as reopened:
        history = review_history(reopened, record_id)
        assert [(r.finding, r.decision, r.reviewer, r.comment) for r in history] == [
            (finding, "reject", "Dr A", "noise in V2")
        ]
        assert history[0].model_version == "test" and history[0].created_utc.endswith("Z")
        decided = {f.name: f.review for f in record_findings(reopened, record_id)}
        assert decided[finding] == history[0]
        assert reopened.conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
