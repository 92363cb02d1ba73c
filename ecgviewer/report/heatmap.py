"""The restoration heat map: where, lead by lead and moment by moment, an anomaly model could
not reproduce the signal.

All it needs is a per-lead, per-sample error array (``[lead, sample]``, in mV, the record's lead
order and sampling): :func:`heat_map` bins it in time (the largest error of each bin, so a
short burst is never averaged away) and :func:`draw_heat_map` paints one strip per lead, the
lead's trace drawn thinly over it, as vector rectangles (no bitmap).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ecgviewer.controllers.heatmap_view import N_LEVELS, colour_levels, level_colour
from ecgviewer.controllers.layout import standard_order
from ecgviewer.report.fonts import Fonts
from ecgviewer.report.vector import RGB, MmCanvas, fill, polyline_ops, rect_ops, stroke

F64 = npt.NDArray[np.float64]
STRIP_MM = 6.0
STRIP_GAP_MM = 0.8
LABEL_COLUMN_MM = 11.0
LEGEND_MM = 7.0
TRACE_RGB: RGB = (0.25, 0.25, 0.25)


@dataclass(frozen=True, slots=True)
class HeatMap:
    """Binned restoration error: ``values[lead, bin]`` (mV, NaN where no sample is known)."""

    leads: tuple[str, ...]
    start_s: float
    bin_s: float
    values: F64
    #: The error painted in the darkest colour (the largest in the window unless given).
    scale_mv: float

    @property
    def n_bins(self) -> int:
        return int(self.values.shape[1])


def heat_map(
    error: npt.ArrayLike,
    lead_names: Sequence[str],
    fs_hz: float,
    start_s: float,
    duration_s: float,
    n_bins: int,
    scale_mv: float | None = None,
) -> HeatMap:
    """Bin ``error[lead, sample]`` over ``[start_s, start_s + duration_s)`` into ``n_bins``.

    Leads come out in reading order (I, II, … V6, then others). Each bin holds the largest
    absolute error of its samples; a bin without a finite sample is NaN (drawn blank).
    """
    err = np.abs(np.asarray(error, dtype=np.float64))
    if err.ndim != 2 or err.shape[0] != len(lead_names):
        raise ValueError(f"error must be [lead, sample] for {len(lead_names)} leads")
    n_bins = max(1, int(n_bins))
    a = max(0, math.floor(start_s * fs_hz))
    b = min(err.shape[1], math.ceil((start_s + duration_s) * fs_hz))
    order = standard_order(lead_names)
    rows = [list(lead_names).index(name) for name in order]
    window = err[rows, a:b]
    values = np.full((len(rows), n_bins), np.nan)
    n = window.shape[1]
    if n:
        # Bins partition the samples: bin k starts at sample floor(k * n / n_bins) and runs to
        # the next bin's start; bins narrower than a sample repeat that sample.
        starts = np.minimum(np.floor(np.arange(n_bins) * n / n_bins).astype(np.int64), n - 1)
        finite = np.where(np.isfinite(window), window, -np.inf)
        peak = np.maximum.reduceat(finite, starts, axis=1)
        values = np.where(np.isfinite(peak), peak, np.nan)
    finite_vals = values[np.isfinite(values)]
    if scale_mv is None:
        scale_mv = float(finite_vals.max()) if finite_vals.size else 0.0
    span_s = n / fs_hz if n else duration_s
    return HeatMap(tuple(order), a / fs_hz, span_s / n_bins, values, max(scale_mv, 1e-6))


def heat_map_height_mm(n_leads: int, strip_mm: float = STRIP_MM) -> float:
    return n_leads * (strip_mm + STRIP_GAP_MM) + LEGEND_MM


def strip_for_height(n_leads: int, height_mm: float) -> float:
    """The strip height (3-6 mm) that makes the heat map ``height_mm`` tall."""
    return min(STRIP_MM, max(3.0, (height_mm - LEGEND_MM) / max(n_leads, 1) - STRIP_GAP_MM))


def draw_heat_map(
    mc: MmCanvas,
    hm: HeatMap,
    origin: tuple[float, float],
    width_mm: float,
    fonts: Fonts,
    traces: Mapping[str, tuple[F64, F64]] | None = None,
    strip_mm: float = STRIP_MM,
) -> float:
    """Paint ``hm`` at ``origin`` across ``width_mm``; returns the height used (mm).

    ``traces`` maps a lead to ``(time_s, mV)`` drawn over its strip, scaled to fit it.
    """
    ox, oy = origin
    strip_w = width_mm - LABEL_COLUMN_MM
    bin_w = strip_w / hm.n_bins
    levels = colour_levels(hm.values, hm.scale_mv)
    by_level: dict[int, list[str]] = {}
    lines = []
    for i, lead in enumerate(hm.leads):
        top = i * (strip_mm + STRIP_GAP_MM)
        row = levels[i]
        # Runs of one colour become one rectangle.
        change = np.flatnonzero(np.diff(row)) + 1
        starts = np.concatenate([[0], change])
        stops = np.concatenate([change, [row.size]])
        for s, e in zip(starts, stops, strict=True):
            if row[s] > 0:
                x = LABEL_COLUMN_MM + s * bin_w
                by_level.setdefault(int(row[s]), []).append(
                    rect_ops(x, top, (e - s) * bin_w, strip_mm)
                )
        mc.text(ox + 1.0, oy + top + strip_mm / 2 + 1.2, lead, fonts.bold, 7.5)
        if traces and lead in traces:
            t, mv = traces[lead]
            finite = mv[np.isfinite(mv)]
            if finite.size:
                lo, hi = np.percentile(finite, [0.5, 99.5])
                span = max(hi - lo, 0.2)
                x = LABEL_COLUMN_MM + (t - hm.start_s) / (hm.bin_s * hm.n_bins) * strip_w
                y = top + strip_mm - 0.4 - (mv - lo) / span * (strip_mm - 0.8)
                lines.append(polyline_ops(x, y))
    ops = [fill("\n".join(r), level_colour(level)) for level, r in sorted(by_level.items())]
    frame = "\n".join(
        rect_ops(LABEL_COLUMN_MM, i * (strip_mm + STRIP_GAP_MM), strip_w, strip_mm)
        for i in range(len(hm.leads))
    )
    ops.append(stroke(frame, (0.6, 0.6, 0.6), 0.1))
    ops.append(stroke("\n".join(lines), TRACE_RGB, 0.12))
    mc.draw("\n".join(ops), origin)

    legend_y = len(hm.leads) * (strip_mm + STRIP_GAP_MM) + 1.0
    bar_w = 4.0
    bar = [
        fill(rect_ops(LABEL_COLUMN_MM + k * bar_w, legend_y, bar_w, 3.0), level_colour(k))
        for k in range(N_LEVELS)
    ]
    bar.append(stroke(rect_ops(LABEL_COLUMN_MM, legend_y, N_LEVELS * bar_w, 3.0), (0.6,) * 3, 0.1))
    mc.draw("\n".join(bar), origin)
    base = oy + legend_y + 2.6
    right = ox + LABEL_COLUMN_MM + N_LEVELS * bar_w
    mc.text(ox + LABEL_COLUMN_MM - 1.0, base, "0", fonts.regular, 7, align="right")
    mc.text(
        right + 1.0,
        base,
        f"{hm.scale_mv:.2g} mV restoration error (largest in the window)",
        fonts.regular,
        7,
    )
    return heat_map_height_mm(len(hm.leads), strip_mm)
