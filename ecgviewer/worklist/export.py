"""CSV export of the worklist: one row per record, and the full review history.

Files are written to a temporary name and renamed, so a crash never leaves half a CSV where a
complete one is expected. Text a reviewer typed that a spreadsheet would run as a formula
(``=``, ``+``, ``-``, ``@`` first) is prefixed with ``'``.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ecgviewer.worklist.query import WorklistQuery, list_records
from ecgviewer.worklist.results import MEASUREMENT_COLUMNS
from ecgviewer.worklist.review import current_decisions
from ecgviewer.worklist.store import Store

RESULT_COLUMNS: tuple[str, ...] = (
    "rel_path", "record_name", "source_format", "fs_hz", "duration_s", "n_leads", "patient_id",
    "age_years", "sex", "start_time", "status", "error_kind", "error_message", "flagged",
    "max_probability", "anomaly_score", *MEASUREMENT_COLUMNS, "review_state", "n_confirmed",
    "n_rejected", "n_open", "decisions", "analysis_version",
)  # fmt: skip
REVIEW_COLUMNS: tuple[str, ...] = (
    "review_id", "rel_path", "finding", "decision", "comment", "reviewer", "created_utc",
    "model_version", "content_hash",
)  # fmt: skip


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _write(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.partial")
    n = 0
    with open(tmp, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        for row in rows:
            writer.writerow([_cell(v) for v in row])
            n += 1
    os.replace(tmp, path)
    return n


def export_results_csv(store: Store, path: Path, query: WorklistQuery | None = None) -> int:
    """Write one row per listed record (with a ``p_<finding>`` column per finding); the count.

    ``decisions`` holds the current decisions as ``AF=confirm; LBBB=reject``.
    """
    names = [
        r[0]
        for r in store.conn.execute(
            "SELECT DISTINCT name FROM findings WHERE analysis_version = ? ORDER BY name",
            (store.version,),
        )
    ]
    values: dict[str, dict[str, float]] = {}
    for content_hash, name, value in store.conn.execute(
        "SELECT content_hash, name, value FROM findings WHERE analysis_version = ?",
        (store.version,),
    ):
        values.setdefault(content_hash, {})[name] = value
    hashes = dict(store.conn.execute("SELECT id, content_hash FROM records"))

    def rows() -> Iterable[list[Any]]:
        for row in list_records(store, query):
            decided = (
                current_decisions(store, row.record_id) if row.n_confirmed + row.n_rejected else {}
            )
            cells: dict[str, Any] = {c: getattr(row, c, None) for c in RESULT_COLUMNS}
            cells["flagged"] = ";".join(row.flagged)
            cells["review_state"] = row.review_state
            cells["decisions"] = "; ".join(f"{k}={v.decision}" for k, v in decided.items())
            cells["analysis_version"] = store.version if row.status != "pending" else None
            found = values.get(hashes.get(row.record_id) or "", {})
            yield [cells[c] for c in RESULT_COLUMNS] + [found.get(n) for n in names]

    return _write(path, [*RESULT_COLUMNS, *(f"p_{n}" for n in names)], rows())


def export_reviews_csv(store: Store, path: Path) -> int:
    """Write the whole review history, oldest first (superseded decisions included)."""
    rows = store.conn.execute(
        "SELECT v.id, r.rel_path, v.finding, v.decision, v.comment, v.reviewer, v.created_utc, "
        "v.model_version, v.content_hash FROM reviews v JOIN records r ON r.id = v.record_id "
        "ORDER BY v.id"
    )
    return _write(path, REVIEW_COLUMNS, rows)
