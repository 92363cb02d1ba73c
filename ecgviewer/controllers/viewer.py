"""The viewer's display state: one frozen object, replaced (never mutated) on every change.

The Qt view compares the old and new state and touches only what changed: a new record or
paper rebuilds the page items, a new scale mode only moves the camera. Later features (speed,
gain, filters, navigation) become fields here and reach the page through the same path.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

from ecgviewer.controllers.layout import PageLayout, compute_layout
from ecgviewer.controllers.paper import PaperSpec
from ecgviewer.io.record import Record

#: ``true``: 1 mm of paper is 1 mm on the screen. ``fit``: the whole page fits the window.
ScaleMode = Literal["true", "fit"]


@dataclass(frozen=True, slots=True)
class ViewerState:
    """What is shown: which record, on what paper, from when, at which scale."""

    record: Record | None = None
    paper: PaperSpec = field(default_factory=PaperSpec)
    start_s: float = 0.0
    page_duration_s: float = 10.0
    scale_mode: ScaleMode = "true"

    def with_record(self, record: Record | None) -> ViewerState:
        """A new record starts at its beginning; paper and scale choices are kept."""
        return replace(self, record=record, start_s=0.0)

    def layout(self) -> PageLayout:
        """The page for this state (an empty sheet when no record is open)."""
        if self.record is None:
            return compute_layout((), 0.0, self.paper, page_duration_s=self.page_duration_s)
        return compute_layout(
            self.record.lead_names,
            self.record.duration_s,
            self.paper,
            start_s=self.start_s,
            page_duration_s=self.page_duration_s,
        )

    def page_changed(self, other: ViewerState) -> bool:
        """Whether going from ``other`` to this state needs the page items rebuilt."""
        return (
            self.record is not other.record
            or self.paper != other.paper
            or self.start_s != other.start_s
            or self.page_duration_s != other.page_duration_s
        )


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
) -> str:
    """One line for the status bar saying how the paper relates to real millimetres.

    A clinician measuring with a ruler on the screen must know whether that is valid.
    """
    if scale_mode == "fit":
        return f"Fitted to window: {100 * px_per_mm / true_px_per_mm:.0f} % of true size"
    text = "True size (1 mm of paper = 1 mm on screen)"
    if not screen_size_known:
        text = "Approximately true size (the screen did not report its physical size)"
    if not page_fits:
        text += " · page larger than window: drag to pan, or View → Fit page to window"
    return text
