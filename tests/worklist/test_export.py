"""CSV export: one row per record with its findings and decisions; the whole review history."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from ecgviewer.worklist import (
    Store,
    WorklistFilter,
    WorklistQuery,
    add_review,
    export_results_csv,
    export_reviews_csv,
)
from tests.worklist.helpers import _unit


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_results_csv(analysed: Store, tmp_path: Path) -> None:
    rid = int(
        analysed.conn.execute("SELECT id FROM records WHERE rel_path = '000/r0001.hea'").fetchone()[
            0
        ]
    )
    add_review(analysed, rid, "AF", "confirm", "Dr A")
    add_review(analysed, rid, "LBBB", "reject", "Dr A")
    out = tmp_path / "out" / "results.csv"
    assert export_results_csv(analysed, out) == 12
    rows = _read(out)
    by_path = {r["rel_path"]: r for r in rows}
    assert len(by_path) == 12
    r1 = by_path["000/r0001.hea"]
    assert r1["flagged"] == "AF;LBBB" and r1["status"] == "analysed"
    assert r1["decisions"] == "AF=confirm; LBBB=reject" and r1["review_state"] == "reviewed"
    assert float(r1["p_AF"]) == pytest.approx(_unit("r0001", "AF"))
    assert float(r1["p_STEMI"]) == pytest.approx(_unit("r0001", "STEMI"))
    assert r1["fs_hz"] == "100.0" and r1["analysis_version"] == "test" and r1["pr_ms"] == ""
    assert list(rows[0])[-4:] == ["p_AF", "p_LBBB", "p_STEMI", "p_anomaly"]
    assert not list(out.parent.glob(".*partial"))  # written whole, then renamed

    flagged = tmp_path / "flagged.csv"
    n = export_results_csv(analysed, flagged, WorklistQuery(filter=WorklistFilter(finding="AF")))
    assert n == 5 and all("AF" in r["flagged"].split(";") for r in _read(flagged))


def test_reviews_csv_has_every_decision_and_defuses_formulas(
    analysed: Store, tmp_path: Path
) -> None:
    rid = int(
        analysed.conn.execute("SELECT id FROM records WHERE rel_path = '000/r0000.hea'").fetchone()[
            0
        ]
    )
    add_review(analysed, rid, "AF", "confirm", "Dr A", "irregular RR")
    add_review(analysed, rid, "AF", "reject", "Dr B", "=cmd|' /C calc'!A0")
    out = tmp_path / "reviews.csv"
    assert export_reviews_csv(analysed, out) == 2
    rows = _read(out)
    assert [(r["rel_path"], r["finding"], r["decision"], r["reviewer"]) for r in rows] == [
        ("000/r0000.hea", "AF", "confirm", "Dr A"),
        ("000/r0000.hea", "AF", "reject", "Dr B"),
    ]
    assert rows[0]["comment"] == "irregular RR"
    assert rows[1]["comment"] == "'=cmd|' /C calc'!A0"  # a spreadsheet shows it, never runs it
    assert rows[1]["created_utc"].endswith("Z") and rows[1]["model_version"] == "test"
