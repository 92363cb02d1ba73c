"""Calipers on a synthetic ECG with a known RR: ms, bpm, mV and the march-out."""

from __future__ import annotations

import numpy as np
import pytest

from ecgviewer.controllers.calipers import (
    Caliper,
    caliper_from_drag,
    caliper_shape,
    is_click,
    march_out_s,
)
from ecgviewer.controllers.layout import PageLayout, Panel
from ecgviewer.controllers.viewer import ViewerState
from ecgviewer.synth import SynthSpec, synthesize


def rhythm_strip(hr_bpm: float) -> tuple[ViewerState, PageLayout, Panel, np.ndarray]:
    ecg = synthesize(SynthSpec(hr_bpm=hr_bpm, duration_s=10.0, noise_mv=0.0))
    state = ViewerState(record=ecg.record)
    layout = state.layout()
    panel = layout.panels[-1]  # the lead II rhythm strip
    assert panel.lead == "II" and panel.width_mm == 250.0
    return state, layout, panel, ecg.truth.r_peak_s


def x_of(panel: Panel, t_s: float, start_s: float = 0.0) -> float:
    return panel.x_mm + (t_s - start_s - panel.offset_s) * panel.mm_per_s


@pytest.mark.parametrize(("hr_bpm", "rr_ms"), [(60.0, 1000.0), (75.0, 800.0)])
def test_rr_caliper_reads_the_known_interval(hr_bpm: float, rr_ms: float) -> None:
    _, layout, panel, r_peaks = rhythm_strip(hr_bpm)
    inside = r_peaks[(r_peaks > 0.5) & (r_peaks < 9.5)]
    y = panel.baseline_y_mm
    caliper = caliper_from_drag(
        layout, 0.0, (x_of(panel, inside[1]), y), (x_of(panel, inside[2]), y)
    )
    assert caliper is not None and caliper.lead == "II"
    assert caliper.interval_ms == pytest.approx(rr_ms, abs=0.5)
    assert caliper.rate_bpm == pytest.approx(hr_bpm, abs=0.05)
    assert caliper.describe().startswith(f"{rr_ms:.0f} ms · {hr_bpm:.0f} bpm")
    # march-out: the ticks walk onto every later and earlier R peak on the strip
    ticks = march_out_s(caliper, 0.0, 10.0)
    for peak in inside:
        assert np.min(np.abs(ticks - peak)) < 0.002


def test_amplitude_is_read_at_the_panel_gain() -> None:
    state, layout, panel, _ = rhythm_strip(60.0)
    base = panel.baseline_y_mm
    c = caliper_from_drag(layout, 0.0, (50.0, base), (80.0, base - 10.0))
    assert c is not None and c.amplitude_mv == pytest.approx(1.0)  # 10 mm at 10 mm/mV
    double = state.with_gain(20.0)
    layout20 = double.layout()
    p20 = layout20.panels[-1]
    c20 = caliper_from_drag(
        layout20, 0.0, (50.0, p20.baseline_y_mm), (80.0, p20.baseline_y_mm - 10)
    )
    assert c20 is not None and c20.amplitude_mv == pytest.approx(0.5)
    # its drawing follows the gain: the same 0.5 mV is 10 mm at 20 mm/mV
    shape = caliper_shape(c20, layout20, 0.0)
    assert shape is not None and shape.y0_mm - shape.y1_mm == pytest.approx(10.0)


def test_caliper_stays_on_its_beats_when_the_page_scrolls() -> None:
    _, layout, panel, _ = rhythm_strip(60.0)
    c = Caliper("II", panel.row, panel.column, 3.0, 4.0, 0.0, 1.0)
    at0 = caliper_shape(c, layout, 0.0)
    at1 = caliper_shape(c, layout, 1.0)
    assert at0 is not None and at1 is not None
    assert at0.x0_mm - at1.x0_mm == pytest.approx(25.0)  # 1 s at 25 mm/s
    assert caliper_shape(c, layout, 20.0) is None  # scrolled out of sight


def test_a_drag_is_kept_inside_its_panel_and_a_click_is_no_caliper() -> None:
    _, layout, _, _ = rhythm_strip(60.0)
    first = layout.panel_for("I")
    c = caliper_from_drag(layout, 0.0, (first.x_mm + 10, 20.0), (first.x_mm + 200, 20.0))
    assert c is not None and c.lead == "I"
    assert c.t1_s == pytest.approx(2.5)  # clamped to the end of the I column
    assert caliper_from_drag(layout, 0.0, (1.0, 20.0), (50.0, 20.0)) is None  # no panel there
    click = caliper_from_drag(layout, 0.0, (50.0, 20.0), (50.05, 20.0))
    assert click is not None and is_click(click)
