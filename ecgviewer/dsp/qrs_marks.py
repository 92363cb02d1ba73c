"""QRS onset and offset of one beat, per lead and global.

Per lead: from the first (last) steep slope of the lead inside the QRS core, walk outwards
until the slope stays below a small fraction of the lead's steepest slope for 10 ms — so a
notch or the tip of a small q wave, where the slope is briefly flat, does not end the QRS. The
threshold never falls below the lead's slope noise nor, with an irregular rhythm, below its
typical slope outside the QRS (f-wave remnants). The QRS core is the stretch around the R peak
where the spatial velocity (norm of all leads' slopes) stays high. Global: the earliest
per-lead onset that at least three other leads confirm within 16 ms (latest offset likewise),
so a single noisy lead cannot stretch it.

The thresholds were chosen on the LUDB records (see ``benchmarks/validate_ludb.py``) and checked
against the synthetic generator's exact truth (``benchmarks/validate_synthetic.py``).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ecgviewer.dsp.boundaries import confirmed, first_below, smooth

F64 = npt.NDArray[np.float64]

#: Scale (s) of the Gaussian derivative giving the slopes.
SIGMA_S = 0.003
#: The core is where the spatial velocity exceeds this fraction of its peak.
CORE_FRACTION = 0.3
#: A lead's QRS starts (ends) at its first (last) slope above this fraction of its steepest ...
SIGNIFICANT_FRACTION = 0.3
#: ... and extends outwards until its slope stays below these fractions ...
ONSET_FRACTION = 0.03
OFFSET_FRACTION = 0.04
#: ... for this long, and below NOISE_K times the lead's slope noise and ACTIVITY_K times its
#: typical slope outside the QRS (f-waves, tremor).
HOLD_MS = 10.0
NOISE_K = 3.0
ACTIVITY_K = 3.0
ACTIVITY_PERCENTILE = 50.0
#: Global onset/offset: confirmed by this many other leads within this time.
CONFIRM_LEADS = 3
CONFIRM_MS = 16.0


def slope_noise(d: F64, fs: float) -> F64:
    """Per-lead noise of slope traces ``d``: the robust spread of what a 5 ms smoothing takes
    out of them (waves are smooth at that scale, noise is not)."""
    rough = d - smooth(d, fs, 0.005)
    noise: F64 = 1.4826 * np.median(np.abs(rough), axis=-1)
    return noise


def qrs_core(vel: F64, r: int, fs: float) -> tuple[int, int]:
    """The stretch around ``r`` where the spatial velocity stays above CORE_FRACTION of its
    peak (dips under 10 ms ignored); at fast rates a neighbouring T wave can be as steep, so
    the search stops 120 ms either side."""
    ms = fs / 1000.0
    lo = max(0, r - int(120 * ms))
    hi = min(vel.size - 1, r + int(120 * ms))
    vmax = float(vel[max(0, r - int(60 * ms)) : r + int(60 * ms) + 1].max())
    thr = CORE_FRACTION * vmax
    hold = max(1, int(10 * ms))
    return first_below(vel, r, -1, thr, hold, lo), first_below(vel, r, +1, thr, hold, hi)


def mark_qrs(
    d: F64, r: int, fs: float, use: npt.NDArray[np.bool_], irregular: bool = False
) -> tuple[F64, F64, float, float]:
    """QRS boundaries from slopes ``d`` ``(n_leads, n)`` of a beat whose R peak is column ``r``.

    Returns per-lead onsets and offsets (NaN for unused leads) and the global onset and offset
    (columns, float). With an ``irregular`` rhythm the slope outside the QRS (f-wave remnants)
    also sets a floor; with a regular one it is mostly P and T waves, which must not.
    """
    ms = fs / 1000.0
    n_leads, n = d.shape
    vel = np.sqrt(np.sum((d * use[:, None]) ** 2, axis=0))
    core = qrs_core(vel, r, fs)
    a0 = max(0, core[0] - int(20 * ms))
    b0 = min(n - 1, core[1] + int(20 * ms))
    on = np.full(n_leads, np.nan)
    off = np.full(n_leads, np.nan)
    hold = max(1, int(HOLD_MS * ms))
    noise = slope_noise(d, fs)
    # Activity outside the QRS (f-waves) also sets a floor the QRS must rise above.
    outside = np.full(n, irregular, dtype=np.bool_)
    outside[max(0, a0 - int(100 * ms)) : b0 + int(100 * ms)] = False
    activity = (
        np.percentile(np.abs(d[:, outside]), ACTIVITY_PERCENTILE, axis=1)
        if outside.sum() > 10
        else np.zeros(n_leads)
    )
    for lead in np.flatnonzero(use):
        a = np.abs(d[lead])
        dmax = float(a[a0 : b0 + 1].max())
        if dmax <= 0:
            continue
        sig = np.flatnonzero(a[a0 : b0 + 1] >= SIGNIFICANT_FRACTION * dmax) + a0
        first, last = int(sig[0]), int(sig[-1])
        # A fraction of the steepest slope, but never inside the noise.
        floor = max(NOISE_K * noise[lead], ACTIVITY_K * activity[lead])
        thr_on = max(ONSET_FRACTION * dmax, floor)
        thr_off = max(OFFSET_FRACTION * dmax, floor)
        on[lead] = first_below(a, first, -1, thr_on, hold, max(0, first - int(80 * ms)))
        off[lead] = first_below(a, last, +1, thr_off, hold, min(n - 1, last + int(100 * ms)))
    ok = np.isfinite(on) & np.isfinite(off)
    if not ok.any():
        return on, off, float(core[0]), float(core[1])
    glob_on = confirmed(on[ok], fs, CONFIRM_LEADS, CONFIRM_MS, latest=False)
    glob_off = confirmed(off[ok], fs, CONFIRM_LEADS, CONFIRM_MS, latest=True)
    return on, off, glob_on, glob_off
