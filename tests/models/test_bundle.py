"""Bundles round-trip; tampered, foreign or incomplete bundles are refused with ModelBundleError."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("safetensors")

from ecgviewer.io import STANDARD_LEADS, make_record  # noqa: E402
from ecgviewer.models import ModelBundleError, load_bundle, save_bundle  # noqa: E402
from ecgviewer.models.networks import build_network, network_config  # noqa: E402

CLASSES = ("A", "B", "C")
SMALL = network_config("code", stem_filters=8, filters=[8, 8, 8, 8])


@pytest.fixture
def bundle_dir(tmp_path: Path) -> Path:
    torch.manual_seed(0)
    net = build_network(SMALL, 12, 1000, len(CLASSES))
    return save_bundle(
        tmp_path / "bundle", net.state_dict(), network=SMALL, classes=CLASSES,
        thresholds=[0.2, 0.5, 0.7], training={"data": "test"}, metrics={"auc": 0.5},
        card="# card\n",
    )  # fmt: skip


def test_round_trip_gives_the_same_outputs(bundle_dir: Path) -> None:
    torch.manual_seed(0)
    reference = build_network(SMALL, 12, 1000, len(CLASSES)).eval()
    bundle = load_bundle(bundle_dir)
    x = np.random.default_rng(0).standard_normal((2, 12, 1000)).astype(np.float32)
    with torch.no_grad():
        expected = torch.sigmoid(reference(torch.from_numpy(x))).numpy()
    np.testing.assert_allclose(bundle.predict_proba(x), expected, rtol=1e-5, atol=1e-6)
    assert bundle.classes == CLASSES and bundle.thresholds == (0.2, 0.5, 0.7)
    assert (bundle_dir / "MODEL_CARD.md").read_text() == "# card\n"


def test_predict_runs_preprocessing_and_reports_its_notices(bundle_dir: Path) -> None:
    signal = np.sin(np.linspace(0, 60, 5000, dtype=np.float32))[None].repeat(12, axis=0)
    rec = make_record(signal, 500.0, list(STANDARD_LEADS), "r")
    probs, notices = load_bundle(bundle_dir).predict(rec)
    assert set(probs) == set(CLASSES) and all(0.0 <= p <= 1.0 for p in probs.values())
    assert any("Resampled" in n for n in notices)


def test_tampered_weights_are_refused(bundle_dir: Path) -> None:
    weights = bundle_dir / "model.safetensors"
    data = bytearray(weights.read_bytes())
    data[-1] ^= 0x01
    weights.write_bytes(bytes(data))
    with pytest.raises(ModelBundleError, match=r"do not match their manifest.*modified"):
        load_bundle(bundle_dir)


def test_manifest_for_another_preprocessing_is_refused(bundle_dir: Path) -> None:
    path = bundle_dir / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["input"]["preprocessing"] = "somebody-else/7"
    path.write_text(json.dumps(manifest))
    with pytest.raises(ModelBundleError, match="somebody-else/7"):
        load_bundle(bundle_dir)


def test_missing_manifest_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ModelBundleError, match=r"has no manifest\.json"):
        load_bundle(tmp_path)


def test_export_is_byte_reproducible(tmp_path: Path, bundle_dir: Path) -> None:
    torch.manual_seed(0)
    net = build_network(SMALL, 12, 1000, len(CLASSES))
    again = save_bundle(
        tmp_path / "again", net.state_dict(), network=SMALL, classes=CLASSES,
        thresholds=[0.2, 0.5, 0.7], training={"data": "test"}, metrics={"auc": 0.5},
    )  # fmt: skip
    for name in ("model.safetensors", "manifest.json"):
        assert (again / name).read_bytes() == (bundle_dir / name).read_bytes()


def test_importing_the_package_does_not_import_torch() -> None:
    code = "import sys, ecgviewer.models; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_non_finite_metrics_are_written_as_null(tmp_path: Path) -> None:
    net = build_network(SMALL, 12, 1000, len(CLASSES))
    out = save_bundle(
        tmp_path / "nan", net.state_dict(), network=SMALL, classes=CLASSES,
        thresholds=[0.5, 0.5, 0.5], training={}, metrics={"auc": float("nan")},
    )  # fmt: skip
    assert json.loads((out / "manifest.json").read_text())["validation_metrics"] == {"auc": None}
