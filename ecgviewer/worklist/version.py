"""The analysis version: the one string that says which code and which models made a result.

Results are stored under ``(content_hash, analysis_version)``. A new ``ecgviewer`` release, a
new JSON schema or a new or retrained bundled model changes this string, so every cached result
made by the old ones is analysed again; a record whose content changed gets a new content hash.
This module is the only place the string is built.
"""

from __future__ import annotations

from collections.abc import Mapping

import ecgviewer
from ecgviewer.analysis import SCHEMA_VERSION
from ecgviewer.models.bundled import ANOMALY, BEATS, CLASSIFIER, bundled_model_info

#: Hex digits of a model's sha256 kept in the version string: enough to tell weights apart,
#: short enough to repeat in every row.
_SHA_DIGITS = 16


def analysis_version(models: Mapping[str, Mapping[str, str]] | None = None) -> str:
    """Build the analysis version from the app version and the models that ran.

    Parameters
    ----------
    models
        The ``models`` object of an analysis JSON: ``{name: {"version": ..., "sha256": ...}}``.

    Returns
    -------
    str
        For example ``"ecgviewer 0.1.0; json 1; classifier 2.0 3f2a…"``; model order does not
        matter.
    """
    parts = [f"ecgviewer {ecgviewer.__version__}", f"json {SCHEMA_VERSION}"]
    for name in sorted(models or {}):
        info = (models or {})[name]
        parts.append(f"{name} {info.get('version', '?')} {info.get('sha256', '')[:_SHA_DIGITS]}")
    return "; ".join(parts)


def bundled_models() -> dict[str, dict[str, str]]:
    """The models ``run_analysis`` uses, as the ``models`` object of its JSON.

    Read from the bundled manifests; ``tests/worklist/test_version.py`` fails when this
    disagrees with what ``run_analysis`` reports, so a new model can never reuse results cached
    for the old one.
    """
    out = {}
    for name in (CLASSIFIER, BEATS, ANOMALY):
        info = bundled_model_info(name)
        if info is not None:
            out[name] = info
    return out


def current_analysis_version() -> str:
    """The analysis version of this installation (what new results are stored under)."""
    return analysis_version(bundled_models())
