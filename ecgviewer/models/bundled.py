"""Where the bundled models live and what they are, without loading any of them.

Bundles sit in ``resources/models/<name>/`` beside the package (see :mod:`ecgviewer.models.bundle`
for the folder layout). :func:`bundled_model_info` reads only a manifest (no torch), so the
worklist can build its analysis version and the UI can show a model's name before any weights are
loaded.
"""

from __future__ import annotations

import json
from pathlib import Path

from ecgviewer.models.bundle import MANIFEST_FILE

#: The folder that holds one sub-folder per bundled model.
BUNDLED_MODELS_DIR = Path(__file__).resolve().parents[2] / "resources" / "models"
#: Name of the 12-lead classifier bundle (also its key in the JSON ``models`` object).
CLASSIFIER = "classifier"
#: Name of the beat classifier bundle.
BEATS = "beats"
#: Name of the anomaly (restoration) model bundle.
ANOMALY = "anomaly"


def bundled_dir(name: str) -> Path:
    """The folder of the bundled model ``name`` (it may not exist)."""
    return BUNDLED_MODELS_DIR / name


def bundled_model_info(name: str, root: Path | None = None) -> dict[str, str] | None:
    """``{"version", "sha256"}`` of a bundled model from its manifest, or None when absent.

    The sha256 is the manifest's record of the weights; whether the file on disk matches is
    checked when the model is loaded (:func:`ecgviewer.models.load_bundle`), not here.
    """
    path = (root or BUNDLED_MODELS_DIR) / name / MANIFEST_FILE
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        sha = str(manifest["weights"]["sha256"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return {"version": str(manifest.get("version", "1")), "sha256": sha}
