"""Viewer state transitions, camera rectangle, scale wording, recent files."""

from dataclasses import replace

import pytest

from ecgviewer.controllers.paper import PaperSpec
from ecgviewer.controllers.recent_files import add_recent
from ecgviewer.controllers.viewer import ViewerState, describe_scale, view_rect_mm
from tests.controllers.synthetic_records import twelve_lead


def test_view_rect_centres_a_page_that_fits():
    x, y, w, h = view_rect_mm(265, 165, 1200, 800, 3.7795)
    assert w == pytest.approx(1200 / 3.7795)
    assert h == pytest.approx(800 / 3.7795)
    assert x + w / 2 == pytest.approx(265 / 2)
    assert y + h / 2 == pytest.approx(165 / 2)


def test_view_rect_keeps_pan_but_stays_on_the_page():
    # 600 px at 3.78 px/mm shows 159 mm of a 265 mm page.
    x, _, _, _ = view_rect_mm(265, 165, 600, 800, 3.7795, top_left_mm=(50.0, 0.0))
    assert x == 50.0
    x, _, w, _ = view_rect_mm(265, 165, 600, 800, 3.7795, top_left_mm=(1000.0, 0.0))
    assert x + w == pytest.approx(265 + 3.0)
    x, *_ = view_rect_mm(265, 165, 600, 800, 3.7795)
    assert x == -3.0


def test_page_changes_only_when_what_is_drawn_changes():
    state = ViewerState().with_record(twelve_lead())
    assert not replace(state, scale_mode="fit").page_changed(state)
    assert replace(state, paper=PaperSpec(gain_mm_per_mv=5.0)).page_changed(state)
    assert state.with_record(twelve_lead()).page_changed(state)
    assert state.layout().kind == "3x4+1"
    assert ViewerState().layout().kind == "empty"


def test_scale_description_says_when_it_is_not_true_size():
    assert describe_scale("true", 3.78, 3.78, True, True).startswith("True size")
    assert "Approximately" in describe_scale("true", 3.78, 3.78, False, True)
    assert "drag to pan" in describe_scale("true", 3.78, 3.78, True, False)
    assert describe_scale("fit", 1.89, 3.78, True, True) == "Fitted to window: 50 % of true size"


def test_recent_files_dedupes_and_caps(tmp_path):
    a, b = str(tmp_path / "a.hea"), str(tmp_path / "b.hea")
    paths = add_recent(add_recent([], a), b)
    paths = add_recent(paths, str(tmp_path / "x" / ".." / "a.hea"))
    assert paths == (a, b)
    many: tuple[str, ...] = ()
    for i in range(15):
        many = add_recent(many, str(tmp_path / f"{i}.hea"))
    assert len(many) == 10
    assert many[0].endswith("14.hea")
