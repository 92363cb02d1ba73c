"""Qt-free view-models: what the viewer shows, computed by pure functions into frozen objects.

Nothing here imports Qt (an import-linter contract checks it), so page layout, paper geometry,
display filters, decimation, calipers, navigation and the record summary are unit-tested
without a display. ``ecgviewer.ui`` turns these objects into widgets and graphics items.
"""

from ecgviewer.controllers.annotations import BeatIndex, TextMarker, WaveTicks
from ecgviewer.controllers.calipers import Caliper, CaliperShape, caliper_from_drag, caliper_shape
from ecgviewer.controllers.decimate import minmax_decimate
from ecgviewer.controllers.display_filters import (
    DisplayFilters,
    FilteredBlocks,
    apply_filters,
    filter_caption,
)
from ecgviewer.controllers.layout import (
    LAYOUT_KINDS,
    CalibrationMark,
    LayoutKind,
    PageLayout,
    Panel,
    compute_layout,
    resolve_lead,
    standard_order,
)
from ecgviewer.controllers.navigation import (
    Overview,
    format_time,
    overview_envelope,
    parse_time,
)
from ecgviewer.controllers.page import Page, PageBuilder
from ecgviewer.controllers.paper import (
    PaperSpec,
    calibration_factor,
    calibration_pulse,
    fit_pixels_per_mm,
    grid_geometry,
    pixels_per_mm,
    screen_pixels_per_mm,
)
from ecgviewer.controllers.recent_files import add_recent
from ecgviewer.controllers.record_info import RecordSummary, describe_display, describe_record
from ecgviewer.controllers.settings import state_from_settings, state_to_settings
from ecgviewer.controllers.traces import Trace, page_traces, panel_trace
from ecgviewer.controllers.viewer import ScaleMode, ViewerState, describe_scale, view_rect_mm

__all__ = [
    "LAYOUT_KINDS",
    "BeatIndex",
    "CalibrationMark",
    "Caliper",
    "CaliperShape",
    "DisplayFilters",
    "FilteredBlocks",
    "LayoutKind",
    "Overview",
    "Page",
    "PageBuilder",
    "PageLayout",
    "Panel",
    "PaperSpec",
    "RecordSummary",
    "ScaleMode",
    "TextMarker",
    "Trace",
    "ViewerState",
    "WaveTicks",
    "add_recent",
    "apply_filters",
    "calibration_factor",
    "calibration_pulse",
    "caliper_from_drag",
    "caliper_shape",
    "compute_layout",
    "describe_display",
    "describe_record",
    "describe_scale",
    "filter_caption",
    "fit_pixels_per_mm",
    "format_time",
    "grid_geometry",
    "minmax_decimate",
    "overview_envelope",
    "page_traces",
    "panel_trace",
    "parse_time",
    "pixels_per_mm",
    "resolve_lead",
    "screen_pixels_per_mm",
    "standard_order",
    "state_from_settings",
    "state_to_settings",
    "view_rect_mm",
]
