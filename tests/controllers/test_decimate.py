"""Min/max decimation keeps every peak and every gap."""

from __future__ import annotations

import numpy as np

from ecgviewer.controllers.decimate import minmax_decimate


def test_a_one_sample_spike_survives_heavy_decimation() -> None:
    rng = np.random.default_rng(1)
    y = rng.normal(0, 0.05, 1_000_003).astype(np.float32)
    y[777_777] = 3.0
    y[123_456] = -2.0
    index, values = minmax_decimate(y, 500)
    assert len(values) <= 2 * 500 + 2
    assert values.max() == 3.0 and values.min() == -2.0
    assert 777_777 in index and 123_456 in index
    assert np.all(np.diff(index) >= 0)  # points stay in time order
    assert np.array_equal(values, y[index].astype(np.float64))


def test_short_windows_are_returned_unchanged() -> None:
    y = np.sin(np.arange(300) / 10)
    index, values = minmax_decimate(y, 150)
    assert np.array_equal(index, np.arange(300)) and np.array_equal(values, y)


def test_each_column_keeps_its_min_then_max_in_the_order_they_occur() -> None:
    y = np.array([0, 5, -5, 0, 0, -3, 4, 0], dtype=np.float64)
    index, values = minmax_decimate(y, 2)  # 4 samples per column
    assert list(values) == [5, -5, -3, 4]
    assert list(index) == [1, 2, 5, 6]


def test_missing_samples_stay_a_gap() -> None:
    y = np.ones(10_000)
    y[5000:5010] = np.nan
    index, values = minmax_decimate(y, 100)
    gap = np.isnan(values)
    assert gap.any()
    assert np.all((index[gap] >= 5000) & (index[gap] < 5010))
    assert np.all(values[~gap] == 1.0)
