"""The anomaly step: restoration error of the bundled normal-ECG model, score and heat map.

Runs :func:`ecgviewer.models.anomaly.score_record` on records with the 12 standard leads (the
same input contract as the classifier) and puts its per-lead, per-sample error on the record's
own grid (lead order, sampling rate; NaN outside the 10 s the model read) so the viewer and the
PDF can draw it under each lead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from ecgviewer.analysis.classify import model_info, why_not_classifiable
from ecgviewer.analysis.model_cache import load_once
from ecgviewer.analysis.result import AnomalyFinding, ModelInfo
from ecgviewer.io.record import Record
from ecgviewer.models import MODEL_LEADS, ModelBundleError
from ecgviewer.models.bundled import ANOMALY, bundled_dir

if TYPE_CHECKING:
    from ecgviewer.models.anomaly import AnomalyBundle

F32 = npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True)
class AnomalyStep:
    """What the anomaly step contributes to an :class:`AnalysisResult`."""

    finding: AnomalyFinding | None = None
    error: F32 | None = None
    notices: tuple[str, ...] = ()
    models: dict[str, ModelInfo] = field(default_factory=dict)


def load_anomaly_model(bundle: Path | None = None) -> AnomalyBundle:
    """The verified anomaly model, loaded once per process (thread-safe)."""

    def load(path: Path) -> AnomalyBundle:
        from ecgviewer.models.anomaly import load_anomaly_bundle

        return load_anomaly_bundle(path)

    return load_once(bundle or bundled_dir(ANOMALY), load, "anomaly model")


def on_record_grid(error: F32, fs_hz: float, offset_s: float, record: Record) -> F32:
    """``error[12, n]`` (standard leads, ``fs_hz``, from ``offset_s``) on ``record``'s grid."""
    out = np.full((record.n_leads, record.n_samples), np.nan, dtype=np.float32)
    t = np.arange(record.n_samples) / float(record.fs_hz)
    pos = (t - offset_s) * fs_hz
    inside = (pos >= 0) & (pos <= error.shape[1] - 1)
    src = np.clip(np.round(pos[inside]).astype(np.int64), 0, error.shape[1] - 1)
    for i, lead in enumerate(MODEL_LEADS):
        if lead in record.lead_names:
            out[record.lead_index(lead), inside] = error[i, src]
    return out


def run_anomaly(record: Record, bundle: Path | None = None) -> AnomalyStep:
    """Score ``record`` with the bundled anomaly model; a reason instead when it cannot."""
    reason = why_not_classifiable(record, "anomaly score", "anomaly model")
    if reason is not None:
        return AnomalyStep(notices=(reason,))
    try:
        model = load_anomaly_model(bundle)
    except ModelBundleError as exc:
        return AnomalyStep(notices=(f"No anomaly score: {exc}",))
    from ecgviewer.models.anomaly import score_record

    out = score_record(record, model)
    finding = AnomalyFinding(out.score, out.threshold, out.flagged)
    error = on_record_grid(out.error, out.fs_hz, out.offset_s, record)
    return AnomalyStep(finding, error, (), {ANOMALY: model_info(model.manifest)})
