"""What a report is made of: the items (record + results) and the options (paper, scale, filters).

All frozen. A :class:`ReportItem` bundles what the report prints about one recording; an
:class:`UnreadableRecord` stands for a recording that could not be opened (it gets a page
saying why in a combined PDF). :class:`ReportOptions` carries the viewer's current display
settings, so the paper shows what the screen shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Protocol

import numpy as np
import numpy.typing as npt

from ecgviewer.analysis.result import AnalysisResult
from ecgviewer.controllers.display_filters import DisplayFilters
from ecgviewer.controllers.layout import DEFAULT_RHYTHM_LEADS, LAYOUT_KINDS, LayoutKind
from ecgviewer.controllers.viewer import DEFAULT_FILTERS
from ecgviewer.io.record import Record

if TYPE_CHECKING:
    from ecgviewer.controllers.viewer import ViewerState
    from ecgviewer.dsp import Measurements

PageSize = Literal["A4", "Letter"]
Orientation = Literal["landscape", "portrait"]
PAGE_SIZES: tuple[PageSize, ...] = ("A4", "Letter")
ORIENTATIONS: tuple[Orientation, ...] = ("landscape", "portrait")


class ReviewEntry(Protocol):
    """One reviewer decision, as :func:`ecgviewer.worklist.current_decisions` and
    :func:`~ecgviewer.worklist.review_history` return them (``worklist.Review`` fits as is)."""

    @property
    def finding(self) -> str: ...
    @property
    def decision(self) -> str: ...
    @property
    def reviewer(self) -> str: ...
    @property
    def created_utc(self) -> str: ...
    @property
    def comment(self) -> str: ...


@dataclass(frozen=True, slots=True)
class ReportItem:
    """Everything printed about one recording.

    Parameters
    ----------
    record
        The recording; page 1 draws its samples.
    result
        Its analysis: findings, anomaly score, model versions, notices.
    measurements
        ``ecgviewer.dsp.measure(record)``, optional: page 2 draws its median beats, and the
        notes give its reasons for values the result leaves null. The measurement table
        always shows ``result.measurements``, so the PDF says what the JSON says.
    reviews
        The reviewer's decisions on the findings (from the worklist), oldest first.
    restoration_error
        Per-lead, per-sample restoration error of an anomaly model, ``[lead, sample]`` in the
        record's lead order and sampling; page 2 draws it as a heat map. ``None``: no heat map.
    """

    record: Record
    result: AnalysisResult
    measurements: Measurements | None = None
    reviews: Sequence[ReviewEntry] = ()
    restoration_error: npt.NDArray[np.floating[Any]] | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "reviews", tuple(self.reviews))
        err = self.restoration_error
        if err is not None:
            arr = np.asarray(err, dtype=np.float64)
            if arr.shape != self.record.samples.shape:
                raise ValueError(
                    f"restoration_error has shape {arr.shape}; the record is "
                    f"{self.record.samples.shape} [lead, sample]"
                )
            arr.flags.writeable = False
            object.__setattr__(self, "restoration_error", arr)


@dataclass(frozen=True, slots=True)
class UnreadableRecord:
    """A recording that could not be opened: a combined report prints a page saying why."""

    path: str
    kind: str
    message: str


@dataclass(frozen=True, slots=True)
class ReportOptions:
    """Paper and display settings of a report (defaults: the clinical standard on A4).

    ``speed_mm_s``, ``gain_mm_mv``, ``filters``, ``layout``, ``rhythm_leads``, ``lead_gains``
    and ``start_s`` are the viewer's (see :func:`options_from_viewer`); they are printed on the
    page. A speed at which the page's seconds do not fit the paper's width shows fewer seconds
    (at true scale), never a smaller scale.
    """

    page_size: PageSize = "A4"
    orientation: Orientation = "landscape"
    speed_mm_s: float = 25.0
    gain_mm_mv: float = 10.0
    filters: DisplayFilters = DEFAULT_FILTERS
    layout: LayoutKind = "3x4+1"
    rhythm_leads: tuple[str, ...] = DEFAULT_RHYTHM_LEADS
    lead_gains: tuple[tuple[str, float], ...] = ()
    start_s: float = 0.0
    median_beats: bool = True
    heat_maps: bool = True
    #: The report's title; ``None``: "12-lead ECG", or "ECG, N leads" for other recordings.
    title: str | None = None

    def __post_init__(self) -> None:
        if self.page_size not in PAGE_SIZES:
            raise ValueError(f"page_size must be one of {PAGE_SIZES}, not {self.page_size!r}")
        if self.orientation not in ORIENTATIONS:
            raise ValueError(f"orientation must be one of {ORIENTATIONS}")
        if self.layout not in LAYOUT_KINDS:
            raise ValueError(f"layout must be one of {LAYOUT_KINDS}, not {self.layout!r}")
        if not (0.5 <= self.speed_mm_s <= 200.0 and 0.5 <= self.gain_mm_mv <= 200.0):
            raise ValueError("speed (mm/s) and gain (mm/mV) must lie between 0.5 and 200")
        object.__setattr__(self, "rhythm_leads", tuple(self.rhythm_leads))
        object.__setattr__(self, "lead_gains", tuple(self.lead_gains))


def options_from_viewer(
    state: ViewerState,
    page_size: PageSize = "A4",
    orientation: Orientation = "landscape",
    **overrides: Any,
) -> ReportOptions:
    """The report options that print what the viewer shows now (speed, gain, filters, page)."""
    values: dict[str, Any] = {
        "page_size": page_size,
        "orientation": orientation,
        "speed_mm_s": state.paper.speed_mm_per_s,
        "gain_mm_mv": state.paper.gain_mm_per_mv,
        "filters": state.filters,
        "layout": state.layout_kind,
        "rhythm_leads": state.rhythm_leads,
        "lead_gains": state.lead_gains,
        "start_s": state.start_s,
    }
    values.update(overrides)
    return ReportOptions(**values)
