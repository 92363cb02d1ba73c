"""The viewer's display state: one frozen object, replaced (never mutated) on every change.

Every user action is a pure transition (``state.with_layout("6x2")``, ``state.scrolled_by(1)``)
returning a new state; the Qt view compares old and new and touches only what changed: a new
layout rebuilds the static page items, a scroll only replaces curve data, a caliper only
redraws the caliper, a scale change only moves the camera.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Literal

from ecgviewer.controllers.annotations import (
    BeatIndex,
    PredictedBeats,
    beat_index,
    ectopic_times,
    next_ectopic,
)
from ecgviewer.controllers.calipers import Caliper
from ecgviewer.controllers.display_filters import DisplayFilters
from ecgviewer.controllers.error_ranking import ErrorMark, start_showing
from ecgviewer.controllers.heatmap_view import ErrorMap
from ecgviewer.controllers.layout import (
    DEFAULT_RHYTHM_LEADS,
    LAYOUT_KINDS,
    LayoutKind,
    PageLayout,
    compute_layout,
)
from ecgviewer.controllers.measurements_view import BeatFiducials
from ecgviewer.controllers.navigation import ARROW_FRACTION, clamp_start, zoom_speed
from ecgviewer.controllers.paper import PaperSpec, page_duration_s
from ecgviewer.controllers.restored_view import RestoredSignal
from ecgviewer.io.record import Record

#: ``true``: 1 mm of paper is 1 mm on the screen. ``fit``: the whole page fits the window.
ScaleMode = Literal["true", "fit"]
MAX_CALIPERS = 4
#: Display filters of a new installation: baseline-wander removal only (ST-safe, zero-phase).
DEFAULT_FILTERS = DisplayFilters(baseline=True)
#: State fields that change how the page is looked at or drawn over, not the page itself.
_NOT_ON_PAGE = frozenset(
    {"record", "calipers", "caliper_mode", "scale_mode", "screen_factor", "ectopic_cursor_s"}
)


@dataclass(frozen=True, slots=True)
class ViewerState:
    """What is shown: which record, on what paper, in which format, from when, with what on it."""

    record: Record | None = None
    paper: PaperSpec = field(default_factory=PaperSpec)
    layout_kind: LayoutKind = "3x4+1"
    #: Rhythm strip leads, first first; the single-lead format shows the first.
    rhythm_leads: tuple[str, ...] = DEFAULT_RHYTHM_LEADS
    #: Per-lead gains (mm/mV) that differ from the page gain, sorted by lead.
    lead_gains: tuple[tuple[str, float], ...] = ()
    filters: DisplayFilters = DEFAULT_FILTERS
    start_s: float = 0.0
    scale_mode: ScaleMode = "true"
    show_beats: bool = True
    show_waves: bool = True
    #: Global P on/off, QRS on/off and T off of every measured beat as ticks on the traces.
    show_fiducials: bool = True
    #: Those fiducials, once measured off the GUI thread (``None`` before; compared by identity).
    fiducials: BeatFiducials | None = None
    #: Beat labels from the beat classifier, shown where the file has none (``None`` before).
    predicted_beats: PredictedBeats | None = None
    show_heatmap: bool = True
    #: The anomaly model's restoration error of the record shown (``None`` before / without).
    errors: ErrorMap | None = None
    #: The anomaly model's restored (expected normal) trace drawn over the real one.
    show_restored: bool = False
    #: That restored signal of the record shown (``None`` before / without).
    restored: RestoredSignal | None = None
    #: The lead and beat last jumped to from the largest-error list, highlighted on the page.
    error_mark: ErrorMark | None = None
    #: The time (s) of the ectopic beat last jumped to (Navigate → Next Ectopic Beat).
    ectopic_cursor_s: float | None = None
    calipers: tuple[Caliper, ...] = ()
    #: When on, a plain drag on the paper makes a caliper (Shift+drag always does).
    caliper_mode: bool = False
    #: Screen calibration: true-size pixels per mm are multiplied by this (1 = trust the screen).
    screen_factor: float = 1.0

    # -- derived ---------------------------------------------------------------------------
    @property
    def record_duration_s(self) -> float:
        return self.record.duration_s if self.record is not None else 0.0

    @property
    def page_duration_s(self) -> float:
        """Seconds across the page at this speed (never more than the record)."""
        return page_duration_s(self.paper.speed_mm_per_s, self.record_duration_s or None)

    @property
    def gains(self) -> Mapping[str, float]:
        return dict(self.lead_gains)

    def layout(self) -> PageLayout:
        """The page for this state (an empty sheet when no record is open)."""
        leads = self.record.lead_names if self.record is not None else ()
        return compute_layout(
            leads,
            self.paper,
            kind=self.layout_kind,
            page_duration_s=self.page_duration_s,
            rhythm_leads=self.rhythm_leads,
            lead_gains=self.gains,
        )

    def page_changed(self, other: ViewerState) -> bool:
        """Whether going from ``other`` to this state changes what is on the page."""
        if self.record is not other.record:  # records are compared by identity, not content
            return True
        return any(
            getattr(self, f.name) != getattr(other, f.name)
            for f in fields(self)
            if f.name not in _NOT_ON_PAGE
        )

    # -- transitions -----------------------------------------------------------------------
    def _clamped(self, start_s: float) -> float:
        return clamp_start(start_s, self.record_duration_s, self.page_duration_s)

    def with_record(self, record: Record | None) -> ViewerState:
        """A new record starts at its beginning without calipers; display choices are kept."""
        return replace(
            self, record=record, start_s=0.0, calipers=(), fiducials=None,
            predicted_beats=None, ectopic_cursor_s=None, errors=None, restored=None,
            error_mark=None,
        )  # fmt: skip

    def with_fiducials(self, fiducials: BeatFiducials | None) -> ViewerState:
        """The measured fiducials of the record shown."""
        return replace(self, fiducials=fiducials)

    def with_errors(self, errors: ErrorMap | None) -> ViewerState:
        """The anomaly model's restoration error of the record shown."""
        return replace(self, errors=errors)

    def with_restored(self, restored: RestoredSignal | None) -> ViewerState:
        """The anomaly model's restored signal of the record shown."""
        return replace(self, restored=restored)

    def jumped_to_error(self, lead: str, time_s: float) -> ViewerState:
        """Scroll so the beat at ``time_s`` shows in a panel of ``lead``, and highlight it.

        The beat sits a third into the first panel of ``lead`` that can show it after the
        scroll is clamped to the record, else a third into the page (a short record in a
        multi-column format: then the rhythm strips show it).
        """
        if self.record is None:
            return self
        layout = self.layout()
        moved = self
        for start in start_showing(layout, lead, time_s, self.page_duration_s):
            moved = self.scrolled_to(start)
            if any(
                p.lead == lead
                and p.window_s(moved.start_s)[0] <= time_s <= p.window_s(moved.start_s)[1]
                for p in layout.panels
            ):
                break
        return replace(moved, error_mark=ErrorMark(lead, time_s))

    def with_predicted_beats(self, beats: PredictedBeats | None) -> ViewerState:
        """The beat classifier's labels of the record shown."""
        return replace(self, predicted_beats=beats)

    def shown_beat_index(self) -> BeatIndex | None:
        """The beat labels on the page: the file's own, else the beat classifier's."""
        if self.record is None:
            return None
        own = beat_index(self.record)
        if own is not None:
            return own
        return self.predicted_beats.index if self.predicted_beats is not None else None

    def jumped_to_ectopic(self, forward: bool, index: BeatIndex | None = None) -> ViewerState:
        """Scroll so the next (previous) ectopic beat sits a third into the page."""
        if self.record is None:
            return self
        if index is None:
            index = self.shown_beat_index()
        fs = self.record.fs_hz
        times = ectopic_times(index, fs)
        now = self.ectopic_cursor_s
        if now is None or not self.start_s <= now <= self.start_s + self.page_duration_s:
            now = self.start_s + self.page_duration_s / 3  # the user scrolled elsewhere
        target = next_ectopic(times, now, forward)
        if target is None:
            return self
        moved = self.scrolled_to(target - self.page_duration_s / 3)
        return replace(moved, ectopic_cursor_s=target)

    def with_layout(self, kind: LayoutKind) -> ViewerState:
        if kind not in LAYOUT_KINDS:
            raise ValueError(f"unknown layout {kind!r}")
        return replace(self, layout_kind=kind, calipers=())

    def next_layout(self, steps: int = 1) -> ViewerState:
        i = LAYOUT_KINDS.index(self.layout_kind)
        return self.with_layout(LAYOUT_KINDS[(i + steps) % len(LAYOUT_KINDS)])

    def with_speed(self, speed_mm_per_s: float) -> ViewerState:
        new = replace(self, paper=replace(self.paper, speed_mm_per_s=speed_mm_per_s))
        return replace(new, start_s=new._clamped(self.start_s))

    def zoomed(self, steps: int) -> ViewerState:
        """Faster paper (``steps`` > 0: less time, more detail) or slower."""
        return self.with_speed(zoom_speed(self.paper.speed_mm_per_s, steps))

    def with_gain(self, gain_mm_per_mv: float) -> ViewerState:
        return replace(self, paper=replace(self.paper, gain_mm_per_mv=gain_mm_per_mv))

    def with_lead_gain(self, lead: str, gain_mm_per_mv: float | None) -> ViewerState:
        """Give ``lead`` its own gain; ``None`` (or the page gain) returns it to the page gain."""
        gains = dict(self.lead_gains)
        gains.pop(lead, None)
        if gain_mm_per_mv is not None and gain_mm_per_mv != self.paper.gain_mm_per_mv:
            gains[lead] = gain_mm_per_mv
        return replace(self, lead_gains=tuple(sorted(gains.items())))

    def with_rhythm_lead(self, lead: str) -> ViewerState:
        rest = tuple(name for name in self.rhythm_leads if name != lead)
        return replace(self, rhythm_leads=(lead, *rest), calipers=())

    def with_filters(self, filters: DisplayFilters) -> ViewerState:
        return replace(self, filters=filters)

    def scrolled_to(self, start_s: float) -> ViewerState:
        return replace(self, start_s=self._clamped(start_s))

    def scrolled_by(self, delta_s: float) -> ViewerState:
        return self.scrolled_to(self.start_s + delta_s)

    def stepped(self, steps: float) -> ViewerState:
        """Scroll by ``steps`` arrow steps (a tenth of a page each)."""
        return self.scrolled_by(steps * ARROW_FRACTION * self.page_duration_s)

    def paged(self, pages: int) -> ViewerState:
        return self.scrolled_by(pages * self.page_duration_s)

    def with_caliper(self, caliper: Caliper, *, replace_last: bool = False) -> ViewerState:
        """Add ``caliper`` (or update the one being dragged); the oldest goes beyond four."""
        kept = self.calipers[:-1] if replace_last and self.calipers else self.calipers
        return replace(self, calipers=(*kept, caliper)[-MAX_CALIPERS:])

    def without_calipers(self) -> ViewerState:
        return replace(self, calipers=())


def view_rect_mm(
    page_width_mm: float,
    page_height_mm: float,
    view_width_px: float,
    view_height_px: float,
    px_per_mm: float,
    top_left_mm: tuple[float, float] | None = None,
    margin_mm: float = 3.0,
) -> tuple[float, float, float, float]:
    """The visible rectangle ``(x, y, width, height)`` in mm at ``px_per_mm`` screen pixels per mm.

    Along an axis where the page fits it is centred; where it does not, the view keeps
    ``top_left_mm`` (the user's panning) clamped so some page stays in sight, or starts at the
    page's top-left corner.
    """
    width = view_width_px / px_per_mm
    height = view_height_px / px_per_mm

    def axis(page: float, visible: float, keep: float | None) -> float:
        if visible >= page + 2 * margin_mm:
            return (page - visible) / 2
        lo, hi = -margin_mm, page + margin_mm - visible
        return lo if keep is None else min(max(keep, lo), hi)

    keep_x, keep_y = top_left_mm if top_left_mm is not None else (None, None)
    return (
        axis(page_width_mm, width, keep_x),
        axis(page_height_mm, height, keep_y),
        width,
        height,
    )


def describe_scale(
    scale_mode: ScaleMode,
    px_per_mm: float,
    true_px_per_mm: float,
    screen_size_known: bool,
    page_fits: bool,
    calibrated: bool = False,
) -> str:
    """One line for the status bar saying how the paper relates to real millimetres.

    A clinician measuring with a ruler on the screen must know whether that is valid.
    """
    if scale_mode == "fit":
        return f"Fitted to window: {100 * px_per_mm / true_px_per_mm:.0f} % of true size"
    text = "True size (1 mm of paper = 1 mm on screen)"
    if calibrated:
        text = "True size (screen calibrated with a ruler)"
    elif not screen_size_known:
        text = (
            "Approximately true size (the screen did not report its physical size; "
            "View → Calibrate Screen)"
        )
    if not page_fits:
        text += " · page larger than window: drag to pan, or View → Fit page to window"
    return text
