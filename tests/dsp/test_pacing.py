"""Pacemaker spikes: found when present, not invented from noise, and paced beats not measured."""

from __future__ import annotations

import numpy as np

from ecgviewer.dsp import detect_beats, detect_pacing, measure
from ecgviewer.io import make_record
from ecgviewer.synth import SynthSpec, synthesize


def _paced(spec: SynthSpec, lead_ms: float = 40.0) -> tuple[np.ndarray, list[int]]:
    """The synthetic ECG with a stimulus artefact (0.5 mV step, fast recovery) before each QRS."""
    ecg = synthesize(spec)
    x = np.array(ecg.record.samples, dtype=np.float64)
    fs = ecg.record.fs_hz
    spikes = []
    for onset in ecg.truth.qrs_onset_s:
        s = round(float(onset - lead_ms / 1000.0 + 0.03) * fs)
        if 2 <= s < x.shape[1] - 20:
            decay = 0.5 * np.exp(-np.arange(20) / 2.0)
            x[:, s : s + 20] += decay * np.linspace(-1.0, 1.0, x.shape[0])[:, None]
            spikes.append(s)
    return x, spikes


def test_spikes_found_and_rhythm_called_paced() -> None:
    x, spikes = _paced(SynthSpec(hr_bpm=70, qrs_morphology="lbbb", seed=1))
    beats = detect_beats(x, 500.0)
    pacing = detect_pacing(x, 500.0, beats.samples)
    assert pacing.rhythm_paced
    found = pacing.spikes
    assert all(np.min(np.abs(found - s)) <= 2 for s in spikes)


def test_paced_rhythm_intervals_are_null_with_a_reason() -> None:
    x, _ = _paced(SynthSpec(hr_bpm=70, qrs_morphology="lbbb", seed=2))
    rec = make_record(x, 500.0, synthesize(SynthSpec(seed=2)).record.lead_names, "paced")
    m = measure(rec)
    assert m.quality.paced
    for name in ("pr_ms", "qrs_ms", "qt_ms", "qrs_axis_deg"):
        assert getattr(m, name) is None
        assert "aced" in m.notes[name]
    assert m.hr_bpm is not None  # the rate of a paced rhythm is still its rate


def test_no_spikes_in_noise_nor_in_steep_qrs() -> None:
    for spec in (SynthSpec(hr_bpm=80, noise_mv=0.1, seed=3), SynthSpec(hr_bpm=60, seed=4),
                 SynthSpec(hr_bpm=120, qrs_ms=60.0, seed=5)):  # fmt: skip
        ecg = synthesize(spec)
        beats = detect_beats(ecg.record.samples, 500.0)
        assert not detect_pacing(ecg.record.samples, 500.0, beats.samples).rhythm_paced


def test_low_rates_cannot_tell_and_say_so() -> None:
    ecg = synthesize(SynthSpec(hr_bpm=70, fs_hz=100.0, seed=6))
    m = measure(ecg.record)
    assert not m.pacing.detectable
    assert any("pacemaker spikes cannot be detected" in f for f in m.quality.flags)
