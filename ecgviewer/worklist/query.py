"""The worklist as a table: filter, sort, count, and step to the next flagged record.

Everything a worklist screen needs is a :class:`WorklistQuery` (frozen: build a new one when
the user changes a filter or clicks a header) answered with immutable :class:`WorklistRow`
values, so a Qt table model only maps rows to cells. Sort keys are the row's field names.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Literal

from ecgviewer.worklist.results import MEASUREMENT_COLUMNS
from ecgviewer.worklist.store import Store

Status = Literal["pending", "analysed", "error"]
ReviewState = Literal["unreviewed", "partial", "reviewed"]
ReviewFilter = Literal["unreviewed", "to_review", "reviewed", "confirmed", "rejected"]


@dataclass(frozen=True, slots=True)
class WorklistRow:
    """One record as the list shows it; ``None`` where nothing is known (yet)."""

    record_id: int
    rel_path: str
    present: bool
    record_name: str | None
    source_format: str | None
    fs_hz: float | None
    duration_s: float | None
    n_leads: int | None
    patient_id: str | None
    age_years: float | None
    sex: str | None
    start_time: str | None
    status: Status
    error_kind: str | None
    error_message: str | None
    flagged: tuple[str, ...]
    n_flagged: int
    max_probability: float | None
    anomaly_score: float | None
    hr_bpm: float | None
    pr_ms: float | None
    qrs_ms: float | None
    qt_ms: float | None
    qtc_bazett_ms: float | None
    qtc_fridericia_ms: float | None
    n_confirmed: int
    n_rejected: int
    n_open: int
    """Flagged findings without a current decision: what is left to review."""

    @property
    def review_state(self) -> ReviewState:
        """``unreviewed`` (no decision), ``partial`` (flags left open) or ``reviewed``."""
        if self.n_confirmed + self.n_rejected == 0:
            return "unreviewed"
        return "partial" if self.n_open else "reviewed"


ROW_FIELDS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(WorklistRow))
#: Keys :attr:`WorklistQuery.sort_by` accepts besides ``"priority"`` and ``"probability:NAME"``.
SORT_KEYS: frozenset[str] = frozenset(ROW_FIELDS) - {"flagged", "present"}


@dataclass(frozen=True, slots=True)
class WorklistFilter:
    """Which records to list; every condition given must hold.

    ``probability`` is ``(finding, minimum)``; ``measurements`` holds
    ``(column, minimum, maximum)`` with ``None`` for an open end, e.g.
    ``(("qtc_bazett_ms", 470.0, None),)``.
    """

    flagged: bool | None = None
    finding: str | None = None
    probability: tuple[str, float] | None = None
    min_probability: float | None = None
    min_anomaly_score: float | None = None
    measurements: tuple[tuple[str, float | None, float | None], ...] = ()
    status: Status | None = None
    review: ReviewFilter | None = None
    text: str | None = None
    include_missing: bool = False


@dataclass(frozen=True, slots=True)
class WorklistQuery:
    """A filter, a sort and a page. ``priority`` lists what needs a clinician first."""

    filter: WorklistFilter = field(default_factory=WorklistFilter)
    sort_by: str = "priority"
    descending: bool = False
    limit: int | None = None
    offset: int = 0


_ROWS = """
SELECT rec.id AS record_id, rec.rel_path, rec.present, rec.record_name, rec.source_format,
  rec.fs_hz, rec.duration_s, rec.n_leads, rec.patient_id, rec.age_years, rec.sex,
  rec.start_time, rec.content_hash,
  CASE WHEN res.content_hash IS NULL THEN 'pending'
       WHEN res.error_kind IS NULL THEN 'analysed' ELSE 'error' END AS status,
  res.error_kind, res.error_message, coalesce(res.flagged, '') AS flagged,
  coalesce(res.n_flagged, 0) AS n_flagged, res.max_probability, res.anomaly_score,
  res.hr_bpm, res.pr_ms, res.qrs_ms, res.qt_ms, res.qtc_bazett_ms, res.qtc_fridericia_ms,
  coalesce(rv.n_confirmed, 0) AS n_confirmed, coalesce(rv.n_rejected, 0) AS n_rejected,
  (SELECT count(*) FROM findings f
   WHERE f.content_hash = rec.content_hash AND f.analysis_version = :version AND f.flagged = 1
     AND NOT EXISTS (SELECT 1 FROM current_reviews c WHERE c.record_id = rec.id
                     AND c.content_hash = rec.content_hash AND c.finding = f.name)) AS n_open
FROM records rec
LEFT JOIN results res
  ON res.content_hash = rec.content_hash AND res.analysis_version = :version
LEFT JOIN (SELECT record_id, content_hash, sum(decision = 'confirm') AS n_confirmed,
                  sum(decision = 'reject') AS n_rejected
           FROM current_reviews GROUP BY record_id, content_hash) rv
  ON rv.record_id = rec.id AND rv.content_hash = rec.content_hash
"""
_FINDING = (
    "EXISTS (SELECT 1 FROM findings f WHERE f.content_hash = w.content_hash "
    "AND f.analysis_version = :version AND f.name = :{name} AND {cond})"
)
_PRIORITY = (
    "CASE WHEN w.n_open > 0 THEN 0 WHEN w.status = 'error' THEN 1 WHEN w.n_flagged > 0 THEN 2 "
    "WHEN w.status = 'analysed' THEN 3 ELSE 4 END {asc}, w.max_probability {desc} NULLS LAST, "
    "w.anomaly_score {desc} NULLS LAST"
)
_REVIEW = {
    "unreviewed": "w.n_confirmed + w.n_rejected = 0",
    "reviewed": "w.n_confirmed + w.n_rejected > 0",
    "to_review": "w.n_open > 0",
    "confirmed": "w.n_confirmed > 0",
    "rejected": "w.n_rejected > 0",
}


def _where(flt: WorklistFilter, params: dict[str, Any]) -> str:
    conds = [] if flt.include_missing else ["w.present = 1"]
    if flt.flagged is not None:
        conds.append(
            "w.n_flagged > 0" if flt.flagged else "w.status = 'analysed' AND w.n_flagged = 0"
        )
    if flt.finding is not None:
        params["finding"] = flt.finding
        conds.append(_FINDING.format(name="finding", cond="f.flagged = 1"))
    if flt.probability is not None:
        params["p_name"], params["p_min"] = flt.probability
        conds.append(_FINDING.format(name="p_name", cond="f.value >= :p_min"))
    if flt.min_probability is not None:
        params["min_probability"] = flt.min_probability
        conds.append("w.max_probability >= :min_probability")
    if flt.min_anomaly_score is not None:
        params["min_anomaly"] = flt.min_anomaly_score
        conds.append("w.anomaly_score >= :min_anomaly")
    for i, (column, low, high) in enumerate(flt.measurements):
        if column not in MEASUREMENT_COLUMNS:
            raise ValueError(f"no measurement column {column!r}; use one of {MEASUREMENT_COLUMNS}")
        for op, bound, key in ((">=", low, f"lo{i}"), ("<=", high, f"hi{i}")):
            if bound is not None:
                params[key] = bound
                conds.append(f"w.{column} {op} :{key}")
    if flt.status is not None:
        params["status"] = flt.status
        conds.append("w.status = :status")
    if flt.review is not None:
        if flt.review not in _REVIEW:
            raise ValueError(f"no review filter {flt.review!r}; use one of {sorted(_REVIEW)}")
        conds.append(_REVIEW[flt.review])
    if flt.text:
        escaped = flt.text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        params["text"] = f"%{escaped}%"
        conds.append(r"(w.rel_path LIKE :text ESCAPE '\' OR w.record_name LIKE :text ESCAPE '\')")
    return " AND ".join(conds) or "1"


def _order(query: WorklistQuery, params: dict[str, Any]) -> str:
    asc, desc = ("DESC", "ASC") if query.descending else ("ASC", "DESC")
    if query.sort_by == "priority":
        return _PRIORITY.format(asc=asc, desc=desc) + ", w.rel_path"
    if query.sort_by.startswith("probability:"):
        params["sort_name"] = query.sort_by.split(":", 1)[1]
        key = (
            "(SELECT f.value FROM findings f WHERE f.content_hash = w.content_hash "
            "AND f.analysis_version = :version AND f.name = :sort_name)"
        )
    elif query.sort_by in SORT_KEYS:
        key = f"w.{query.sort_by}"
    else:
        raise ValueError(f"cannot sort by {query.sort_by!r}; use one of {sorted(SORT_KEYS)}")
    return f"{key} {asc} NULLS LAST, w.rel_path"


def _select(store: Store, query: WorklistQuery, columns: str) -> list[Any]:
    params: dict[str, Any] = {"version": store.version}
    sql = f"SELECT {columns} FROM ({_ROWS}) AS w WHERE {_where(query.filter, params)}"
    sql += f" ORDER BY {_order(query, params)}"
    if query.limit is not None:
        sql += f" LIMIT {int(query.limit):d} OFFSET {int(query.offset):d}"
    return store.conn.execute(sql, params).fetchall()


def list_records(store: Store, query: WorklistQuery | None = None) -> list[WorklistRow]:
    """The records matching ``query.filter``, sorted and paged as it says."""
    names = ", ".join(f"w.{n}" for n in ROW_FIELDS)
    rows = []
    for r in _select(store, query or WorklistQuery(), names):
        values = dict(zip(ROW_FIELDS, r, strict=True))
        values["present"] = bool(values["present"])
        values["flagged"] = tuple(n for n in values["flagged"].split(",") if n)
        rows.append(WorklistRow(**values))
    return rows


def count_records(store: Store, flt: WorklistFilter | None = None) -> int:
    """How many records match ``flt`` (for "12 of 19 601 shown")."""
    params: dict[str, Any] = {"version": store.version}
    sql = f"SELECT count(*) FROM ({_ROWS}) AS w WHERE {_where(flt or WorklistFilter(), params)}"
    return int(store.conn.execute(sql, params).fetchone()[0])


def neighbour(
    store: Store, record_id: int, query: WorklistQuery | None = None, *, step: int = 1
) -> int | None:
    """The next (``step=1``) or previous (``-1``) flagged record in the query's order.

    Returns None past the last (or before the first) one. A record not in the list starts
    from the top (or the bottom, going back).
    """
    q = dataclasses.replace(query or WorklistQuery(), limit=None, offset=0)
    order = _select(store, q, "w.record_id, w.n_flagged > 0")
    ids = [r[0] for r in order]
    pos = ids.index(record_id) if record_id in ids else (-1 if step > 0 else len(ids))
    pos += step
    while 0 <= pos < len(order):
        if order[pos][1]:
            return int(order[pos][0])
        pos += step
    return None


@dataclass(frozen=True, slots=True)
class WorklistSummary:
    """Counts for a status bar: present records by state (``missing``: gone from disk)."""

    records: int
    pending: int
    analysed: int
    errors: int
    flagged: int
    to_review: int
    reviewed: int
    missing: int


def summarize(store: Store) -> WorklistSummary:
    """Counts over the whole worklist, for ``store.version``."""
    row = store.conn.execute(
        "SELECT sum(present), sum(present AND status = 'pending'), "
        "sum(present AND status = 'analysed'), sum(present AND status = 'error'), "
        "sum(present AND n_flagged > 0), sum(present AND n_open > 0), "
        f"sum(present AND n_confirmed + n_rejected > 0), sum(NOT present) FROM ({_ROWS})",
        {"version": store.version},
    ).fetchone()
    return WorklistSummary(*(int(v or 0) for v in row))
