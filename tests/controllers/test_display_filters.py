"""Display filters: responses, edges, captions, the block cache, and the record left alone."""

from __future__ import annotations

import numpy as np
import pytest

from ecgviewer.controllers.display_filters import (
    DisplayFilters,
    FilteredBlocks,
    apply_filters,
    filter_caption,
)
from ecgviewer.controllers.layout import compute_layout
from ecgviewer.controllers.traces import panel_trace
from tests.controllers.helpers import sine_record


def shown_mv(record, filters: DisplayFilters, start_s: float) -> np.ndarray:  # type: ignore[no-untyped-def]
    """The mV of the single-lead page as drawn (undecimated: 20 px/mm) from ``start_s``."""
    layout = compute_layout(record.lead_names, kind="1x1")
    panel = layout.panels[0]
    trace = panel_trace(record, panel, start_s, px_per_mm=20.0, filters=filters)
    assert trace.n_points == trace.n_source  # no decimation at this density
    return (panel.baseline_y_mm - trace.y_mm) / panel.gain_mm_per_mv


def test_notch_removes_a_pure_50_hz_sine() -> None:
    record = sine_record(50.0)
    raw = shown_mv(record, DisplayFilters(), 10.0)
    notched = shown_mv(record, DisplayFilters(notch_hz=50.0), 10.0)
    assert np.sqrt(np.mean(raw**2)) == pytest.approx(1 / np.sqrt(2), rel=0.01)
    assert np.sqrt(np.mean(notched**2)) < 0.01  # < 1 % of the interference is left
    # the 60 Hz notch leaves 50 Hz alone: it is a notch, not a low-pass
    assert np.sqrt(np.mean(shown_mv(record, DisplayFilters(notch_hz=60.0), 10.0) ** 2)) > 0.6


@pytest.mark.parametrize("start_s", [0.0, 10.0, 20.0])  # record start, middle, end (30 s record)
def test_1_hz_sine_survives_the_baseline_filter_with_under_10_percent_loss(start_s: float) -> None:
    record = sine_record(1.0)
    shown = shown_mv(record, DisplayFilters(baseline=True), start_s)
    raw = shown_mv(record, DisplayFilters(), start_s)
    assert np.max(np.abs(shown)) > 0.9
    # everywhere on the page, edges included: no ringing, no phase shift
    assert np.max(np.abs(shown - raw)) < 0.1


def test_baseline_filter_removes_slow_wander() -> None:
    record = sine_record(0.05, duration_s=60.0)  # 1 mV drift with a 20 s period
    shown = shown_mv(record, DisplayFilters(baseline=True), 20.0)
    assert np.max(np.abs(shown)) < 0.1


def test_lowpass_choices() -> None:
    fast = sine_record(100.0)
    assert np.max(np.abs(shown_mv(fast, DisplayFilters(lowpass_hz=40.0), 10.0))) < 0.05
    slow = sine_record(5.0)
    assert np.max(np.abs(shown_mv(slow, DisplayFilters(lowpass_hz=40.0), 10.0))) > 0.98
    mid = sine_record(120.0)
    assert np.max(np.abs(shown_mv(mid, DisplayFilters(lowpass_hz=150.0), 10.0))) > 0.9


def test_the_record_is_never_changed() -> None:
    record = sine_record(50.0)
    before = record.samples.copy()
    shown_mv(record, DisplayFilters(baseline=True, notch_hz=50.0, lowpass_hz=40.0), 5.0)
    assert np.array_equal(record.samples, before)
    assert not record.samples.flags.writeable


def test_blocks_meet_without_a_seam_and_are_cached() -> None:
    record = sine_record(1.3, duration_s=40.0)
    filters = DisplayFilters(baseline=True, notch_hz=50.0)
    whole = apply_filters(record.samples[0], record.fs_hz, filters)
    cache = FilteredBlocks(block_s=10.0)
    a, b = 4000, 16000  # 8 s to 32 s: crosses the blocks at 10, 20 and 30 s
    window = cache.window(record, 0, filters, a, b)
    assert window.shape == (b - a,)
    assert np.max(np.abs(window - whole[a:b])) < 1e-3
    filtered = cache.blocks_filtered
    again = cache.window(record, 0, filters, a + 100, b - 100)
    assert cache.blocks_filtered == filtered  # served from the cache
    assert np.array_equal(again, window[100:-100])


def test_caption_names_what_is_on_and_what_could_not_be() -> None:
    assert filter_caption(DisplayFilters()) == "No display filter"
    both = DisplayFilters(baseline=True, notch_hz=50.0, lowpass_hz=40.0)
    assert filter_caption(both, 500.0) == "Filters: 0.5–40 Hz · 50 Hz notch"
    assert filter_caption(DisplayFilters(baseline=True), 500.0) == (
        "Filters: baseline 0.5 Hz high-pass"
    )
    assert filter_caption(DisplayFilters(lowpass_hz=100.0), 500.0) == "Filters: 100 Hz low-pass"
    at_100 = filter_caption(DisplayFilters(baseline=True, lowpass_hz=150.0, notch_hz=60.0), 100.0)
    assert at_100.startswith("Filters: baseline 0.5 Hz high-pass")
    assert "150 Hz low-pass, 60 Hz notch not applied: recorded at 100 Hz" in at_100
