"""Remembered settings: round trip, and bad values fall back one key at a time."""

from __future__ import annotations

from dataclasses import replace

from ecgviewer.controllers.display_filters import DisplayFilters
from ecgviewer.controllers.paper import PaperSpec
from ecgviewer.controllers.settings import state_from_settings, state_to_settings
from ecgviewer.controllers.viewer import ViewerState


def test_round_trip() -> None:
    state = replace(
        ViewerState(),
        layout_kind="6x2",
        paper=PaperSpec(speed_mm_per_s=50.0, gain_mm_per_mv=20.0),
        lead_gains=(("V1", 5.0), ("V2", 5.0)),
        rhythm_leads=("V5", "II"),
        filters=DisplayFilters(baseline=False, notch_hz=60.0, lowpass_hz=150.0),
        show_beats=False,
        show_restored=True,
        scale_mode="fit",
        screen_factor=1.0526,
    )
    values = state_to_settings(state)
    assert all(isinstance(v, str) for v in values.values())
    assert state_from_settings(values, ViewerState()) == state


def test_unreadable_values_fall_back_per_key() -> None:
    values = {
        "layout": "7x3",
        "speed_mm_per_s": "33",
        "gain_mm_per_mv": "20",
        "lead_gains": "V1=banana",
        "filter_notch_hz": "55",
        "filter_baseline": "maybe",
        "screen_factor": "9",
        "show_waves": "false",
    }
    state = state_from_settings(values, ViewerState())
    default = ViewerState()
    assert state.layout_kind == default.layout_kind
    assert state.paper.speed_mm_per_s == 25.0
    assert state.paper.gain_mm_per_mv == 20.0  # the one good value is kept
    assert state.lead_gains == () and state.filters == default.filters
    assert state.screen_factor == 1.0 and state.show_waves is False
