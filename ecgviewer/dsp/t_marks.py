"""T-wave peak and end of one beat, per lead and global.

* The global T peak is the latest prominent peak of the spatial magnitude between the end of
  the QRS and a physiological limit (a QTc of about 620 ms, and before the next beat); "latest"
  so that a depressed ST segment is not taken for the T wave.
* Per lead, the T peak is the latest prominent extremum (either polarity) within 60 ms of the
  global peak, and the end is the trapezium-area point after the steepest return to baseline
  (Vázquez-Seisdedos et al. 2011), with a reference point 60 ms beyond it.
* The global end is the latest per-lead end (computed with a 110 ms reference, which follows a
  slow return to baseline further) that two other leads confirm within 20 ms, among leads with a
  clear T wave (at least 20 % of the largest).

Leads with a flat T get the median end of the clear leads.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ecgviewer.dsp.boundaries import confirmed, prominent_extremum, smooth, trapezium_boundary

F64 = npt.NDArray[np.float64]

#: Most that a QT can be: QT_MAX_COEF * sqrt(RR) (about a QTc of 620 ms).
QT_MAX_COEF = 0.62
#: Smoothing of the T-wave copy (s).
SIGMA_S = 0.006
#: A lead's T peak lies within this of the global peak.
PEAK_WINDOW_MS = 60.0
#: A wave is a candidate T peak if its prominence reaches this fraction of the largest one's.
LATEST_FRACTION = 0.65
#: Reference points of the trapezium beyond the steepest descent: per lead and global.
REF_MS = 60.0
REF_GLOBAL_MS = 110.0
#: A lead has a clear T wave when it reaches this fraction of the largest T.
MIN_REL = 0.2
CONFIRM_LEADS = 2
CONFIRM_MS = 20.0


def t_bounds(qrs_on: int, n: int, rr_s: float, fs: float) -> tuple[int, int]:
    """Last column for the T peak and for the T end, from a physiological QT limit."""
    qt_max_s = max(0.2, min(QT_MAX_COEF * np.sqrt(rr_s), rr_s - 0.02))
    peak_bound = min(n - 1, qrs_on + int((qt_max_s - 0.03) * fs))
    end_bound = min(n - 1, qrs_on + int(max(qt_max_s, rr_s - 0.12) * fs))
    return peak_bound, end_bound


def mark_t(yb: F64, fs: float, qrs_off: int, peak_bound: int, end_bound: int,
           use: npt.NDArray[np.bool_]) -> tuple[F64, F64, float, float, float]:  # fmt: skip
    """T peaks and ends of a baseline-corrected beat ``yb`` ``(n_leads, n)``.

    Returns per-lead peaks and ends, the global peak and end, and the typical (median) end of
    the clear leads (NaN everywhere when there is no room for a T wave).
    """
    ms = fs / 1000.0
    n_leads = yb.shape[0]
    peaks = np.full(n_leads, np.nan)
    ends = np.full(n_leads, np.nan)
    nan = float("nan")
    start = qrs_off + int(40 * ms)
    if peak_bound - start < int(60 * ms):
        return peaks, ends, nan, nan, nan
    ys = smooth(yb, fs, SIGMA_S)
    mag = np.sqrt(np.sum((ys * use[:, None]) ** 2, axis=0))
    t_peak, _, _ = prominent_extremum(mag, start, peak_bound, False, LATEST_FRACTION)
    amp = np.zeros(n_leads)
    late = np.full(n_leads, np.nan)
    lo = max(start, t_peak - int(PEAK_WINDOW_MS * ms))
    hi = min(peak_bound, t_peak + int(PEAK_WINDOW_MS * ms))
    for lead in np.flatnonzero(use):
        if hi - lo < 3:
            break
        peak, sign, _ = prominent_extremum(ys[lead], lo, hi, True, LATEST_FRACTION)
        amp[lead] = abs(ys[lead, peak])
        peaks[lead] = peak
        stop = min(end_bound, peak + int(150 * ms))
        if stop - peak < 3:
            continue
        steep = peak + int(np.argmax(-sign * np.gradient(ys[lead])[peak:stop]))
        ends[lead] = trapezium_boundary(ys[lead], steep, min(end_bound, steep + int(REF_MS * ms)))
        late[lead] = trapezium_boundary(
            ys[lead], steep, min(end_bound, steep + int(REF_GLOBAL_MS * ms))
        )
    clear = (amp >= MIN_REL * amp.max()) & np.isfinite(ends) & np.isfinite(late)
    if not clear.any():
        return peaks, ends, float(t_peak), nan, nan
    t_end = confirmed(late[clear], fs, CONFIRM_LEADS, CONFIRM_MS, latest=True)
    typical = float(np.median(ends[clear]))
    ends = np.minimum(np.where(clear, ends, typical), t_end)
    return peaks, ends, float(t_peak), t_end, typical
