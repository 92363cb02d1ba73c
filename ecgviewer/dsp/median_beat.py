"""Representative (median) beats: beats grouped by QRS shape, aligned, and medianed per lead.

Clinical 12-lead systems measure global intervals and axes on a representative beat (the median
of the dominant beats, aligned on their QRS): noise falls with the number of beats and the
measurement no longer depends on one unlucky complex. Beats are grouped by the shape of their
QRS across all leads (correlation and size), so a premature ventricular beat gets its own
group and never blurs the dominant median.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]

#: Two beats share a group when their multi-lead QRS correlates at least this much ...
GROUP_MIN_CORR = 0.85
#: ... and their QRS sizes differ by less than this factor.
GROUP_MAX_SIZE_RATIO = 1.6
#: Half-width of the QRS window used to group and align beats.
QRS_HALF_S = 0.08
#: Largest shift applied when aligning a beat on its group's QRS.
ALIGN_MAX_S = 0.012


@dataclass(frozen=True, slots=True)
class MedianBeat:
    """The median of a group of aligned beats, one row per lead.

    Attributes
    ----------
    samples
        ``(n_leads, n_samples)`` mV; the median over the group's beats of the filtered ECG.
    fs_hz
        Sampling rate of ``samples``.
    r_index
        Column of the beats' R peak (time zero).
    beats
        Indices (into the beat list) of the beats it represents.
    spread_mv
        ``(n_leads, n_samples)`` median absolute deviation of the beats around the median (mV):
        how much the beats disagree, column by column.
    """

    samples: F64
    fs_hz: float
    r_index: int
    beats: I64
    spread_mv: F64

    @property
    def time_s(self) -> F64:
        """Time of each column relative to the R peak (s)."""
        return (np.arange(self.samples.shape[-1]) - self.r_index) / self.fs_hz


def beat_windows(x: F64, centres: I64, pre: int, post: int) -> F64:
    """``(n_beats, n_leads, pre + post)`` windows around ``centres``; NaN outside the record."""
    n = x.shape[-1]
    idx = centres[:, None] + np.arange(-pre, post)[None, :]
    inside = (idx >= 0) & (idx < n)
    win = x[:, np.clip(idx, 0, n - 1)].transpose(1, 0, 2)
    return np.where(inside[:, None, :], win, np.nan)


def masked_median(stack: F64) -> tuple[F64, F64]:
    """Median and median absolute deviation over axis 0, ignoring NaN (NaN where none is left)."""
    count = np.sum(~np.isnan(stack), axis=0)
    ordered = np.sort(stack, axis=0)  # NaN sorts last
    lo = np.clip((count - 1) // 2, 0, None)[None]
    hi = np.clip(count // 2, 0, None)[None]
    med = 0.5 * (np.take_along_axis(ordered, lo, 0)[0] + np.take_along_axis(ordered, hi, 0)[0])
    med = np.where(count > 0, med, np.nan)
    dev = np.sort(np.abs(stack - med[None]), axis=0)
    mad = 0.5 * (np.take_along_axis(dev, lo, 0)[0] + np.take_along_axis(dev, hi, 0)[0])
    return med, np.where(count > 0, mad, np.nan)


def group_beats(x: F64, fs_hz: float, r_peaks: I64) -> I64:
    """Label each beat with its QRS-shape group; group 0 is the most numerous.

    Greedy leader clustering on the multi-lead QRS (``x`` filtered, ``(n_leads, n)``): a beat
    joins the first group whose median QRS it matches (correlation and size), else starts one.
    """
    n_beats = r_peaks.size
    if n_beats == 0:
        return np.zeros(0, np.int64)
    half = round(QRS_HALF_S * fs_hz)
    win = np.nan_to_num(beat_windows(x, r_peaks, half, half + 1)).reshape(n_beats, -1)
    win = win - win.mean(axis=1, keepdims=True)
    size = np.linalg.norm(win, axis=1) + 1e-12
    unit = win / size[:, None]
    overall = unit.T @ np.ones(n_beats)  # start from the beats most like all the others
    order = np.argsort(-(unit @ overall), kind="stable")
    labels = np.full(n_beats, -1, dtype=np.int64)
    leaders: list[int] = []
    for i in order:
        for g, lead in enumerate(leaders):
            ratio = size[i] / size[lead]
            close = 1.0 / GROUP_MAX_SIZE_RATIO < ratio < GROUP_MAX_SIZE_RATIO
            if close and float(unit[i] @ unit[lead]) >= GROUP_MIN_CORR:
                labels[i] = g
                break
        else:
            labels[i] = len(leaders)
            leaders.append(int(i))
    counts = np.bincount(labels)
    rank = np.empty_like(counts)
    rank[np.argsort(-counts, kind="stable")] = np.arange(counts.size)
    ranked: I64 = rank[labels]
    return ranked


def align_beats(x: F64, fs_hz: float, r_peaks: I64) -> I64:
    """Shift each beat (by at most 12 ms) so its QRS best matches the group's median QRS."""
    if r_peaks.size < 2:
        return r_peaks.copy()
    half = round(QRS_HALF_S * fs_hz)
    max_shift = max(1, round(ALIGN_MAX_S * fs_hz))
    win = np.nan_to_num(beat_windows(x, r_peaks, half + max_shift, half + max_shift + 1))
    ref, _ = masked_median(win[:, :, max_shift:-max_shift])
    ref = np.nan_to_num(ref).ravel()
    width = 2 * half + 1
    scores = np.empty((r_peaks.size, 2 * max_shift + 1))
    for k in range(2 * max_shift + 1):
        seg = win[:, :, k : k + width].reshape(r_peaks.size, -1)
        seg = seg - seg.mean(axis=1, keepdims=True)
        scores[:, k] = seg @ ref / (np.linalg.norm(seg, axis=1) + 1e-12)
    shift = np.argmax(scores, axis=1) - max_shift
    aligned: I64 = r_peaks + shift
    return aligned


def median_beat(
    x: F64, fs_hz: float, r_peaks: I64, pre_s: float, post_s: float, beats: I64 | None = None
) -> MedianBeat:
    """Median of the beats ``beats`` (all when ``None``) in ``[R - pre_s, R + post_s)``.

    ``x`` is the filtered ECG ``(n_leads, n)``; windows reaching past the record's edges count
    only where they have samples. ``r_peaks`` should already be aligned (:func:`align_beats`).
    """
    chosen = np.arange(r_peaks.size) if beats is None else np.asarray(beats, dtype=np.int64)
    pre = round(pre_s * fs_hz)
    post = round(post_s * fs_hz)
    stack = beat_windows(x, r_peaks[chosen], pre, post)
    med, mad = masked_median(stack)
    return MedianBeat(med, fs_hz, pre, chosen, mad)
