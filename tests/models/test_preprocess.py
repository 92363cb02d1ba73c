"""The one preprocessing function: lead order, rate, length, NaN, refusal."""

from __future__ import annotations

import numpy as np
import pytest

from ecgviewer.io import STANDARD_LEADS, make_record
from ecgviewer.models import (
    MODEL_N_SAMPLES,
    PreprocessError,
    input_contract,
    preprocess,
    preprocess_windows,
    window_starts,
)


def _record(fs_hz: float = 100.0, duration_s: float = 10.0, leads=STANDARD_LEADS, seed: int = 0):
    rng = np.random.default_rng(seed)
    n = round(fs_hz * duration_s)
    t = np.arange(n) / fs_hz
    rows = [(i + 1) * 0.1 * np.sin(2 * np.pi * 1.2 * t) + 0.02 * rng.standard_normal(n)
            for i in range(len(leads))]  # fmt: skip
    return make_record(np.array(rows, dtype=np.float32), fs_hz, list(leads), "test")


def test_standard_record_passes_through_with_no_notices() -> None:
    rec = _record()
    x, notices = preprocess(rec)
    assert x.shape == (12, MODEL_N_SAMPLES) and x.dtype == np.float32
    assert notices == ()
    expected = rec.samples - np.median(rec.samples, axis=1, keepdims=True)
    np.testing.assert_allclose(x, expected, atol=1e-6)


def test_shuffled_leads_come_out_in_standard_order() -> None:
    rec = _record()
    order = np.random.default_rng(1).permutation(12)
    shuffled = make_record(
        rec.samples[order], rec.fs_hz, [STANDARD_LEADS[i] for i in order], "shuffled"
    )
    x, notices = preprocess(shuffled)
    np.testing.assert_array_equal(x, preprocess(rec)[0])
    assert any("reordered" in n for n in notices)


def test_extra_leads_are_dropped_and_named() -> None:
    rec = _record(leads=(*STANDARD_LEADS, "V4R"))
    x, notices = preprocess(rec)
    assert x.shape == (12, MODEL_N_SAMPLES)
    assert any("V4R" in n for n in notices)


def test_500_hz_is_resampled_to_1000_samples() -> None:
    x, notices = preprocess(_record(fs_hz=500.0))
    reference, _ = preprocess(_record(fs_hz=100.0))
    assert x.shape == (12, MODEL_N_SAMPLES)
    assert any("500 Hz to 100 Hz" in n for n in notices)
    # The 1.2 Hz sine survives resampling (noise differs between the two records).
    assert np.corrcoef(x[11], reference[11])[0, 1] > 0.95


def test_two_lead_record_is_refused_with_a_clear_error() -> None:
    with pytest.raises(PreprocessError, match=r"12 standard leads.*lacks I, III"):
        preprocess(_record(leads=("II", "V1")))


def test_nan_lead_becomes_zeros_with_a_notice() -> None:
    rec = _record()
    samples = rec.samples.copy()
    samples[STANDARD_LEADS.index("V3")] = np.nan
    x, notices = preprocess(make_record(samples, 100.0, list(STANDARD_LEADS), "gap"))
    assert not np.isnan(x).any()
    assert np.all(x[STANDARD_LEADS.index("V3")] == 0.0)
    assert any("V3 (10.00 s)" in n for n in notices)


def test_long_record_is_centre_cropped_and_short_one_padded() -> None:
    long_x, long_notes = preprocess(_record(duration_s=14.0))
    short_x, short_notes = preprocess(_record(duration_s=7.5))
    assert long_x.shape == short_x.shape == (12, MODEL_N_SAMPLES)
    assert any("middle 10 s (2.00–12.00 s)" in n for n in long_notes)
    assert any("padded" in n for n in short_notes)
    assert np.all(short_x[:, 750:] == 0.0) and np.any(short_x[:, :750] != 0.0)


def test_contract_names_the_rate_length_leads_and_units() -> None:
    contract = input_contract()
    assert contract["fs_hz"] == 100.0 and contract["n_samples"] == 1000
    assert contract["leads"] == list(STANDARD_LEADS) and contract["units"] == "mV"


def test_window_starts_cover_the_record_and_are_capped() -> None:
    assert window_starts(1000) == [0] and window_starts(640) == [0]
    assert window_starts(2500) == [0, 750, 1500]  # 3 windows, overlapping, ending at the end
    assert window_starts(3000) == [0, 1000, 2000]
    capped = window_starts(60_000, max_windows=30)  # 10 min: 30 windows spread evenly
    assert len(capped) == 30 and capped[0] == 0 and capped[-1] == 59_000
    assert np.all(np.diff(capped) == 2034) or np.ptp(np.diff(capped)) <= 1


def test_each_window_is_prepared_as_a_10_s_record_would_be() -> None:
    rec = _record(fs_hz=500.0, duration_s=25.0, seed=3)
    windows, starts, notices = preprocess_windows(rec)
    assert windows.shape == (3, 12, MODEL_N_SAMPLES)
    np.testing.assert_allclose(starts, [0.0, 7.5, 15.0])
    assert any("Read in 3 windows of 10 s of a 25.00 s recording" in n for n in notices)
    # The same resampled signal, cut where the window starts, with its own median removed.
    whole, _ = preprocess(rec)  # middle 10 s = 7.5–17.5 s = the second window
    np.testing.assert_allclose(windows[1], whole, atol=1e-5)
    for w in windows:
        np.testing.assert_allclose(np.median(w, axis=1), 0.0, atol=1e-6)


def test_a_10_s_record_gives_exactly_the_training_input() -> None:
    rec = _record(fs_hz=500.0, seed=4)
    windows, starts, notices = preprocess_windows(rec)
    single, single_notes = preprocess(rec)
    assert windows.shape == (1, 12, MODEL_N_SAMPLES) and list(starts) == [0.0]
    np.testing.assert_array_equal(windows[0], single)
    assert notices == single_notes


def test_windows_with_a_lead_mostly_missing_are_left_out_and_named() -> None:
    rec = _record(duration_s=30.0)
    samples = rec.samples.copy()
    samples[STANDARD_LEADS.index("V2"), 1200:1900] = np.nan  # 70 % of the 10–20 s window
    gap = make_record(samples, 100.0, list(STANDARD_LEADS), "gap")
    windows, starts, notices = preprocess_windows(gap, max_missing=0.5)
    assert list(starts) == [0.0, 20.0] and len(windows) == 2
    assert any("left out" in n and "10.00–20.00 s" in n for n in notices)
    kept, _, _ = preprocess_windows(gap)  # default: every window kept, gaps at 0 mV
    assert len(kept) == 3
