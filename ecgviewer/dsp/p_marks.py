"""P-wave onset, peak and offset of one beat, per lead and global.

* The P wave is the most prominent peak (at least 20 µV) of the spatial magnitude between the
  end of the previous T wave and the QRS.
* Per lead: the peak is the most prominent extremum within 50 ms of the global one; onset and
  offset are trapezium-area points (80 ms references) before and after the steepest slopes, and
  the offset is drawn in to where the wave still stands 6 µV above its end level, as a reader
  sees it.
* Global: the earliest onset (latest offset) that three other clear leads confirm within 10 ms.
* Leads where the P wave is small (under 15 % of the largest) show only its middle: they get
  the clear leads' median boundaries drawn in by 10 ms.

A P wave that starts right where the previous T wave ends (P on T, at fast rates) is flagged
as merged: its onset cannot be told. Whether a P wave really precedes each beat (not f-waves
or noise) is decided later, against the beats themselves (:mod:`ecgviewer.dsp.transfer`).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy.signal import find_peaks

from ecgviewer.dsp.boundaries import confirmed, prominent_extremum, smooth, trapezium_boundary

F64 = npt.NDArray[np.float64]

#: Least prominence (mV) of the P wave in the spatial magnitude.
MIN_MV = 0.02
#: Smoothing of the P-wave copy (s).
SIGMA_S = 0.006
#: Trapezium reference distances before the onset and after the offset.
REF_ON_MS = 80.0
REF_OFF_MS = 80.0
#: Visibility threshold applied to offsets (mV).
VISIBLE_MV = 0.006
#: A lead's P wave is clear when at least this fraction of the largest.
MIN_REL = 0.15
WEAK_SHRINK_MS = 10.0
CONFIRM_LEADS = 3
CONFIRM_MS = 10.0
#: A P onset this close to the end of the previous T wave is taken for a merged P.
MERGED_MS = 4.0


def visible_end(y: F64, off: float, steep_off: int, visible_mv: float) -> float:
    """Draw an offset in to the last point still ``visible_mv`` away from the level at the end."""
    if not np.isfinite(off) or int(off) <= steep_off:
        return off
    b = int(off)
    away = np.flatnonzero(np.abs(y[steep_off : b + 1] - y[b]) >= visible_mv)
    return float(steep_off + away[-1]) if away.size else off


def mark_p(yb: F64, fs: float, qrs_on: int, rr_s: float, prev_t_end: float,
           use: npt.NDArray[np.bool_]) -> tuple[F64, F64, bool]:  # fmt: skip
    """P waves of a baseline-corrected beat ``yb`` ``(n_leads, n)``.

    Returns per-lead onsets, peaks and offsets ``(3, n_leads)`` and the global onset, peak and
    offset ``(3,)``; all NaN when no P wave stands out.
    """
    ms = fs / 1000.0
    n_leads = yb.shape[0]
    lead = np.full((3, n_leads), np.nan)
    glob = np.full(3, np.nan)
    end = qrs_on - int(10 * ms)
    start = max(0, qrs_on - int(min(400.0, 0.8 * rr_s * 1000) * ms))
    if np.isfinite(prev_t_end):
        start = max(start, int(prev_t_end))
    if end - start < int(40 * ms):
        return lead, glob, False
    ys = smooth(yb, fs, SIGMA_S)
    mag = np.sqrt(np.sum((ys * use[:, None]) ** 2, axis=0))
    found, props = find_peaks(mag[start:end], prominence=MIN_MV)
    if found.size == 0:
        return lead, glob, False
    p_peak = start + int(found[np.argmax(props["prominences"])])
    amp = np.zeros(n_leads)
    for i in np.flatnonzero(use):
        y = ys[i]
        lo = max(start, p_peak - int(50 * ms))
        hi = min(end, p_peak + int(50 * ms))
        pk, sign, _ = prominent_extremum(y, lo, hi + 1)
        amp[i] = abs(y[pk])
        d = np.gradient(y)
        a = max(start, pk - int(60 * ms))
        s_on = a + int(np.argmax(sign * d[a : pk + 1]))
        b = min(end, pk + int(60 * ms))
        s_off = pk + int(np.argmax(-sign * d[pk : b + 1]))
        off = trapezium_boundary(y, s_off, min(qrs_on, s_off + int(REF_OFF_MS * ms)))
        lead[:, i] = (
            trapezium_boundary(y, s_on, max(start, s_on - int(REF_ON_MS * ms))),
            pk,
            visible_end(y, off, s_off, VISIBLE_MV),
        )
    clear = (amp >= MIN_REL * amp.max()) & np.isfinite(lead[0]) & np.isfinite(lead[2])
    if not clear.any():
        return lead, glob, False
    p_on = confirmed(lead[0, clear], fs, CONFIRM_LEADS, CONFIRM_MS, latest=False)
    p_off = confirmed(lead[2, clear], fs, CONFIRM_LEADS, CONFIRM_MS, latest=True)
    glob[:] = (p_on, p_peak, p_off)
    shrink = WEAK_SHRINK_MS * ms
    weak = ~clear & use
    lead[0, weak] = float(np.median(lead[0, clear])) + shrink
    lead[2, weak] = float(np.median(lead[2, clear])) - shrink
    lead[0] = np.clip(lead[0], p_on, p_off)
    lead[2] = np.clip(lead[2], p_on, p_off)
    merged = bool(np.isfinite(prev_t_end) and p_on - start < MERGED_MS * ms)
    return lead, glob, merged
