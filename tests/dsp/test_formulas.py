"""QTc formulas on known numbers, and the frontal axis on constructed signals."""

from __future__ import annotations

import math

import numpy as np
import pytest

from ecgviewer.dsp import frontal_axis_deg, measure, qtc_ms
from ecgviewer.io import STANDARD_LEADS, make_record


def test_all_corrections_agree_at_60_bpm() -> None:
    for method in ("bazett", "fridericia", "framingham", "hodges"):
        assert qtc_ms(400.0, 1000.0, method) == pytest.approx(400.0)  # type: ignore[arg-type]


def test_qtc_known_values() -> None:
    # QT 360 ms at RR 640 ms (93.75 bpm), worked by hand:
    assert qtc_ms(360.0, 640.0, "bazett") == pytest.approx(450.0)  # 360 / 0.8
    assert qtc_ms(360.0, 640.0, "fridericia") == pytest.approx(360.0 / 0.64 ** (1 / 3))  # 417.7
    assert qtc_ms(360.0, 640.0, "framingham") == pytest.approx(415.44)  # 360 + 154 * 0.36
    assert qtc_ms(360.0, 640.0, "hodges") == pytest.approx(419.0625)  # 360 + 1.75 * 33.75
    # Slow rate: RR 1500 ms, QT 480 ms.
    assert qtc_ms(480.0, 1500.0, "bazett") == pytest.approx(480.0 / math.sqrt(1.5))
    assert qtc_ms(480.0, 1500.0, "framingham") == pytest.approx(480.0 - 77.0)
    assert qtc_ms(480.0, 1500.0, "hodges") == pytest.approx(480.0 - 35.0)


def test_qtc_refuses_nonsense() -> None:
    with pytest.raises(ValueError):
        qtc_ms(400.0, 0.0, "bazett")
    with pytest.raises(ValueError):
        qtc_ms(400.0, 800.0, "nonsense")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("lead_i", "lead_avf", "expected"),
    [(1.0, 0.0, 0.0), (1.0, 1.0, 45.0), (0.0, 1.0, 90.0), (-1.0, 1.0, 135.0),
     (1.0, -1.0, -45.0), (-1.0, 0.0, 180.0), (0.5, 0.5 * math.sqrt(3), 60.0)],
)  # fmt: skip
def test_frontal_axis_from_projections(lead_i: float, lead_avf: float, expected: float) -> None:
    assert frontal_axis_deg(lead_i, lead_avf) == pytest.approx(expected)


def test_axis_is_indeterminate_at_zero() -> None:
    with pytest.raises(ValueError):
        frontal_axis_deg(0.0, 0.0)


def _record_with_axis(axis_deg: float, only_i_ii: bool = False) -> object:
    """12 leads whose QRS and T are one dipole pointing at ``axis_deg`` in the frontal plane.

    Leads are the dipole's projections on the hexaxial directions (I 0°, II 60°, III 120°,
    aVR -150°, aVL -30°, aVF 90°), so Einthoven's relations hold; V leads see the dipole too.
    """
    fs = 500.0
    t = np.arange(int(10 * fs)) / fs
    wave = np.zeros_like(t)
    for beat in np.arange(0.4, 10.0, 0.9):
        wave += 1.0 * np.exp(-(((t - beat) / 0.012) ** 2))  # QRS
        wave += 0.25 * np.exp(-(((t - beat - 0.28) / 0.05) ** 2))  # T, same direction
        wave += 0.1 * np.exp(-(((t - beat + 0.16) / 0.025) ** 2))  # P, same direction
    angles = {"I": 0, "II": 60, "III": 120, "aVR": -150, "aVL": -30, "aVF": 90}
    rows = []
    for name in STANDARD_LEADS:
        if name in angles:
            rows.append(wave * math.cos(math.radians(axis_deg - angles[name])))
        else:
            rows.append(wave * 0.7)
    names = list(STANDARD_LEADS)
    data = np.array(rows)
    if only_i_ii:  # a two-lead record: no aVF, and none is derived
        data, names = data[:2], names[:2]
    return make_record(data, fs, names, f"axis{axis_deg:g}")


@pytest.mark.parametrize("axis_deg", [-60.0, 0.0, 30.0, 75.0, 120.0, 170.0])
def test_measured_axes_follow_a_known_dipole(axis_deg: float) -> None:
    m = measure(_record_with_axis(axis_deg))  # type: ignore[arg-type]
    for name in ("qrs_axis_deg", "t_axis_deg", "p_axis_deg"):
        value = getattr(m, name)
        assert value is not None, m.notes.get(name)
        diff = (value - axis_deg + 180.0) % 360.0 - 180.0
        assert abs(diff) < 5.0, f"{name}: {value:.1f} for {axis_deg}"


def test_axis_without_avf_uses_lead_ii() -> None:
    rec = _record_with_axis(75.0, only_i_ii=True)
    assert rec.lead_names == ("I", "II")  # type: ignore[attr-defined]
    m = measure(rec)  # type: ignore[arg-type]
    assert m.qrs_axis_deg is not None and abs(m.qrs_axis_deg - 75.0) < 5.0
    assert m.qrs_ms is None  # intervals need the 12 leads
