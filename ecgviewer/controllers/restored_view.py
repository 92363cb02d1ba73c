"""The restored-trace overlay: the anomaly model's expected normal signal over each panel's trace.

The analysis step hands over the restoration on the record's grid and baseline
(:func:`ecgviewer.analysis.anomaly.restored_on_record_grid`): the record's samples plus the
signed restoration difference. The overlay is drawn over the trace *as displayed*, so it adds
that difference to the displayed (possibly filtered) samples: with the baseline filter on or
off, the overlay sits exactly on the trace where the model restores the signal, and departs
from it by the heat map's error where it does not. Same slicing, decimation and paper scale as
:func:`~ecgviewer.controllers.traces.panel_trace`. Pure, no Qt.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ecgviewer.controllers.display_filters import NO_FILTERS, DisplayFilters, FilteredBlocks
from ecgviewer.controllers.layout import PageLayout
from ecgviewer.controllers.traces import DEFAULT_PX_PER_MM, Trace, placed_trace, sample_range
from ecgviewer.io.record import Record

F32 = npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True, eq=False)
class RestoredSignal:
    """The restored signal of the record shown (``[lead, sample]``, NaN where not analysed).

    On the record's grid and baseline; compared by identity.
    """

    samples: F32
    lead_names: tuple[str, ...]
    fs_hz: float


def restored_traces(
    restored: RestoredSignal | None,
    record: Record,
    layout: PageLayout,
    page_start_s: float,
    *,
    px_per_mm: float = DEFAULT_PX_PER_MM,
    filters: DisplayFilters = NO_FILTERS,
    cache: FilteredBlocks | None = None,
) -> tuple[Trace, ...]:
    """The overlay polyline of every panel the restoration covers (panels it misses are left out).

    Sample ``k`` lands where the trace's sample ``k`` does; its value is the displayed sample
    plus ``restored - raw``, so display filters move trace and overlay together.
    """
    if restored is None or restored.samples.shape[1] != record.n_samples:
        return ()
    cache = cache if cache is not None else FilteredBlocks()
    out = []
    for panel in layout.panels:
        if panel.lead not in restored.lead_names or panel.lead not in record.lead_names:
            continue
        start_s, stop_s = panel.window_s(page_start_s)
        a, b = sample_range(record, start_s, stop_s)
        expected = restored.samples[restored.lead_names.index(panel.lead), a:b]
        if b <= a or not np.isfinite(expected).any():
            continue
        row = record.lead_index(panel.lead)
        raw = np.asarray(record.samples[row, a:b], dtype=np.float64)
        shown = cache.window(record, row, filters, a, b) if filters.active else raw
        values = shown + (expected.astype(np.float64) - raw)
        out.append(placed_trace(panel, values, a, start_s, record.fs_hz, px_per_mm))
    return tuple(out)
