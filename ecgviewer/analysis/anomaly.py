"""The anomaly step: restoration error of the bundled normal-ECG model, score and heat map.

Runs :func:`ecgviewer.models.anomaly.score_record` on records with the 12 standard leads (the
same input contract as the classifier) and puts its per-lead, per-sample error on the record's
own grid (lead order, sampling rate; NaN outside the 10 s the model read) so the viewer and the
PDF can draw it under each lead. It also puts the restored signal there, as the trace the model
expected to see (:func:`restored_on_record_grid`), for the viewer's restored-trace overlay.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from ecgviewer.analysis.classify import model_info, why_not_classifiable
from ecgviewer.analysis.model_cache import load_once
from ecgviewer.analysis.result import NO_ANOMALY_PREFIX, AnomalyFinding, ModelInfo
from ecgviewer.io.record import Record
from ecgviewer.models import MODEL_LEADS, ModelBundleError
from ecgviewer.models.bundled import ANOMALY, bundled_dir

if TYPE_CHECKING:
    from ecgviewer.models.anomaly import AnomalyBundle

F32 = npt.NDArray[np.float32]

#: Longest 12-lead 500 Hz recording whose heat map and restored trace are kept on its grid.
MAX_GRID_MINUTES = 30.0
#: ... as values per array (leads x samples): 12 x 30 min x 500 Hz, 43 MB of float32.
MAX_GRID_VALUES = int(12 * MAX_GRID_MINUTES * 60 * 500)


@dataclass(frozen=True, slots=True)
class AnomalyStep:
    """What the anomaly step contributes to an :class:`AnalysisResult`."""

    finding: AnomalyFinding | None = None
    error: F32 | None = None
    #: The restored (expected normal) signal on the record's grid, in the record's own baseline.
    restored: F32 | None = None
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


def restored_on_record_grid(
    restored: F32, filtered: F32, fs_hz: float, offset_s: float, record: Record
) -> F32:
    """The model's restoration as a trace on ``record``'s grid, on the record's own baseline.

    The networks restore the *high-passed* 100 Hz input ``filtered`` (``[12, n]``, standard
    leads, from ``offset_s``): ``restored`` has neither the baseline wander nor the lead's
    offset. Adding back what the high-pass removed, ``restored + (raw - highpassed(raw))``, is
    ``raw + (restored - filtered)``: the record's samples plus the signed restoration difference,
    linearly interpolated onto the record's grid. Where the model restores the signal exactly,
    this is the record itself (no baseline offset, no resampling blur); where it does not, it
    departs from the trace by exactly the heat map's error. NaN outside the model's window,
    in leads the model does not read, and where the record has no sample.
    """
    out = np.full((record.n_leads, record.n_samples), np.nan, dtype=np.float32)
    n = restored.shape[1]
    t = np.arange(record.n_samples) / float(record.fs_hz)
    pos = (t - offset_s) * fs_hz
    inside = (pos >= 0) & (pos <= n - 1)
    if not inside.any():
        return out
    grid = np.arange(n, dtype=np.float64)
    diff = restored.astype(np.float64) - filtered.astype(np.float64)
    for i, lead in enumerate(MODEL_LEADS):
        if lead in record.lead_names:
            row = record.lead_index(lead)
            raw = np.asarray(record.samples[row, inside], dtype=np.float64)
            out[row, inside] = raw + np.interp(pos[inside], grid, diff[i])
    return out


def run_anomaly(record: Record, bundle: Path | None = None) -> AnomalyStep:
    """Score ``record`` with the bundled anomaly model; a reason instead when it cannot."""
    reason = why_not_classifiable(record, "anomaly score", "anomaly model")
    if reason is not None:
        return AnomalyStep(notices=(reason,))
    try:
        model = load_anomaly_model(bundle)
    except ModelBundleError as exc:
        return AnomalyStep(notices=(f"{NO_ANOMALY_PREFIX} {exc}",))
    from ecgviewer.models.anomaly import score_record

    out = score_record(record, model)
    finding = AnomalyFinding(out.score, out.threshold, out.flagged)
    info = {ANOMALY: model_info(model.manifest)}
    if record.n_leads * record.n_samples > MAX_GRID_VALUES:
        # The maps live on the record's grid: two 12-lead 24 h arrays would take gigabytes.
        note = (
            f"Anomaly heat map and restored trace not kept for this {record.duration_s / 60:.0f} "
            f"min recording (shown for recordings up to {MAX_GRID_MINUTES:g} min at 500 Hz); "
            "the score covers the middle 10 s."
        )
        return AnomalyStep(finding, None, None, (note,), info)
    error = on_record_grid(out.error, out.fs_hz, out.offset_s, record)
    restored = restored_on_record_grid(out.restored, out.filtered, out.fs_hz, out.offset_s, record)
    return AnomalyStep(finding, error, restored, (), info)
