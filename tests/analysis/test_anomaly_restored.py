"""The anomaly step's restored signal on the record's grid, on the record's own baseline."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

import ecgviewer.analysis.service  # noqa: F401  (registers how records pickle, as the worker does)
from ecgviewer.analysis import AnalysisRequest, run_analysis
from ecgviewer.analysis.anomaly import on_record_grid, restored_on_record_grid, run_anomaly
from ecgviewer.io import make_record
from ecgviewer.models import MODEL_LEADS
from ecgviewer.synth import SynthSpec, synthesize


def test_lead_order_sampling_rate_and_nan_outside_the_window() -> None:
    """A 15 s, 500 Hz record with shuffled leads and an extra one; the model read 2.5–12.5 s."""
    rng = np.random.default_rng(0)
    names = [*reversed(MODEL_LEADS[:6]), "X", *MODEL_LEADS[6:]]
    raw = rng.normal(0.0, 0.5, (len(names), 7500))
    record = make_record(raw, 500.0, names, "shuffled")
    n = 1000
    t100 = 2.5 + np.arange(n) / 100.0
    filtered = rng.normal(0.0, 0.3, (12, n)).astype(np.float32)
    # lead i departs from its input by (i + 1) * 10 µV plus a ramp in time: linear, so the
    # interpolation onto the 500 Hz grid must reproduce it exactly.
    diff = np.array([(i + 1) * 0.01 + 0.02 * (t100 - 2.5) for i in range(12)])
    restored = (filtered + diff).astype(np.float32)

    out = restored_on_record_grid(restored, filtered, 100.0, 2.5, record)

    assert out.shape == (13, 7500) and out.dtype == np.float32
    t = np.arange(7500) / 500.0
    inside = (t >= 2.5) & (t <= 2.5 + (n - 1) / 100.0)
    for i, lead in enumerate(MODEL_LEADS):
        row = record.lead_index(lead)
        expected = record.samples[row, inside] + (i + 1) * 0.01 + 0.02 * (t[inside] - 2.5)
        np.testing.assert_allclose(out[row, inside], expected, atol=1e-5, err_msg=lead)
        assert np.isnan(out[row, ~inside]).all()
    assert np.isnan(out[record.lead_index("X")]).all()  # a lead the model does not read
    # the same window as the heat map's
    err = on_record_grid(np.abs(diff).astype(np.float32), 100.0, 2.5, record)
    assert np.array_equal(np.isfinite(err), np.isfinite(out))


def test_perfect_restoration_sits_on_the_raw_trace_despite_baseline_wander() -> None:
    """``restored + (raw - highpassed(raw))``: where restored equals the high-passed input, the
    overlay is the raw record itself, wander, lead offset and all (no baseline offset)."""
    from ecgviewer.analysis.anomaly import load_anomaly_model
    from ecgviewer.models.anomaly import filter_input, score_record

    ecg = synthesize(SynthSpec(hr_bpm=70, fs_hz=100.0, baseline_wander_mv=0.6, seed=3))
    record = ecg.record
    raw = np.stack([record.lead(lead) for lead in MODEL_LEADS]).astype(np.float64)
    raw = raw + np.arange(12)[:, None] * 0.3  # a DC offset per lead, which the model never sees
    record = make_record(raw, 100.0, list(MODEL_LEADS), "wander")
    xf = score_record(record, load_anomaly_model()).filtered  # what the networks restored
    # the model's input is the 0.5 Hz high-pass of the median-free 100 Hz record
    centred = raw - np.median(raw, axis=1, keepdims=True)
    np.testing.assert_allclose(xf, filter_input(centred), atol=1e-5)
    low = raw - xf  # what the high-pass removed: wander plus offset, far from zero
    assert np.ptp(low, axis=1).max() > 0.5

    overlay = restored_on_record_grid(xf, xf, 100.0, 0.0, record)
    np.testing.assert_allclose(overlay, record.samples, atol=1e-5)
    bump = xf.copy()
    bump[3, 400:420] += 0.2  # the model "expects" 0.2 mV more in aVR there
    overlay = restored_on_record_grid(bump, xf, 100.0, 0.0, record)
    np.testing.assert_allclose(overlay, bump + low, atol=1e-5)  # the formula itself
    np.testing.assert_allclose(overlay[3, 400:420] - record.samples[3, 400:420], 0.2, atol=1e-5)


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_bundled_model_restores_a_record_with_wander_on_its_baseline() -> None:
    """The real model on a normal synthetic record at 500 Hz with 0.8 mV of baseline wander."""
    ecg = synthesize(SynthSpec(hr_bpm=65, fs_hz=500.0, baseline_wander_mv=0.8, seed=5))
    record = ecg.record
    step = run_anomaly(record)
    assert step.restored is not None and step.error is not None, step.notices
    assert step.restored.shape == (record.n_leads, record.n_samples)
    ii = record.lead_index("II")
    gap = step.restored[ii] - record.samples[ii]
    # no baseline offset: the restoration's departures average out, however far the wander goes
    assert abs(float(np.nanmedian(gap))) < 0.03
    assert float(np.nanmedian(np.abs(gap))) < 0.1
    # it departs from the trace by the heat map's error (up to the beat branch's weighting)
    assert float(np.nanmean(np.abs(gap))) <= float(np.nanmean(step.error[ii])) + 1e-3
    # the record does wander far more than that (else the first check would prove nothing)
    wander = record.samples[ii] - np.median(record.samples[ii])
    assert float(np.max(np.abs(wander))) > 0.3


def test_result_carries_the_restored_signal_outside_the_json() -> None:
    ecg = synthesize(SynthSpec(hr_bpm=60, pvc_beats=(5,)))
    result = run_analysis(AnalysisRequest(ecg.record))
    assert result.restored_signal is not None
    assert result.restored_signal.shape == ecg.record.samples.shape
    assert "restored_signal" not in result.to_json_dict()
    back = pickle.loads(pickle.dumps(result))  # as the worker process sends it
    np.testing.assert_array_equal(back.restored_signal, result.restored_signal)


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_a_recording_too_long_for_grid_maps_keeps_its_score_and_says_so(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import ecgviewer.analysis.anomaly as step

    record = synthesize(SynthSpec(hr_bpm=70, duration_s=20.0, fs_hz=250.0, seed=1)).record
    kept = run_anomaly(record)
    assert kept.error is not None and kept.restored is not None and not kept.notices
    monkeypatch.setattr(step, "MAX_GRID_VALUES", record.n_leads * record.n_samples - 1)
    long = run_anomaly(record)
    assert long.finding is not None and long.finding == kept.finding  # the score is unchanged
    assert long.error is None and long.restored is None
    assert "not kept" in long.notices[0] and "middle 10 s" in long.notices[0]
