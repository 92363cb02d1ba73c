"""The beat-label step: every detected beat gets an AAMI class, and the counts a clinician reads.

Runs the bundled beat classifier (:mod:`ecgviewer.models.beats`) on the beats the measurement
step detected, on any record with at least one lead at any rate. The summary counts beats per
class, the ectopic share, and for ventricular (VEB) and supraventricular (SVEB) ectopy the
couplets (two in a row) and runs (three or more in a row). The model is loaded once per process
(torch is imported only here, inside :func:`load_beat_model`); a missing or tampered bundle
becomes a notice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from ecgviewer.analysis.classify import model_info
from ecgviewer.analysis.model_cache import load_once
from ecgviewer.analysis.result import ModelInfo
from ecgviewer.io.record import Record
from ecgviewer.models import ModelBundleError
from ecgviewer.models.bundled import BEATS, bundled_dir

if TYPE_CHECKING:
    from ecgviewer.models.beats import BeatBundle

log = logging.getLogger(__name__)

#: The AAMI classes in the order of the summary.
BEAT_CLASSES: tuple[str, ...] = ("N", "SVEB", "VEB", "F", "Q")


@dataclass(frozen=True, slots=True)
class BeatStep:
    """What the beat-label step contributes to an :class:`AnalysisResult`."""

    labels: tuple[str, ...] = ()
    summary: dict[str, Any] | None = None
    notices: tuple[str, ...] = ()
    models: dict[str, ModelInfo] = field(default_factory=dict)


def load_beat_model(bundle: Path | None = None) -> BeatBundle:
    """The verified beat classifier, loaded once per process (thread-safe)."""

    def load(path: Path) -> BeatBundle:
        from ecgviewer.models.beats import load_beat_bundle

        return load_beat_bundle(path)

    return load_once(bundle or bundled_dir(BEATS), load, "beat classifier")


def _runs(labels: tuple[str, ...], cls: str) -> tuple[int, int, int]:
    """(couplets, runs of >= 3, longest run) of consecutive ``cls`` beats."""
    couplets = runs = longest = 0
    length = 0
    for label in (*labels, ""):
        if label == cls:
            length += 1
            continue
        if length == 2:
            couplets += 1
        elif length >= 3:
            runs += 1
        longest = max(longest, length)
        length = 0
    return couplets, runs, longest


def beat_summary(labels: tuple[str, ...], duration_s: float) -> dict[str, Any]:
    """Counts per class, ectopic share, couplets and runs (the JSON's ``beat_summary``)."""
    counts = {c: labels.count(c) for c in BEAT_CLASSES}
    total = len(labels)
    ectopic = counts["SVEB"] + counts["VEB"]
    out: dict[str, Any] = {
        "total": total,
        "counts": counts,
        "ectopic_percent": round(100.0 * ectopic / total, 2) if total else None,
        "per_hour": {c: round(n * 3600.0 / duration_s, 1) for c, n in counts.items()}
        if duration_s > 0
        else None,
    }
    for cls in ("VEB", "SVEB"):
        couplets, runs, longest = _runs(labels, cls)
        key = cls.lower()
        out[f"{key}_couplets"] = couplets
        out[f"{key}_runs"] = runs
        out[f"{key}_longest_run"] = longest
    return out


def run_beat_labels(
    record: Record, beat_samples: npt.ArrayLike, bundle: Path | None = None
) -> BeatStep:
    """Label each beat of ``record`` at ``beat_samples``; reasons instead of labels otherwise."""
    beats = np.asarray(beat_samples, dtype=np.int64).reshape(-1)
    if beats.size == 0:
        return BeatStep(notices=("No beat labels: no beats were detected.",))
    try:
        model = load_beat_model(bundle)
    except ModelBundleError as exc:
        return BeatStep(notices=(f"No beat labels: {exc}",))
    from ecgviewer.models.beats import BEAT_FS_HZ, beat_lead, classify_beats

    labels, probs = classify_beats(record, beats, model)
    lead = record.lead_names[beat_lead(record)]
    notices = [
        f"Beat classifier input: lead {lead}, resampled from {record.fs_hz:g} Hz to "
        f"{BEAT_FS_HZ:g} Hz."
    ]
    network_says = np.argmax(probs, axis=1) if len(probs) else np.zeros(0, np.int64)
    overruled = int(
        np.sum((network_says == model.classes.index("SVEB")) & (np.asarray(labels) == "N"))
    )
    if overruled:
        notices.append(
            f"Beat labels: {overruled} beat(s) that looked premature are labelled N, not SVEB: "
            "they lie in an irregularly irregular stretch (as in atrial fibrillation), where no "
            "beat is premature."
        )
    return BeatStep(labels, beat_summary(labels, record.duration_s), tuple(notices),
                    {BEATS: model_info(model.manifest)})  # fmt: skip
