"""Placing the viewer's page on A4 and Letter: true scale always, fewer seconds or more sheets
when the paper is too small, never a smaller scale."""

from __future__ import annotations

import pytest

from ecgviewer.controllers.layout import compute_layout
from ecgviewer.controllers.paper import PaperSpec
from ecgviewer.io.record import STANDARD_LEADS
from ecgviewer.report import ReportOptions, plan_ecg, sheet_for
from ecgviewer.report.geometry import MARGIN_BOTTOM_MM, MARGIN_X_MM

TWELVE = STANDARD_LEADS


@pytest.mark.parametrize(
    ("size", "orientation", "width", "height"),
    [
        ("A4", "landscape", 297.0, 210.0),
        ("A4", "portrait", 210.0, 297.0),
        ("Letter", "landscape", 279.4, 215.9),
        ("Letter", "portrait", 215.9, 279.4),
    ],
)
def test_every_sheet_holds_its_page_at_true_scale(
    size: str, orientation: str, width: float, height: float
) -> None:
    opts = ReportOptions(page_size=size, orientation=orientation)  # type: ignore[arg-type]
    plan = plan_ecg(TWELVE, 10.0, opts)
    assert (plan.sheet.width_mm, plan.sheet.height_mm) == (width, height)
    assert len(plan.blocks) == 1  # the 3x4 + rhythm page fits every sheet
    block = plan.blocks[0]
    assert block.x_mm >= MARGIN_X_MM - 1e-9
    assert block.x_mm + block.layout.width_mm <= width - MARGIN_X_MM + 1e-9
    assert block.y_mm + block.layout.height_mm <= height - MARGIN_BOTTOM_MM + 1e-9
    # True scale: every panel is the viewer's panel for the time shown.
    viewer = compute_layout(TWELVE, PaperSpec(), page_duration_s=plan.page_duration_s)
    assert block.layout.panels == viewer.panels
    assert all(p.mm_per_s == pytest.approx(25.0) for p in block.layout.panels)
    assert all(p.gain_mm_per_mv == 10.0 for p in block.layout.panels)


def test_landscape_shows_ten_seconds_portrait_fewer() -> None:
    landscape = plan_ecg(TWELVE, 10.0, ReportOptions())
    portrait = plan_ecg(TWELVE, 10.0, ReportOptions(orientation="portrait"))
    assert landscape.page_duration_s == 10.0 and not landscape.shortened
    # 198 mm of A4 portrait: 180 mm of trace (whole 20 mm steps) = 7.2 s at 25 mm/s.
    assert portrait.page_duration_s == pytest.approx(7.2)
    assert portrait.shortened


def test_speed_and_gain_follow_the_options() -> None:
    plan = plan_ecg(TWELVE, 10.0, ReportOptions(speed_mm_s=50.0, gain_mm_mv=20.0))
    assert plan.page_duration_s == pytest.approx(5.0)  # 250 mm of paper at 50 mm/s
    panel = plan.layout.panel_for("II", row=3)
    assert panel.mm_per_s == pytest.approx(50.0) and panel.gain_mm_per_mv == 20.0
    assert plan.layout.calibrations[0].gain_mm_per_mv == 20.0


def test_start_time_is_kept_inside_the_record() -> None:
    assert plan_ecg(TWELVE, 30.0, ReportOptions(start_s=12.0)).page_start_s == 12.0
    assert plan_ecg(TWELVE, 30.0, ReportOptions(start_s=25.0)).page_start_s == 20.0
    assert plan_ecg(TWELVE, 6.0, ReportOptions(start_s=3.0)).page_start_s == 0.0


def test_rows_that_do_not_fit_continue_on_the_next_sheet() -> None:
    plan = plan_ecg(TWELVE, 10.0, ReportOptions(layout="12x1"))  # 12 rows of 20 mm
    assert len(plan.blocks) == 2
    rows = [r for block in plan.blocks for r in block.rows]
    assert rows == list(range(12))
    second = plan.blocks[1]
    assert min(p.top_mm for p in second.layout.panels) == 0.0
    assert len(second.layout.calibrations) == len(second.rows)
    sheet = sheet_for("A4", "landscape")
    for block in plan.blocks:
        assert block.y_mm + block.layout.height_mm <= sheet.bottom_mm + 1e-9


def test_two_lead_record_gets_one_row_per_lead() -> None:
    plan = plan_ecg(("MLII", "V1"), 1800.0, ReportOptions())
    assert plan.layout.kind == "rows"
    assert [p.lead for p in plan.layout.panels] == ["MLII", "V1"]
    assert "needs the 12 standard leads" in plan.layout.note
    assert plan.page_duration_s == 10.0


def test_options_are_checked() -> None:
    with pytest.raises(ValueError, match="page_size"):
        ReportOptions(page_size="A3")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="between"):
        ReportOptions(speed_mm_s=0.0)


def test_options_from_the_viewer_print_what_it_shows() -> None:
    from dataclasses import replace

    from ecgviewer.controllers.display_filters import DisplayFilters
    from ecgviewer.controllers.viewer import ViewerState
    from ecgviewer.report import options_from_viewer

    state = ViewerState().with_speed(50.0).with_gain(20.0).with_layout("6x2")
    state = replace(state.with_filters(DisplayFilters(True, 50.0, 40.0)), start_s=3.0)
    opts = options_from_viewer(state, "Letter", "portrait")
    assert (opts.speed_mm_s, opts.gain_mm_mv, opts.layout) == (50.0, 20.0, "6x2")
    assert opts.filters == DisplayFilters(True, 50.0, 40.0) and opts.start_s == 3.0
    assert (opts.page_size, opts.orientation) == ("Letter", "portrait")
