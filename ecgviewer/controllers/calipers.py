"""Calipers: a dragged interval on the paper read as ms, the rate it implies, and mV.

A caliper belongs to one panel (lead, row, column) and is stored in record time and
millivolts, not in paper millimetres, so it stays on the same beats when the page scrolls and
reads the same at any speed or gain. The march-out repeats its interval across the panel, the
way a cardiologist walks dividers along a rhythm strip to check regularity.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ecgviewer.controllers.layout import PageLayout, Panel

F64 = npt.NDArray[np.float64]
#: A drag shorter than this (ms) is a click, not a caliper.
MIN_INTERVAL_MS = 4.0


@dataclass(frozen=True, slots=True)
class Caliper:
    """Two points on one panel: ``t`` in seconds of the record, ``v`` in mV."""

    lead: str
    row: int
    column: int
    t0_s: float
    t1_s: float
    v0_mv: float
    v1_mv: float

    @property
    def interval_ms(self) -> float:
        return abs(self.t1_s - self.t0_s) * 1000.0

    @property
    def rate_bpm(self) -> float:
        """The heart rate this interval implies if it is an RR interval (60000 / ms)."""
        return 60000.0 / self.interval_ms if self.interval_ms > 0 else math.inf

    @property
    def amplitude_mv(self) -> float:
        """Height of the second point above the first."""
        return self.v1_mv - self.v0_mv

    def describe(self) -> str:
        """``800 ms · 75 bpm · +1.20 mV (II)``."""
        rate = f"{self.rate_bpm:.0f} bpm" if math.isfinite(self.rate_bpm) else "– bpm"
        return f"{self.interval_ms:.0f} ms · {rate} · {self.amplitude_mv:+.2f} mV ({self.lead})"


@dataclass(frozen=True, slots=True)
class CaliperShape:
    """Where a caliper is drawn (paper mm): its two legs, the march-out ticks, its readout."""

    x0_mm: float
    x1_mm: float
    y0_mm: float
    y1_mm: float
    top_mm: float
    bottom_mm: float
    march_x_mm: F64
    text: str


def signal_at(panel: Panel, page_start_s: float, x_mm: float, y_mm: float) -> tuple[float, float]:
    """Record time (s) and amplitude (mV, at the panel's gain) of a point on ``panel``."""
    t0, _ = panel.window_s(page_start_s)
    t = t0 + (x_mm - panel.x_mm) / panel.mm_per_s
    return t, (panel.baseline_y_mm - y_mm) / panel.gain_mm_per_mv


def caliper_from_drag(
    layout: PageLayout,
    page_start_s: float,
    start_mm: tuple[float, float],
    end_mm: tuple[float, float],
) -> Caliper | None:
    """The caliper of a drag from ``start_mm`` to ``end_mm`` (paper mm), or ``None``.

    The drag must start on a panel; its end is kept inside that panel's time window (a caliper
    across two columns would mix two leads and two times).
    """
    panel = layout.panel_at(*start_mm)
    if panel is None:
        return None
    x1 = min(max(end_mm[0], panel.x_mm), panel.x_mm + panel.width_mm)
    t0, v0 = signal_at(panel, page_start_s, *start_mm)
    t1, v1 = signal_at(panel, page_start_s, x1, end_mm[1])
    return Caliper(panel.lead, panel.row, panel.column, t0, t1, v0, v1)


def is_click(caliper: Caliper) -> bool:
    return caliper.interval_ms < MIN_INTERVAL_MS


def march_out_s(caliper: Caliper, start_s: float, stop_s: float) -> F64:
    """Times ``t0 + k * interval`` (every integer ``k``) inside ``[start_s, stop_s]``."""
    step = abs(caliper.t1_s - caliper.t0_s)
    origin = min(caliper.t0_s, caliper.t1_s)
    if step <= 0:
        return np.zeros(0)
    k0 = math.ceil((start_s - origin) / step - 1e-9)
    k1 = math.floor((stop_s - origin) / step + 1e-9)
    return origin + np.arange(k0, k1 + 1, dtype=np.float64) * step


def caliper_shape(caliper: Caliper, layout: PageLayout, page_start_s: float) -> CaliperShape | None:
    """How to draw ``caliper`` on this page; ``None`` when its panel or time is not on it."""
    panel = next(
        (
            p
            for p in layout.panels
            if (p.lead, p.row, p.column) == (caliper.lead, caliper.row, caliper.column)
        ),
        None,
    )
    if panel is None:
        return None
    start_s, stop_s = panel.window_s(page_start_s)
    if max(caliper.t0_s, caliper.t1_s) < start_s or min(caliper.t0_s, caliper.t1_s) > stop_s:
        return None  # scrolled out of sight

    def x_of(t: F64 | float) -> F64:
        return np.asarray(panel.x_mm + (np.asarray(t) - start_s) * panel.mm_per_s, np.float64)

    march = march_out_s(caliper, start_s, stop_s)
    return CaliperShape(
        x0_mm=float(x_of(caliper.t0_s)),
        x1_mm=float(x_of(caliper.t1_s)),
        y0_mm=panel.baseline_y_mm - caliper.v0_mv * panel.gain_mm_per_mv,
        y1_mm=panel.baseline_y_mm - caliper.v1_mv * panel.gain_mm_per_mv,
        top_mm=panel.top_mm,
        bottom_mm=panel.top_mm + panel.height_mm,
        march_x_mm=x_of(march),
        text=caliper.describe(),
    )
