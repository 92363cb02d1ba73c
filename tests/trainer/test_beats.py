"""``python -m trainer beats`` on a miniature MIT-BIH (synthetic records with N and V beats)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("safetensors")

from ecgviewer.models.beats import AAMI_CLASSES, load_beat_bundle
from ecgviewer.synth import SynthSpec, synthesize
from trainer.__main__ import main as trainer_main
from trainer.beats import (
    RecordBeats,
    folds_of,
    gross_metrics,
    match_detections,
    rhythm_at,
    rule_threshold,
)

#: Three DS1 names and one paced record, which must be left out.
_RECORDS = {"101": 60.0, "106": 80.0, "108": 70.0, "102": 75.0}


@pytest.fixture(scope="module")
def fake_mitdb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import wfdb

    root = tmp_path_factory.mktemp("mitdb")
    for i, (name, hr) in enumerate(_RECORDS.items()):
        spec = SynthSpec(hr_bpm=hr, duration_s=40, fs_hz=360, noise_mv=0.02, seed=i,
                         pvc_beats=(5, 12, 19, 27, 33))  # fmt: skip
        ecg = synthesize(spec)
        rec, truth = ecg.record, ecg.truth
        leads = [rec.lead_names.index("II"), rec.lead_names.index("V1")]
        wfdb.wrsamp(
            name, fs=360, units=["mV", "mV"], sig_name=["MLII", "V1"],
            p_signal=np.asarray(rec.samples[leads], dtype=np.float64).T, fmt=["16", "16"],
            adc_gain=[200.0, 200.0], baseline=[0, 0], write_dir=str(root),
        )  # fmt: skip
        beats = truth.samples("r_peak")
        keep = beats >= 0
        symbols = [s for s, k in zip(truth.labels, keep, strict=True) if k]
        wfdb.wrann(name, "atr", sample=beats[keep], symbol=symbols, write_dir=str(root))
    return root


def _train(data: Path, out: Path) -> Path:
    argv = ["beats", "--data", str(data), "--out", str(out), "--folds", "3", "--epochs", "2",
            "--batch-size", "64", "--seed", "3"]  # fmt: skip
    assert trainer_main(argv) == 0
    return out / "bundle"


def test_smoke_run_writes_a_loadable_reproducible_bundle(fake_mitdb: Path, tmp_path: Path) -> None:
    first = _train(fake_mitdb, tmp_path / "a")
    second = _train(fake_mitdb, tmp_path / "b")
    for name in ("model.safetensors", "manifest.json"):  # the card names the --out folder
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    bundle = load_beat_bundle(first)
    assert bundle.classes == AAMI_CLASSES
    assert bundle.manifest["training"]["records"] == ["101", "106", "108"]  # 102 is paced
    report = json.loads((tmp_path / "a" / "report.json").read_text())
    assert report["cv"]["folds"] == [["101"], ["106"], ["108"]]
    assert len(report["cv"]["rule_thresholds"]) == 3
    assert bundle.sveb_irregularity_max is not None  # from the out-of-fold predictions
    for kind in ("reference_beats", "reference_beats_argmax", "detected_beats"):
        veb = report["cv"][kind]["per_class"]["VEB"]
        assert veb["n_reference"] == 15
        assert 0.0 <= veb["sensitivity"] <= 1.0
    assert "ODC-By" in (first / "MODEL_CARD.md").read_text()


def test_folds_group_records() -> None:
    folds = folds_of([str(i) for i in range(7)], 3)
    assert folds == [["0", "3", "6"], ["1", "4"], ["2", "5"]]


def test_detections_match_within_tolerance_once() -> None:
    ref = np.array([100, 200, 300])
    det = np.array([95, 140, 210, 500])
    ref_to_det, det_to_ref = match_detections(ref, det, tolerance=20)
    assert ref_to_det.tolist() == [0, 2, -1]
    assert det_to_ref.tolist() == [0, -1, 1, -1]


def test_gross_metrics_count_missed_and_extra_beats() -> None:
    conf = np.zeros((6, 6), np.int64)
    conf[0, 0], conf[2, 2], conf[2, 0] = 90, 8, 2  # 2 VEB called N
    conf[2, 5] = 1  # one VEB missed by the detector
    conf[5, 2] = 3  # three extra detections called VEB
    m = gross_metrics(conf)["per_class"]
    assert m["VEB"]["sensitivity"] == pytest.approx(8 / 11)
    assert m["VEB"]["positive_predictivity"] == pytest.approx(8 / 11)
    assert m["N"]["positive_predictivity"] == pytest.approx(90 / 92)


def test_rhythm_at_reads_the_rhythm_in_force_at_each_beat() -> None:
    from ecgviewer.io import AnnotationTrack, make_record

    track = AnnotationTrack(
        "atr", None, np.array([0, 10, 100, 150, 300]), ("+", "N", "+", "N", "N"),
        ("(N", "", "(AFIB", "", ""),
    )  # fmt: skip
    signal = np.sin(np.arange(400) / 10.0)[None].astype(np.float32)
    rec = make_record(signal, 100.0, ["MLII"], "r", annotations=(track,))
    assert rhythm_at(rec, np.array([5, 10, 99, 100, 150, 300])) == (
        "(N", "(N", "(N", "(AFIB", "(AFIB", "(AFIB",
    )  # fmt: skip
    bare = make_record(signal, 100.0, ["MLII"], "bare")
    assert rhythm_at(bare, np.array([5, 50])) == ("", "")


def test_rule_threshold_comes_from_beats_outside_af_only() -> None:
    rng = np.random.default_rng(0)
    fs, n = 250.0, 400
    rr = np.where(np.arange(n) < 200, 0.8 * (1 + 0.01 * rng.standard_normal(n)),
                  rng.uniform(0.4, 1.1, n))  # fmt: skip
    samples = np.round(np.cumsum(rr) * fs).astype(np.int64)
    probs = np.zeros((n, len(AAMI_CLASSES)), np.float32)
    probs[:, 0] = 1.0
    rhythm = ("(N",) * 200 + ("(AFIB",) * 200
    empty = np.zeros((n, 1, 1), np.float32)
    b = RecordBeats("x", empty, empty[:, 0], np.zeros(n, np.int64), samples, fs, rhythm)
    regular_only = rule_threshold([(b, probs)])
    assert regular_only < 0.06  # the AF half does not raise it
    unlabelled = RecordBeats("y", empty, empty[:, 0], np.zeros(n, np.int64), samples, fs,
                             ("(N",) * n)  # fmt: skip
    assert rule_threshold([(unlabelled, probs)]) > 0.1  # AF counted as "regular" would
