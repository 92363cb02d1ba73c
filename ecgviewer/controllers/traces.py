"""Samples to paper millimetres: the curve data of each panel.

Only the samples inside a panel's time window are touched (a slice of the read-only record,
no copy), then reduced to at most two points per screen pixel column by
:func:`~ecgviewer.controllers.decimate.minmax_decimate`. A 24-hour Holter therefore costs no
more to draw than a 10-second ECG. Missing samples stay NaN and are drawn as gaps, never bridged
or filled. With display filters on, the window comes from a :class:`FilteredBlocks` cache.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ecgviewer.controllers.decimate import minmax_decimate
from ecgviewer.controllers.display_filters import NO_FILTERS, DisplayFilters, FilteredBlocks
from ecgviewer.controllers.layout import PageLayout, Panel
from ecgviewer.io.record import Record

#: Screen density assumed before the view knows its own (about 100 dpi).
DEFAULT_PX_PER_MM = 4.0


@dataclass(frozen=True, slots=True)
class Trace:
    """The polyline of one panel in paper mm (read-only arrays, NaN where there is no signal).

    ``first_sample``/``n_source`` say which record samples the panel covers; ``x_mm`` may hold
    fewer points than that after decimation.
    """

    panel: Panel
    x_mm: npt.NDArray[np.float64]
    y_mm: npt.NDArray[np.float64]
    first_sample: int
    n_source: int

    @property
    def n_points(self) -> int:
        return int(self.x_mm.shape[0])


def sample_range(record: Record, start_s: float, stop_s: float) -> tuple[int, int]:
    """Absolute indices ``[a, b)`` of the samples from ``start_s`` up to and including ``stop_s``.

    The sample at ``stop_s`` is included so consecutive columns meet without a seam.
    """
    a = min(record.n_samples, max(0, math.ceil(start_s * record.fs_hz - 1e-9)))
    b = min(record.n_samples, max(a, math.floor(stop_s * record.fs_hz + 1e-9) + 1))
    return a, b


def panel_trace(
    record: Record,
    panel: Panel,
    page_start_s: float,
    *,
    px_per_mm: float = DEFAULT_PX_PER_MM,
    filters: DisplayFilters = NO_FILTERS,
    cache: FilteredBlocks | None = None,
) -> Trace:
    """Place the samples of ``panel.lead`` shown when the page starts at ``page_start_s``.

    Sample ``k`` lands at ``x = panel.x_mm + (k / fs - window start) * speed`` and
    ``y = panel.baseline_y_mm - mV * panel gain``.
    """
    start_s, stop_s = panel.window_s(page_start_s)
    a, b = sample_range(record, start_s, stop_s)
    row = record.lead_index(panel.lead)
    if filters.active and b > a:
        cache = cache if cache is not None else FilteredBlocks()
        values: npt.NDArray[np.floating] = cache.window(record, row, filters, a, b)
    else:
        values = record.samples[row, a:b]
    return placed_trace(panel, values, a, start_s, record.fs_hz, px_per_mm)


def placed_trace(
    panel: Panel,
    values: npt.NDArray[np.floating],
    first: int,
    start_s: float,
    fs_hz: float,
    px_per_mm: float = DEFAULT_PX_PER_MM,
) -> Trace:
    """``values`` (mV; samples ``first``, ``first + 1``, ... of the record) min/max-decimated to
    the panel's pixel columns and placed on it, its window starting at ``start_s``."""
    columns = math.ceil(panel.width_mm * max(px_per_mm, 0.5))
    index, mv = minmax_decimate(values, columns)
    t_s = (first + index) / fs_hz
    x = panel.x_mm + (t_s - start_s) * panel.mm_per_s
    y = panel.baseline_y_mm - mv * panel.gain_mm_per_mv
    x.flags.writeable = False
    y.flags.writeable = False
    return Trace(panel, x, y, first, len(values))


def page_traces(
    record: Record,
    layout: PageLayout,
    page_start_s: float,
    *,
    px_per_mm: float = DEFAULT_PX_PER_MM,
    filters: DisplayFilters = NO_FILTERS,
    cache: FilteredBlocks | None = None,
) -> tuple[Trace, ...]:
    """The traces of every panel on the page, in the layout's panel order."""
    cache = cache if cache is not None else FilteredBlocks()
    return tuple(
        panel_trace(record, panel, page_start_s, px_per_mm=px_per_mm, filters=filters, cache=cache)
        for panel in layout.panels
    )
