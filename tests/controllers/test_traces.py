"""Samples to paper millimetres, touching only the visible window."""

import numpy as np
import pytest

from ecgviewer.controllers.layout import compute_layout
from ecgviewer.controllers.paper import PaperSpec
from ecgviewer.controllers.traces import Trace, page_traces, panel_trace
from ecgviewer.io.record import STANDARD_LEADS, Record, make_record
from tests.controllers.synthetic_records import twelve_lead, two_lead_holter

#: Dense enough that a 2.5 s panel at 500 Hz is not decimated: every sample is a point.
NO_DECIMATION_PX_PER_MM = 50.0


def _sample_indices(trace: Trace, record: Record, page_start_s: float) -> np.ndarray:
    """Invert x = panel.x + (k / fs - window start) * speed to recover sample indices k."""
    start_s, _ = trace.panel.window_s(page_start_s)
    t_s = start_s + (trace.x_mm - trace.panel.x_mm) / trace.panel.mm_per_s
    k = t_s * record.fs_hz
    np.testing.assert_allclose(k, np.round(k), atol=1e-6)  # points sit exactly on samples
    return np.round(k).astype(int)


def test_a_step_lands_at_the_right_millimetres():
    # A 1 mV step at t = 1 s in lead I only.
    data = np.full((12, 5000), 0.1, dtype=np.float32)
    data[0, 500:] = 1.0
    record = make_record(data, 500.0, list(STANDARD_LEADS), "step")
    panel = compute_layout(record.lead_names).panel_for("I")
    trace = panel_trace(record, panel, 0.0, px_per_mm=NO_DECIMATION_PX_PER_MM)
    # Sample 500 (1.0 s) is 25 mm right of the panel origin and 10 mm above its baseline.
    assert trace.first_sample == 0
    assert trace.x_mm[500] == pytest.approx(panel.x_mm + 25.0)
    assert trace.y_mm[500] == pytest.approx(panel.baseline_y_mm - 10.0)
    assert trace.y_mm[499] == pytest.approx(panel.baseline_y_mm - 1.0)
    assert trace.x_mm[0] == pytest.approx(panel.x_mm)
    assert trace.x_mm[-1] == pytest.approx(panel.x_mm + panel.width_mm)
    assert not trace.x_mm.flags.writeable


@pytest.mark.parametrize("px_per_mm", [NO_DECIMATION_PX_PER_MM, 2.0])
def test_later_column_shows_later_time_of_the_right_lead(px_per_mm):
    record = twelve_lead(lead_order=list(STANDARD_LEADS)[::-1])
    panel = compute_layout(record.lead_names).panel_for("V5")
    trace = panel_trace(record, panel, 0.0, px_per_mm=px_per_mm)
    k = _sample_indices(trace, record, 0.0)
    assert k[0] >= round(7.5 * record.fs_hz) and k[-1] <= round(10.0 * record.fs_hz)
    expected_mv = record.lead("V5")[k]
    np.testing.assert_allclose(trace.y_mm, panel.baseline_y_mm - expected_mv * 10.0, atol=1e-4)
    # The synthetic V5 carries a 0.09 mV offset: a different lead would not match.
    assert not np.allclose(trace.y_mm, panel.baseline_y_mm - record.lead("V4")[k] * 10.0)


def test_decimation_keeps_the_r_peaks():
    record = twelve_lead()
    panel = compute_layout(record.lead_names).panel_for("II", row=3)
    full = panel_trace(record, panel, 0.0, px_per_mm=NO_DECIMATION_PX_PER_MM)
    coarse = panel_trace(record, panel, 0.0, px_per_mm=1.0)
    assert coarse.n_points < full.n_points
    assert np.nanmin(coarse.y_mm) == pytest.approx(np.nanmin(full.y_mm))


def test_gain_scales_the_trace():
    record = twelve_lead()
    kw = {"px_per_mm": NO_DECIMATION_PX_PER_MM}
    p10 = compute_layout(record.lead_names).panel_for("I")
    p20 = compute_layout(record.lead_names, PaperSpec(gain_mm_per_mv=20.0)).panel_for("I")
    y10 = panel_trace(record, p10, 0.0, **kw).y_mm - p10.baseline_y_mm
    y20 = panel_trace(record, p20, 0.0, **kw).y_mm - p20.baseline_y_mm
    np.testing.assert_allclose(y20, 2 * y10, atol=1e-6)
    assert np.nanmin(y10) < -10  # the 1.2 mV R wave is really there


def test_missing_samples_stay_nan():
    data = np.tile(np.sin(np.arange(1000) / 20.0), (2, 1)).astype(np.float32)
    data[0, 100:200] = np.nan
    record = make_record(data, 250.0, ["I", "II"], "gappy")
    panel = compute_layout(record.lead_names).panel_for("I")
    trace = panel_trace(record, panel, 0.0, px_per_mm=NO_DECIMATION_PX_PER_MM)
    assert np.isnan(trace.y_mm[100:200]).all()
    assert np.isfinite(trace.y_mm[:100]).all()


def test_long_record_only_touches_the_visible_window():
    record = two_lead_holter()
    layout = compute_layout(record.lead_names)
    traces = page_traces(record, layout, 600.0, px_per_mm=NO_DECIMATION_PX_PER_MM)
    visible = round(layout.page_duration_s * record.fs_hz) + 1
    assert record.n_samples > 100 * visible
    assert [t.panel.lead for t in traces] == ["MLII", "V1"]
    assert all(t.n_source <= visible and t.n_points <= visible for t in traces)
    assert all(t.first_sample == round(600.0 * record.fs_hz) for t in traces)
