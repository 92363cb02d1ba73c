"""The synthetic 12-lead generator: a valid record, exact lead relations, realistic morphology."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pytest

from ecgviewer.io.record import STANDARD_LEADS
from ecgviewer.synth import SyntheticEcg, SynthSpec, synthesize

NOISY: dict[str, Any] = {"noise_mv": 0.02, "baseline_wander_mv": 0.1, "powerline_mv": 0.05}


def qrs_window(ecg: SyntheticEcg, lead: str, beat: int) -> npt.NDArray[np.float32]:
    """Samples of one lead from the true QRS onset to the true QRS offset of one beat."""
    fs = ecg.record.fs_hz
    a = int(np.floor(ecg.truth.qrs_onset_s[beat] * fs))
    b = int(np.ceil(ecg.truth.qrs_offset_s[beat] * fs)) + 1
    return ecg.record.lead(lead)[a:b]


def t_peak_value(ecg: SyntheticEcg, lead: str, beat: int) -> float:
    return float(ecg.record.lead(lead)[ecg.truth.samples("t_peak")[beat]])


@pytest.mark.parametrize("fs_hz", [100.0, 250.0, 360.0, 500.0, 1000.0])
@pytest.mark.parametrize("hr_bpm", [30.0, 40.0, 60.0, 90.0, 120.0, 150.0, 180.0, 220.0])
def test_any_rate_and_sampling_rate_gives_a_valid_record(hr_bpm: float, fs_hz: float) -> None:
    ecg = synthesize(SynthSpec(hr_bpm=hr_bpm, fs_hz=fs_hz, duration_s=4.0))
    rec, truth = ecg.record, ecg.truth
    assert rec.lead_names == STANDARD_LEADS
    assert rec.samples.dtype == np.float32
    assert rec.fs_hz == fs_hz
    assert rec.n_samples == round(4.0 * fs_hz)
    assert rec.source_format == "synthetic"
    assert not rec.issues
    assert np.isfinite(rec.samples).all()
    # Amplitudes in mV, as on a real ECG: the largest QRS deflection between 0.5 and 4 mV.
    assert 0.5 < float(np.abs(rec.samples).max()) < 4.0
    # Every complete beat has its waves in physiological order, and beats do not overlap.
    order = np.stack(
        [
            truth.times_s(f)
            for f in (
                "p_onset",
                "p_offset",
                "qrs_onset",
                "r_peak",
                "qrs_offset",
                "t_peak",
                "t_offset",
            )
        ]
    )
    assert (np.diff(order, axis=0) > 0).all()
    assert (truth.qrs_onset_s[1:] > truth.t_offset_s[:-1]).all()
    expected_beats = 4.0 * hr_bpm / 60.0
    assert abs(truth.n_beats - expected_beats) <= 2
    assert truth.hr_bpm == pytest.approx(hr_bpm, rel=1e-9)


@pytest.mark.parametrize("morphology", ["normal", "rbbb", "lbbb"])
@pytest.mark.parametrize("hr_bpm", [30.0, 60.0, 100.0, 150.0, 220.0])
def test_af_and_pvcs_at_any_rate_keep_beats_apart(hr_bpm: float, morphology: str) -> None:
    spec = SynthSpec(
        rhythm="af",
        hr_bpm=hr_bpm,
        duration_s=12.0,
        qrs_morphology=morphology,  # type: ignore[arg-type]
        pvc_beats=(2, 3),
        seed=int(hr_bpm),
    )
    truth = synthesize(spec).truth
    assert truth.labels[2:4] == ("V", "V")
    assert (np.diff(truth.qrs_onset_s) > 0).all()
    assert (truth.qrs_onset_s[1:] > truth.t_offset_s[:-1]).all()
    assert (truth.qrs_offset_s < truth.t_peak_s).all() and (truth.t_peak_s < truth.t_offset_s).all()


def test_limb_leads_obey_einthoven_and_goldberger_with_noise() -> None:
    ecg = synthesize(SynthSpec(rhythm="af", qrs_morphology="lbbb", pvc_beats=(3,), **NOISY))
    lead = {name: ecg.record.lead(name).astype(np.float64) for name in STANDARD_LEADS}
    i, ii = lead["I"], lead["II"]
    tol = 1e-6  # float32 rounding of mV values of a few mV
    np.testing.assert_allclose(lead["III"], ii - i, atol=tol, rtol=0)
    np.testing.assert_allclose(lead["aVR"], -(i + ii) / 2, atol=tol, rtol=0)
    np.testing.assert_allclose(lead["aVL"], i - ii / 2, atol=tol, rtol=0)
    np.testing.assert_allclose(lead["aVF"], ii - i / 2, atol=tol, rtol=0)


def test_same_seed_identical_other_seed_differs_and_noise_leaves_timing_alone() -> None:
    spec = SynthSpec(rhythm="af", seed=7, **NOISY)
    a, b = synthesize(spec), synthesize(spec)
    np.testing.assert_array_equal(a.record.samples, b.record.samples)
    np.testing.assert_array_equal(a.truth.qrs_onset_s, b.truth.qrs_onset_s)
    other = synthesize(SynthSpec(rhythm="af", seed=8, **NOISY))
    assert not np.array_equal(a.record.samples, other.record.samples)
    assert not np.array_equal(a.truth.qrs_onset_s, other.truth.qrs_onset_s)
    clean = synthesize(SynthSpec(rhythm="af", seed=7))
    np.testing.assert_array_equal(a.truth.qrs_onset_s, clean.truth.qrs_onset_s)
    noise = a.record.samples - clean.record.samples
    assert 0.01 < float(noise[6].std()) < 0.2  # V1: white + wander + mains, all present


def test_amplitudes_are_those_of_an_adult_ecg() -> None:
    ecg = synthesize(SynthSpec())
    beat = 3
    p_peak = ecg.truth.samples("p_onset")[beat] + round(0.05 * ecg.record.fs_hz)
    assert 0.1 <= float(ecg.record.lead("II")[p_peak]) <= 0.25
    for lead in ("V2", "V3", "V4"):
        assert 1.0 <= float(np.ptp(qrs_window(ecg, lead, beat))) <= 3.0
    for lead in ("II", "V3", "V4", "V5"):
        assert 0.2 <= t_peak_value(ecg, lead, beat) <= 0.7
    assert t_peak_value(ecg, "aVR", beat) < -0.1  # T inverted in aVR only (among the limb leads)


def test_normal_qrs_has_septal_q_in_v6_and_rs_in_v1() -> None:
    ecg = synthesize(SynthSpec())
    v6, v1 = qrs_window(ecg, "V6", 2), qrs_window(ecg, "V1", 2)
    assert v6[: np.argmax(v6)].min() < -0.05  # q before the R
    assert v6.max() > 1.0
    assert 0.1 < v1[: np.argmin(v1)].max() < 0.6  # small r, then the deep S
    assert v1.min() < -0.8


def test_rbbb_has_rsr_prime_in_v1_and_wide_s_in_i_and_v6() -> None:
    ecg = synthesize(SynthSpec(qrs_morphology="rbbb"))
    assert ecg.truth.qrs_ms >= 120
    v1 = qrs_window(ecg, "V1", 2)
    third = len(v1) // 3
    s_at = int(np.argmin(v1))
    assert v1[:s_at].max() > 0.1 and v1.min() < -0.5  # r then S
    assert v1[s_at:].max() > 0.5  # ... then the tall terminal R'
    assert int(np.argmax(v1)) > 2 * third  # R' is the terminal deflection
    for lead in ("I", "V6"):
        x = qrs_window(ecg, lead, 2)
        terminal = x[2 * third :]
        assert terminal.min() < -0.3, lead  # wide terminal S
        assert np.count_nonzero(terminal < -0.1) * 1000 / ecg.record.fs_hz >= 20, lead
    assert t_peak_value(ecg, "V1", 2) < 0  # secondary T inversion in V1


def test_lbbb_is_wide_negative_in_v1_with_broad_r_and_discordant_t_laterally() -> None:
    ecg = synthesize(SynthSpec(qrs_morphology="lbbb"))
    assert ecg.truth.qrs_ms >= 120
    v1 = qrs_window(ecg, "V1", 2)
    assert v1.min() < -1.0 and abs(v1.min()) > 3 * max(v1.max(), 0.0)
    for lead in ("I", "aVL", "V5", "V6"):
        x = qrs_window(ecg, lead, 2)
        assert x.min() > -0.05, lead  # no septal q, no S: a monophasic R
        assert np.count_nonzero(x > 0.5 * x.max()) * 1000 / ecg.record.fs_hz >= 50, lead  # broad
        assert t_peak_value(ecg, lead, 2) < 0, lead  # T opposite to the QRS
    assert t_peak_value(ecg, "V1", 2) > 0


def test_af_has_no_p_waves_irregular_rr_and_f_waves() -> None:
    ecg = synthesize(SynthSpec(rhythm="af", hr_bpm=80, duration_s=30.0, seed=3))
    truth = ecg.truth
    assert truth.pr_ms is None
    assert np.isnan(truth.p_onset_s).all() and np.isnan(truth.p_offset_s).all()
    assert (truth.samples("p_onset") == -1).all()
    rr = np.diff(truth.r_peak_s)
    assert np.std(rr) / np.mean(rr) > 0.1
    assert truth.hr_bpm == pytest.approx(80, rel=0.15)
    # Between the T end of one beat and the next QRS the baseline is the f-waves, not zero.
    a, b = truth.samples("t_offset")[2] + 5, truth.samples("qrs_onset")[3] - 5
    v1 = ecg.record.lead("V1")[a:b]
    assert 0.02 < float(np.abs(v1).max()) < 0.15
    # Same seed without f-waves: same beats, so the difference is the f-waves alone.
    flat = synthesize(SynthSpec(rhythm="af", hr_bpm=80, duration_s=30.0, seed=3, f_wave_mv=0.0))
    np.testing.assert_array_equal(flat.truth.qrs_onset_s, truth.qrs_onset_s)
    f_waves = ecg.record.lead("V1").astype(np.float64) - flat.record.lead("V1")
    spectrum = np.abs(np.fft.rfft(f_waves))
    freqs = np.fft.rfftfreq(f_waves.size, 1 / ecg.record.fs_hz)
    assert 4.0 <= freqs[np.argmax(spectrum)] <= 9.0
    assert 0.05 <= float(np.abs(f_waves).max()) <= 0.1


def test_sinus_rr_is_regular() -> None:
    truth = synthesize(SynthSpec(hr_bpm=65, duration_s=30.0)).truth
    rr = np.diff(truth.r_peak_s)
    assert np.std(rr) / np.mean(rr) < 0.02
    assert truth.rr_ms == pytest.approx(60_000 / 65)


def test_pvc_is_premature_wide_without_p_with_discordant_t_and_full_pause() -> None:
    spec = SynthSpec(hr_bpm=70, pvc_beats=(4,))
    ecg = synthesize(spec)
    truth, k = ecg.truth, 4
    assert truth.labels[k] == "V" and truth.labels.count("V") == 1
    onsets = truth.qrs_onset_s
    coupling = onsets[k] - onsets[k - 1]
    assert coupling == pytest.approx(0.6 * spec.rr_s)
    assert onsets[k + 1] - onsets[k - 1] == pytest.approx(2 * spec.rr_s)  # compensatory
    assert np.isnan(truth.p_onset_s[k]) and np.isfinite(truth.p_onset_s[k - 1])
    assert (truth.qrs_offset_s[k] - onsets[k]) * 1000 >= 130
    for lead in ("II", "V1", "V6"):
        qrs = qrs_window(ecg, lead, k)
        major = qrs[np.argmax(np.abs(qrs))]
        assert np.sign(t_peak_value(ecg, lead, k)) == -np.sign(major), lead
    assert float(np.abs(qrs_window(ecg, "II", k)).max()) > 1.0
    track = ecg.record.tracks("atr")[0]
    assert track.symbols[k] == "V"
    assert track.samples[k] == truth.samples("r_peak")[k]


def test_pvc_index_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError, match="only"):
        synthesize(SynthSpec(duration_s=3.0, pvc_beats=(20,)))


def test_st_shift_is_confined_to_its_lead_and_to_the_st_segment() -> None:
    base = synthesize(SynthSpec(seed=1))
    shifted = synthesize(SynthSpec(seed=1, st_shift_mv=0.2, st_shift_lead="V2"))
    diff = shifted.record.samples.astype(np.float64) - base.record.samples
    row = STANDARD_LEADS.index("V2")
    assert np.abs(np.delete(diff, row, axis=0)).max() == 0.0
    truth = shifted.truth
    j60 = truth.samples("qrs_offset")[3] + round(0.06 * shifted.record.fs_hz)
    assert diff[row, j60] == pytest.approx(0.2, abs=1e-6)
    assert diff[row, truth.samples("qrs_onset")[3]] == 0.0
    assert diff[row, truth.samples("p_onset")[3]] == 0.0
    assert truth.st_shift_lead == "V2" and truth.st_shift_mv == 0.2


def test_powerline_shows_at_its_frequency() -> None:
    clean = synthesize(SynthSpec())
    hum = synthesize(SynthSpec(powerline_mv=0.1, powerline_hz=60.0))
    residual = hum.record.lead("V3").astype(np.float64) - clean.record.lead("V3")
    spectrum = np.abs(np.fft.rfft(residual))
    freqs = np.fft.rfftfreq(residual.size, 1 / hum.record.fs_hz)
    assert freqs[np.argmax(spectrum)] == pytest.approx(60.0, abs=0.2)


@pytest.mark.parametrize(
    "bad",
    [
        {"hr_bpm": 0.0},
        {"hr_bpm": 400.0},
        {"fs_hz": 20.0},
        {"duration_s": 0.5},
        {"pr_ms": 90.0, "p_ms": 100.0},
        {"rhythm": "flutter"},
        {"qrs_morphology": "wpw"},
        {"pvc_beats": (0,)},
        {"st_shift_mv": 0.1},
        {"st_shift_mv": 0.1, "st_shift_lead": "V7"},
        {"noise_mv": float("nan")},
    ],
)
def test_impossible_specs_are_refused(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        SynthSpec(**bad)  # type: ignore[arg-type]


def test_fast_af_stays_irregular() -> None:
    from ecgviewer.synth import SynthSpec, synthesize

    ecg = synthesize(SynthSpec(hr_bpm=200.0, rhythm="af", duration_s=30.0, seed=3))
    rr = np.diff(ecg.truth.r_peak_s)
    # the refractory bound is redrawn, not clipped: no pile-up of intervals at the minimum
    assert np.mean(np.isclose(rr, rr.min(), atol=0.003)) < 0.05
    assert np.std(rr) / np.mean(rr) > 0.1
