"""The worklist screen's pure parts: cell text, emphasis, presets and the query they build."""

from __future__ import annotations

import dataclasses

import pytest

from ecgviewer.controllers.worklist_view import (
    COLUMNS,
    FLAG_COLUMN,
    PRESETS,
    WorklistViewState,
    cell_text,
    format_finding,
    format_number,
    format_probability,
    format_review,
    preset_filter,
    row_emphasis,
    row_tooltip,
)
from ecgviewer.worklist import SORT_KEYS, Finding, Review, WorklistFilter, WorklistRow


def _row(**changes: object) -> WorklistRow:
    base = WorklistRow(
        record_id=7, rel_path="000/r0007.hea", present=True, record_name="r0007",
        source_format="wfdb", fs_hz=100.0, duration_s=10.0, n_leads=12, patient_id="P1",
        age_years=None, sex=None, start_time=None, status="analysed", error_kind=None,
        error_message=None, flagged=(), n_flagged=0, max_probability=0.42, anomaly_score=1.5,
        hr_bpm=71.6, pr_ms=None, qrs_ms=92.0, qt_ms=None, qtc_bazett_ms=431.2,
        qtc_fridericia_ms=None, n_confirmed=0, n_rejected=0, n_open=0,
    )  # fmt: skip
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def test_formats_probabilities_measurements_and_unknowns() -> None:
    assert format_probability(0.873) == "87 %"
    assert format_probability(None) == "—"
    assert format_number(71.6) == "72"
    assert format_number(1.234, 2) == "1.23"
    assert format_number(None) == "—"


def test_cells_of_an_analysed_row() -> None:
    texts = {c.title: cell_text(_row(), i) for i, c in enumerate(COLUMNS)}
    assert texts["Record"] == "000/r0007.hea"
    assert texts["Max prob."] == "42 %"
    assert texts["HR (bpm)"] == "72"
    assert texts["QTc (ms)"] == "431"
    assert texts["Flag"] == ""
    assert texts["Status"] == "analysed"


def test_flagged_rows_show_a_flag_count_and_their_findings() -> None:
    row = _row(flagged=("AF", "STEMI"), n_flagged=2, n_open=2)
    assert cell_text(row, FLAG_COLUMN) == "⚑ 2"
    assert cell_text(row, 2) == "AF, STEMI"
    assert "AF, STEMI" in row_tooltip(row)


def test_emphasis_puts_open_flags_above_errors_above_reviewed_flags() -> None:
    assert row_emphasis(_row(n_flagged=1, n_open=1)) == "to_review"
    assert row_emphasis(_row(n_flagged=1, n_confirmed=1)) == "flagged"
    assert row_emphasis(_row(status="error", error_kind="unreadable")) == "error"
    assert row_emphasis(_row(status="pending")) == "pending"
    assert row_emphasis(_row()) == "normal"


def test_errors_show_their_kind_and_message() -> None:
    row = _row(status="error", error_kind="unreadable", error_message="bad header")
    assert cell_text(row, [c.title for c in COLUMNS].index("Status")) == "error: unreadable"
    assert cell_text(row, FLAG_COLUMN) == "!"
    assert row_tooltip(row) == "bad header"


def test_review_state_text() -> None:
    assert format_review(_row()) == ""
    assert format_review(_row(n_flagged=2, n_open=2)) == "2 to review"
    assert format_review(_row(n_confirmed=1, n_rejected=1)) == "1 confirmed, 1 rejected"


def test_finding_lines_say_value_threshold_and_decision() -> None:
    open_af = Finding("AF", "class", 0.87, 0.7, True, None)
    assert format_finding(open_af) == "AF 87 % (threshold 70 %) · to review"
    review = Review(1, 7, "h", "AF", "reject", "", "Dr A", "2026-01-01T00:00:00Z", "v")
    assert format_finding(dataclasses.replace(open_af, review=review)).endswith("rejected by Dr A")
    anomaly = Finding("anomaly", "anomaly", 3.61, 3.5, True, None)
    assert format_finding(anomaly).startswith("anomaly score 3.61 (threshold 3.50)")


@pytest.mark.parametrize(
    ("preset", "expected"),
    [
        ("all", WorklistFilter()),
        ("flagged", WorklistFilter(flagged=True)),
        ("to_review", WorklistFilter(review="to_review")),
        ("unreviewed", WorklistFilter(review="unreviewed")),
        ("errors", WorklistFilter(status="error")),
    ],
)
def test_presets_build_filters(preset: str, expected: WorklistFilter) -> None:
    assert preset_filter(preset) == expected  # type: ignore[arg-type]
    assert preset_filter(preset, "  r00 ").text == "r00"  # type: ignore[arg-type]
    assert preset in dict(PRESETS)


def test_view_state_defaults_to_priority_and_sorts_by_column_keys() -> None:
    state = WorklistViewState()
    assert state.query().sort_by == "priority"
    hr = [c.title for c in COLUMNS].index("HR (bpm)")
    query = state.sorted_by(hr, True).filtered("flagged", "x").query(limit=50, offset=100)
    assert (query.sort_by, query.descending, query.limit, query.offset) == ("hr_bpm", True, 50, 100)
    assert query.filter == WorklistFilter(flagged=True, text="x")


def test_every_column_sorts_by_a_key_the_database_accepts() -> None:
    assert {c.sort_key for c in COLUMNS} <= SORT_KEYS
