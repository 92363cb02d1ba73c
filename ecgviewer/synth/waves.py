"""Compact-support wave shapes, the cardiac dipole they build, and its projection onto 12 leads.

Every wave is a sum of :class:`Component` bumps, each exactly zero outside ``[onset, offset]``,
so where a wave begins and ends is a fact of construction, not of measurement. The bumps move a
3-D heart vector (a vectorcardiogram in Frank axes: x to the patient's left, y to the feet,
z to the back); the inverse-Dower lead vectors turn it into the eight recorded leads I, II,
V1–V6, and III, aVR, aVL, aVF are derived from I and II exactly as an electrocardiograph does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ecgviewer.io.record import STANDARD_LEADS

F64 = npt.NDArray[np.float64]

#: Dower's lead vectors (mV of lead per mV of dipole), rows V1..V6, I, II; columns x, y, z.
#: Dower et al. 1980; the matrix every "inverse Dower" VCG synthesis inverts.
DOWER: F64 = np.array(
    [
        [-0.515, 0.157, -0.917],
        [0.044, 0.164, -1.387],
        [0.882, 0.098, -1.277],
        [1.213, 0.127, -0.601],
        [1.125, 0.127, -0.086],
        [0.831, 0.076, 0.230],
        [0.632, -0.235, 0.059],
        [0.235, 1.066, -0.132],
    ]
)
#: The leads an electrocardiograph records; the other four are computed from I and II.
RECORDED_LEADS: tuple[str, ...] = ("V1", "V2", "V3", "V4", "V5", "V6", "I", "II")


@dataclass(frozen=True, slots=True)
class Component:
    """One bump of the heart vector: zero outside ``[onset_s, offset_s]``, 1 at ``peak_s``.

    Times are relative to the beat's QRS onset. With ``plateau_s`` > 0 the top stays at 1 from
    ``peak_s`` to ``peak_s + plateau_s`` (an ST shift is a plateau, not a hump).
    ``edge_on`` / ``edge_off`` > 1 shorten the rounded tails at the
    two ends (the shape is ``0.5 * (1 + cos(pi * s**edge))`` on each side, ``s`` running from 0
    at the peak to 1 at the end) so that the visible start and end of a wave coincide with the
    true ones, as a cardiologist would mark them on a real ECG.
    """

    onset_s: float
    peak_s: float
    offset_s: float
    vector_mv: tuple[float, float, float]
    edge_on: float = 1.0
    edge_off: float = 1.0
    plateau_s: float = 0.0

    def __post_init__(self) -> None:
        if not (self.onset_s < self.peak_s and self.plateau_s >= 0 and self.fall_s < self.offset_s):
            raise ValueError(f"component needs onset < peak < offset, got {self}")

    @property
    def fall_s(self) -> float:
        """Time the descending side starts (the peak, or the end of the plateau)."""
        return self.peak_s + self.plateau_s


def bump(t_s: F64, comp: Component) -> F64:
    """Unit-height shape of ``comp`` at times ``t_s`` (relative to QRS onset); exactly 0 outside."""
    rise = comp.peak_s - comp.onset_s
    fall = comp.offset_s - comp.fall_s
    before = np.clip((comp.peak_s - t_s) / rise, 0.0, 1.0)
    after = np.clip((t_s - comp.fall_s) / fall, 0.0, 1.0)
    s = np.where(t_s <= comp.peak_s, before**comp.edge_on, after**comp.edge_off)
    inside = (t_s > comp.onset_s) & (t_s < comp.offset_s)
    return np.where(inside, 0.5 * (1.0 + np.cos(np.pi * s)), 0.0)


def render(components: Sequence[Component], anchors_s: F64, n_samples: int, fs_hz: float) -> F64:
    """Sum ``components`` placed at every anchor (QRS onset) into a ``(n_samples, 3)`` dipole.

    Only the samples inside each bump's support are evaluated, as one 2-D grid per component
    (beats x support), so a 30-minute recording costs a few hundred milliseconds.
    """
    out = np.zeros((n_samples, 3))
    for comp in components:
        out += np.outer(render_scalar(comp, anchors_s, n_samples, fs_hz), comp.vector_mv)
    return out


def render_scalar(comp: Component, anchors_s: F64, n_samples: int, fs_hz: float) -> F64:
    """The unit shape of ``comp`` at every anchor, summed into one ``(n_samples,)`` trace."""
    if anchors_s.size == 0:
        return np.zeros(n_samples)
    first = np.floor((anchors_s + comp.onset_s) * fs_hz).astype(np.int64)
    width = int(np.ceil((comp.offset_s - comp.onset_s) * fs_hz)) + 2
    idx = first[:, np.newaxis] + np.arange(width, dtype=np.int64)
    values = bump(idx / fs_hz - anchors_s[:, np.newaxis], comp)
    keep = (idx >= 0) & (idx < n_samples) & (values != 0.0)
    summed: F64 = np.bincount(idx[keep], weights=values[keep], minlength=n_samples).astype(
        np.float64, copy=False
    )
    return summed


def peak_magnitude_s(components: Sequence[Component]) -> float:
    """Time (relative to QRS onset) where the summed heart vector is largest, to 0.1 ms."""
    start = min(c.onset_s for c in components)
    stop = max(c.offset_s for c in components)
    t = np.arange(start, stop, 1e-4)
    vec = sum((np.outer(bump(t, c), c.vector_mv) for c in components), np.zeros((t.size, 3)))
    return float(t[int(np.argmax(np.linalg.norm(vec, axis=1)))])


def project(dipole_mv: F64) -> F64:
    """The eight recorded leads ``(8, n)`` in :data:`RECORDED_LEADS` order from a dipole."""
    return DOWER @ dipole_mv.T


def lead_gain(vector_mv: tuple[float, float, float], lead: str) -> float:
    """Amplitude a dipole ``vector_mv`` produces in one standard lead."""
    rec = dict(zip(RECORDED_LEADS, DOWER @ np.asarray(vector_mv), strict=True))
    return float(derive_twelve(np.array([[rec[n]] for n in RECORDED_LEADS]))[_ROW[lead], 0])


def derive_twelve(recorded: F64) -> F64:
    """All 12 leads in :data:`STANDARD_LEADS` order from the 8 recorded ones.

    III, aVR, aVL and aVF are computed from I and II (Einthoven and Goldberger), so the
    relations between limb leads hold exactly, noise included, as on a real electrocardiograph.
    """
    rows = dict(zip(RECORDED_LEADS, recorded, strict=True))
    lead_i, lead_ii = rows["I"], rows["II"]
    rows["III"] = lead_ii - lead_i
    rows["aVR"] = -(lead_i + lead_ii) / 2.0
    rows["aVL"] = lead_i - lead_ii / 2.0
    rows["aVF"] = lead_ii - lead_i / 2.0
    return np.stack([rows[name] for name in STANDARD_LEADS])


_ROW = {name: i for i, name in enumerate(STANDARD_LEADS)}
