"""Companion annotation files of a WFDB record: beat labels and LUDB per-lead wave marks."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ecgviewer.io.record import AnnotationTrack, canonical_lead_name

log = logging.getLogger(__name__)

#: Record-wide beat annotation files (reference, QRS detector output, ECG-specific).
BEAT_EXTENSIONS = ("atr", "qrs", "ecg", "ann")
#: LUDB stores the cardiologists' P/QRS/T marks of each lead in a file named after the lead.
LEAD_EXTENSIONS = ("i", "ii", "iii", "avr", "avl", "avf", "v1", "v2", "v3", "v4", "v5", "v6")


def read_annotations(
    base: str, sig_names: Sequence[str], n_samples: int
) -> tuple[AnnotationTrack, ...]:
    """Read every known annotation file beside ``base`` (a WFDB record path without extension).

    A damaged annotation file is skipped (and logged), never allowed to stop the ECG opening.
    Marks outside the record are dropped.
    """
    import wfdb

    tracks: list[AnnotationTrack] = []
    leads = {canonical_lead_name(s) for s in sig_names}
    folder = Path(base).parent
    stem = Path(base).name
    for ext in BEAT_EXTENSIONS + LEAD_EXTENSIONS:
        if not (folder / f"{stem}.{ext}").is_file():
            continue
        lead = canonical_lead_name(ext) if ext in LEAD_EXTENSIONS else None
        if lead is not None and lead not in leads:
            continue
        try:
            ann = wfdb.rdann(base, ext)
        except Exception:
            log.warning("annotation file %s.%s could not be read; skipped", base, ext)
            continue
        samples = np.asarray(ann.sample, dtype=np.int64)
        keep = (samples >= 0) & (samples < n_samples)
        symbols = [s for s, k in zip(ann.symbol, keep, strict=True) if k]
        aux_raw = ann.aux_note or [""] * len(samples)
        aux = tuple(a.rstrip("\x00") for a, k in zip(aux_raw, keep, strict=True) if k)
        tracks.append(AnnotationTrack(ext, lead, samples[keep], tuple(symbols), aux))
    return tuple(tracks)
