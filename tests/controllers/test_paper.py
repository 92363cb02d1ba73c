"""ECG paper geometry in numbers: pixels per mm, grid lines, calibration pulse, calibration."""

from __future__ import annotations

import math

import numpy as np
import pytest

from ecgviewer.controllers.paper import (
    PaperSpec,
    calibration_factor,
    calibration_pulse,
    grid_geometry,
    page_duration_s,
    pixels_per_mm,
    screen_pixels_per_mm,
)


@pytest.mark.parametrize(("dpi", "expected"), [(96.0, 3.7795), (254.0, 10.0), (25.4, 1.0)])
def test_pixels_per_mm_at_a_given_dpi(dpi: float, expected: float) -> None:
    assert pixels_per_mm(dpi) == pytest.approx(expected, abs=1e-4)


def test_screen_without_a_size_falls_back_and_says_so() -> None:
    assert screen_pixels_per_mm(100.0) == (pytest.approx(100 / 25.4), True)
    ppm, known = screen_pixels_per_mm(float("nan"), fallback_dpi=96.0)
    assert not known and ppm == pytest.approx(96 / 25.4)
    assert screen_pixels_per_mm(5000.0, 96.0)[1] is False


def test_grid_has_a_minor_line_every_mm_and_a_major_line_every_5_mm() -> None:
    g = grid_geometry(265.0, 166.0)
    assert g.major_x == tuple(5.0 * i for i in range(54))  # 0 … 265
    assert g.major_y == tuple(5.0 * i for i in range(34))  # 0 … 165
    assert np.all(np.diff(g.major_x) == 5.0)
    # minor lines: every whole mm that is not a major line, each drawn once
    assert len(g.minor_x) == 266 - 54 and not set(g.minor_x) & set(g.major_x)
    assert sorted(g.minor_x + g.major_x) == [float(i) for i in range(266)]
    # at 254 dpi (10 px/mm) a major square is exactly 50 px
    px = np.array(g.major_x) * pixels_per_mm(254.0)
    assert np.allclose(np.diff(px), 50.0)


@pytest.mark.parametrize("gain", [5.0, 10.0, 20.0])
def test_calibration_pulse_is_1_mv_high_at_the_gain(gain: float) -> None:
    paper = PaperSpec(gain_mm_per_mv=gain)
    _, ys = calibration_pulse(0.0, 25.0, paper)
    assert max(ys) - min(ys) == pytest.approx(gain)  # 10 mm at 10 mm/mV
    assert max(ys) == 25.0  # it starts and ends on the baseline
    # a row with its own gain draws its own pulse
    _, ys_row = calibration_pulse(0.0, 25.0, paper, gain_mm_per_mv=5.0)
    assert max(ys_row) - min(ys_row) == pytest.approx(5.0)


@pytest.mark.parametrize(("speed", "width"), [(12.5, 2.5), (25.0, 5.0), (50.0, 10.0)])
def test_calibration_pulse_lasts_200_ms_of_paper(speed: float, width: float) -> None:
    xs, _ = calibration_pulse(0.0, 25.0, PaperSpec(speed_mm_per_s=speed))
    assert xs[3] - xs[2] == pytest.approx(width)
    assert PaperSpec(speed_mm_per_s=speed).calibration_block_mm % 5.0 == 0.0


def test_page_duration_follows_the_speed_but_not_past_the_record() -> None:
    assert page_duration_s(25.0) == 10.0
    assert page_duration_s(50.0) == 5.0
    assert page_duration_s(12.5) == 20.0
    assert page_duration_s(12.5, record_duration_s=10.0) == 10.0


def test_screen_calibration_factor_from_a_ruler() -> None:
    assert calibration_factor(100.0) == 1.0
    assert calibration_factor(95.0) == pytest.approx(100 / 95)  # pixels too small: enlarge
    # the bar was drawn with a factor already applied: correct on top of it
    assert calibration_factor(110.0, current_factor=1.1) == pytest.approx(1.0)
    for bad in (0.0, -5.0, math.nan, 20.0, 300.0):
        with pytest.raises(ValueError):
            calibration_factor(bad)
