"""QRS detection on all leads together: ``detect_beats(samples, fs_hz) -> Beats``.

Method (``"fused"``): each lead is band-passed to the QRS band (5–20 Hz, zero-phase), its
slope is turned into a 100 ms RMS envelope, and the envelope is scaled by its own typical QRS
level (98th percentile per 5 s block), so every lead speaks in the same unit. The leads are
fused by a weighted mean whose weights, block by block, fall with the lead's noise floor (the
median of its scaled envelope) and with a lead going quiet (saturated, electrode off), so a
lead full of artefact hardly counts while it is bad.
Peaks of the fused envelope at least a refractory period apart are beats when they reach a
fraction of the local typical QRS; long gaps are searched again at a lower threshold
(search-back, Pan & Tompkins 1985), and a small peak right after a beat (a T wave) is dropped.
Each beat is finally placed at the peak of the spatial magnitude of the ECG near the energy
peak, the lead-independent "R peak" of vectorcardiography.

Sampling rates above 500 Hz are resampled to 500 Hz for detection; positions are returned on
the input's own sample axis.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
from scipy import ndimage
from scipy.signal import find_peaks

from ecgviewer.dsp.filters import bandpass, highpass, lowpass
from ecgviewer.dsp.resample import resample

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]

#: Detection runs at this rate or below.
MAX_DETECT_FS_HZ = 500.0
#: No two QRS complexes closer than this (300 bpm; the ventricles are refractory).
REFRACTORY_MS = 200.0
#: A peak is a beat when it reaches this fraction of the local typical QRS envelope ...
THRESHOLD = 0.4
#: ... or, inside a gap longer than SEARCH_BACK_RR times the local RR, this lower fraction.
SEARCH_BACK_THRESHOLD = 0.25
SEARCH_BACK_RR = 1.6
#: The rhythm is irregular when successive RR intervals differ, in the median, by more than
#: this fraction of the RR (sinus arrhythmia stays under it; atrial fibrillation goes over).
IRREGULAR_RR = 0.10
#: A peak within this time after a beat and below half its height is taken for its T wave.
T_WAVE_WINDOW_MS = 360.0
_BLOCK_S = 5.0


@dataclass(frozen=True, slots=True)
class Beats:
    """The QRS complexes of a recording.

    Attributes
    ----------
    samples
        Sample index of each beat's R peak (spatial-magnitude peak) on the input's axis.
    fs_hz
        The input's sampling rate.
    strength
        Fused QRS energy of each beat relative to the local typical QRS (about 1 for a normal
        beat; low values are beats accepted by search-back).
    lead_weights
        Weight each lead had in the fusion (sums to 1; 0 for flat or missing leads).
    """

    samples: I64
    fs_hz: float
    strength: F64
    lead_weights: F64

    @property
    def times_s(self) -> F64:
        """Beat times in seconds from the first sample."""
        return self.samples / self.fs_hz

    @property
    def rr_ms(self) -> F64:
        """Intervals between consecutive beats (ms); one fewer than beats."""
        return np.diff(self.samples).astype(np.float64) * (1000.0 / self.fs_hz)

    def __post_init__(self) -> None:
        for array in (self.samples, self.strength, self.lead_weights):
            array.flags.writeable = False

    def __len__(self) -> int:
        return int(self.samples.size)


def irregular_rr(rr: npt.ArrayLike) -> bool:
    """Whether RR intervals (any unit) are irregular (see :data:`IRREGULAR_RR`); needs 3."""
    x = np.asarray(rr, dtype=np.float64)
    if x.size < 3:
        return False
    return bool(np.median(np.abs(np.diff(x))) > IRREGULAR_RR * np.median(x))


def detect_beats(
    samples: npt.ArrayLike,
    fs_hz: float,
    method: Literal["fused"] = "fused",
    refractory_ms: float = REFRACTORY_MS,
) -> Beats:
    """Find the QRS complexes in one or several leads.

    Parameters
    ----------
    samples
        ``(n_samples,)`` or ``(n_leads, n_samples)`` in mV; NaN gaps are tolerated.
    fs_hz
        Sampling rate (tested from 100 Hz to 1 kHz).
    method
        ``"fused"``: quality-weighted multi-lead energy fusion (see the module docstring).
    refractory_ms
        Shortest RR accepted.

    Returns
    -------
    Beats
        Beat positions in ascending order (empty when no QRS stands out of the signal).
    """
    if method != "fused":
        raise ValueError(f"unknown method {method!r}; 'fused' is available")
    x = np.array(samples, dtype=np.float64, ndmin=2)
    n_in = x.shape[-1]
    fs = min(fs_hz, MAX_DETECT_FS_HZ)
    if fs != fs_hz:
        x = resample(x, fs_hz, fs)
    valid = np.asarray(np.isfinite(x).any(axis=-1), dtype=np.bool_)
    if x.shape[-1] < int(0.5 * fs) or not valid.any():
        return _empty(fs_hz, x.shape[0])
    bp = np.nan_to_num(bandpass(x, fs, 5.0, 20.0))
    slope = np.diff(bp, axis=-1, prepend=bp[:, :1]) * fs
    env = ndimage.uniform_filter1d(slope * slope, size=int(0.1 * fs) | 1, axis=-1)
    env = np.sqrt(np.maximum(env, 0.0))  # RMS slope: a half-size QRS scores half, not a quarter
    scaled, local_weights, weights = _normalise(env, fs, valid)
    if not weights.any():
        return _empty(fs_hz, x.shape[0])
    fused = np.einsum("ln,ln->n", local_weights, scaled)
    peaks, strength = _pick(fused, fs, refractory_ms)
    if peaks.size == 0:
        return Beats(np.zeros(0, np.int64), fs_hz, np.zeros(0), weights)
    where = _spatial_peaks(x, fs, peaks, weights)
    where, strength = _enforce_refractory(where, strength, fs, refractory_ms)
    if fs != fs_hz:
        where = np.minimum(np.round(where * fs_hz / fs).astype(np.int64), n_in - 1)
    return Beats(where, fs_hz, strength, weights)


def _empty(fs_hz: float, n_leads: int) -> Beats:
    return Beats(np.zeros(0, np.int64), fs_hz, np.zeros(0), np.zeros(n_leads))


def _normalise(env: F64, fs: float, valid: npt.NDArray[np.bool_]) -> tuple[F64, F64, F64]:
    """Scale each lead's envelope by its typical QRS level and weight it by its noise floor.

    Both are estimated per block of a few seconds, so a lead that turns noisy for a while
    loses its say for that while only. Returns the scaled envelopes, the per-sample weights
    ``(leads, n)`` (summing to 1 over leads) and each lead's overall weight.
    """
    n_leads, n = env.shape
    block = int(_BLOCK_S * fs)
    starts = np.arange(0, n, block)
    if starts.size > 1 and n - starts[-1] < block // 2:
        starts = starts[:-1]  # fold a short tail block into the previous one
    edges = np.append(starts, n)
    pairs = list(itertools.pairwise(edges))
    own = np.array([np.percentile(env[:, a:b], 98, axis=-1) for a, b in pairs]).T
    # A block without beats (asystole, artefact) borrows its neighbours' level.
    levels = ndimage.maximum_filter1d(own, size=3, axis=-1, mode="nearest")
    top = float(levels.max())
    if top <= 0.0:
        zero = np.zeros(n_leads)
        return env, np.zeros_like(env), zero
    flat = levels.max(axis=-1) < 1e-4 * top
    levels = np.maximum(levels, 1e-6 * top)
    centres = (edges[:-1] + edges[1:]) / 2.0
    t = np.arange(n)
    scaled = env / np.vstack([np.interp(t, centres, row) for row in levels])
    floors = np.array([np.median(scaled[:, a:b], axis=-1) for a, b in pairs]).T
    # A lead that goes quiet in a block (saturated, electrode off) has a low floor there but
    # no beats either: its weight also falls with its own peak level against its neighbours'.
    peaks = np.minimum(own / levels, 1.0)
    w = np.where((valid & ~flat)[:, None], peaks**2 / (floors + 0.02) ** 2, 0.0)
    total = w.sum(axis=0)
    w = np.divide(w, total, out=np.zeros_like(w), where=total > 0)
    per_sample = np.vstack([np.interp(t, centres, row) for row in w])
    overall = w.mean(axis=-1)
    return scaled, per_sample, overall


def _pick(fused: F64, fs: float, refractory_ms: float) -> tuple[I64, F64]:
    distance = max(1, int(refractory_ms * fs / 1000.0))
    cand, props = find_peaks(fused, height=0.0, distance=distance)
    if cand.size == 0:
        return cand.astype(np.int64), np.zeros(0)
    heights = props["peak_heights"]
    ref = _typical_qrs(cand, heights, fs, fused.size)
    rel = heights / ref
    keep = rel >= THRESHOLD
    keep = _drop_t_waves(cand, rel, keep, fs)
    keep = _search_back(cand, rel, keep, fs)
    return cand[keep].astype(np.int64), rel[keep]


def _typical_qrs(cand: I64, heights: F64, fs: float, n: int) -> F64:
    """Typical QRS energy around each candidate: median of the top peaks within +-5 s."""
    half = int(5.0 * fs)
    span_s = 2.0 * half / fs
    n_top = max(3, int(span_s / 1.5))  # at least one beat every 1.5 s (40 bpm) is expected
    ref = np.empty(cand.size)
    lo = np.searchsorted(cand, cand - half)
    hi = np.searchsorted(cand, cand + half)
    for i in range(cand.size):
        local = np.sort(heights[lo[i] : hi[i]])[::-1][:n_top]
        ref[i] = float(np.median(local))
    return np.maximum(ref, 1e-12)


def _drop_t_waves(
    cand: I64, rel: F64, keep: npt.NDArray[np.bool_], fs: float
) -> npt.NDArray[np.bool_]:
    window = int(T_WAVE_WINDOW_MS * fs / 1000.0)
    out = keep.copy()
    last = -1
    for i in np.flatnonzero(keep):
        if last >= 0 and cand[i] - cand[last] < window and rel[i] < 0.5 * rel[last]:
            out[i] = False
            continue
        last = int(i)
    return out


def _search_back(
    cand: I64, rel: F64, keep: npt.NDArray[np.bool_], fs: float
) -> npt.NDArray[np.bool_]:
    out = keep.copy()
    min_gap = int(0.3 * fs)
    for _ in range(3):  # a long gap may hide more than one missed beat
        idx = np.flatnonzero(out)
        if idx.size < 3:
            return out
        rr = np.diff(cand[idx])
        local = ndimage.median_filter(rr.astype(np.float64), size=9, mode="nearest")
        added = False
        for k in np.flatnonzero(rr > SEARCH_BACK_RR * local):
            a, b = cand[idx[k]], cand[idx[k + 1]]
            inside = np.flatnonzero(
                (cand > a + min_gap) & (cand < b - min_gap) & (rel >= SEARCH_BACK_THRESHOLD)
            )
            if inside.size:
                out[inside[np.argmax(rel[inside])]] = True
                added = True
        if not added:
            break
    return out


def _spatial_peaks(x: F64, fs: float, peaks: I64, weights: F64) -> I64:
    """Move each beat to the peak of the quality-weighted spatial magnitude within +-60 ms."""
    clean = np.nan_to_num(lowpass(highpass(x, fs, 0.5), fs, 40.0))
    magnitude = (weights / max(float(weights.max()), 1e-12)) @ (clean * clean)
    half = max(1, int(0.06 * fs))
    offsets = np.arange(-half, half + 1)
    idx = np.clip(peaks[:, None] + offsets[None, :], 0, magnitude.size - 1)
    best: I64 = idx[np.arange(peaks.size), np.argmax(magnitude[idx], axis=1)]
    return best


def _enforce_refractory(
    where: I64, strength: F64, fs: float, refractory_ms: float
) -> tuple[I64, F64]:
    order = np.argsort(where, kind="stable")
    where, strength = where[order], strength[order]
    gap = refractory_ms * fs / 1000.0
    keep = np.ones(where.size, dtype=np.bool_)
    last = 0
    for i in range(1, where.size):
        if where[i] - where[last] < gap:
            drop = i if strength[i] <= strength[last] else last
            keep[drop] = False
            if drop == last:
                last = i
        else:
            last = i
    return where[keep], strength[keep]
