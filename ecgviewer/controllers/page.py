"""The page on screen: one frozen :class:`Page` computed from a :class:`ViewerState`.

:class:`PageBuilder` is the only stateful piece: it keeps what is worth keeping per record (the
filtered-block cache, the beat and wave indexes) so that building the next page while scrolling
costs a slice, a decimation and two binary searches per panel.
"""

from __future__ import annotations

from dataclasses import dataclass

from ecgviewer.controllers.annotations import (
    BeatIndex,
    TextMarker,
    Wave,
    WaveMarks,
    WaveTicks,
    beat_index,
    beat_markers,
    wave_index,
    wave_ticks,
)
from ecgviewer.controllers.display_filters import FilteredBlocks, filter_caption
from ecgviewer.controllers.error_ranking import MarkBox, mark_boxes
from ecgviewer.controllers.heatmap_view import HeatStrip, heat_strips
from ecgviewer.controllers.layout import PageLayout
from ecgviewer.controllers.measurements_view import FiducialTicks, fiducial_ticks
from ecgviewer.controllers.navigation import format_time
from ecgviewer.controllers.restored_view import restored_traces
from ecgviewer.controllers.traces import DEFAULT_PX_PER_MM, Trace, page_traces
from ecgviewer.controllers.viewer import ViewerState
from ecgviewer.io.record import Record


@dataclass(frozen=True, slots=True)
class Page:
    """Everything drawn on the paper for one state, in paper millimetres."""

    layout: PageLayout
    start_s: float
    traces: tuple[Trace, ...]
    beat_labels: tuple[TextMarker, ...]
    wave_ticks: tuple[WaveTicks, ...]
    #: Speed, gain and filters, printed on the paper as an electrocardiograph does.
    caption: str
    #: The record and the time span shown.
    time_text: str
    #: Measured fiducials (P on/off, QRS on/off, T off) as ticks; empty until measured.
    fiducial_ticks: tuple[FiducialTicks, ...] = ()
    #: Restoration-error strips under the panels; empty without an anomaly result.
    heat_strips: tuple[HeatStrip, ...] = ()
    #: The anomaly model's restored trace over each panel it covers; empty when off or absent.
    restored_traces: tuple[Trace, ...] = ()
    #: The highlight of the (lead, beat) jumped to from the largest-error list.
    mark_boxes: tuple[MarkBox, ...] = ()

    @property
    def n_points(self) -> int:
        """Points handed to the curves (what a repaint has to draw)."""
        return sum(t.n_points for t in self.traces)

    @property
    def n_source_samples(self) -> int:
        """Record samples the page covers (before decimation)."""
        return sum(t.n_source for t in self.traces)


def page_caption(state: ViewerState) -> str:
    """``25 mm/s · 10 mm/mV · Filters: 0.5–40 Hz · 50 Hz notch``."""
    fs = state.record.fs_hz if state.record is not None else None
    parts = [
        f"{state.paper.speed_mm_per_s:g} mm/s",
        f"{state.paper.gain_mm_per_mv:g} mm/mV",
    ]
    if state.lead_gains:
        parts.append("other gains at the lead labels")
    parts.append(filter_caption(state.filters, fs))
    return "   ·   ".join(parts)


def time_caption(record: Record | None, start_s: float, duration_s: float) -> str:
    if record is None:
        return ""
    total = record.duration_s
    span = f"{format_time(start_s, total)} – {format_time(start_s + duration_s, total)}"
    return f"{record.record_name}   {span}   of {format_time(total, total)}"


class PageBuilder:
    """Builds pages for one view, keeping per-record caches between them."""

    def __init__(self) -> None:
        self.filter_cache = FilteredBlocks()
        self._record: Record | None = None
        self._beats: BeatIndex | None = None
        self._waves: dict[str, dict[Wave, WaveMarks]] = {}

    def _index(self, record: Record) -> None:
        if record is self._record:
            return
        self._record = record
        self._beats = beat_index(record)
        self._waves = wave_index(record)
        self.filter_cache.clear()

    def beat_index(self, state: ViewerState) -> BeatIndex | None:
        """The file's beat labels, else the beat classifier's (for the record of ``state``)."""
        if state.record is None:
            return None
        self._index(state.record)
        if self._beats is not None:
            return self._beats
        return state.predicted_beats.index if state.predicted_beats is not None else None

    def build(
        self,
        state: ViewerState,
        px_per_mm: float = DEFAULT_PX_PER_MM,
        layout: PageLayout | None = None,
    ) -> Page:
        """The page of ``state`` drawn at ``px_per_mm`` screen pixels per paper mm.

        ``layout`` may be passed when the caller already has ``state.layout()``.
        """
        layout = layout if layout is not None else state.layout()
        record = state.record
        caption = page_caption(state)
        if record is None:
            return Page(layout, state.start_s, (), (), (), caption, "")
        self._index(record)
        start = state.start_s
        traces = page_traces(
            record,
            layout,
            start,
            px_per_mm=px_per_mm,
            filters=state.filters,
            cache=self.filter_cache,
        )
        shown = self.beat_index(state)
        beats = beat_markers(shown, layout, start, record.fs_hz) if state.show_beats else ()
        waves = wave_ticks(self._waves, layout, start, record.fs_hz) if state.show_waves else ()
        fiducials = fiducial_ticks(state.fiducials, layout, start) if state.show_fiducials else ()
        heat = heat_strips(state.errors, layout, start) if state.show_heatmap else ()
        restored = (
            restored_traces(
                state.restored,
                record,
                layout,
                start,
                px_per_mm=px_per_mm,
                filters=state.filters,
                cache=self.filter_cache,
            )
            if state.show_restored
            else ()
        )
        return Page(
            layout=layout,
            start_s=start,
            traces=traces,
            beat_labels=beats,
            wave_ticks=waves,
            caption=caption,
            time_text=time_caption(record, start, layout.page_duration_s),
            fiducial_ticks=fiducials,
            heat_strips=heat,
            restored_traces=restored,
            mark_boxes=mark_boxes(state.error_mark, layout, start),
        )
