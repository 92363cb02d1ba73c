"""Carrying a median beat's fiducials to each of its beats, and checking its P wave is real.

Each beat gets the median beat's marks moved by its own R position; its P and T marks are moved
further by the shift (at most 40 ms) that best aligns the beat's own P wave (T wave) with the
median's — a multi-lead correlation of detrended segments — so every beat keeps its own PR and
QT. A beat whose P wave correlates poorly (< 0.5) gets no P.

The median beat's P wave itself is accepted only when the beats agree on it: the median of the
per-beat correlations reaches 0.8 (0.95 when the rhythm is irregular), the medians of the
odd and of the even beats correlate at 0.85 or more, and the median keeps at least 70 % of the
beats' own activity in the P window. A median of a few beats of atrial fibrillation can show a
P-like remnant of f-waves that each beat "matches" (because it helped make it, or because a
quasi-periodic f-wave can always be shifted into phase); two medians of disjoint beats agree
only on what is really repeated, and a median keeps a P wave whole but f-waves only in part.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ecgviewer.dsp.median_beat import MedianBeat, beat_windows
from ecgviewer.dsp.wave_marks import COL, FIDUCIALS, BeatMarks

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
Mask = npt.NDArray[np.bool_]

P_SHIFT_S = 0.04
T_SHIFT_S = 0.04
P_MIN_CORR = 0.5
P_MIN_MEDIAN_CORR = 0.8
P_MIN_MEDIAN_CORR_IRREGULAR = 0.95
P_MIN_SPLIT_CORR = 0.85
P_MIN_AMPLITUDE_RATIO = 0.7
P_COLS: I64 = np.array([COL["p_on"], COL["p_peak"], COL["p_off"]], dtype=np.int64)


def detrend(seg: F64) -> F64:
    """Remove each row's straight-line trend (last axis), so that correlation compares wave
    shapes, not the slow slopes any two stretches of ECG share."""
    t = np.arange(seg.shape[-1], dtype=np.float64)
    t -= t.mean()
    denom = float(t @ t) or 1.0
    centred = seg - seg.mean(axis=-1, keepdims=True)
    out: F64 = centred - (centred @ t / denom)[..., None] * t
    return out


def best_shift(x: F64, centres: I64, cols: tuple[int, int], mb: MedianBeat, max_shift: int,
               use: Mask) -> tuple[I64, F64]:  # fmt: skip
    """Per beat, the shift (samples) whose window best matches the median beat's ``cols``,
    and that correlation."""
    cols = (max(0, cols[0]), min(mb.samples.shape[-1], cols[1]))
    ref = np.nan_to_num(mb.samples[use, cols[0] : cols[1]])
    if ref.shape[-1] < 2:
        return np.zeros(centres.size, np.int64), np.zeros(centres.size)
    a, b = cols[0] - mb.r_index, cols[1] - mb.r_index
    ref = detrend(ref).ravel()
    ref_norm = np.linalg.norm(ref) + 1e-12
    shifts = np.arange(-max_shift, max_shift + 1)
    scores = np.full((centres.size, shifts.size), -np.inf)
    for k, s in enumerate(shifts):
        seg = detrend(np.nan_to_num(beat_windows(x[use], centres + s, -a, b)))
        seg = seg.reshape(centres.size, -1)
        scores[:, k] = seg @ ref / (np.linalg.norm(seg, axis=1) * ref_norm + 1e-12)
    best = np.argmax(scores, axis=1)
    shift: I64 = shifts[best]
    return shift, scores[np.arange(centres.size), best]


def split_half_corr(x: F64, centres: I64, marks: BeatMarks, mb: MedianBeat, use: Mask) -> float:
    """Correlation of the P waves of the medians of the odd and of the even beats."""
    if centres.size < 4:
        return 1.0  # too few beats to split: the per-beat test has to do
    ms = mb.fs_hz / 1000.0
    a = int(marks.glob[COL["p_on"]] - 20 * ms) - mb.r_index
    b = int(marks.glob[COL["p_off"]] + 20 * ms) - mb.r_index
    win = np.nan_to_num(beat_windows(x[use], centres, -a, b))
    odd = detrend(np.median(win[0::2], axis=0)).ravel()
    even = detrend(np.median(win[1::2], axis=0)).ravel()
    return float(odd @ even / (np.linalg.norm(odd) * np.linalg.norm(even) + 1e-12))


def amplitude_ratio(x: F64, centres: I64, marks: BeatMarks, mb: MedianBeat, use: Mask) -> float:
    """How much of the beats' own activity in the P window the median beat keeps (0 to ~1).

    A real P wave repeats, so the median keeps it whole; f-waves are not locked to the QRS, so
    the median keeps a fraction of them even when each beat's f-waves can be shifted to match
    the remnant.
    """
    ms = mb.fs_hz / 1000.0
    a = int(marks.glob[COL["p_on"]] - 20 * ms)
    b = int(marks.glob[COL["p_off"]] + 20 * ms)
    a, b = max(0, a), min(mb.samples.shape[-1], b)
    if b - a < 3:
        return 0.0
    ref = detrend(np.nan_to_num(mb.samples[use, a:b]))
    win = detrend(np.nan_to_num(beat_windows(x[use], centres, mb.r_index - a, b - mb.r_index)))
    per_beat = np.sqrt(np.mean(win**2, axis=(1, 2)))
    return float(np.sqrt(np.mean(ref**2)) / (np.median(per_beat) + 1e-12))


def carry_marks(x: F64, aligned: I64, members: I64, mb: MedianBeat, marks: BeatMarks,
                irregular: bool, out: tuple[F64, F64, F64]) -> bool:  # fmt: skip
    """Write the marks of ``members`` into ``out = (glob, lead, p_match)`` (input rate of
    ``x``, 500 Hz); returns whether the median beat's P wave is real."""
    glob, lead, p_match = out
    fs = mb.fs_hz
    ms = fs / 1000.0
    use = np.asarray(np.isfinite(mb.samples).all(axis=1), dtype=np.bool_)
    centres = aligned[members]
    base = (centres - mb.r_index).astype(np.float64)
    shift = {"p": np.zeros(members.size), "t": np.zeros(members.size)}
    corr_p = np.full(members.size, np.nan)
    g = marks.glob
    has_p = bool(np.isfinite(g[P_COLS]).all() and use.any())
    if has_p:
        cols = (int(g[COL["p_on"]] - 20 * ms), int(g[COL["p_off"]] + 20 * ms))
        s, corr_p = best_shift(x, centres, cols, mb, int(P_SHIFT_S * fs), use)
        shift["p"] = s.astype(np.float64)
    if np.isfinite(g[COL["t_peak"]]) and np.isfinite(g[COL["t_off"]]) and use.any():
        cols = (int(g[COL["t_peak"]] - 80 * ms), int(g[COL["t_off"]] + 30 * ms))
        shift["t"] = best_shift(x, centres, cols, mb, int(T_SHIFT_S * fs), use)[0].astype(float)
    for name in FIDUCIALS:
        moved = base + shift.get(name.split("_")[0], 0.0)
        glob[members, COL[name]] = g[COL[name]] + moved
        lead[:, members, COL[name]] = marks.lead[:, COL[name]][:, None] + moved[None, :]
    typical = float(np.median(np.nan_to_num(corr_p))) if has_p else 0.0
    needed = P_MIN_MEDIAN_CORR_IRREGULAR if irregular else P_MIN_MEDIAN_CORR
    real = has_p and typical >= needed
    real = real and split_half_corr(x, centres, marks, mb, use) >= P_MIN_SPLIT_CORR
    real = real and amplitude_ratio(x, centres, marks, mb, use) >= P_MIN_AMPLITUDE_RATIO
    no_p = ~(corr_p >= P_MIN_CORR) | (not real)
    glob[np.ix_(members[no_p], P_COLS)] = np.nan
    lead[np.ix_(np.arange(lead.shape[0]), members[no_p], P_COLS)] = np.nan
    p_match[members] = corr_p
    return real
