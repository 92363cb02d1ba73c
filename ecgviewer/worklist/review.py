"""Reviews: a clinician confirms or rejects a finding; every decision is kept.

The history is append-only (the database refuses UPDATE and DELETE on it): changing a decision
adds a row, and the current decision is the latest row for that record, content and finding.
Each row keeps who, when (UTC), the comment, the content hash of the recording reviewed and
the analysis version (app and model versions) that produced the finding. A decision made on a
recording that later changes stays in the history but is no longer current.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

from ecgviewer.worklist.migrations import WorklistError
from ecgviewer.worklist.store import Store, utc_now

Decision = Literal["confirm", "reject"]
DECISIONS: tuple[Decision, ...] = ("confirm", "reject")


@dataclass(frozen=True, slots=True)
class Review:
    """One row of the review history."""

    review_id: int
    record_id: int
    content_hash: str
    finding: str
    decision: Decision
    comment: str
    reviewer: str
    created_utc: str
    model_version: str


@dataclass(frozen=True, slots=True)
class Finding:
    """A finding of a record's current result, with its current decision (None: open)."""

    name: str
    kind: Literal["class", "anomaly"]
    value: float
    threshold: float
    flagged: bool
    review: Review | None


_COLUMNS = (
    "id, record_id, content_hash, finding, decision, comment, reviewer, created_utc, model_version"
)


def _review(row: Any) -> Review:
    return Review(*row)


def add_review(
    store: Store,
    record_id: int,
    finding: str,
    decision: Decision,
    reviewer: str,
    comment: str = "",
) -> Review:
    """Record a decision on a finding of the record's current result, committed before return.

    Raises
    ------
    ValueError
        ``decision`` is not ``confirm``/``reject``, or ``reviewer`` is empty.
    WorklistError
        No such record, it has no result for ``store.version``, or no finding of that name.
    """
    if decision not in DECISIONS:
        raise ValueError(f"decision must be one of {DECISIONS}, not {decision!r}")
    if not reviewer.strip():
        raise ValueError("a review needs the reviewer's name")
    with store.transaction() as tx:
        rec = tx.execute(
            "SELECT content_hash, rel_path FROM records WHERE id = ?", (record_id,)
        ).fetchone()
        if rec is None:
            raise WorklistError(f"There is no record {record_id} in this worklist.")
        found = tx.execute(
            "SELECT 1 FROM findings WHERE content_hash = ? AND analysis_version = ? AND name = ?",
            (rec[0], store.version, finding),
        ).fetchone()
        if found is None:
            raise WorklistError(
                f"{rec[1]} has no finding '{finding}' in its current analysis; "
                "only findings shown can be reviewed."
            )
        cur = tx.execute(
            "INSERT INTO reviews (record_id, content_hash, finding, decision, comment, reviewer, "
            "created_utc, model_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (record_id, rec[0], finding, decision, comment, reviewer.strip(), utc_now(),
             store.version),
        )  # fmt: skip
        row = tx.execute(f"SELECT {_COLUMNS} FROM reviews WHERE id = ?", (cur.lastrowid,))
        return _review(row.fetchone())


def review_history(store: Store, record_id: int, finding: str | None = None) -> list[Review]:
    """Every decision ever made on the record (or one finding of it), oldest first."""
    sql = f"SELECT {_COLUMNS} FROM reviews WHERE record_id = ?"
    params: tuple[Any, ...] = (record_id,)
    if finding is not None:
        sql += " AND finding = ?"
        params += (finding,)
    return [_review(r) for r in store.conn.execute(sql + " ORDER BY id", params)]


def current_decisions(store: Store, record_id: int) -> dict[str, Review]:
    """The current decision per finding, for the record's current content."""
    rows = store.conn.execute(
        f"SELECT {', '.join('c.' + c.strip() for c in _COLUMNS.split(','))} "
        "FROM current_reviews c JOIN records r ON r.id = c.record_id "
        "AND r.content_hash = c.content_hash WHERE c.record_id = ? ORDER BY c.finding",
        (record_id,),
    )
    return {review.finding: review for review in map(_review, rows)}


def record_findings(store: Store, record_id: int) -> list[Finding]:
    """The findings of the record's current result, flagged first, with their decisions."""
    decisions = current_decisions(store, record_id)
    rows = store.conn.execute(
        "SELECT f.name, f.kind, f.value, f.threshold, f.flagged FROM findings f "
        "JOIN records r ON r.content_hash = f.content_hash "
        "WHERE r.id = ? AND f.analysis_version = ? ORDER BY f.flagged DESC, f.value DESC",
        (record_id, store.version),
    )
    return [
        Finding(name, kind, value, threshold, bool(flagged), decisions.get(name))
        for name, kind, value, threshold, flagged in rows
    ]


def record_result(store: Store, record_id: int) -> dict[str, Any] | None:
    """The analysis JSON of the record's current content, or None when not analysed yet."""
    row = store.conn.execute(
        "SELECT res.result_json FROM results res JOIN records r "
        "ON r.content_hash = res.content_hash WHERE r.id = ? AND res.analysis_version = ?",
        (record_id, store.version),
    ).fetchone()
    return None if row is None else dict(json.loads(row[0]))
