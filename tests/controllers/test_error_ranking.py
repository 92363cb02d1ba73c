"""The largest-error list (ranked lead/beat pairs), the jump to one, and its highlight."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from ecgviewer.controllers.error_ranking import (
    ErrorMark,
    LargeError,
    largest_errors,
    mark_boxes,
)
from ecgviewer.controllers.heatmap_view import ErrorMap
from ecgviewer.controllers.viewer import ViewerState
from tests.controllers.synthetic_records import twelve_lead

FS = 100.0


def _map() -> ErrorMap:
    """Three leads, 10 s: small everywhere, with hand-placed bursts."""
    err = np.full((3, 1000), 0.01, dtype=np.float32)
    err[:, :100] = np.nan  # the model did not look at the first second
    err[1, 290:320] = 0.5  # lead B, beat at 3.0 s: 30 samples of 0.5 in a 71-sample window
    err[2, 580:620] = 0.3  # lead C, beat at 6.0 s
    err[0, 590:600] = 0.9  # lead A, beat at 6.0 s: a short, tall burst
    return ErrorMap(err, ("A", "B", "C"), FS)


def test_ranked_by_mean_error_over_the_beat_window() -> None:
    beats = [0.5, 3.0, 6.0, 8.0]
    items = largest_errors(_map(), beats, n=4)
    assert [(i.lead, i.time_s) for i in items] == [("B", 3.0), ("C", 6.0), ("A", 6.0), ("A", 3.0)]
    # window -0.25..+0.45 s at 100 Hz: samples 275..345 (71 samples)
    assert items[0].error_mv == pytest.approx((30 * 0.5 + 41 * 0.01) / 71, rel=1e-5)
    assert items[1].error_mv == pytest.approx((40 * 0.3 + 31 * 0.01) / 71, rel=1e-5)
    assert items[2].error_mv == pytest.approx((10 * 0.9 + 61 * 0.01) / 71, rel=1e-5)
    assert items[0].describe() == "B · beat at 3.00 s · 0.22 mV"
    assert len({(i.lead, i.time_s) for i in items}) == len(items)  # distinct pairs


def test_beats_outside_the_analysed_part_and_empty_inputs() -> None:
    items = largest_errors(_map(), [0.5], n=5)  # window 0.25..0.95 s: all NaN
    assert items == ()
    assert largest_errors(None, [3.0]) == ()
    assert largest_errors(_map(), []) == ()
    # a window half inside the analysed part averages the finite samples only
    half = largest_errors(_map(), [1.1], n=1)
    assert half == (LargeError("A", 1.1, pytest.approx(0.01)),)
    assert len(largest_errors(_map(), [3.0, 6.0, 8.0])) == 5  # n = 5 by default


def test_ties_go_to_the_earlier_beat_then_the_first_lead() -> None:
    err = np.full((2, 1000), 0.02, dtype=np.float32)
    items = largest_errors(ErrorMap(err, ("X", "Y"), FS), [5.0, 2.0], n=3)
    assert [(i.lead, i.time_s) for i in items] == [("X", 2.0), ("Y", 2.0), ("X", 5.0)]


def test_jump_shows_the_beat_in_the_leads_own_panel_on_a_long_record() -> None:
    """60 s, 3x4+1: V2 sits in the third grid column (5-7.5 s into each 10 s page)."""
    state = ViewerState().with_record(twelve_lead(duration_s=60.0))
    moved = state.jumped_to_error("V2", 31.4)
    layout = moved.layout()
    v2 = layout.panel_for("V2")
    t0, t1 = v2.window_s(moved.start_s)
    assert t0 <= 31.4 <= t1
    assert 31.4 - t0 == pytest.approx(v2.duration_s / 3)
    assert moved.error_mark == ErrorMark("V2", 31.4)
    boxes = mark_boxes(moved.error_mark, layout, moved.start_s)
    assert len(boxes) == 1 and boxes[0].label == ""
    x = v2.x_mm + (31.4 - 0.25 - t0) * v2.mm_per_s
    assert boxes[0].x_mm == pytest.approx(x)
    assert boxes[0].width_mm == pytest.approx(0.7 * v2.mm_per_s)
    assert (boxes[0].y_mm, boxes[0].height_mm) == (v2.top_mm, v2.height_mm)
    assert moved.with_record(None).error_mark is None


def test_short_record_marks_the_rhythm_strip_with_the_lead_name() -> None:
    """10 s in 3x4+1 never scrolls: V2 shows 5-7.5 s, so a V2 beat at 3.4 s is marked where
    the page does show 3.4 s (the rhythm strip), labelled V2."""
    state = replace(ViewerState(), layout_kind="3x4+1").with_record(twelve_lead())
    moved = state.jumped_to_error("V2", 3.4)
    assert moved.start_s == 0.0
    layout = moved.layout()
    boxes = mark_boxes(moved.error_mark, layout, moved.start_s)
    rhythm = [p for p in layout.panels if p.window_s(0.0)[0] <= 3.4 <= p.window_s(0.0)[1]]
    assert len(boxes) == len(rhythm) == 4  # aVR, aVL, aVF (column 2) and the rhythm strip
    assert all(b.label == "V2" for b in boxes)
    # in its own panel the box needs no label, and is clipped to the panel
    own = mark_boxes(ErrorMark("V2", 5.1), layout, 0.0)
    v2 = layout.panel_for("V2")
    assert [b.label for b in own] == [""] and own[0].x_mm == pytest.approx(v2.x_mm)
    assert own[0].width_mm == pytest.approx((5.1 + 0.45 - 5.0) * v2.mm_per_s)


def test_bin_maxima_matches_a_plain_loop_with_gaps_and_empty_bins() -> None:
    from itertools import pairwise

    from ecgviewer.controllers.heatmap_view import bin_maxima

    rng = np.random.default_rng(3)
    row = rng.normal(size=500).astype(np.float32)
    row[rng.random(500) < 0.2] = np.nan
    row[100:140] = np.nan  # a bin with nothing finite
    edges = np.array([0, 0, 37, 37, 100, 140, 141, 300, 499, 500])  # empty bins included
    expected = []
    for a, b in pairwise(edges):
        chunk = row[a:b][np.isfinite(row[a:b])]
        expected.append(np.abs(chunk).max() if chunk.size else np.nan)
    np.testing.assert_allclose(bin_maxima(row, edges), expected, equal_nan=True)
