"""Reviews: validated, append-only, the latest decision is current, tied to the content."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from ecgviewer.worklist import (
    Store,
    WorklistError,
    add_review,
    current_decisions,
    index_folder,
    record_findings,
    record_result,
    review_history,
    run_batch,
)
from tests.worklist.helpers import fake_analyse, rewrite


def _record(store: Store, rel_path: str) -> int:
    row = store.conn.execute("SELECT id FROM records WHERE rel_path = ?", (rel_path,)).fetchone()
    return int(row[0])


def test_changed_decision_appends_and_the_latest_is_current(analysed: Store) -> None:
    rid = _record(analysed, "000/r0001.hea")  # flagged AF and LBBB
    first = add_review(analysed, rid, "AF", "confirm", "Dr A", "clear f-waves")
    add_review(analysed, rid, "LBBB", "confirm", "Dr A")
    second = add_review(analysed, rid, "AF", "reject", " Dr B ", '=HYPERLINK("x")')
    assert second.review_id > first.review_id and second.reviewer == "Dr B"
    history = review_history(analysed, rid, "AF")
    assert [(r.decision, r.reviewer, r.comment) for r in history] == [
        ("confirm", "Dr A", "clear f-waves"),
        ("reject", "Dr B", '=HYPERLINK("x")'),
    ]
    assert history[0].created_utc <= history[1].created_utc
    assert {k: v.decision for k, v in current_decisions(analysed, rid).items()} == {
        "AF": "reject",
        "LBBB": "confirm",
    }
    findings = {f.name: f for f in record_findings(analysed, rid)}
    assert set(findings) == {"AF", "LBBB", "STEMI", "anomaly"}
    assert findings["AF"].flagged and findings["AF"].review == second
    assert findings["STEMI"].review is None and not findings["STEMI"].flagged


def test_history_cannot_be_edited_or_deleted(analysed: Store) -> None:
    rid = _record(analysed, "000/r0000.hea")
    add_review(analysed, rid, "AF", "confirm", "Dr A")
    for sql in ("UPDATE reviews SET decision = 'reject'", "DELETE FROM reviews"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            analysed.conn.execute(sql)
    assert [r.decision for r in review_history(analysed, rid)] == ["confirm"]


def test_invalid_reviews_are_refused(analysed: Store, folder: Path) -> None:
    rid = _record(analysed, "000/r0000.hea")
    with pytest.raises(ValueError, match="decision"):
        add_review(analysed, rid, "AF", "maybe", "Dr A")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="reviewer"):
        add_review(analysed, rid, "AF", "confirm", "  ")
    with pytest.raises(WorklistError, match="no finding 'PVC'"):
        add_review(analysed, rid, "PVC", "confirm", "Dr A")
    with pytest.raises(WorklistError, match="no record 999"):
        add_review(analysed, 999, "AF", "confirm", "Dr A")
    from tests.io.wfdb_helpers import write_record

    write_record(folder / "000", "fresh", fs_hz=100.0, n_samples=1000)
    index_folder(analysed)  # not analysed yet: nothing to review
    with pytest.raises(WorklistError, match="no finding"):
        add_review(analysed, _record(analysed, "000/fresh.hea"), "AF", "confirm", "Dr A")
    assert analysed.conn.execute("SELECT count(*) FROM reviews").fetchone() == (0,)


def test_a_changed_recording_keeps_its_history_but_not_its_decisions(
    analysed: Store, folder: Path
) -> None:
    rid = _record(analysed, "001/r0006.hea")
    old = add_review(analysed, rid, "AF", "confirm", "Dr A")
    rewrite(folder / "001" / "r0006.hea", seed=77)
    index_folder(analysed)
    run_batch(analysed, workers=0, analyse=fake_analyse)
    assert current_decisions(analysed, rid) == {}
    assert all(f.review is None for f in record_findings(analysed, rid))
    assert review_history(analysed, rid) == [old]  # still there, for the old content
    new_hash = analysed.conn.execute("SELECT content_hash FROM records WHERE id = ?", (rid,))
    assert old.content_hash != new_hash.fetchone()[0]


def test_record_result_is_the_stored_json(analysed: Store) -> None:
    data = record_result(analysed, _record(analysed, "000/r0001.hea"))
    assert data is not None and data["record_name"] == "r0001"
    assert data["classes"]["AF"]["flagged"] is True and data["error"] is None
    assert data["record"] == "000/r0001.hea"  # the path relative to the worklist's folder
