"""Batch analysis: results keyed by content and version, errors, progress, pause and cancel."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

from ecgviewer.worklist import (
    BatchControl,
    BatchProgress,
    Store,
    index_folder,
    pending_tasks,
    run_batch,
)
from tests.worklist.helpers import buggy_analyse, crashing_analyse, fake_analyse, rewrite


def _results(store: Store) -> list[tuple[str, str]]:
    return store.conn.execute(
        "SELECT content_hash, analysis_version FROM results ORDER BY 1, 2"
    ).fetchall()


def test_modified_record_is_reanalysed_and_others_are_not(analysed: Store, folder: Path) -> None:
    assert len(_results(analysed)) == 12 and pending_tasks(analysed) == []
    rewrite(folder / "001" / "r0006.hea", seed=1234)
    index_folder(analysed)
    tasks = pending_tasks(analysed)
    assert [t.rel_path for t in tasks] == ["001/r0006.hea"]
    report = run_batch(analysed, workers=0, analyse=fake_analyse)
    assert (report.pending, report.analysed) == (1, 1)
    assert len(_results(analysed)) == 13  # the old content's result stays, unused
    assert run_batch(analysed, workers=0, analyse=fake_analyse).analysed == 0


def test_new_analysis_version_reanalyses_everything(analysed: Store) -> None:
    with Store.open(analysed.path, analysed.root, version="test-2") as newer:
        assert len(pending_tasks(newer)) == 12
        assert run_batch(newer, workers=0, analyse=fake_analyse).analysed == 12
    versions = [v for _, v in _results(analysed)]
    assert versions.count("test") == 12 and versions.count("test-2") == 12


def test_a_copy_of_analysed_content_needs_no_analysis(analysed: Store, folder: Path) -> None:
    (folder / "late").mkdir()
    for f in (folder / "001").glob("r0005.*"):
        shutil.copy(f, folder / "late" / f.name)
    assert index_folder(analysed).new == 1
    assert pending_tasks(analysed) == []
    row = analysed.conn.execute(
        "SELECT fields_from, leads FROM records WHERE rel_path = 'late/r0005.hea'"
    ).fetchone()
    assert row == ("analysis", "I,II,III,aVR,aVL,aVF,V1,V2,V3,V4,V5,V6")


def test_identical_content_is_analysed_once(store: Store, folder: Path) -> None:
    (folder / "copy").mkdir()
    for f in (folder / "000").glob("r0000.*"):
        shutil.copy(f, folder / "copy" / f.name)
    index_folder(store)
    assert len(pending_tasks(store)) == 12  # 13 records, 12 contents
    run_batch(store, workers=0, analyse=fake_analyse)
    rows = store.conn.execute(
        "SELECT rel_path, fields_from FROM records WHERE rel_path LIKE '%r0000.hea' ORDER BY 1"
    ).fetchall()
    assert rows == [("000/r0000.hea", "analysis"), ("copy/r0000.hea", "analysis")]


def test_unreadable_record_keeps_its_error_and_is_not_retried(store: Store, folder: Path) -> None:
    (folder / "002" / "r0009.dat").write_bytes(b"\0" * 100)  # truncated
    index_folder(store)
    report = run_batch(store, workers=0, analyse=fake_analyse)
    assert (report.analysed, report.errors) == (12, 1)
    kind, message = store.conn.execute(
        "SELECT error_kind, error_message FROM results WHERE error_kind IS NOT NULL"
    ).fetchone()
    assert kind == "truncated_data" and "truncated" in message
    assert run_batch(store, workers=0, analyse=fake_analyse).analysed == 0


def test_a_bug_on_one_record_is_retried_on_the_next_run(store: Store) -> None:
    index_folder(store)
    assert run_batch(store, workers=0, analyse=buggy_analyse).analysed == 12
    kind, message = store.conn.execute(
        "SELECT error_kind, error_message FROM results WHERE error_kind IS NOT NULL"
    ).fetchone()
    assert (kind, message) == ("internal_error", "ZeroDivisionError: division by zero")
    assert [t.rel_path for t in pending_tasks(store)] == ["000/r0003.hea"]
    assert run_batch(store, workers=0, analyse=fake_analyse).analysed == 1
    assert store.conn.execute(
        "SELECT count(*) FROM results WHERE error_kind IS NOT NULL"
    ).fetchone() == (0,)


def test_progress_pause_resume(store: Store) -> None:
    index_folder(store)
    control = BatchControl()
    seen: list[BatchProgress] = []

    def on_progress(p: BatchProgress) -> None:
        seen.append(p)
        if p.done == 3 and p.state == "running":
            control.pause()
            threading.Timer(0.3, control.resume).start()

    report = run_batch(
        store, workers=0, analyse=fake_analyse, control=control, on_progress=on_progress
    )
    assert report.analysed == 12 and not report.cancelled
    running = [p.done for p in seen if p.state == "running"]
    assert running == list(range(1, 13))
    assert any(p.state == "paused" and p.done == 3 for p in seen)
    last = seen[-1]
    assert (last.state, last.done, last.total, last.fraction) == ("finished", 12, 12, 1.0)
    assert last.describe().startswith("12 of 12 records (100 %)")


def test_cancel_keeps_what_is_done_and_the_rest_stays_pending(store: Store) -> None:
    index_folder(store)
    control = BatchControl()

    def on_progress(p: BatchProgress) -> None:
        if p.done == 5:
            control.cancel()

    report = run_batch(
        store, workers=0, analyse=fake_analyse, control=control, on_progress=on_progress
    )
    assert report.cancelled and report.analysed == 5
    assert len(_results(store)) == 5 and len(pending_tasks(store)) == 7
    assert run_batch(store, workers=0, analyse=fake_analyse).analysed == 7


def test_worker_pool_survives_a_dying_worker(store: Store, tmp_path: Path) -> None:
    index_folder(store)
    report = run_batch(store, workers=2, analyse=crashing_analyse, chunk_size=3)
    assert report.analysed == 12
    rows = dict(
        store.conn.execute(
            "SELECT r.rel_path, coalesce(res.error_kind, res.flagged) FROM records r "
            "JOIN results res ON res.content_hash = r.content_hash"
        )
    )
    assert rows.pop("001/r0005.hea") == "internal_error"
    # the other eleven match an analysis in this process, flag for flag
    with Store.open(tmp_path / "reference.sqlite3", store.root, version="test") as ref:
        index_folder(ref)
        run_batch(ref, workers=0, analyse=fake_analyse)
        expected = dict(
            ref.conn.execute(
                "SELECT r.rel_path, res.flagged FROM records r "
                "JOIN results res ON res.content_hash = r.content_hash"
            )
        )
    del expected["001/r0005.hea"]
    assert rows == expected
