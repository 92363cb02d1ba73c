"""Beat features, the beat bundle, and the shipped AAMI beat classifier on synthetic records."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("torch")
pytest.importorskip("safetensors")

from ecgviewer.io import make_record
from ecgviewer.models import ModelBundleError, load_bundle, save_bundle
from ecgviewer.models.beats import (
    AAMI_CLASSES,
    BEAT_BUNDLE_DIR,
    BEAT_NETWORK_DEFAULTS,
    RR_FEATURES,
    WINDOW,
    aami_class,
    beat_features,
    beat_input_contract,
    beat_lead,
    build_beat_network,
    classify_beats,
    decide,
    load_beat_bundle,
    nn_irregularity,
    reference_beats,
    rr_features,
)
from ecgviewer.synth import SynthSpec, synthesize

shipped = pytest.mark.skipif(
    not (BEAT_BUNDLE_DIR / "manifest.json").is_file(), reason="no beat bundle in resources/"
)


def test_aami_mapping_of_mitbih_symbols() -> None:
    expected = {"N": "N", "L": "N", "R": "N", "e": "N", "j": "N", "A": "SVEB", "a": "SVEB",
                "J": "SVEB", "S": "SVEB", "V": "VEB", "E": "VEB", "F": "F", "/": "Q", "f": "Q",
                "Q": "Q"}  # fmt: skip
    assert {s: aami_class(s) for s in expected} == expected
    for not_a_beat in ("+", "~", "|", "x", "!", '"'):
        assert aami_class(not_a_beat) is None


def test_rr_features_single_out_a_premature_beat() -> None:
    fs = 250.0
    times = np.arange(30) * 1.0
    times[15:] -= 0.4  # beat 15 comes 0.6 s after beat 14, then the rhythm goes on
    feats = rr_features(np.rint(times * fs), fs)
    col = {name: feats[:, i] for i, name in enumerate(RR_FEATURES)}
    assert feats.shape == (30, len(RR_FEATURES))
    assert col["pre/previous"][15] == pytest.approx(0.6, abs=1e-3)
    assert col["post/pre"][15] == pytest.approx(1.0 / 0.6, abs=1e-2)
    assert col["rr[+1]/local"][14] < 0.65  # the beat before has the short interval after it
    assert col["rr[+0]/local"][15] < 0.65 and col["rr[-1]/local"][16] < 0.65
    assert np.all(col["irregularity"] < 0.05)  # one early beat does not make a rhythm irregular
    assert np.argmin(col["pre/record"]) == 15
    assert np.all(np.abs(col["rr[+0]/local"][:13] - 1.0) < 0.05)
    assert rr_features([100], fs).shape == (1, len(RR_FEATURES))
    assert np.all(np.isfinite(rr_features([100], fs)))


def test_features_use_mlii_else_ii_else_first_lead() -> None:
    ecg = synthesize(SynthSpec(duration_s=10, fs_hz=360, seed=1)).record
    assert ecg.lead_names[beat_lead(ecg)] == "II"
    one = make_record(ecg.lead("V1")[None], 360, ["V1"], "one")
    assert beat_lead(one) == 0
    samples, labels = reference_beats(ecg)
    windows, rr = beat_features(ecg, samples)
    assert windows.shape == (len(samples), 2, WINDOW) and windows.dtype == np.float32
    assert set(labels) == {"N"}
    assert np.all(np.isfinite(windows)) and np.all(np.isfinite(rr))


def _untrained_bundle(tmp_path: Path) -> Path:
    net = build_beat_network(BEAT_NETWORK_DEFAULTS)
    return save_bundle(
        tmp_path / "bundle", net.state_dict(), network=BEAT_NETWORK_DEFAULTS,
        classes=AAMI_CLASSES, thresholds=[0.0] * 5, training={}, metrics={},
        contract=beat_input_contract(),
    )  # fmt: skip


def test_beat_bundle_is_checked_against_its_own_contract(tmp_path: Path) -> None:
    folder = _untrained_bundle(tmp_path)
    assert load_beat_bundle(folder).classes == AAMI_CLASSES
    with pytest.raises(ModelBundleError, match="preprocessing"):
        load_bundle(folder)  # the 12-lead loader refuses a beat bundle
    weights = folder / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[:-1] + b"\x00")
    with pytest.raises(ModelBundleError, match="do not match"):
        load_beat_bundle(folder)


def test_classify_beats_any_rate_one_lead_any_order(tmp_path: Path) -> None:
    bundle = load_beat_bundle(_untrained_bundle(tmp_path))
    ecg = synthesize(SynthSpec(duration_s=10, fs_hz=200, seed=2)).record
    one = make_record(ecg.lead("V2")[None], 200, ["V2"], "one")
    samples, _ = reference_beats(ecg)
    labels, probs = classify_beats(one, samples, bundle)
    assert len(labels) == len(samples) and set(labels) <= set(AAMI_CLASSES)
    assert probs.shape == (len(samples), 5) and probs.dtype == np.float32
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, atol=1e-5)
    shuffled = samples[::-1]
    labels_r, probs_r = classify_beats(one, shuffled, bundle)
    np.testing.assert_allclose(probs_r, probs[::-1], atol=1e-6)
    assert labels_r == labels[::-1]
    assert classify_beats(one, [], bundle)[0] == ()


@shipped
def test_shipped_model_labels_a_normal_record_n_and_pvcs_veb() -> None:
    bundle = load_beat_bundle()
    spec = SynthSpec(hr_bpm=70, duration_s=60, fs_hz=360, noise_mv=0.02, pvc_beats=(20, 45))
    ecg = synthesize(spec).record
    samples, truth = reference_beats(ecg)
    labels, _ = classify_beats(ecg, samples, bundle)
    normal = [p for p, t in zip(labels, truth, strict=True) if t == "N"]
    assert normal.count("N") / len(normal) >= 0.9
    assert bundle.manifest["input"] == beat_input_contract()


def _sinus_then_af(seed: int = 0) -> tuple[np.ndarray, np.ndarray, float]:
    """Beat samples (250 Hz) of 201 beats of atrial trigeminy (N N PAC, a pause after each PAC),
    then 200 beats of AF-like random RR; and each beat's "network" class index (SVEB at every
    PAC and at every short AF interval, N elsewhere)."""
    rng = np.random.default_rng(seed)
    fs = 250.0
    rr, cls = [], []
    for i in range(201):
        phase = i % 3  # 0: after the pause, 1: normal, 2: the PAC
        rr.append({0: 1.05, 1: 0.8 * (1 + 0.01 * rng.standard_normal()), 2: 0.55}[phase])
        cls.append(1 if phase == 2 else 0)
    for _ in range(200):
        r = rng.uniform(0.4, 1.1)
        rr.append(r)
        cls.append(1 if r < 0.55 else 0)
    samples = np.round(np.cumsum(rr) * fs).astype(np.int64)
    return samples, np.array(cls), fs


def test_nn_irregularity_ignores_ectopic_beats_but_not_fibrillation() -> None:
    samples, cls, fs = _sinus_then_af()
    irr = nn_irregularity(samples, fs, cls == 0)
    assert irr.shape == samples.shape
    assert np.median(irr[20:180]) < 0.03  # every third beat a PAC, yet regular NN intervals
    assert np.median(irr[220:380]) > 0.15  # every interval differs from the last
    # Every interval counted, PACs included, trigeminy would look as irregular as AF.
    assert np.median(nn_irregularity(samples, fs, np.ones(len(cls), bool))[20:180]) > 0.1
    assert not nn_irregularity(samples[:5], fs, np.ones(5, bool)).any()  # too few intervals


def test_decide_drops_sveb_only_inside_an_irregular_stretch() -> None:
    samples, cls, fs = _sinus_then_af(1)
    probs = np.full((len(cls), 5), 0.05, np.float32)
    probs[np.arange(len(cls)), cls] = 0.8
    sveb = AAMI_CLASSES.index("SVEB")
    plain = decide(probs, samples, fs)
    np.testing.assert_array_equal(plain, cls)  # no rule: the argmax
    ruled = decide(probs, samples, fs, sveb_irregularity_max=0.1)
    assert np.array_equal(ruled[:180], cls[:180])  # the PACs keep their SVEB label
    assert (cls[240:] == sveb).sum() > 20 and not (ruled[240:] == sveb).any()  # to the end
    probs[250, :] = 0.0
    probs[250, AAMI_CLASSES.index("VEB")] = 1.0  # the rule touches SVEB only
    assert decide(probs, samples, fs, 0.1)[250] == AAMI_CLASSES.index("VEB")


def test_classify_beats_applies_the_bundles_rule(tmp_path: Path) -> None:
    folder = _untrained_bundle(tmp_path)
    bundle = load_beat_bundle(folder)
    assert bundle.sveb_irregularity_max is None
    manifest = {**bundle.manifest, "decision": {"sveb_irregularity_max": 0.1}}
    ruled = type(bundle)(bundle.path, manifest, bundle.network)
    assert ruled.sveb_irregularity_max == 0.1
    ecg = synthesize(SynthSpec(duration_s=10, fs_hz=200, seed=2)).record
    samples, _ = reference_beats(ecg)
    assert len(classify_beats(ecg, samples, ruled)[0]) == len(samples)


@shipped
def test_shipped_bundle_carries_its_rhythm_rule() -> None:
    threshold = load_beat_bundle().sveb_irregularity_max
    assert threshold is not None and 0.02 < threshold < 0.3
