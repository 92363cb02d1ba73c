"""Store one analysis JSON: the whole object, its sortable columns and one row per finding.

The JSON is kept whole (the viewer shows it); the columns beside it are derived from it here
and nowhere else, so the list, the filters and the CSV export can never disagree with it.
"""

from __future__ import annotations

import json
import math
import sqlite3
from typing import Any

from ecgviewer.analysis import json_safe

#: Measurement columns of ``results``, named as in the analysis JSON.
MEASUREMENT_COLUMNS: tuple[str, ...] = (
    "hr_bpm", "pr_ms", "qrs_ms", "qt_ms", "qtc_bazett_ms", "qtc_fridericia_ms",
)  # fmt: skip

#: The finding name the anomaly score is stored (and reviewed) under.
ANOMALY = "anomaly"


def _number(value: Any) -> float | None:
    """A finite float, or None: the database never holds NaN or a string where a number goes."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def finding_rows(data: dict[str, Any]) -> list[tuple[str, str, float, float, int]]:
    """``(name, kind, value, threshold, flagged)`` for every class and the anomaly score.

    Findings without a finite value or threshold are left out (the JSON still has them).
    """
    rows: list[tuple[str, str, float, float, int]] = []
    for name, c in sorted((data.get("classes") or {}).items()):
        p, t = _number(c.get("probability")), _number(c.get("threshold"))
        if p is not None and t is not None:
            rows.append((str(name), "class", p, t, int(bool(c.get("flagged")))))
    anomaly = data.get("anomaly")
    if anomaly:
        s, t = _number(anomaly.get("score")), _number(anomaly.get("threshold"))
        if s is not None and t is not None:
            rows.append((ANOMALY, "anomaly", s, t, int(bool(anomaly.get("flagged")))))
    return rows


def result_columns(data: dict[str, Any]) -> dict[str, Any]:
    """The denormalised ``results`` columns of one analysis JSON."""
    findings = finding_rows(data)
    flagged = [name for name, _, _, _, is_flagged in findings if is_flagged]
    probabilities = [value for _, kind, value, _, _ in findings if kind == "class"]
    anomaly = [value for _, kind, value, _, _ in findings if kind == "anomaly"]
    error = data.get("error") or {}
    measurements = data.get("measurements") or {}
    return {
        "error_kind": error.get("type"),
        "error_message": error.get("message"),
        "n_flagged": len(flagged),
        "flagged": ",".join(flagged),
        "max_probability": max(probabilities) if probabilities else None,
        "anomaly_score": anomaly[0] if anomaly else None,
        **{key: _number(measurements.get(key)) for key in MEASUREMENT_COLUMNS},
    }


def record_fields(data: dict[str, Any]) -> dict[str, Any] | None:
    """The ``records`` fields an analysis JSON knows better than the index; None for errors."""
    if data.get("error"):
        return None
    patient = data.get("patient") or {}
    leads = [str(lead) for lead in data.get("leads") or []]
    sex = patient.get("sex")
    return {
        "record_name": data.get("record_name"),
        "source_format": data.get("source_format"),
        "fs_hz": _number(data.get("fs_hz")),
        "duration_s": _number(data.get("duration_s")),
        "n_leads": len(leads),
        "leads": ",".join(leads),
        "patient_id": patient.get("id"),
        "age_years": _number(patient.get("age_years")),
        "sex": sex if sex in ("F", "M") else None,
        "start_time": data.get("start_time"),
    }


def save_findings(
    conn: sqlite3.Connection, content_hash: str, version: str, data: dict[str, Any]
) -> None:
    """Replace the ``findings`` rows of one result (inside the caller's transaction)."""
    conn.execute(
        "DELETE FROM findings WHERE content_hash = ? AND analysis_version = ?",
        (content_hash, version),
    )
    conn.executemany(
        "INSERT INTO findings (content_hash, analysis_version, name, kind, value, threshold, "
        "flagged) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(content_hash, version, *row) for row in finding_rows(data)],
    )


def save_result(
    conn: sqlite3.Connection, content_hash: str, version: str, data: dict[str, Any], now_utc: str
) -> None:
    """Insert or replace the result of ``(content_hash, version)`` inside the caller's transaction.

    Storing the same result twice leaves one row (the primary key), so a batch that restarts
    after a crash can never duplicate a result. Every record with this content gets the fields.
    """
    columns = result_columns(data)
    names = ["content_hash", "analysis_version", "analysed_utc", "result_json", *columns]
    values = [content_hash, version, now_utc, json.dumps(json_safe(data), allow_nan=False)]
    updates = ", ".join(f"{n} = excluded.{n}" for n in names[2:])
    conn.execute(
        f"INSERT INTO results ({', '.join(names)}) VALUES ({', '.join('?' * len(names))}) "
        f"ON CONFLICT (content_hash, analysis_version) DO UPDATE SET {updates}",
        [*values, *columns.values()],
    )
    save_findings(conn, content_hash, version, data)
    _set_fields(conn, content_hash, data)


def _set_fields(conn: sqlite3.Connection, content_hash: str, data: dict[str, Any]) -> None:
    fields = record_fields(data)
    if fields is not None:
        sets = ", ".join(f"{k} = ?" for k in fields)
        conn.execute(
            f"UPDATE records SET {sets}, fields_from = 'analysis' WHERE content_hash = ?",
            [*fields.values(), content_hash],
        )


def refill_fields(conn: sqlite3.Connection, content_hash: str) -> None:
    """Give records the fields of an earlier analysis of the same content, if there is one.

    A record copied into the folder, or changed back to an earlier content, then shows what
    the analysis read from it rather than the header's preview.
    """
    row = conn.execute(
        "SELECT result_json FROM results WHERE content_hash = ? AND error_kind IS NULL "
        "ORDER BY analysed_utc DESC LIMIT 1",
        (content_hash,),
    ).fetchone()
    if row is not None:
        _set_fields(conn, content_hash, json.loads(row[0]))
