"""Samples to paper millimetres: the curve data of each panel.

Only the samples inside a panel's time window are ever touched (``Record.window`` returns a
view), so a 24-hour Holter costs no more to draw than a 10-second ECG. Missing samples stay
NaN, and the UI draws them as gaps: a gap is never bridged or filled.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ecgviewer.controllers.layout import PageLayout, Panel
from ecgviewer.controllers.paper import PaperSpec
from ecgviewer.io.record import Record


@dataclass(frozen=True, slots=True)
class Trace:
    """The polyline of one panel in paper millimetres (read-only arrays, NaN where no signal)."""

    panel: Panel
    x_mm: npt.NDArray[np.float64]
    y_mm: npt.NDArray[np.float64]

    @property
    def n_samples(self) -> int:
        return int(self.x_mm.shape[0])


def panel_trace(record: Record, panel: Panel, paper: PaperSpec | None = None) -> Trace:
    """Place the samples of ``panel.lead`` between ``panel.start_s`` and ``panel.stop_s``.

    Sample ``k`` (absolute index) lands at ``x = panel.x_mm + (k / fs - start_s) * speed`` and
    ``y = panel.baseline_y_mm - mV * gain``. The window ends on the first sample at or after
    ``stop_s``, so consecutive columns meet without a visible seam.
    """
    paper = paper or PaperSpec()
    row = record.lead_index(panel.lead)
    window = record.window(panel.start_s, panel.stop_s)[row]
    # Same first index as Record.window computes, so x matches the samples it returned.
    first = max(0, math.floor(panel.start_s * record.fs_hz))
    t_s = (first + np.arange(window.shape[0], dtype=np.float64)) / record.fs_hz
    x = panel.x_mm + (t_s - panel.start_s) * paper.speed_mm_per_s
    y = panel.baseline_y_mm - window.astype(np.float64) * paper.gain_mm_per_mv
    x.flags.writeable = False
    y.flags.writeable = False
    return Trace(panel, x, y)


def page_traces(
    record: Record, layout: PageLayout, paper: PaperSpec | None = None
) -> tuple[Trace, ...]:
    """The traces of every panel on the page, in the layout's panel order."""
    return tuple(panel_trace(record, panel, paper) for panel in layout.panels)
