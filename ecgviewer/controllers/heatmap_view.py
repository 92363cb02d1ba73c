"""The restoration-error heat map on the viewer's paper: one thin colour strip under each panel.

The anomaly model's error (``[lead, sample]`` on the record's grid, NaN where it did not look)
is binned per panel (the largest error of each bin, so a short burst is never averaged away)
and quantised on a *fixed* scale (:data:`VIEWER_SCALE_MV`) so that two records can be compared
by colour; the PDF uses the same colours (:func:`level_colour`). Pure, no Qt.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import numpy as np
import numpy.typing as npt

from ecgviewer.controllers.layout import PageLayout

F64 = npt.NDArray[np.float64]
F32 = npt.NDArray[np.float32]
RGB = tuple[float, float, float]
#: Colour steps; the first (white) holds errors below a tenth of the scale.
N_LEVELS = 10
#: White, then yellow, orange and red: the colour of no error to the colour of the largest.
_STOPS: tuple[tuple[float, RGB], ...] = (
    (0.0, (1.0, 1.0, 1.0)),
    (0.25, (1.0, 0.93, 0.55)),
    (0.6, (0.99, 0.55, 0.24)),
    (1.0, (0.75, 0.05, 0.1)),
)
#: Restoration error (mV) painted in the darkest colour in the viewer (fixed for comparison).
VIEWER_SCALE_MV = 0.3
#: Height of the strip at the bottom of each panel, and the width of one bin, in paper mm.
STRIP_MM = 2.0
BIN_MM = 1.0


def colour_levels(values: F64, scale_mv: float, n_levels: int = N_LEVELS) -> npt.NDArray[np.int64]:
    """Quantised colour level 0..n-1 of each value (``-1`` for NaN); level 0 is no error."""
    frac = np.clip(np.nan_to_num(values, nan=0.0) / scale_mv, 0.0, 1.0)
    levels = np.minimum((frac * n_levels).astype(np.int64), n_levels - 1)
    return np.where(np.isfinite(values), levels, -1)


def level_colour(level: int, n_levels: int = N_LEVELS) -> RGB:
    """The colour of a level (piecewise linear through the white-yellow-orange-red stops)."""
    f = (level + 0.5) / n_levels if level > 0 else 0.0
    for (f0, c0), (f1, c1) in pairwise(_STOPS):
        if f <= f1:
            w = (f - f0) / (f1 - f0)
            return (
                c0[0] + w * (c1[0] - c0[0]),
                c0[1] + w * (c1[1] - c0[1]),
                c0[2] + w * (c1[2] - c0[2]),
            )
    return _STOPS[-1][1]


@dataclass(frozen=True, slots=True, eq=False)
class ErrorMap:
    """The restoration error of the record shown (compared by identity)."""

    error: F32
    lead_names: tuple[str, ...]
    fs_hz: float


@dataclass(frozen=True, slots=True)
class HeatStrip:
    """One panel's strip: ``levels[bin]`` (-1 = not analysed) over ``[x_mm, x_mm + width)``."""

    lead: str
    x_mm: float
    y_mm: float
    width_mm: float
    height_mm: float
    levels: npt.NDArray[np.int64]


def bin_maxima(row: npt.NDArray[np.floating], edges: npt.NDArray[np.int64]) -> F64:
    """Largest ``|row|`` in each bin ``[edges[i], edges[i + 1])`` (ascending edges), ignoring
    non-finite samples; NaN for a bin with none."""
    values = np.full(len(edges) - 1, np.nan)
    starts, stops = edges[:-1], edges[1:]
    filled = stops > starts
    if not filled.any():
        return values
    # Bins are contiguous, so the maxima from each filled bin's start to the next one's are the
    # bins' own (empty bins in between add nothing); the last one ends at the last edge.
    magnitude = np.abs(np.asarray(row[: int(edges[-1])], dtype=np.float64))
    magnitude[~np.isfinite(magnitude)] = -np.inf
    maxima = np.maximum.reduceat(magnitude, starts[filled])
    values[filled] = np.where(np.isfinite(maxima), maxima, np.nan)
    return values


def heat_strips(
    errors: ErrorMap | None,
    layout: PageLayout,
    page_start_s: float,
    scale_mv: float = VIEWER_SCALE_MV,
) -> tuple[HeatStrip, ...]:
    """A strip along the bottom of every panel whose lead the error map covers."""
    if errors is None:
        return ()
    out = []
    for panel in layout.panels:
        if panel.lead not in errors.lead_names:
            continue
        row = errors.error[errors.lead_names.index(panel.lead)]
        t0, t1 = panel.window_s(page_start_s)
        n_bins = max(1, int(panel.width_mm / BIN_MM))
        times = np.linspace(t0 * errors.fs_hz, t1 * errors.fs_hz, n_bins + 1)
        edges = np.clip(np.round(times).astype(np.int64), 0, row.shape[0])
        values = bin_maxima(row, edges)
        if not np.isfinite(values).any():
            continue
        y = panel.top_mm + panel.height_mm - STRIP_MM
        levels = colour_levels(values, scale_mv)
        out.append(HeatStrip(panel.lead, panel.x_mm, y, panel.width_mm, STRIP_MM, levels))
    return tuple(out)
