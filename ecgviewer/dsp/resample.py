"""Resampling between sampling rates, and mapping sample positions between them.

The measurements work at one internal rate (:data:`WORK_FS_HZ`) so that every time constant is
the same whatever the recording's rate (100 Hz PTB-XL, 360 Hz MIT-BIH, 1 kHz research systems);
fiducials found there are mapped back to the recording's own sample axis.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Literal

import numpy as np
import numpy.typing as npt
from scipy import interpolate, signal

from ecgviewer.dsp.filters import fill_gaps

F64 = npt.NDArray[np.float64]

#: The rate the delineation and measurements work at.
WORK_FS_HZ = 500.0


def resample(
    samples: npt.ArrayLike,
    fs_hz: float,
    target_fs_hz: float,
    method: Literal["polyphase", "pchip"] = "polyphase",
) -> F64:
    """Resample along the last axis.

    Parameters
    ----------
    samples
        One lead or ``(n_leads, n_samples)``.
    fs_hz, target_fs_hz
        Current and wanted rate. The ratio is approximated by a fraction with a denominator of
        at most 1000 (exact for every rate in clinical use).
    method
        ``"polyphase"``: band-limited, with a zero-delay anti-aliasing filter (the right
        choice for downsampling). ``"pchip"``: shape-preserving cubic interpolation, for
        upsampling a low-rate recording without the ringing a band-limited interpolator puts
        before every steep QRS (which would read as an early QRS onset).

    Returns
    -------
    ndarray
        float64 with ``round(n_samples * target_fs_hz / fs_hz)`` samples per lead (the exact
        polyphase length). Sample ``i`` of the output is at time ``i / target_fs_hz``, the same
        time axis as the input. Missing samples (NaN) stay missing at the corresponding times.
    """
    if fs_hz <= 0 or target_fs_hz <= 0:
        raise ValueError("sampling rates must be positive")
    x, missing = fill_gaps(samples)
    ratio = Fraction(target_fs_hz / fs_hz).limit_denominator(1000)
    if ratio == 1:
        out = x.copy()
        out[missing] = np.nan
        return out
    n_out = int(np.ceil(x.shape[-1] * ratio.numerator / ratio.denominator))
    if method == "pchip":
        t_in = np.arange(x.shape[-1]) / fs_hz
        t_out = np.minimum(np.arange(n_out) / target_fs_hz, t_in[-1])
        with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
            y: F64 = interpolate.PchipInterpolator(t_in, x, axis=-1)(t_out)
    elif method == "polyphase":
        y = signal.resample_poly(x, ratio.numerator, ratio.denominator, axis=-1, padtype="line")
    else:
        raise ValueError(f"method must be 'polyphase' or 'pchip', not {method!r}")
    if missing.any():
        src = np.minimum(
            np.round(np.arange(y.shape[-1]) * fs_hz / target_fs_hz).astype(np.int64),
            x.shape[-1] - 1,
        )
        y[np.take(missing, src, axis=-1)] = np.nan
    return y


def map_samples(positions: npt.ArrayLike, from_fs_hz: float, to_fs_hz: float) -> F64:
    """Sample positions (float, NaN allowed) on one rate's axis expressed on another's."""
    return np.asarray(positions, dtype=np.float64) * (to_fs_hz / from_fs_hz)
