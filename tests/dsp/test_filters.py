"""Filters and resampling: what passes, what is removed, and that nothing moves in time."""

from __future__ import annotations

import numpy as np
import pytest

from ecgviewer.dsp.filters import (
    bandpass,
    highpass,
    lowpass,
    notch,
    powerline_hz,
    remove_baseline,
)
from ecgviewer.dsp.resample import resample

FS = 500.0


def _sine(freq_hz: float, seconds: float = 10.0, fs: float = FS) -> np.ndarray:
    t = np.arange(int(seconds * fs)) / fs
    return np.sin(2 * np.pi * freq_hz * t)


def _rms(x: np.ndarray) -> float:
    return float(np.sqrt(np.mean(x**2)))


@pytest.mark.parametrize("mains_hz", [50.0, 60.0])
def test_notch_removes_a_mains_sine_by_more_than_30_db(mains_hz: float) -> None:
    x = _sine(mains_hz)
    y = notch(x, FS, mains_hz)
    attenuation_db = 20 * np.log10(_rms(x) / _rms(y))
    assert attenuation_db > 30.0


def test_notch_leaves_the_ecg_band_alone() -> None:
    x = _sine(10.0) + _sine(40.0)
    y = notch(x, FS, 50.0)
    assert _rms(y - x) < 0.02 * _rms(x)


def test_one_hertz_survives_the_baseline_filter_with_less_than_10_percent_loss() -> None:
    x = _sine(1.0)
    y = remove_baseline(x, FS, cutoff_hz=0.5)
    core = slice(int(2 * FS), int(8 * FS))  # away from the edges
    assert _rms(y[core]) > 0.9 * _rms(x[core])


@pytest.mark.parametrize("method", ["highpass", "median"])
def test_baseline_wander_is_removed(method: str) -> None:
    wander = 0.8 * _sine(0.15)
    qrs_like = np.zeros_like(wander)
    qrs_like[:: int(FS)] = 1.0  # one spike a second
    y = remove_baseline(wander + qrs_like, FS, method=method)  # type: ignore[arg-type]
    core = slice(int(2 * FS), int(8 * FS))
    assert _rms(y[core] - qrs_like[core]) < 0.25 * _rms(wander[core])


def test_zero_phase_filters_do_not_shift_a_peak() -> None:
    t = np.arange(int(4 * FS)) / FS
    x = np.exp(-(((t - 2.0) / 0.02) ** 2))
    for y in (lowpass(x, FS, 40.0), highpass(x, FS, 0.5), bandpass(x, FS, 1.0, 40.0)):
        assert abs(int(np.argmax(y)) - int(np.argmax(x))) <= 1


def test_gaps_stay_gaps_and_do_not_spread() -> None:
    x = _sine(5.0, 4.0)
    x[800:900] = np.nan
    y = lowpass(x, FS, 40.0)
    assert np.isnan(y[800:900]).all()
    assert np.isfinite(y[:800]).all() and np.isfinite(y[900:]).all()


def test_multi_lead_input_is_filtered_per_lead() -> None:
    x = np.vstack([_sine(50.0), _sine(5.0)])
    y = notch(x, FS, 50.0)
    assert y.shape == x.shape
    assert _rms(y[0]) < 0.05 and _rms(y[1]) > 0.6


def test_cutoff_above_nyquist_is_refused() -> None:
    with pytest.raises(ValueError, match="cut-off"):
        highpass(_sine(1.0), 100.0, 60.0)


def test_powerline_is_detected_only_when_present() -> None:
    ecg_like = _sine(1.2) + 0.05 * np.random.default_rng(0).standard_normal(int(10 * FS))
    assert powerline_hz(ecg_like, FS) is None
    assert powerline_hz(ecg_like + 0.2 * _sine(60.0), FS) == 60.0
    assert powerline_hz(ecg_like + 0.2 * _sine(50.0), FS) == 50.0


@pytest.mark.parametrize(("fs_in", "fs_out"), [(100.0, 500.0), (360.0, 500.0), (1000.0, 500.0)])
@pytest.mark.parametrize("method", ["polyphase", "pchip"])
def test_resample_keeps_the_time_axis(fs_in: float, fs_out: float, method: str) -> None:
    t_in = np.arange(int(10 * fs_in)) / fs_in
    x = np.exp(-(((t_in - 4.0) / 0.03) ** 2))
    y = resample(x, fs_in, fs_out, method)  # type: ignore[arg-type]
    assert abs(y.size - 10 * fs_out) <= 1
    assert abs(np.argmax(y) / fs_out - 4.0) <= 1.5 / min(fs_in, fs_out)
