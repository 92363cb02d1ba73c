"""End to end: ``python -m trainer anomaly`` on a miniature PTB-XL, twice, and resumed."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("safetensors")

from ecgviewer.models.anomaly import load_anomaly_bundle, score_record
from ecgviewer.synth import SynthSpec, synthesize
from trainer.__main__ import main as trainer_main
from trainer.anomaly import normal_and_abnormal, operating_point
from trainer.labels import CLASSES

NET = '{"global_channels": [8, 8, 8, 8], "local_channels": [8, 8, 8]}'


def _train(data: Path, out: Path, epochs: int, *extra: str) -> Path:
    argv = ["anomaly", "--data", str(data), "--out", str(out), "--epochs", str(epochs),
            "--batch-size", "4", "--net", NET, "--seed", "1", "--eval-every", "1",
            *extra]  # fmt: skip
    assert trainer_main(argv) == 0
    return out / "bundle"


def test_smoke_run_writes_a_loadable_bundle_and_is_byte_reproducible(
    fake_ptbxl: Path, tmp_path: Path
) -> None:
    first = _train(fake_ptbxl, tmp_path / "a", 1)
    second = _train(fake_ptbxl, tmp_path / "b", 1)
    for name in ("model.safetensors", "manifest.json"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    bundle = load_anomaly_bundle(first)
    config = bundle.manifest["training"]["config"]
    # the fake set has 8 records per fold; 1 in 5 is NORM only -> 12 in folds 1-8 (fold 10
    # unread), and fold 9 keeps every record with a diagnostic superclass
    assert config["n_train"] == 12
    assert config["n_val"] == 8
    report = json.loads((tmp_path / "a" / "report.json").read_text())
    assert {"auc", "threshold", "sensitivity", "specificity"} <= set(report["validation"])
    assert bundle.threshold == pytest.approx(report["validation"]["threshold"])
    assert (tmp_path / "a" / "checkpoint.pt").is_file()
    assert json.loads((tmp_path / "a" / "config.json").read_text())["network"][
        "global_channels"
    ] == [8, 8, 8, 8]
    out = score_record(synthesize(SynthSpec()).record, bundle)
    assert out.error.shape == (12, 1000) and np.isfinite(out.score)
    # the exported network carries its normal density, fitted on the training normals
    assert bundle.manifest["network"]["density"] is True and bundle.network.density is not None
    assert set(out.parts) == {"features", "measurements"}
    assert out.score == pytest.approx(sum(out.parts.values()))
    assert set(report["validation"]["auc_by_part"]) == {"features", "measurements", "restoration"}


def test_resume_ends_where_an_uninterrupted_run_ends(fake_ptbxl: Path, tmp_path: Path) -> None:
    straight = _train(fake_ptbxl, tmp_path / "straight", 2)
    _train(fake_ptbxl, tmp_path / "resumed", 2, "--stop-after", "1")
    assert not (tmp_path / "resumed" / "bundle").exists()
    resumed = _train(fake_ptbxl, tmp_path / "resumed", 2, "--resume")
    assert (straight / "model.safetensors").read_bytes() == (
        resumed / "model.safetensors"
    ).read_bytes()


def test_normal_means_norm_only_and_abnormal_any_other_superclass() -> None:
    def row(*names: str) -> np.ndarray:
        return np.array([float(c in names) for c in CLASSES], np.float32)

    targets = np.stack([row("NORM"), row("NORM", "MI"), row("CD", "RBBB"), row(), row("SB")])
    normal, abnormal = normal_and_abnormal(targets)
    assert normal.tolist() == [True, False, False, False, False]
    assert abnormal.tolist() == [False, True, True, False, False]


def test_operating_point_is_youdens() -> None:
    y = np.array([False, False, False, True, True, True, True])
    s = np.array([0.1, 0.2, 0.5, 0.4, 0.8, 0.9, 0.95], np.float32)
    point = operating_point(y, s)
    # 0.65: Se 3/4 + Sp 1 beats 0.3: Se 1 + Sp 2/3 (and every other cut)
    assert point["threshold"] == pytest.approx(0.65)
    assert point["sensitivity"] == 0.75 and point["specificity"] == 1.0
