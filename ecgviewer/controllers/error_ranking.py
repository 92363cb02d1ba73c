"""Where the anomaly model's restoration error is largest: ranked (lead, beat) pairs, and marks.

:func:`largest_errors` averages the error map over a window around each detected beat in each
lead and ranks the pairs, for the findings panel's clickable list; :func:`mark_boxes` is the
geometry of the highlight drawn where the viewer jumped to. Pure, no Qt.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ecgviewer.controllers.heatmap_view import ErrorMap
from ecgviewer.controllers.layout import PageLayout, Panel

#: The beat window the error is averaged over, seconds before and after the beat's time (R).
BEAT_PRE_S = 0.25
BEAT_POST_S = 0.45
#: Rows in the findings panel's list.
N_LARGEST = 5


@dataclass(frozen=True, slots=True)
class LargeError:
    """One lead of one beat and its mean restoration error (mV) over the beat window."""

    lead: str
    time_s: float
    error_mv: float

    def describe(self) -> str:
        """``V2 · beat at 3.42 s · 0.21 mV``."""
        return f"{self.lead} · beat at {self.time_s:.2f} s · {self.error_mv:.2f} mV"


def largest_errors(
    errors: ErrorMap | None,
    beat_times_s: Sequence[float],
    n: int = N_LARGEST,
    pre_s: float = BEAT_PRE_S,
    post_s: float = BEAT_POST_S,
) -> tuple[LargeError, ...]:
    """The ``n`` (lead, beat) pairs with the largest mean error, largest first.

    The mean is over the finite error samples in ``[t - pre_s, t + post_s]`` of each beat time
    ``t``; beats outside the analysed part (no finite sample) are left out. Ties go to the
    earlier beat, then to the lead that comes first in the map.
    """
    if errors is None or n <= 0 or not len(beat_times_s):
        return ()
    fs = errors.fs_hz
    n_samples = errors.error.shape[1]
    analysed = np.flatnonzero(np.isfinite(errors.error).any(axis=0))
    if not len(analysed):
        return ()
    # Only beats near the analysed part (10 s of what may be a 24 h record) can have an error.
    lo, hi = analysed[0] / fs - post_s, analysed[-1] / fs + pre_s
    items: list[tuple[float, float, int, LargeError]] = []
    for t in sorted(float(b) for b in beat_times_s if math.isfinite(b) and lo <= b <= hi):
        a = max(0, math.ceil((t - pre_s) * fs - 1e-9))
        b = min(n_samples, math.floor((t + post_s) * fs + 1e-9) + 1)
        if b <= a:
            continue
        window = np.asarray(errors.error[:, a:b], dtype=np.float64)
        finite = np.isfinite(window)
        counts = finite.sum(axis=1)
        sums = np.where(finite, np.abs(window), 0.0).sum(axis=1)
        for row, lead in enumerate(errors.lead_names):
            if counts[row]:
                mean = float(sums[row] / counts[row])
                items.append((-mean, t, row, LargeError(lead, t, mean)))
    items.sort(key=lambda item: item[:3])
    return tuple(item[3] for item in items[:n])


@dataclass(frozen=True, slots=True)
class ErrorMark:
    """The (lead, beat) the viewer jumped to from the list."""

    lead: str
    time_s: float


@dataclass(frozen=True, slots=True)
class MarkBox:
    """A highlight over a panel's stretch of paper; ``label`` names the lead when the box sits
    in another lead's panel (the lead itself does not show that moment in this format)."""

    x_mm: float
    y_mm: float
    width_mm: float
    height_mm: float
    label: str = ""


def _box(panel: Panel, page_start_s: float, t0: float, t1: float, label: str) -> MarkBox | None:
    w0, w1 = panel.window_s(page_start_s)
    a, b = max(t0, w0), min(t1, w1)
    if b <= a:
        return None
    x = panel.x_mm + (a - w0) * panel.mm_per_s
    return MarkBox(x, panel.top_mm, (b - a) * panel.mm_per_s, panel.height_mm, label)


def mark_boxes(
    mark: ErrorMark | None,
    layout: PageLayout,
    page_start_s: float,
    pre_s: float = BEAT_PRE_S,
    post_s: float = BEAT_POST_S,
) -> tuple[MarkBox, ...]:
    """Boxes over the beat window of ``mark`` in the panels of its lead that show its time.

    When no panel of that lead shows the time (a short record in a multi-column format), the
    panels that do show it (the rhythm strips) get the box, labelled with the lead.
    """
    if mark is None:
        return ()
    t = mark.time_s

    def shows(panel: Panel) -> bool:
        w0, w1 = panel.window_s(page_start_s)
        return w0 <= t <= w1

    t0, t1 = t - pre_s, t + post_s
    own = [p for p in layout.panels if p.lead == mark.lead and shows(p)]
    panels, label = (own, "") if own else ([p for p in layout.panels if shows(p)], mark.lead)
    boxes = (_box(p, page_start_s, t0, t1, label) for p in panels)
    return tuple(b for b in boxes if b is not None)


def start_showing(
    layout: PageLayout, lead: str, time_s: float, page_duration_s: float
) -> tuple[float, ...]:
    """Page starts, best first, that put ``time_s`` a third into a panel of ``lead``.

    The last one puts it a third into the page (for the panels that span the whole page).
    """
    starts = [time_s - p.offset_s - p.duration_s / 3 for p in layout.panels if p.lead == lead]
    return (*starts, time_s - page_duration_s / 3)
