"""End to end: ``python -m trainer classifier`` on a miniature PTB-XL, twice, and resumed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("safetensors")

from ecgviewer.models import load_bundle
from trainer.__main__ import main as trainer_main
from trainer.labels import CLASSES

NET = '{"stem_filters": 8, "filters": [8, 8, 8, 8]}'


def _train(data: Path, out: Path, epochs: int, *extra: str) -> Path:
    argv = ["classifier", "--data", str(data), "--out", str(out), "--epochs", str(epochs),
            "--batch-size", "16", "--net", NET, "--seed", "1", *extra]  # fmt: skip
    assert trainer_main(argv) == 0
    return out / "bundle"


def test_smoke_run_writes_a_verified_bundle_and_is_byte_reproducible(
    fake_ptbxl: Path, tmp_path: Path
) -> None:
    first = _train(fake_ptbxl, tmp_path / "a", 1)
    second = _train(fake_ptbxl, tmp_path / "b", 1)
    for name in ("model.safetensors", "manifest.json"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    bundle = load_bundle(first)
    assert bundle.classes == CLASSES
    manifest = bundle.manifest
    assert manifest["training"]["config"]["n_train"] == 64  # folds 1-8 x 8, fold 10 unread
    assert manifest["training"]["config"]["n_val"] == 8
    assert set(manifest["validation_metrics"]["per_class"]["NORM"]) >= {
        "auc", "f1", "sensitivity", "specificity", "ece", "threshold"}  # fmt: skip
    config = json.loads((tmp_path / "a" / "config.json").read_text())
    assert config["network"]["filters"] == [8, 8, 8, 8]
    assert (tmp_path / "a" / "checkpoint.pt").is_file()
    assert "| NORM |" in (first / "MODEL_CARD.md").read_text()


def test_resume_ends_where_an_uninterrupted_run_ends(fake_ptbxl: Path, tmp_path: Path) -> None:
    straight = _train(fake_ptbxl, tmp_path / "straight", 2)
    _train(fake_ptbxl, tmp_path / "resumed", 2, "--stop-after", "1")
    assert not (tmp_path / "resumed" / "bundle").exists()  # no export before the last epoch
    resumed = _train(fake_ptbxl, tmp_path / "resumed", 2, "--resume")
    assert (straight / "model.safetensors").read_bytes() == (
        resumed / "model.safetensors"
    ).read_bytes()
