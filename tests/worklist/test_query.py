"""The worklist table: filters, sorts, paging, next/previous flagged, counts."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecgviewer.worklist import (
    Store,
    WorklistFilter,
    WorklistQuery,
    WorklistRow,
    add_review,
    count_records,
    index_folder,
    list_records,
    neighbour,
    run_batch,
    summarize,
)
from tests.worklist.helpers import _unit, fake_analyse

CLASSES = ("AF", "LBBB", "STEMI")


def _expected_flags(name: str) -> tuple[str, ...]:
    return tuple(c for c in CLASSES if _unit(name, c) >= 0.7)


def _paths(rows: list[WorklistRow]) -> list[str]:
    return [r.rel_path for r in rows]


def test_rows_carry_the_findings_and_measurements(analysed: Store) -> None:
    rows = list_records(analysed, WorklistQuery(sort_by="rel_path"))
    assert len(rows) == 12
    for row in rows:
        assert row.status == "analysed" and row.review_state == "unreviewed"
        assert row.flagged == _expected_flags(row.record_name or "")
        assert row.n_flagged == row.n_open == len(row.flagged)
        probs = [_unit(row.record_name or "", c) for c in CLASSES]
        assert row.max_probability == pytest.approx(max(probs))
        assert row.fs_hz == 100.0 and row.n_leads == 12 and row.duration_s == 10.0
        assert row.hr_bpm is not None and 50 <= row.hr_bpm <= 110


def test_priority_lists_open_flags_then_errors_then_the_rest(analysed: Store, folder: Path) -> None:
    (folder / "002" / "r0011.dat").write_bytes(b"\0" * 10)
    index_folder(analysed)
    run_batch(analysed, workers=0, analyse=fake_analyse)
    rows = list_records(analysed)
    groups = [0 if r.n_open else 1 if r.status == "error" else 2 for r in rows]
    assert groups == sorted(groups) and groups.count(1) == 1
    flagged = [r.max_probability for r in rows if r.n_open]
    assert flagged == sorted(flagged, reverse=True) and len(flagged) == 8


@pytest.mark.parametrize("descending", [False, True])
def test_sorting_by_any_column_puts_unknowns_last(
    analysed: Store, folder: Path, descending: bool
) -> None:
    from tests.io.wfdb_helpers import write_record

    write_record(folder / "000", "fresh", fs_hz=100.0, n_samples=1000)
    index_folder(analysed)  # indexed, not analysed: no measurements yet
    for key in ("qtc_bazett_ms", "anomaly_score", "probability:AF"):
        rows = list_records(analysed, WorklistQuery(sort_by=key, descending=descending))
        assert rows[-1].rel_path == "000/fresh.hea" and rows[-1].status == "pending"
        if key == "probability:AF":
            values = [_unit(r.record_name or "", "AF") for r in rows[:-1]]
        else:
            values = [getattr(r, key) for r in rows[:-1]]
        assert values == sorted(values, reverse=descending)
    with pytest.raises(ValueError, match="cannot sort"):
        list_records(analysed, WorklistQuery(sort_by="rel_path; DROP TABLE records"))


def test_filters(analysed: Store) -> None:
    def paths(**kw: object) -> set[str]:
        flt = WorklistFilter(**kw)  # type: ignore[arg-type]
        rows = list_records(analysed, WorklistQuery(filter=flt))
        assert count_records(analysed, flt) == len(rows)
        return {r.rel_path for r in rows}

    every = list_records(analysed)
    names = {r.rel_path: r.record_name or "" for r in every}
    assert paths(flagged=True) == {p for p, n in names.items() if _expected_flags(n)}
    assert paths(flagged=False) == {p for p, n in names.items() if not _expected_flags(n)}
    assert paths(finding="AF") == {p for p, n in names.items() if "AF" in _expected_flags(n)}
    assert paths(probability=("LBBB", 0.5)) == {
        p for p, n in names.items() if _unit(n, "LBBB") >= 0.5
    }
    assert paths(min_anomaly_score=2.0) == {
        r.rel_path for r in every if (r.anomaly_score or 0) >= 2.0
    }
    assert paths(measurements=(("qtc_bazett_ms", 420.0, 470.0),)) == {
        r.rel_path for r in every if 420.0 <= (r.qtc_bazett_ms or 0) <= 470.0
    }
    assert paths(text="001/") == {p for p in names if p.startswith("001/")}
    assert paths(text="%") == set()  # LIKE wildcards are literal
    assert paths(status="pending") == set() and paths(status="analysed") == set(names)
    with pytest.raises(ValueError, match="no measurement column"):
        paths(measurements=(("age_years", 1.0, None),))


def test_review_state_filters_and_summary(analysed: Store) -> None:
    rows = list_records(analysed, WorklistQuery(filter=WorklistFilter(flagged=True)))
    two_flags = next(r for r in rows if r.n_flagged == 2)
    add_review(analysed, two_flags.record_id, two_flags.flagged[0], "confirm", "Dr B")
    one_flag = next(r for r in rows if r.n_flagged == 1)
    add_review(analysed, one_flag.record_id, one_flag.flagged[0], "reject", "Dr B")

    by_id = {r.record_id: r for r in list_records(analysed)}
    assert by_id[two_flags.record_id].review_state == "partial"
    assert by_id[one_flag.record_id].review_state == "reviewed"
    assert by_id[one_flag.record_id].n_open == 0 and by_id[one_flag.record_id].n_rejected == 1

    def ids(review: str) -> set[int]:
        flt = WorklistFilter(review=review)  # type: ignore[arg-type]
        return {r.record_id for r in list_records(analysed, WorklistQuery(filter=flt))}

    assert ids("reviewed") == {two_flags.record_id, one_flag.record_id}
    assert ids("confirmed") == {two_flags.record_id} and ids("rejected") == {one_flag.record_id}
    assert one_flag.record_id not in ids("to_review") and two_flags.record_id in ids("to_review")
    assert len(ids("unreviewed")) == 10
    with pytest.raises(ValueError, match="no review filter"):
        ids("maybe")

    s = summarize(analysed)
    assert (s.records, s.analysed, s.pending, s.errors, s.missing) == (12, 12, 0, 0, 0)
    assert (s.flagged, s.to_review, s.reviewed) == (8, 7, 2)


def test_paging_matches_the_full_list(analysed: Store) -> None:
    full = _paths(list_records(analysed, WorklistQuery(sort_by="hr_bpm")))
    pages = [
        _paths(list_records(analysed, WorklistQuery(sort_by="hr_bpm", limit=5, offset=o)))
        for o in (0, 5, 10)
    ]
    assert [p for page in pages for p in page] == full and [len(p) for p in pages] == [5, 5, 2]


def test_next_and_previous_flagged_in_the_list_order(analysed: Store) -> None:
    query = WorklistQuery(sort_by="rel_path")
    rows = list_records(analysed, query)
    flagged = [r.record_id for r in rows if r.n_flagged]
    walked: list[int] = []
    current = rows[0].record_id
    if rows[0].n_flagged:
        walked.append(current)
    while (nxt := neighbour(analysed, current, query)) is not None:
        walked.append(nxt)
        current = nxt
    assert walked == flagged
    back = [flagged[-1]]
    while (prev := neighbour(analysed, back[-1], query, step=-1)) is not None:
        back.append(prev)
    assert back == flagged[::-1]
    unflagged = next(r.record_id for r in rows if not r.n_flagged)
    after = rows[[r.record_id for r in rows].index(unflagged) + 1 :]
    assert neighbour(analysed, unflagged, query) == next(r.record_id for r in after if r.n_flagged)


def test_missing_records_are_hidden_unless_asked(analysed: Store, folder: Path) -> None:
    for f in (folder / "000").glob("r0000.*"):
        f.unlink()
    index_folder(analysed)
    assert "000/r0000.hea" not in _paths(list_records(analysed))
    shown = list_records(analysed, WorklistQuery(filter=WorklistFilter(include_missing=True)))
    gone = next(r for r in shown if r.rel_path == "000/r0000.hea")
    assert not gone.present and gone.status == "analysed"
    assert summarize(analysed).missing == 1
