"""Layouts: placement of every lead, standard order whatever the file order, fallbacks."""

from __future__ import annotations

import random

import pytest

from ecgviewer.controllers.layout import (
    LAYOUT_KINDS,
    TWELVE_LEAD_COLUMNS,
    compute_layout,
    resolve_lead,
    standard_order,
)
from ecgviewer.controllers.paper import PaperSpec
from ecgviewer.io.record import STANDARD_LEADS

X0 = PaperSpec().calibration_block_mm  # 10 mm at 25 mm/s


def shuffled_leads(seed: int = 3) -> list[str]:
    leads = list(STANDARD_LEADS)
    random.Random(seed).shuffle(leads)
    assert leads != list(STANDARD_LEADS)
    return leads


def test_3x4_with_rhythm_strip_places_each_lead() -> None:
    layout = compute_layout(shuffled_leads(), kind="3x4+1")
    assert layout.kind == "3x4+1" and len(layout.panels) == 13
    for column, leads in enumerate(TWELVE_LEAD_COLUMNS):
        for row, lead in enumerate(leads):
            p = layout.panel_for(lead, row)
            assert (p.row, p.column) == (row, column)
            assert p.offset_s == pytest.approx(2.5 * column)  # the next 2.5 s in each column
            assert p.duration_s == pytest.approx(2.5)
            assert p.x_mm == pytest.approx(X0 + 62.5 * column)
            assert p.width_mm == pytest.approx(62.5)
            assert p.baseline_y_mm == pytest.approx(40.0 * row + 25.0)
    rhythm = layout.panels[-1]
    assert (rhythm.lead, rhythm.row, rhythm.offset_s, rhythm.width_mm) == ("II", 3, 0.0, 250.0)
    assert layout.beat_rows == (3,)
    assert len(layout.calibrations) == 4
    assert layout.width_mm % 5.0 == 0.0  # the page ends on a major line
    assert len(layout.separators) == 9  # three column boundaries in each of three rows


def test_rhythm_lead_is_selectable_and_3x4_plus_3_has_three_strips() -> None:
    one = compute_layout(STANDARD_LEADS, kind="3x4+1", rhythm_leads=("V5",))
    assert one.panels[-1].lead == "V5"
    three = compute_layout(STANDARD_LEADS, kind="3x4+3", rhythm_leads=("II", "V1", "V5"))
    strips = [p for p in three.panels if p.row >= 3]
    assert [(p.lead, p.row, p.width_mm) for p in strips] == [
        ("II", 3, 250.0),
        ("V1", 4, 250.0),
        ("V5", 5, 250.0),
    ]


def test_6x2_limb_leads_first_half_chest_leads_second() -> None:
    layout = compute_layout(shuffled_leads(), kind="6x2")
    assert len(layout.panels) == 12
    for row, lead in enumerate(STANDARD_LEADS[:6]):
        p = layout.panel_for(lead)
        assert (p.row, p.column, p.offset_s, p.x_mm) == (row, 0, 0.0, X0)
    for row, lead in enumerate(STANDARD_LEADS[6:]):
        p = layout.panel_for(lead)
        assert (p.row, p.column, p.offset_s) == (row, 1, 5.0)
        assert p.x_mm == pytest.approx(X0 + 125.0)


def test_12x1_and_single_lead() -> None:
    layout = compute_layout(shuffled_leads(), kind="12x1")
    assert [p.lead for p in layout.panels] == list(STANDARD_LEADS)
    assert all(p.width_mm == 250.0 and p.offset_s == 0.0 for p in layout.panels)
    assert [p.row for p in layout.panels] == list(range(12))
    single = compute_layout(STANDARD_LEADS, kind="1x1", rhythm_leads=("V2",))
    assert [(p.lead, p.width_mm) for p in single.panels] == [("V2", 250.0)]


def test_record_without_12_leads_gets_one_row_per_lead_in_standard_order() -> None:
    layout = compute_layout(["V1", "MLII"], kind="3x4+1")
    assert layout.kind == "rows" and "12 standard leads" in layout.note
    assert [p.lead for p in layout.panels] == ["MLII", "V1"]
    assert compute_layout(["V1", "MLII"], kind="1x1").panels[0].lead == "MLII"  # II -> MLII
    assert compute_layout(["V1", "MLII"], kind="1x1").note == ""


def test_standard_order_and_lead_resolution() -> None:
    assert standard_order(["V2", "ABP", "aVR", "I", "MLII"]) == ("I", "MLII", "aVR", "V2", "ABP")
    assert resolve_lead(["MLII", "V1"], "II") == "MLII"
    assert resolve_lead(["I", "II"], "MLII") == "II"
    assert resolve_lead(["V1", "V5"], "II") == "V1"


def test_per_lead_gain_shows_in_panel_label_and_row_calibration() -> None:
    gains = {lead: 5.0 for lead in STANDARD_LEADS[6:]}
    layout = compute_layout(STANDARD_LEADS, kind="3x4+1", lead_gains=gains)
    assert layout.panel_for("V1").gain_mm_per_mv == 5.0
    assert layout.panel_for("V1").label == "V1  5 mm/mV"
    assert layout.panel_for("I").gain_mm_per_mv == 10.0 and layout.panel_for("I").label == "I"
    assert [c.gain_mm_per_mv for c in layout.calibrations] == [10.0] * 4
    v_rows = compute_layout(STANDARD_LEADS, kind="12x1", lead_gains=gains)
    assert [c.gain_mm_per_mv for c in v_rows.calibrations] == [10.0] * 6 + [5.0] * 6
    assert v_rows.panel_for("V1").label == "V1"  # its own row pulse already says 5 mm/mV


def test_panel_at_finds_the_panel_under_a_point() -> None:
    layout = compute_layout(STANDARD_LEADS, kind="3x4+1")
    assert layout.panel_at(X0 + 70.0, 25.0).lead == "aVR"  # type: ignore[union-attr]
    assert layout.panel_at(X0 + 70.0, 145.0).lead == "II"  # type: ignore[union-attr]
    assert layout.panel_at(2.0, 25.0) is None  # the calibration block


@pytest.mark.parametrize("kind", LAYOUT_KINDS)
def test_faster_paper_keeps_the_page_width(kind: str) -> None:
    slow = compute_layout(STANDARD_LEADS, PaperSpec(speed_mm_per_s=25.0), kind=kind)  # type: ignore[arg-type]
    fast = compute_layout(
        STANDARD_LEADS,
        PaperSpec(speed_mm_per_s=50.0),
        kind=kind,  # type: ignore[arg-type]
        page_duration_s=5.0,
    )
    assert sum(p.width_mm for p in slow.panels) == pytest.approx(
        sum(p.width_mm for p in fast.panels)
    )
    assert fast.panels[0].mm_per_s == 50.0
