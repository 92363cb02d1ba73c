"""The exact ground truth of a synthetic recording: every beat's fiducials and the true intervals.

Conventions
-----------
* Per-beat times are float64 seconds on the recording's time axis (sample ``i`` is at
  ``i / fs_hz``). **NaN means the wave does not exist** (the P wave of a PVC, any P in AF).
* The beat list holds every beat with any wave inside the recording, so the first and last
  beats may be cut by the edges: their times can be negative or past the end.
  :attr:`GroundTruth.complete` marks the beats whose every wave lies inside.
* :meth:`GroundTruth.samples` gives the nearest sample index, and ``-1`` where the wave is
  absent or falls outside the recording.
* Onsets and offsets are the points where the wave becomes exactly non-zero / returns to exactly
  zero; the QRS onset is the earliest onset over all leads, the offset the latest offset.
* ``labels`` are AAMI beat classes: ``"N"`` conducted (sinus or AF, any bundle-branch block),
  ``"V"`` premature ventricular.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

F64 = npt.NDArray[np.float64]
Fiducial = Literal["p_onset", "p_offset", "qrs_onset", "r_peak", "qrs_offset", "t_peak", "t_offset"]
FIDUCIALS: tuple[Fiducial, ...] = (
    "p_onset", "p_offset", "qrs_onset", "r_peak", "qrs_offset", "t_peak", "t_offset",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class GroundTruth:
    """Per-beat fiducials (s, NaN = absent) and the true global intervals of a synthetic ECG.

    ``r_peak_s`` is where the heart vector is largest within the QRS (lead-independent; it is
    where a beat annotation belongs). ``pr_ms`` is ``None`` without P waves (AF). ``qrs_ms``
    and ``qt_ms`` are those of the conducted beats; ``rr_ms`` is the mean interval between
    consecutive R peaks of all beats, and ``hr_bpm`` is ``60000 / rr_ms``.
    ``st_shift_lead`` / ``st_shift_mv`` name the lead-confined ST shift, if any.
    """

    fs_hz: float
    n_samples: int
    rhythm: str
    labels: tuple[str, ...]
    p_onset_s: F64
    p_offset_s: F64
    qrs_onset_s: F64
    r_peak_s: F64
    qrs_offset_s: F64
    t_peak_s: F64
    t_offset_s: F64
    pr_ms: float | None
    qrs_ms: float
    qt_ms: float
    rr_ms: float
    hr_bpm: float
    st_shift_lead: str | None = None
    st_shift_mv: float = 0.0

    def __post_init__(self) -> None:
        for name in FIDUCIALS:
            arr = np.array(getattr(self, f"{name}_s"), dtype=np.float64)
            if arr.shape != (len(self.labels),):
                raise ValueError(f"{name}_s has shape {arr.shape}, expected one value per beat")
            arr.flags.writeable = False
            object.__setattr__(self, f"{name}_s", arr)

    @property
    def n_beats(self) -> int:
        return len(self.labels)

    @property
    def duration_s(self) -> float:
        return self.n_samples / self.fs_hz

    @property
    def is_pvc(self) -> npt.NDArray[np.bool_]:
        """True for the premature ventricular beats."""
        return np.array([label == "V" for label in self.labels], dtype=np.bool_)

    @property
    def complete(self) -> npt.NDArray[np.bool_]:
        """True for the beats whose every existing wave lies inside the recording."""
        first = np.where(np.isnan(self.p_onset_s), self.qrs_onset_s, self.p_onset_s)
        return (first >= 0.0) & (self.t_offset_s < self.duration_s)

    def times_s(self, fiducial: Fiducial) -> F64:
        """Per-beat times of one fiducial (s; NaN where absent)."""
        if fiducial not in FIDUCIALS:
            raise ValueError(f"unknown fiducial {fiducial!r}; one of {FIDUCIALS}")
        values: F64 = getattr(self, f"{fiducial}_s")
        return values

    def samples(self, fiducial: Fiducial) -> npt.NDArray[np.int64]:
        """Nearest sample index of one fiducial per beat; -1 where absent or outside the record."""
        t = self.times_s(fiducial)
        idx = np.full(t.shape, -1, dtype=np.int64)
        ok = np.isfinite(t)
        idx[ok] = np.round(t[ok] * self.fs_hz).astype(np.int64)
        idx[(idx < 0) | (idx >= self.n_samples)] = -1
        return idx

    def to_json_dict(self) -> dict[str, object]:
        """A JSON-ready description (times in s rounded to 1 µs, absent waves as ``null``)."""
        beats = []
        for i, label in enumerate(self.labels):
            beat: dict[str, object] = {"label": label}
            for name in FIDUCIALS:
                beat[f"{name}_s"] = _json_float(float(self.times_s(name)[i]))
            beat["complete"] = bool(self.complete[i])
            beats.append(beat)
        return {
            "fs_hz": self.fs_hz,
            "n_samples": self.n_samples,
            "rhythm": self.rhythm,
            "intervals": {
                "pr_ms": None if self.pr_ms is None else _json_float(self.pr_ms),
                "qrs_ms": _json_float(self.qrs_ms),
                "qt_ms": _json_float(self.qt_ms),
                "rr_ms": _json_float(self.rr_ms),
                "hr_bpm": _json_float(self.hr_bpm),
            },
            "st_shift": {"lead": self.st_shift_lead, "mv": self.st_shift_mv},
            "beats": beats,
        }


def _json_float(value: float) -> float | None:
    # Rounded so the JSON is stable across platforms whose last-ulp arithmetic differs.
    return None if math.isnan(value) else round(value, 6)
