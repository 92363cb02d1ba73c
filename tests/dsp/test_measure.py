"""``measure`` against the synthetic generator's exact truth, and its honesty about nulls.

Tolerances are those of the issue: |error| within 10 ms (PR, QRS) and 15 ms (QT) on average
over a set of records, and each single record within 20 ms (PR, QRS) and 30 ms (QT).
"""

from __future__ import annotations

import numpy as np
import pytest

from ecgviewer.dsp import MEASUREMENT_NAMES, measure
from ecgviewer.io import make_record
from ecgviewer.synth import SynthSpec, synthesize

SINGLE_TOL_MS = {"pr_ms": 20.0, "qrs_ms": 20.0, "qt_ms": 30.0}
MEAN_TOL_MS = {"pr_ms": 10.0, "qrs_ms": 10.0, "qt_ms": 15.0}


def _errors(spec: SynthSpec) -> dict[str, float | None]:
    ecg = synthesize(spec)
    m = measure(ecg.record)
    truth = {"pr_ms": ecg.truth.pr_ms, "qrs_ms": ecg.truth.qrs_ms, "qt_ms": ecg.truth.qt_ms}
    out: dict[str, float | None] = {}
    for key, true in truth.items():
        got = getattr(m, key)
        out[key] = None if got is None or true is None else got - true
    return out


SINUS = [
    SynthSpec(hr_bpm=40, seed=1),
    SynthSpec(hr_bpm=60, noise_mv=0.02, seed=2),
    SynthSpec(hr_bpm=80, baseline_wander_mv=0.5, seed=3),
    SynthSpec(hr_bpm=100, noise_mv=0.05, seed=4),
    SynthSpec(hr_bpm=120, seed=5),
    SynthSpec(hr_bpm=60, qrs_morphology="rbbb", noise_mv=0.02, seed=6),
    SynthSpec(hr_bpm=75, qrs_morphology="lbbb", seed=7),
    SynthSpec(hr_bpm=55, pr_ms=240, p_ms=110, seed=8),  # first-degree AV block
]


@pytest.mark.parametrize("spec", SINUS, ids=lambda s: f"{s.hr_bpm:g}bpm-{s.qrs_morphology}")
def test_intervals_within_tolerance_on_each_record(spec: SynthSpec) -> None:
    errors = _errors(spec)
    for key, tol in SINGLE_TOL_MS.items():
        err = errors[key]
        assert err is not None, f"{key} missing"
        assert abs(err) <= tol, f"{key} off by {err:.1f} ms"


def test_intervals_within_tolerance_on_average() -> None:
    errors = [_errors(s) for s in SINUS]
    for key, tol in MEAN_TOL_MS.items():
        values = np.array([e[key] for e in errors], dtype=float)
        assert abs(values.mean()) <= tol, f"{key}: mean error {values.mean():.1f} ms"


@pytest.mark.parametrize("hr_bpm", [150.0, 180.0])
def test_fast_rates_give_qrs_and_qt_and_an_honest_pr(hr_bpm: float) -> None:
    spec = SynthSpec(hr_bpm=hr_bpm, pr_ms=120, seed=12)
    ecg = synthesize(spec)
    m = measure(ecg.record)
    assert m.qrs_ms is not None and abs(m.qrs_ms - ecg.truth.qrs_ms) <= SINGLE_TOL_MS["qrs_ms"]
    assert m.qt_ms is not None and abs(m.qt_ms - ecg.truth.qt_ms) <= SINGLE_TOL_MS["qt_ms"]
    # At these rates the P wave may sit on the T wave: either measured well or null with why.
    if m.pr_ms is None:
        assert m.notes["pr_ms"]
    else:
        assert abs(m.pr_ms - 120.0) <= SINGLE_TOL_MS["pr_ms"]


@pytest.mark.parametrize("hr_bpm", [50.0, 90.0, 140.0])
@pytest.mark.parametrize("morphology", ["normal", "lbbb"])
def test_atrial_fibrillation_has_a_null_pr_with_a_reason(hr_bpm: float, morphology: str) -> None:
    spec = SynthSpec(hr_bpm=hr_bpm, rhythm="af", qrs_morphology=morphology, seed=13)  # type: ignore[arg-type]
    m = measure(synthesize(spec).record)
    assert m.pr_ms is None
    assert "atrial fibrillation" in m.notes["pr_ms"]
    assert m.p_axis_deg is None
    assert m.quality.af_suspected
    assert m.qrs_ms is not None and m.hr_bpm is not None


@pytest.mark.parametrize("fs_hz", [250.0, 360.0, 1000.0])
def test_any_sampling_rate(fs_hz: float) -> None:
    errors = _errors(SynthSpec(hr_bpm=70, fs_hz=fs_hz, noise_mv=0.01, seed=14))
    for key, tol in SINGLE_TOL_MS.items():
        err = errors[key]
        assert err is not None and abs(err) <= tol, f"{key} at {fs_hz:g} Hz: {err}"


def test_100_hz_records_are_measured_within_a_wider_margin() -> None:
    # 100 Hz (PTB-XL records100) blurs QRS edges by a sample either side: known, documented.
    errors = _errors(SynthSpec(hr_bpm=70, fs_hz=100.0, seed=15))
    assert errors["qrs_ms"] is not None and abs(errors["qrs_ms"]) <= 30.0
    assert errors["qt_ms"] is not None and abs(errors["qt_ms"]) <= 40.0
    assert errors["pr_ms"] is not None and abs(errors["pr_ms"]) <= 20.0


def test_rate_and_rr_variability() -> None:
    ecg = synthesize(SynthSpec(hr_bpm=72, seed=16))
    m = measure(ecg.record)
    assert m.hr_bpm == pytest.approx(72.0, abs=0.5)
    assert m.rr_ms == pytest.approx(ecg.truth.rr_ms, abs=2.0)
    assert m.rr_sd_ms is not None and m.rr_sd_ms < 3.0
    af = measure(synthesize(SynthSpec(hr_bpm=72, rhythm="af", seed=16)).record)
    assert af.rr_sd_ms is not None and af.rr_sd_ms > 5 * m.rr_sd_ms


def test_qtc_values_follow_the_measured_qt_and_rr() -> None:
    m = measure(synthesize(SynthSpec(hr_bpm=90, seed=17)).record)
    assert m.qt_ms is not None and m.rr_ms is not None
    rr_s = m.rr_ms / 1000.0
    assert m.qtc_bazett_ms == pytest.approx(m.qt_ms / rr_s**0.5)
    assert m.qtc_fridericia_ms == pytest.approx(m.qt_ms / rr_s ** (1 / 3))
    assert m.qtc_framingham_ms == pytest.approx(m.qt_ms + 154.0 * (1 - rr_s))
    assert m.qtc_hodges_ms == pytest.approx(m.qt_ms + 1.75 * (60.0 / rr_s - 60.0))


def test_pvcs_are_kept_out_of_the_median_beat() -> None:
    ecg = synthesize(SynthSpec(hr_bpm=70, pvc_beats=(2, 5, 8), seed=18))
    m = measure(ecg.record)
    assert m.delineation is not None
    dominant = m.median_beats[0]
    assert dominant.dominant
    pvc_index = [i for i, t in enumerate(m.beats.times_s)
                 if np.min(np.abs(ecg.truth.r_peak_s[ecg.truth.is_pvc] - t)) < 0.05]  # fmt: skip
    assert len(pvc_index) == 3
    assert not set(pvc_index) & set(dominant.beat_indices.tolist())
    assert all(m.delineation.groups[i] != 0 for i in pvc_index)
    assert m.qrs_ms is not None and abs(m.qrs_ms - ecg.truth.qrs_ms) <= SINGLE_TOL_MS["qrs_ms"]


def test_beat_records_and_median_beats_are_ready_to_draw() -> None:
    ecg = synthesize(SynthSpec(hr_bpm=60, seed=19))
    m = measure(ecg.record)
    assert len(m.beat_records) == len(m.beats)
    complete = [b for b in m.beat_records if 1.0 < b.time_s < 9.0]
    assert all(b.p_on_s < b.p_off_s < b.qrs_on_s < b.time_s < b.qrs_off_s < b.t_off_s
               for b in complete)  # fmt: skip
    med = m.median_beats[0]
    assert med.samples_mv.shape == (12, med.time_s.size)
    assert med.fiducials_s["qrs_on"] < 0.0 < med.fiducials_s["qrs_off"]
    assert med.lead_fiducials_s.shape == (12, 8)


def test_values_have_every_name_and_nulls_have_reasons() -> None:
    m = measure(synthesize(SynthSpec(hr_bpm=80, rhythm="af", seed=20)).record)
    values = m.values()
    assert tuple(values) == MEASUREMENT_NAMES
    for name, value in values.items():
        assert value is not None or m.notes.get(name), f"{name} is null without a reason"


def test_two_lead_record_gets_rate_but_no_intervals() -> None:
    ecg = synthesize(SynthSpec(hr_bpm=66, seed=21))
    rec = make_record(ecg.record.samples[[1, 6]], 500.0, ["MLII", "V1"], "two")
    m = measure(rec)
    assert m.hr_bpm == pytest.approx(66.0, abs=1.0)
    assert m.qrs_ms is None and "12 standard leads" in m.notes["qrs_ms"]
    assert m.qrs_axis_deg is None and "aVF" in m.notes["qrs_axis_deg"]


def test_too_few_beats_is_said() -> None:
    one = measure(synthesize(SynthSpec(hr_bpm=40, duration_s=1.0, seed=22)).record)
    assert len(one.beats) == 1
    assert one.hr_bpm is None and "at least two" in one.notes["hr_bpm"]
    two = measure(synthesize(SynthSpec(hr_bpm=60, duration_s=1.6, seed=22)).record)
    assert len(two.beats) == 2 and two.hr_bpm is not None
    assert two.rr_sd_ms is None and two.notes["rr_sd_ms"]
    assert two.qt_ms is None and "three beats" in two.notes["qt_ms"]


def test_noise_beyond_reason_gives_nulls_not_guesses() -> None:
    m = measure(synthesize(SynthSpec(hr_bpm=70, noise_mv=0.6, seed=23)).record)
    assert m.pr_ms is None and m.notes["pr_ms"]
