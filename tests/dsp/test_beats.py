"""QRS detection against the synthetic generator's exact beat times."""

from __future__ import annotations

import numpy as np
import pytest

from ecgviewer.dsp import detect_beats
from ecgviewer.synth import SynthSpec, synthesize


def _match(truth_s: np.ndarray, found_s: np.ndarray, tol_s: float = 0.075) -> tuple[int, int]:
    """Missed true beats and extra detections (one-to-one within ``tol_s``)."""
    used = np.zeros(found_s.size, dtype=bool)
    missed = 0
    for t in truth_s:
        d = np.abs(found_s - t)
        d[used] = np.inf
        k = int(np.argmin(d)) if d.size else -1
        if k >= 0 and d[k] <= tol_s:
            used[k] = True
        else:
            missed += 1
    return missed, int(np.count_nonzero(~used))


def _truth_beats(spec: SynthSpec) -> tuple[np.ndarray, np.ndarray]:
    ecg = synthesize(spec)
    t = ecg.truth.r_peak_s
    inside = (t > 0.05) & (t < spec.duration_s - 0.05)
    found = detect_beats(ecg.record.samples, ecg.record.fs_hz).times_s
    return t[inside], found[(found > 0.05) & (found < spec.duration_s - 0.05)]


@pytest.mark.parametrize("fs_hz", [100.0, 250.0, 360.0, 500.0, 1000.0])
@pytest.mark.parametrize("hr_bpm", [40.0, 100.0, 180.0])
def test_every_beat_found_at_any_rate(fs_hz: float, hr_bpm: float) -> None:
    truth, found = _truth_beats(SynthSpec(hr_bpm=hr_bpm, fs_hz=fs_hz, noise_mv=0.02, seed=1))
    assert _match(truth, found) == (0, 0)


@pytest.mark.parametrize(
    "spec",
    [
        SynthSpec(hr_bpm=75, noise_mv=0.08, seed=2),
        SynthSpec(hr_bpm=75, baseline_wander_mv=1.0, seed=3),
        SynthSpec(hr_bpm=75, powerline_mv=0.3, seed=4),
        SynthSpec(hr_bpm=95, rhythm="af", seed=5),
        SynthSpec(hr_bpm=70, qrs_morphology="lbbb", seed=6),
        SynthSpec(hr_bpm=130, qrs_morphology="rbbb", noise_mv=0.05, seed=7),
    ],
    ids=["noise", "wander", "mains", "af", "lbbb", "rbbb-fast-noisy"],
)
def test_robust_to_noise_wander_af_and_wide_qrs(spec: SynthSpec) -> None:
    truth, found = _truth_beats(spec)
    assert _match(truth, found) == (0, 0)


def test_premature_ventricular_beats_are_detected() -> None:
    spec = SynthSpec(hr_bpm=70, pvc_beats=(3, 6, 9), seed=8)
    ecg = synthesize(spec)
    found = detect_beats(ecg.record.samples, ecg.record.fs_hz).times_s
    pvc_times = ecg.truth.r_peak_s[ecg.truth.is_pvc]
    assert pvc_times.size == 3
    for t in pvc_times:
        assert np.min(np.abs(found - t)) < 0.075
    truth, found_in = _truth_beats(spec)
    assert _match(truth, found_in) == (0, 0)


def test_one_noisy_lead_does_not_make_false_beats() -> None:
    ecg = synthesize(SynthSpec(hr_bpm=60, seed=9))
    x = np.array(ecg.record.samples, dtype=np.float64)
    x[7] += np.random.default_rng(0).normal(0.0, 1.0, x.shape[1])  # V2 full of artefact
    found = detect_beats(x, ecg.record.fs_hz)
    t = ecg.truth.r_peak_s
    assert _match(t[(t > 0.05) & (t < 9.95)], found.times_s) == (0, 0)
    assert found.lead_weights[7] < 0.5 * np.median(found.lead_weights)


def test_single_lead_and_gaps_are_handled() -> None:
    ecg = synthesize(SynthSpec(hr_bpm=80, seed=10))
    lead = np.array(ecg.record.lead("II"), dtype=np.float64)
    lead[2000:2300] = np.nan
    found = detect_beats(lead, ecg.record.fs_hz).times_s
    t = ecg.truth.r_peak_s
    visible = (t > 0.05) & (t < 9.95) & ((t < 3.95) | (t > 4.65))
    missed, _ = _match(t[visible], found)
    assert missed == 0


def test_flat_signal_has_no_beats() -> None:
    assert len(detect_beats(np.zeros((12, 5000)), 500.0)) == 0
    assert len(detect_beats(np.full((2, 5000), np.nan), 500.0)) == 0


def test_rr_and_times_are_consistent() -> None:
    ecg = synthesize(SynthSpec(hr_bpm=60, seed=11))
    beats = detect_beats(ecg.record.samples, 500.0)
    assert np.allclose(beats.rr_ms, 1000.0, atol=4.0)
    assert np.allclose(beats.times_s, beats.samples / 500.0)
