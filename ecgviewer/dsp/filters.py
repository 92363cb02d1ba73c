"""Zero-phase ECG filters: baseline-wander removal, mains notch, low-, high- and band-pass.

Every filter here runs forwards and backwards (``sosfiltfilt`` / ``filtfilt``), so it shifts no
wave in time: a fiducial measured on the filtered trace is where it is on the raw one. The same
functions serve the measurements and the viewer's display filters.

All functions take one lead ``(n_samples,)`` or several ``(n_leads, n_samples)`` (filtering along
the last axis), return float64, and keep missing samples (NaN) missing: gaps are bridged by
linear interpolation for the filter's sake only and set back to NaN afterwards.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt
from scipy import ndimage, signal

F64 = npt.NDArray[np.float64]

#: Mains frequencies a recording may carry.
POWERLINE_HZ: tuple[float, ...] = (50.0, 60.0)


def fill_gaps(samples: npt.ArrayLike) -> tuple[F64, npt.NDArray[np.bool_]]:
    """Copy of ``samples`` with NaN runs bridged linearly (edges held), and the NaN mask.

    A lead that is entirely NaN becomes zeros. The mask lets a caller put the gaps back.
    """
    x = np.array(samples, dtype=np.float64, ndmin=1)
    missing = np.isnan(x)
    if not missing.any():
        return x, missing
    rows = x.reshape(-1, x.shape[-1])
    gaps = missing.reshape(rows.shape)
    index = np.arange(rows.shape[-1])
    for row, gap in zip(rows, gaps, strict=True):
        if gap.all():
            row[:] = 0.0
        elif gap.any():
            row[gap] = np.interp(index[gap], index[~gap], row[~gap])
    return x, missing


def _zero_phase(sos: F64, samples: npt.ArrayLike, padlen: int) -> F64:
    x, missing = fill_gaps(samples)
    n = x.shape[-1]
    if n < 2:
        return x
    y: F64 = signal.sosfiltfilt(sos, x, axis=-1, padtype="odd", padlen=min(padlen, n - 1))
    y[missing] = np.nan
    return y


def _check(fs_hz: float, *freqs_hz: float) -> None:
    nyquist = fs_hz / 2.0
    for f in freqs_hz:
        if not 0.0 < f < nyquist:
            raise ValueError(f"cut-off {f:g} Hz must lie between 0 and {nyquist:g} Hz (fs/2)")


def highpass(samples: npt.ArrayLike, fs_hz: float, cutoff_hz: float, order: int = 2) -> F64:
    """Zero-phase Butterworth high-pass (the effective order is doubled by the two passes)."""
    _check(fs_hz, cutoff_hz)
    sos = signal.butter(order, cutoff_hz, "highpass", fs=fs_hz, output="sos")
    # Pad by a few time constants so the edges carry no start-up transient.
    return _zero_phase(sos, samples, int(3.0 * fs_hz / cutoff_hz))


def lowpass(samples: npt.ArrayLike, fs_hz: float, cutoff_hz: float, order: int = 4) -> F64:
    """Zero-phase Butterworth low-pass; a cut-off at or above fs/2 returns the input unchanged."""
    if cutoff_hz >= fs_hz / 2.0:
        return np.array(samples, dtype=np.float64, ndmin=1)
    _check(fs_hz, cutoff_hz)
    sos = signal.butter(order, cutoff_hz, "lowpass", fs=fs_hz, output="sos")
    return _zero_phase(sos, samples, int(3.0 * fs_hz / cutoff_hz) + 3 * (2 * order + 1))


def bandpass(
    samples: npt.ArrayLike, fs_hz: float, low_hz: float, high_hz: float, order: int = 2
) -> F64:
    """Zero-phase Butterworth band-pass; ``high_hz`` is capped just below fs/2."""
    high_hz = min(high_hz, 0.45 * fs_hz)
    _check(fs_hz, low_hz, high_hz)
    sos = signal.butter(order, (low_hz, high_hz), "bandpass", fs=fs_hz, output="sos")
    return _zero_phase(sos, samples, int(3.0 * fs_hz / low_hz))


def notch(
    samples: npt.ArrayLike, fs_hz: float, freq_hz: float = 50.0, quality: float = 30.0
) -> F64:
    """Zero-phase IIR notch at ``freq_hz`` (mains) and its harmonics below fs/2.

    ``quality`` is centre frequency over the -3 dB bandwidth: 30 removes 50 Hz and keeps 48 Hz
    within 1 dB after both passes. A notch rings for about ``quality / (pi * f)`` seconds, so
    the record is extended at each end by its edge level plus the mains sinusoid fitted to
    its first (last) half second: the filter then meets no jump at the edges and the hum is
    removed up to the first and last sample.
    """
    x, missing = fill_gaps(samples)
    n = x.shape[-1]
    harmonic = freq_hz
    while harmonic < 0.95 * fs_hz / 2.0 and n > 1:
        b, a = signal.iirnotch(harmonic, quality, fs=fs_hz)
        pad = int(3.0 * quality * fs_hz / harmonic)
        padded = _pad_with_sinusoid(x, fs_hz, harmonic, pad)
        x = signal.filtfilt(b, a, padded, axis=-1, padlen=0)[..., pad : pad + n]
        harmonic += freq_hz
    x[missing] = np.nan
    return x


def _pad_with_sinusoid(x: F64, fs_hz: float, freq_hz: float, pad: int) -> F64:
    """``x`` extended by ``pad`` samples each side: edge level plus the fitted sinusoid."""
    n = x.shape[-1]
    fit = min(n, int(0.5 * fs_hz))
    w = 2 * np.pi * freq_hz / fs_hz

    def continuation(seg: F64, t_seg: F64, t_new: F64) -> F64:
        basis = np.stack([np.sin(w * t_seg), np.cos(w * t_seg), np.ones_like(t_seg)], axis=-1)
        coef = np.linalg.lstsq(basis, seg.reshape(-1, seg.shape[-1]).T, rcond=None)[0]
        wave = np.stack([np.sin(w * t_new), np.cos(w * t_new)], axis=-1) @ coef[:2]
        out: F64 = wave.T.reshape(*seg.shape[:-1], t_new.size)
        return out

    t = np.arange(n, dtype=np.float64)
    left_t = np.arange(-pad, 0, dtype=np.float64)
    right_t = np.arange(n, n + pad, dtype=np.float64)
    left = x[..., :1] + continuation(x[..., :fit], t[:fit], left_t)
    left -= continuation(x[..., :fit], t[:fit], t[:1])
    right = x[..., -1:] + continuation(x[..., -fit:], t[-fit:], right_t)
    right -= continuation(x[..., -fit:], t[-fit:], t[-1:])
    return np.concatenate([left, x, right], axis=-1)


def powerline_hz(samples: npt.ArrayLike, fs_hz: float, min_ratio: float = 4.0) -> float | None:
    """The mains frequency (50 or 60 Hz) that stands out of the spectrum, or ``None``.

    A line counts when its power is ``min_ratio`` times the median power of the band around it
    (44–66 Hz, the mains lines excluded) in the lead where it is strongest.
    """
    x, _ = fill_gaps(samples)
    rows = x.reshape(-1, x.shape[-1])
    if fs_hz / 2.0 <= 62.0 or rows.shape[-1] < int(fs_hz):
        return None
    freqs, power = signal.welch(rows, fs=fs_hz, nperseg=int(fs_hz), axis=-1)
    band = (freqs >= 44.0) & (freqs <= 66.0)
    best: tuple[float, float] | None = None
    for line in POWERLINE_HZ:
        at = np.argmin(np.abs(freqs - line))
        around = band & (np.abs(freqs - 50.0) > 1.5) & (np.abs(freqs - 60.0) > 1.5)
        floor = np.median(power[:, around], axis=-1) + 1e-18
        ratio = float(np.max(power[:, at] / floor))
        if ratio >= min_ratio and (best is None or ratio > best[1]):
            best = (line, ratio)
    return None if best is None else best[0]


def remove_baseline(
    samples: npt.ArrayLike,
    fs_hz: float,
    cutoff_hz: float = 0.5,
    method: Literal["highpass", "median"] = "highpass",
) -> F64:
    """Remove baseline wander (respiration, electrode drift).

    Parameters
    ----------
    samples
        One lead or ``(n_leads, n_samples)``, mV.
    fs_hz
        Sampling rate.
    cutoff_hz
        High-pass corner for ``method="highpass"``. 0.5 Hz passes a 1 Hz component with < 6 %
        loss and, being zero-phase, leaves ST segments in place (AHA 2007 allows up to 0.67 Hz
        for linear-phase filters).
    method
        ``"highpass"``: zero-phase Butterworth (order 2, applied twice). ``"median"``: subtract
        the baseline estimated by a 200 ms then a 600 ms median filter (de Chazal 2004), which
        follows steps and fast drift better but costs more on long records.
    """
    if method == "highpass":
        return highpass(samples, fs_hz, cutoff_hz)
    if method != "median":
        raise ValueError(f"method must be 'highpass' or 'median', not {method!r}")
    x, missing = fill_gaps(samples)
    short = max(1, round(0.2 * fs_hz)) | 1
    long = max(1, round(0.6 * fs_hz)) | 1
    size = (1,) * (x.ndim - 1)
    base = ndimage.median_filter(x, size=(*size, short), mode="nearest")
    base = ndimage.median_filter(base, size=(*size, long), mode="nearest")
    y: F64 = x - base
    y[missing] = np.nan
    return y
