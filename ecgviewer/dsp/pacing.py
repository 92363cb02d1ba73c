"""Pacemaker spikes: ``detect_pacing(samples, fs_hz, r_peaks) -> Pacing``.

A pacing stimulus reaches the electrocardiograph as a step of a few tenths of a millivolt
within one sample, seen at the same instant in several leads, and followed by the amplifier's
recovery. A QRS, however steep, ramps up over several samples. A spike is therefore a sample
step that is at least :data:`SPIKE_RATIO` times the steps just before it and at least
:data:`SPIKE_MIN_MV`, in at least two leads at once. A beat is paced when a spike precedes its
R peak by 30 ms to :data:`PACED_WINDOW_S`; a rhythm is paced when most beats are.

Below 250 Hz the spike is smeared over too few samples to be told from a QRS, so nothing is
claimed there (``Pacing.detectable`` is False).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]

SPIKE_MIN_MV = 0.15
SPIKE_RATIO = 4.0
SPIKE_NOISE_FACTOR = 12.0
SPIKE_MIN_LEADS = 2
#: A spike up to this long before an R peak paces that beat (AV delay of an atrial spike
#: included).
PACED_WINDOW_S = 0.30
#: ... and at least this long: a step closer to the R peak is the QRS upstroke itself.
PACED_MIN_LEAD_S = 0.03
#: Fraction of beats that must be paced for the rhythm to count as paced.
PACED_FRACTION = 0.5
MIN_FS_HZ = 250.0


@dataclass(frozen=True, slots=True)
class Pacing:
    """Pacemaker spikes found and the beats they pace.

    ``spikes`` are sample indices; ``paced_beats`` is a boolean per beat; ``rhythm_paced`` says
    whether most beats are paced; ``detectable`` is False when the sampling rate is too low.
    """

    spikes: I64
    paced_beats: npt.NDArray[np.bool_]
    rhythm_paced: bool
    detectable: bool
    fs_hz: float = 500.0

    def pacing_spikes(self, r_peaks: npt.ArrayLike) -> I64:
        """The spikes that pace a beat of ``r_peaks`` (lone artefacts left out)."""
        r = np.asarray(r_peaks, dtype=np.int64)
        if self.spikes.size == 0 or r.size == 0:
            return np.zeros(0, np.int64)
        nxt = np.searchsorted(r, self.spikes)
        ok = nxt < r.size
        lead = np.full(self.spikes.size, -1)
        lead[ok] = r[nxt[ok]] - self.spikes[ok]
        lo, hi = PACED_MIN_LEAD_S * self.fs_hz, PACED_WINDOW_S * self.fs_hz
        pacing: I64 = self.spikes[(lead >= lo) & (lead <= hi)]
        return pacing


def pacing_spikes(samples: npt.ArrayLike, fs_hz: float) -> I64:
    """Sample indices of pacemaker spikes (see the module docstring)."""
    x = np.array(samples, dtype=np.float64, ndmin=2)
    if fs_hz < MIN_FS_HZ or x.shape[-1] < 8:
        return np.zeros(0, np.int64)
    step = np.abs(np.diff(np.nan_to_num(x), axis=-1))
    # A spike must also tower over the lead's own sample-to-sample noise.
    noise = 1.4826 * np.median(step, axis=-1, keepdims=True)
    floor = np.maximum(SPIKE_MIN_MV, SPIKE_NOISE_FACTOR * noise)
    before = np.zeros_like(step)
    before[:, 2:] = np.maximum(step[:, 1:-1], step[:, :-2])
    before[:, :2] = np.inf  # no history at the start
    hit = (step >= floor) & (step >= SPIKE_RATIO * (before + 0.005))
    count = hit.sum(axis=0)
    count[1:] = np.maximum(count[1:], count[:-1])  # leads may disagree by one sample
    idx = np.flatnonzero(count >= min(SPIKE_MIN_LEADS, x.shape[0]))
    if idx.size == 0:
        return np.zeros(0, np.int64)
    keep = np.concatenate(([True], np.diff(idx) > 2))  # one spike, not its neighbours
    spikes: I64 = (idx[keep] + 1).astype(np.int64)
    return spikes


def detect_pacing(samples: npt.ArrayLike, fs_hz: float, r_peaks: npt.ArrayLike) -> Pacing:
    """Find pacemaker spikes and decide, beat by beat and for the rhythm, what is paced."""
    r = np.asarray(r_peaks, dtype=np.int64)
    detectable = fs_hz >= MIN_FS_HZ
    spikes = pacing_spikes(samples, fs_hz)
    paced = np.zeros(r.size, dtype=np.bool_)
    if spikes.size and r.size:
        window = int(PACED_WINDOW_S * fs_hz)
        first = np.searchsorted(spikes, r - window)
        last = np.searchsorted(spikes, r - int(PACED_MIN_LEAD_S * fs_hz), side="right")
        paced = last > first
    rhythm = bool(r.size >= 2 and np.mean(paced) >= PACED_FRACTION)
    return Pacing(spikes, paced, rhythm, detectable, fs_hz)
