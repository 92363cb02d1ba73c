"""Network definitions, the one preprocessing function, and weight bundles with manifests.

Importing this package is cheap (numpy only): torch is imported by
:mod:`ecgviewer.models.networks` and inside :func:`load_bundle`, so code that never runs a model
never pays for it. The beat-by-beat AAMI classifier lives in :mod:`ecgviewer.models.beats`
(``load_beat_bundle``, ``classify_beats``), which imports torch and so is not re-exported here.
"""

from ecgviewer.models.bundle import ModelBundle, ModelBundleError, load_bundle, save_bundle
from ecgviewer.models.preprocess import (
    MAX_WINDOWS,
    MODEL_FS_HZ,
    MODEL_LEADS,
    MODEL_N_SAMPLES,
    PREPROCESSING_ID,
    PreprocessError,
    input_contract,
    preprocess,
    preprocess_windows,
    window_starts,
)

__all__ = [
    "MAX_WINDOWS",
    "MODEL_FS_HZ",
    "MODEL_LEADS",
    "MODEL_N_SAMPLES",
    "PREPROCESSING_ID",
    "ModelBundle",
    "ModelBundleError",
    "PreprocessError",
    "input_contract",
    "load_bundle",
    "preprocess",
    "preprocess_windows",
    "save_bundle",
    "window_starts",
]
