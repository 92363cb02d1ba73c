"""Ground truth: exact onsets/offsets, intervals equal to the spec, and the index conventions."""

from __future__ import annotations

import json

import numpy as np
import pytest

from ecgviewer.synth import FIDUCIALS, SynthSpec, qt_for_rr_s, synthesize


@pytest.mark.parametrize("fs_hz", [250.0, 360.0, 500.0, 1000.0])
@pytest.mark.parametrize(
    ("morphology", "pr_ms"),
    [("normal", 160.0), ("normal", 240.0), ("rbbb", 130.0), ("lbbb", 200.0)],
)
def test_intervals_in_truth_match_the_spec_within_one_sample(
    morphology: str, pr_ms: float, fs_hz: float
) -> None:
    spec = SynthSpec(pr_ms=pr_ms, qrs_morphology=morphology, fs_hz=fs_hz)  # type: ignore[arg-type]
    truth = synthesize(spec).truth
    assert truth.pr_ms == pr_ms
    assert truth.qrs_ms == pytest.approx(spec.qrs_width_s * 1000)
    one_sample_ms = 1000 / fs_hz
    ok = truth.complete
    pr = (truth.samples("qrs_onset") - truth.samples("p_onset"))[ok] * one_sample_ms
    qrs = (truth.samples("qrs_offset") - truth.samples("qrs_onset"))[ok] * one_sample_ms
    qt = (truth.samples("t_offset") - truth.samples("qrs_onset"))[ok] * one_sample_ms
    assert np.abs(pr - pr_ms).max() <= one_sample_ms
    assert np.abs(qrs - truth.qrs_ms).max() <= one_sample_ms
    assert np.abs(qt - truth.qt_ms).max() <= one_sample_ms


@pytest.mark.parametrize("morphology", ["normal", "rbbb", "lbbb"])
def test_waves_start_and_end_exactly_where_the_truth_says(morphology: str) -> None:
    """Zero up to the true onset, non-zero on the next sample; zero again after the offset."""
    ecg = synthesize(SynthSpec(fs_hz=500.0, qrs_morphology=morphology))  # type: ignore[arg-type]
    x, fs, truth = ecg.record.samples, ecg.record.fs_hz, ecg.truth
    any_lead = np.abs(x).max(axis=0)
    for beat in np.flatnonzero(truth.complete):
        p_on = int(np.floor(truth.p_onset_s[beat] * fs))
        assert any_lead[p_on] == 0.0 and any_lead[p_on + 1] > 0.0
        p_off = int(np.ceil(truth.p_offset_s[beat] * fs))
        assert any_lead[p_off] == 0.0 and any_lead[p_off - 1] > 0.0
        q_on = int(np.floor(truth.qrs_onset_s[beat] * fs))
        assert any_lead[q_on] == 0.0 and any_lead[q_on + 1] > 0.0  # PR segment is isoelectric
        t_off = int(np.ceil(truth.t_offset_s[beat] * fs))
        assert any_lead[t_off] == 0.0 and any_lead[t_off - 1] > 0.0


def test_baseline_is_exactly_zero_between_t_end_and_next_p_without_noise() -> None:
    ecg = synthesize(SynthSpec(hr_bpm=60.0))
    truth = ecg.truth
    t_end, p_next = truth.samples("t_offset")[:-1], truth.samples("p_onset")[1:]
    assert (p_next - t_end > 50).all()  # there is a TP segment at 60 bpm
    for a, b in zip(t_end, p_next, strict=True):
        assert not ecg.record.samples[:, a + 1 : b].any()
    first_p = truth.samples("p_onset")[0]
    assert first_p > 0 and not ecg.record.samples[:, :first_p].any()


def test_qrs_onset_and_offset_are_the_extremes_over_leads() -> None:
    ecg = synthesize(SynthSpec(fs_hz=1000.0, qrs_morphology="rbbb"))
    truth, x = ecg.truth, ecg.record.samples
    beat = 2
    a, b = truth.samples("qrs_onset")[beat], truth.samples("qrs_offset")[beat]
    first_nonzero = [int(np.argmax(np.abs(lead[a - 5 : b]) > 0)) + a - 5 for lead in x]
    assert min(first_nonzero) == a + 1  # the sample after the true onset, in some lead
    # Visibly (20 µV) the leads start at different times; the global onset precedes them all,
    # and the global offset follows the last lead's visible end.
    visible = np.abs(x[:, a : b + 1]) > 0.02
    starts = visible.argmax(axis=1)
    ends = b - visible[:, ::-1].argmax(axis=1)
    assert starts.min() >= 1 and starts.max() - starts.min() >= 3
    assert ends.max() <= b and ends.max() - ends.min() >= 3


def test_qt_follows_rate() -> None:
    assert qt_for_rr_s(1.0, 400.0) == pytest.approx(0.400)
    assert qt_for_rr_s(0.5, 400.0) == pytest.approx(0.400 * 0.5**0.5)
    assert qt_for_rr_s(2.0, 400.0) == pytest.approx(0.400 * 2.0 ** (1 / 3))
    qts = [synthesize(SynthSpec(hr_bpm=hr, duration_s=4.0)).truth.qt_ms for hr in (40, 60, 120)]
    assert qts[0] > qts[1] > qts[2]
    assert qts[1] == pytest.approx(400.0)
    wide = synthesize(SynthSpec(hr_bpm=60.0, qrs_morphology="lbbb", duration_s=4.0)).truth
    assert wide.qt_ms == pytest.approx(400.0 + wide.qrs_ms - 90.0)  # JT kept, QRS widened


def test_samples_are_minus_one_for_absent_or_outside_and_complete_marks_cut_beats() -> None:
    truth = synthesize(SynthSpec(hr_bpm=150.0, duration_s=3.0, pvc_beats=(3,))).truth
    p_on = truth.samples("p_onset")
    assert p_on[3] == -1 and np.isnan(truth.p_onset_s[3])
    assert truth.is_pvc.tolist() == [label == "V" for label in truth.labels]
    # At 150 bpm the T wave of a beat before the first full one reaches into the recording.
    assert truth.qrs_onset_s[0] < 0 and truth.samples("qrs_onset")[0] == -1
    assert not truth.complete[0] and truth.complete[1:-1].all()
    assert truth.t_offset_s[-1] >= truth.duration_s or truth.complete[-1]
    for name in FIDUCIALS:
        idx = truth.samples(name)
        assert ((idx == -1) | ((idx >= 0) & (idx < truth.n_samples))).all()
    with pytest.raises(ValueError):
        truth.times_s("u_wave")  # type: ignore[arg-type]


def test_truth_serialises_to_json_with_nulls_for_absent_waves() -> None:
    truth = synthesize(SynthSpec(rhythm="af", duration_s=4.0)).truth
    payload = json.loads(json.dumps(truth.to_json_dict()))
    assert payload["intervals"]["pr_ms"] is None
    assert len(payload["beats"]) == truth.n_beats
    assert all(beat["p_onset_s"] is None for beat in payload["beats"])
    assert payload["beats"][1]["qrs_onset_s"] == pytest.approx(truth.qrs_onset_s[1], abs=1e-6)


def test_truth_arrays_are_read_only() -> None:
    truth = synthesize(SynthSpec(duration_s=3.0)).truth
    with pytest.raises(ValueError):
        truth.r_peak_s[0] = 0.0
