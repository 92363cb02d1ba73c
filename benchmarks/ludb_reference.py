"""LUDB reference marks and the matching rules shared by the LUDB validation scripts.

LUDB gives, for every lead, the cardiologists' onset, peak and offset of each P, QRS and T wave.

* **Per-lead reference**: the marks of each lead as they are.
* **Global reference** (what a 12-lead system reports per beat): the QRS marks of all leads
  are grouped into beats (peaks within 100 ms); a P wave belongs to the next beat, a T wave to
  the previous one. The global onset is the earliest onset over the leads, the global offset the
  latest offset — the clinical definition of global fiducials.
* **Annotated span**: LUDB leaves the first and last beats of a record unmarked. A detection
  that matches no mark counts as a false positive only inside the span of that lead's marks
  (for the global table: the span of all marks).
* **Matching**: per record and fiducial, detections and marks are paired one to one, nearest
  pairs first, within 150 ms; the error is detection minus mark.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ecgviewer.io import Record

EVAL_FIDUCIALS = ("p_on", "p_peak", "p_off", "qrs_on", "qrs_off", "t_peak", "t_off")
GLOBAL_FIDUCIALS = ("p_on", "p_off", "qrs_on", "qrs_off", "t_off")
TOLERANCE_S = 0.150


def data_root() -> Path:
    return Path(os.environ.get("ECG_DATA_DIR", Path.home() / ".cache" / "ecg-data"))


def ludb_ids(root: Path | None = None) -> list[int]:
    folder = (root or data_root()) / "ludb" / "data"
    return sorted(int(p.stem) for p in folder.glob("*.hea"))


@dataclass
class Marks:
    """Fiducial positions (samples) by fiducial name, and the annotated span."""

    points: dict[str, np.ndarray] = field(default_factory=dict)
    span: tuple[float, float] = (0.0, -1.0)


def lead_marks(record: Record) -> dict[str, Marks]:
    """Per-lead reference marks of a LUDB record."""
    out: dict[str, Marks] = {}
    for track in record.annotations:
        if track.lead is None:
            continue
        pts: dict[str, list[float]] = {f: [] for f in EVAL_FIDUCIALS}
        for m in track.waves():
            key = {"P": "p", "QRS": "qrs", "T": "t"}[m.wave]
            if m.onset is not None and key != "t":
                pts[f"{key}_on"].append(m.onset)
            if m.offset is not None:
                if key == "t":
                    pts["t_off"].append(m.offset)
                else:
                    pts[f"{key}_off"].append(m.offset)
            if key in ("p", "t"):
                pts[f"{key}_peak"].append(m.peak)
        span = (
            (float(track.samples.min()), float(track.samples.max()))
            if track.samples.size
            else (0.0, -1.0)
        )
        out[track.lead] = Marks({k: np.sort(np.asarray(v, float)) for k, v in pts.items()}, span)
    return out


def global_marks(record: Record) -> Marks:
    """Per-beat global reference: earliest onset and latest offset over the leads."""
    waves = {t.lead: t.waves() for t in record.annotations if t.lead is not None}
    qrs_peaks = np.sort([m.peak for ws in waves.values() for m in ws if m.wave == "QRS"])
    if qrs_peaks.size == 0:
        return Marks({f: np.zeros(0) for f in GLOBAL_FIDUCIALS})
    cut = np.flatnonzero(np.diff(qrs_peaks) > 0.1 * record.fs_hz) + 1
    centres = np.array([float(np.median(c)) for c in np.split(qrs_peaks, cut)])
    n = centres.size
    on = {w: np.full(n, np.inf) for w in ("p", "qrs")}
    off = {w: np.full(n, -np.inf) for w in ("p", "qrs", "t")}
    for ws in waves.values():
        for m in ws:
            if m.wave == "QRS":
                b = int(np.argmin(np.abs(centres - m.peak)))
            elif m.wave == "P":
                b = int(np.searchsorted(centres, m.peak))  # the beat that follows
            else:
                b = int(np.searchsorted(centres, m.peak)) - 1  # the beat before
            if not 0 <= b < n:
                continue
            key = {"P": "p", "QRS": "qrs", "T": "t"}[m.wave]
            if m.onset is not None and key in on:
                on[key][b] = min(on[key][b], m.onset)
            if m.offset is not None:
                off[key][b] = max(off[key][b], m.offset)
    pts = {
        "p_on": on["p"], "p_off": off["p"], "qrs_on": on["qrs"], "qrs_off": off["qrs"],
        "t_off": off["t"],
    }  # fmt: skip
    pts = {k: np.sort(v[np.isfinite(v)]) for k, v in pts.items()}
    all_marks = np.concatenate([t.samples for t in record.annotations if t.lead is not None])
    return Marks(pts, (float(all_marks.min()), float(all_marks.max())))


def match(ref: np.ndarray, det: np.ndarray, tol: float) -> tuple[np.ndarray, np.ndarray]:
    """One-to-one matching within ``tol``, nearest pairs first: matched (ref, det) indices."""
    ref = np.sort(ref)
    det = np.sort(det)
    if ref.size == 0 or det.size == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    pairs = []
    j = np.searchsorted(det, ref)
    for i, k in enumerate(j):
        for c in (k - 2, k - 1, k, k + 1):
            if 0 <= c < det.size and abs(det[c] - ref[i]) <= tol:
                pairs.append((abs(det[c] - ref[i]), i, c))
    pairs.sort()
    used_r: set[int] = set()
    used_d: set[int] = set()
    mr, md = [], []
    for _, i, c in pairs:
        if i not in used_r and c not in used_d:
            used_r.add(i)
            used_d.add(c)
            mr.append(i)
            md.append(c)
    return np.asarray(mr, np.int64), np.asarray(md, np.int64)


@dataclass
class Score:
    """Accumulated matching result of one fiducial."""

    tp: int = 0
    fn: int = 0
    fp: int = 0
    errors_ms: list[float] = field(default_factory=list)

    def add(self, ref: np.ndarray, det: np.ndarray, span: tuple[float, float], fs: float) -> None:
        ref = np.sort(ref[np.isfinite(ref)])
        det = np.sort(det[np.isfinite(det)])
        mr, md = match(ref, det, TOLERANCE_S * fs)
        self.tp += mr.size
        self.fn += ref.size - mr.size
        unmatched = np.ones(det.size, bool)
        unmatched[md] = False
        inside = (det >= span[0]) & (det <= span[1])
        self.fp += int(np.count_nonzero(unmatched & inside))
        self.errors_ms.extend(((det[md] - ref[mr]) * 1000.0 / fs).tolist())

    @property
    def se(self) -> float:
        return 100.0 * self.tp / max(self.tp + self.fn, 1)

    @property
    def ppv(self) -> float:
        return 100.0 * self.tp / max(self.tp + self.fp, 1)

    @property
    def mean(self) -> float:
        return float(np.mean(self.errors_ms)) if self.errors_ms else float("nan")

    @property
    def sd(self) -> float:
        return float(np.std(self.errors_ms)) if self.errors_ms else float("nan")
