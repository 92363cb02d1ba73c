"""The classifier step: the bundled 12-lead network on one record, or a notice saying why not.

The bundle is loaded once per process, lazily, on the GPU when torch sees one, else on the CPU;
its sha256 is checked before the weights are read, and a missing, tampered or incompatible bundle
becomes a notice (the record is still measured and shown), never a guess. Records without the 12
standard leads, with a lead that is mostly missing, or shorter than :data:`MIN_DURATION_S` are
not classified; every change the input contract makes (resampling, padding, windowing) is listed.

A record longer than 10 s is read in 10 s windows covering it (at most
:data:`~ecgviewer.models.MAX_WINDOWS`, spread evenly; see
:func:`~ecgviewer.models.preprocess_windows`); each class's probability is the mean over the
windows, so the stored thresholds keep the meaning they were chosen with on 10 s records, and a
class above its threshold in some windows but not on average (paroxysmal AF, say) is named in a
notice with the window where it was highest.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ecgviewer.analysis.model_cache import load_once
from ecgviewer.analysis.result import ClassFinding, ModelInfo
from ecgviewer.io.record import Record
from ecgviewer.models import (
    MODEL_FS_HZ,
    MODEL_LEADS,
    MODEL_N_SAMPLES,
    ModelBundle,
    ModelBundleError,
    PreprocessError,
    load_bundle,
)
from ecgviewer.models.bundled import CLASSIFIER, bundled_dir

log = logging.getLogger(__name__)

#: Shortest record the classifier reads (it was trained on 10 s; shorter input is zero-padded).
MIN_DURATION_S = 5.0
#: A lead missing for more than this fraction of the used window counts as absent.
MAX_MISSING_FRACTION = 0.5
#: Length of one classifier window (s).
WINDOW_S = MODEL_N_SAMPLES / MODEL_FS_HZ


@dataclass(frozen=True, slots=True)
class ClassifierStep:
    """What the classifier step contributes to an :class:`AnalysisResult`."""

    classes: dict[str, ClassFinding] = field(default_factory=dict)
    notices: tuple[str, ...] = ()
    models: dict[str, ModelInfo] = field(default_factory=dict)


def load_classifier(bundle: Path | None = None) -> ModelBundle:
    """The verified classifier bundle, loaded once per process (thread-safe), on the GPU if any.

    Raises
    ------
    ModelBundleError
        No bundle, a tampered or mismatched weights file, or an incompatible manifest.
    """

    def load(path: Path) -> ModelBundle:
        model = load_bundle(path)
        _move_to_best_device(model)
        return model

    return load_once(bundle or bundled_dir(CLASSIFIER), load, "classifier")


def _move_to_best_device(bundle: ModelBundle) -> None:
    import torch

    if torch.cuda.is_available():
        bundle.network.to("cuda")


def model_info(m: Mapping[str, Any]) -> ModelInfo:
    """Name the weights that made a finding (a manifest's version and sha256)."""
    return ModelInfo(version=str(m.get("version", "1")), sha256=str(m["weights"]["sha256"]))


def _operating_point(bundle: ModelBundle, name: str) -> tuple[float | None, float | None]:
    per_class: dict[str, Any] = bundle.manifest.get("validation_metrics", {}).get("per_class", {})
    m = per_class.get(name, {})
    se, sp = m.get("sensitivity"), m.get("specificity")
    return (
        float(se) if isinstance(se, int | float) else None,
        float(sp) if isinstance(sp, int | float) else None,
    )


def why_not_classifiable(
    record: Record, result: str = "12-lead classification", model: str = "classifier"
) -> str | None:
    """Why ``model`` (reading the classifier's input contract) cannot run, or None when it can.

    ``result`` names what is then missing (``"No <result>: ..."``).
    """
    missing = [lead for lead in MODEL_LEADS if lead not in record.lead_names]
    if missing:
        return (
            f"No {result}: the {model} needs the 12 standard leads and this "
            f"recording lacks {', '.join(missing)}."
        )
    if record.duration_s < MIN_DURATION_S:
        return (
            f"No {result}: the recording lasts {record.duration_s:.1f} s; the "
            f"{model} reads 10 s and needs at least {MIN_DURATION_S:g} s."
        )
    rows = record.samples[[record.lead_index(lead) for lead in MODEL_LEADS]]
    n = rows.shape[1]
    centre = rows[:, max((n - int(10 * record.fs_hz)) // 2, 0) :][:, : int(10 * record.fs_hz)]
    absent = [
        lead
        for lead, frac in zip(MODEL_LEADS, np.isnan(centre).mean(axis=1), strict=True)
        if frac > MAX_MISSING_FRACTION
    ]
    if absent:
        return (
            f"No {result}: lead(s) {', '.join(absent)} are missing for most of "
            f"the 10 s the {model} reads."
        )
    return None


def run_classifier(record: Record, bundle: Path | None = None) -> ClassifierStep:
    """Classify ``record`` with the bundled network; reasons instead of findings when it cannot."""
    reason = why_not_classifiable(record)
    if reason is not None:
        return ClassifierStep(notices=(reason,))
    try:
        model = load_classifier(bundle)
    except ModelBundleError as exc:
        return ClassifierStep(notices=(f"No AI findings: {exc}",))
    try:
        windows, starts_s, notices = model.predict_windows(record, MAX_MISSING_FRACTION)
    except PreprocessError as exc:  # guarded above; kept so a contract change cannot crash
        return ClassifierStep(notices=(f"No 12-lead classification: {exc}",))
    prefixed = tuple(f"Classifier input: {n}" for n in notices)
    if not len(windows):
        reason = "No 12-lead classification: a lead is missing in every 10 s window."
        return ClassifierStep(notices=(*prefixed, reason))
    classes: dict[str, ClassFinding] = {}
    partly: list[str] = []
    for i, (name, threshold) in enumerate(zip(model.classes, model.thresholds, strict=True)):
        p = float(windows[:, i].mean())
        se, sp = _operating_point(model, name)
        classes[name] = ClassFinding(p, threshold, p >= threshold, se, sp)
        above = windows[:, i] >= threshold
        if p < threshold and above.any():
            best = int(np.argmax(windows[:, i]))
            t0 = float(starts_s[best])
            partly.append(
                f"{name} is above its threshold in {int(above.sum())} of {len(windows)} windows "
                f"(highest {float(windows[best, i]):.2f} at {t0:.1f}–{t0 + WINDOW_S:.1f} s) but "
                f"not over the whole recording (mean {p:.2f} < {threshold:.2f})."
            )
    return ClassifierStep(
        classes, prefixed + tuple(partly), {CLASSIFIER: model_info(model.manifest)}
    )
