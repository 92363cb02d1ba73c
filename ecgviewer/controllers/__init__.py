"""Qt-free view-models: what the viewer shows, computed by pure functions into frozen objects.

Nothing here imports Qt (an import-linter contract checks it), so page layout, paper geometry,
scale and the record summary are unit-tested without a display. ``ecgviewer.ui`` turns these
objects into widgets and graphics items.
"""

from ecgviewer.controllers.layout import (
    CalibrationMark,
    PageLayout,
    Panel,
    compute_layout,
    standard_order,
)
from ecgviewer.controllers.paper import (
    PaperSpec,
    calibration_pulse,
    fit_pixels_per_mm,
    grid_geometry,
    pixels_per_mm,
    screen_pixels_per_mm,
)
from ecgviewer.controllers.recent_files import add_recent
from ecgviewer.controllers.record_info import RecordSummary, describe_record
from ecgviewer.controllers.traces import Trace, page_traces, panel_trace
from ecgviewer.controllers.viewer import ScaleMode, ViewerState, describe_scale, view_rect_mm

__all__ = [
    "CalibrationMark",
    "PageLayout",
    "Panel",
    "PaperSpec",
    "RecordSummary",
    "ScaleMode",
    "Trace",
    "ViewerState",
    "add_recent",
    "calibration_pulse",
    "compute_layout",
    "describe_record",
    "describe_scale",
    "fit_pixels_per_mm",
    "grid_geometry",
    "page_traces",
    "panel_trace",
    "pixels_per_mm",
    "screen_pixels_per_mm",
    "standard_order",
    "view_rect_mm",
]
