"""Weight bundles: a folder with the weights, a manifest and a model card.

Layout of a bundle folder::

    model.safetensors   the state dict (safetensors: a plain tensor container that cannot run
                        code when read, unlike a pickle)
    manifest.json       classes, thresholds, network config, input contract, training data,
                        validation metrics, and the sha256 of model.safetensors
    MODEL_CARD.md       the human-readable summary

:func:`load_bundle` checks the sha256 before the weights are parsed and raises
:class:`ModelBundleError` (with a sentence a clinician or IT can act on) for anything missing,
malformed, tampered with, or prepared for another preprocessing. torch is imported inside the
functions that need it, so importing this module costs nothing at start-up.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np
import numpy.typing as npt

from ecgviewer.io import Record
from ecgviewer.models.preprocess import (
    PREPROCESSING_ID,
    PreprocessError,
    input_contract,
    preprocess_windows,
)

if TYPE_CHECKING:
    from torch import nn

WEIGHTS_FILE = "model.safetensors"
MANIFEST_FILE = "manifest.json"
CARD_FILE = "MODEL_CARD.md"
FORMAT_VERSION = 1
_REQUIRED = ("format_version", "classes", "thresholds", "network", "input", "weights")


def json_safe(value: Any) -> Any:
    """``value`` with every non-finite float replaced by ``None`` (JSON has no NaN)."""
    if isinstance(value, float):
        return value if np.isfinite(value) else None
    if isinstance(value, Mapping):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    return value


class ModelBundleError(RuntimeError):
    """A model bundle is missing, malformed, tampered with, or incompatible with this app."""


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def save_bundle(
    out_dir: Path,
    state_dict: Mapping[str, Any],
    *,
    network: Mapping[str, Any],
    classes: Sequence[str],
    thresholds: Sequence[float],
    training: Mapping[str, Any],
    metrics: Mapping[str, Any],
    card: str = "",
    contract: Mapping[str, Any] | None = None,
    decision: Mapping[str, Any] | None = None,
) -> Path:
    """Write a bundle folder (weights, manifest, model card) and return its path.

    The output is byte-for-byte a function of the arguments: tensors are stored contiguous on the
    CPU, the manifest has sorted keys and no time stamp. ``contract`` is the input contract of
    the model (default: the 12-lead classifier's :func:`input_contract`); ``decision``, when
    given, is stored as the manifest's ``decision`` (rules applied to the network's outputs).
    """
    from safetensors.torch import save_file

    if len(thresholds) != len(classes):
        raise ValueError("one threshold per class is needed")
    out_dir.mkdir(parents=True, exist_ok=True)
    tensors = {k: v.detach().cpu().contiguous() for k, v in sorted(state_dict.items())}
    weights = out_dir / WEIGHTS_FILE
    save_file(tensors, str(weights))
    manifest = {
        "format_version": FORMAT_VERSION,
        "classes": list(classes),
        "thresholds": {c: float(t) for c, t in zip(classes, thresholds, strict=True)},
        "network": dict(network),
        "input": dict(contract) if contract is not None else input_contract(),
        "training": dict(training),
        "validation_metrics": dict(metrics),
        "weights": {"file": WEIGHTS_FILE, "sha256": sha256_file(weights)},
    }
    if decision is not None:
        manifest["decision"] = dict(decision)
    text = (
        json.dumps(
            json_safe(manifest), indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False
        )
        + "\n"
    )
    (out_dir / MANIFEST_FILE).write_text(text, encoding="utf-8")
    if card:
        (out_dir / CARD_FILE).write_text(card, encoding="utf-8")
    return out_dir


def read_manifest(bundle_dir: Path, contract: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The manifest of ``bundle_dir``, checked for the fields and the input contract it needs.

    ``contract`` is the input contract the caller's preprocessing produces (default: the 12-lead
    classifier's :func:`input_contract`).
    """
    expected = dict(contract) if contract is not None else input_contract()
    path = Path(bundle_dir) / MANIFEST_FILE
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelBundleError(f"The model bundle {bundle_dir} has no {MANIFEST_FILE}.") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelBundleError(f"The model manifest {path} cannot be read: {exc}") from exc
    if not isinstance(manifest, dict):
        raise ModelBundleError(f"The model manifest {path} is not a JSON object.")
    absent = [key for key in _REQUIRED if key not in manifest]
    if absent:
        raise ModelBundleError(f"The model manifest {path} lacks {', '.join(absent)}.")
    if manifest["format_version"] != FORMAT_VERSION:
        raise ModelBundleError(
            f"The model bundle {bundle_dir} has format {manifest['format_version']!r}; "
            f"this version of the app reads format {FORMAT_VERSION}."
        )
    if manifest["input"] != expected:
        found = (
            manifest["input"].get("preprocessing") if isinstance(manifest["input"], dict) else None
        )
        raise ModelBundleError(
            f"The model bundle {bundle_dir} was trained with preprocessing "
            f"{found!r}, which differs from this app's "
            f"{expected.get('preprocessing', PREPROCESSING_ID)!r}; its findings would not be "
            "valid here."
        )
    if set(manifest["thresholds"]) != set(manifest["classes"]):
        raise ModelBundleError(f"The model manifest {path} needs one threshold per class.")
    return manifest


def verify_weights(bundle_dir: Path, manifest: Mapping[str, Any]) -> Path:
    """The weights file, after checking its sha256 against the manifest."""
    weights = Path(bundle_dir) / WEIGHTS_FILE
    if not weights.is_file():
        raise ModelBundleError(f"The model bundle {bundle_dir} has no {WEIGHTS_FILE}.")
    expected = str(manifest["weights"].get("sha256", ""))
    actual = sha256_file(weights)
    if actual != expected:
        raise ModelBundleError(
            f"The model weights {weights} do not match their manifest (sha256 {actual[:12]}… "
            f"instead of {expected[:12]}…): the file was modified or corrupted. The classifier "
            "is disabled; reinstall the application to restore the original model."
        )
    return weights


@dataclass(frozen=True)
class ModelBundle:
    """A verified, loaded bundle: the manifest and the network in eval mode."""

    path: Path
    manifest: Mapping[str, Any]
    network: nn.Module

    @property
    def classes(self) -> tuple[str, ...]:
        return tuple(self.manifest["classes"])

    @property
    def thresholds(self) -> tuple[float, ...]:
        return tuple(float(self.manifest["thresholds"][c]) for c in self.classes)

    def predict_proba(self, batch: npt.ArrayLike) -> npt.NDArray[np.float32]:
        """Sigmoid probabilities ``[n, n_classes]`` for preprocessed inputs ``[n, 12, 1000]``."""
        import torch

        device = next(self.network.parameters()).device
        x = torch.as_tensor(np.asarray(batch, dtype=np.float32)).to(device)
        with torch.inference_mode():
            probs = torch.sigmoid(self.network(x))
        out: npt.NDArray[np.float32] = probs.cpu().numpy().astype(np.float32)
        return out

    def predict(self, record: Record) -> tuple[dict[str, float], tuple[str, ...]]:
        """Probability per class for one record (the mean over its windows), and the notices."""
        probs, _, notices = self.predict_windows(record)
        if not len(probs):
            raise PreprocessError(f"No 10 s window of {record.record_name!r} could be read.")
        mean = probs.mean(axis=0)
        return {c: float(p) for c, p in zip(self.classes, mean, strict=True)}, notices

    def predict_windows(
        self, record: Record, max_missing: float = 1.0
    ) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float64], tuple[str, ...]]:
        """Probabilities ``[k, n_classes]`` of each 10 s window, the windows' starts (s), notices.

        Windows as :func:`~ecgviewer.models.preprocess.preprocess_windows` cuts them (one for a
        record of up to 10 s); ``k`` is 0 when a lead is missing in every window.
        """
        x, starts, notices = preprocess_windows(record, max_missing=max_missing)
        if not len(x):
            return np.zeros((0, len(self.classes)), np.float32), starts, notices
        return self.predict_proba(x), starts, notices


NetworkT = TypeVar("NetworkT", bound="nn.Module")


def load_network(
    bundle_dir: Path,
    build: Callable[[Mapping[str, Any]], NetworkT],
    contract: Mapping[str, Any] | None = None,
) -> tuple[dict[str, Any], NetworkT]:
    """The checked manifest and the network ``build(manifest)`` with the verified weights loaded.

    Every bundle kind loads through here: manifest and input contract checked, sha256 verified
    before the weights are parsed, strict state-dict load, eval mode.

    Raises
    ------
    ModelBundleError
        Missing or malformed manifest, a weights file whose sha256 differs from the manifest,
        another input contract, or weights that do not fit the network config.
    """
    from safetensors import SafetensorError
    from safetensors.torch import load_file

    bundle_dir = Path(bundle_dir)
    manifest = read_manifest(bundle_dir, contract=contract)
    weights = verify_weights(bundle_dir, manifest)
    try:
        network = build(manifest)
        network.load_state_dict(load_file(str(weights)), strict=True)
    except ModelBundleError:
        raise
    except (SafetensorError, RuntimeError, ValueError, KeyError, TypeError) as exc:
        raise ModelBundleError(
            f"The model weights in {bundle_dir} do not fit the network in its manifest: {exc}"
        ) from exc
    network.eval()
    return manifest, network


def load_bundle(bundle_dir: Path) -> ModelBundle:
    """Verify and load a 12-lead classifier bundle folder (see :func:`load_network`)."""
    from ecgviewer.models.networks import build_network

    def build(manifest: Mapping[str, Any]) -> nn.Module:
        contract = manifest["input"]
        return build_network(
            manifest["network"],
            len(contract["leads"]),
            int(contract["n_samples"]),
            len(manifest["classes"]),
        )

    manifest, network = load_network(Path(bundle_dir), build)
    return ModelBundle(Path(bundle_dir), manifest, network)
