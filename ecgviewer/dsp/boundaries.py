"""Low-level wave-boundary finders shared by the delineator (no ECG knowledge beyond shapes).

* :func:`slope` — the derivative of a Gaussian-smoothed trace (a single-scale wavelet
  transform, as in Martínez et al. 2004, whose scale sets how much noise it ignores).
* :func:`trapezium_boundary` — where a wave meets the baseline: the point that maximises the
  area of the trapezium spanned by the wave's steepest point and a reference point beyond the
  wave (Vázquez-Seisdedos et al. 2011). It needs no amplitude threshold, so it behaves the same
  on small and large waves and degrades gently with noise.
* :func:`first_below` — walk from a point until a feature stays below a threshold.
* :func:`prominent_extremum` — the most prominent (or latest prominent) wave in a window.
* :func:`confirmed` — the earliest (latest) of the leads' boundaries that other leads confirm:
  the multi-lead rule that turns per-lead marks into a global one without trusting a lone
  outlier (in the spirit of Martínez et al. 2010's multilead rules).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy import ndimage
from scipy.signal import find_peaks

F64 = npt.NDArray[np.float64]


def slope(y: F64, fs_hz: float, sigma_s: float) -> F64:
    """Derivative (mV/s) along the last axis of ``y`` smoothed by a Gaussian of ``sigma_s``."""
    sigma = max(sigma_s * fs_hz, 0.5)
    d: F64 = ndimage.gaussian_filter1d(y, sigma, order=1, axis=-1, mode="nearest") * fs_hz
    return d


def smooth(y: F64, fs_hz: float, sigma_s: float) -> F64:
    """Gaussian smoothing along the last axis (zero phase)."""
    sigma = max(sigma_s * fs_hz, 0.5)
    out: F64 = ndimage.gaussian_filter1d(y, sigma, axis=-1, mode="nearest")
    return out


def trapezium_boundary(y: F64, steep: int, ref: int) -> float:
    """Boundary of a wave in ``y`` between its steepest point ``steep`` and ``ref`` beyond it.

    ``ref`` after ``steep`` finds an offset, before it an onset. Returns the sample index
    (NaN when the span is empty or ``y`` has NaN there).
    """
    lo, hi = (steep, ref) if ref > steep else (ref, steep)
    lo = max(lo, 0)
    hi = min(hi, y.size - 1)
    if hi - lo < 2:
        return float("nan")
    xi = np.arange(lo, hi + 1)
    seg = y[lo : hi + 1]
    if np.isnan(seg).any():
        return float("nan")
    area = np.abs((y[steep] - seg) * (np.abs(ref - steep) + np.abs(ref - xi)))
    return float(xi[int(np.argmax(area))])


def first_below(feature: F64, start: int, step: int, threshold: float, hold: int, stop: int) -> int:
    """First index from ``start`` (moving by ``step`` = +-1) where ``feature`` drops below
    ``threshold`` and stays below for ``hold`` samples; ``stop`` if that never happens."""
    i = start
    while (i - stop) * step < 0:
        j = i + step * hold
        lo, hi = (i, j) if step > 0 else (j, i)
        lo, hi = max(lo, 0), min(hi, feature.size - 1)
        if feature[i] < threshold and np.all(feature[lo : hi + 1] < threshold):
            return i
        i += step
    return stop


def prominent_extremum(
    y: F64, lo: int, hi: int, both: bool = True, latest_fraction: float = 1.0
) -> tuple[int, float, float]:
    """The wave in ``y[lo:hi]``: the latest peak (or trough, with ``both``) whose prominence is
    at least ``latest_fraction`` of the largest one's (1.0: the most prominent).

    Returns ``(index, sign, prominence)``, sign +1 for a peak and -1 for a trough; a segment
    without an interior extremum gives its largest absolute value with prominence 0.
    """
    seg = y[lo:hi]
    if seg.size < 3:
        return lo, 1.0, 0.0
    found: list[tuple[int, float, float]] = []
    for sign in (1.0, -1.0) if both else (1.0,):
        idx, props = find_peaks(sign * seg, prominence=0.0)
        found += [(int(i), sign, float(p)) for i, p in zip(idx, props["prominences"], strict=True)]
    if not found:
        i = int(np.argmax(np.abs(seg)))
        return lo + i, float(np.sign(seg[i]) or 1.0), 0.0
    top = max(p for _, _, p in found)
    i, sign, prom = max((f for f in found if f[2] >= latest_fraction * top), key=lambda f: f[0])
    return lo + i, sign, prom


def confirmed(values: F64, fs_hz: float, leads: int, width_ms: float, latest: bool) -> float:
    """Earliest (``latest``: latest) of ``values`` that at least ``leads`` other values follow
    (precede) within ``width_ms``; the median when none is confirmed."""
    v = np.sort(-values if latest else values)
    width = width_ms * fs_hz / 1000.0
    need = min(leads, v.size - 1)
    for i in range(v.size):
        if np.count_nonzero(v[i + 1 :] <= v[i] + width) >= need:
            return float(-v[i] if latest else v[i])
    return float(np.median(values))
