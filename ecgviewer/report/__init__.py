"""PDF reports at true scale, from a record and its results; no Qt.

Example::

    from ecgviewer.report import ReportItem, ReportOptions, write_report

    write_report("ecg.pdf", [ReportItem(record, result, measurements=m, reviews=decisions)],
                 ReportOptions(page_size="Letter", orientation="landscape"))

Sheet 1 holds the 12 leads (3x4 + rhythm strip, or the viewer's format) at the given speed and
gain on a vector 1 mm / 5 mm grid, with calibration pulses, the header and the measurement table;
the next sheet the median beats, the restoration heat map, the AI findings, the review and the
notes. Fonts are embedded, text is selectable, traces are vector paths. reportlab is imported
only when a report is written.
"""

from ecgviewer.report.geometry import EcgBlock, EcgPlan, Sheet, plan_ecg, sheet_for
from ecgviewer.report.heatmap import HeatMap, draw_heat_map, heat_map
from ecgviewer.report.measured import measure_for_report, report_item
from ecgviewer.report.options import (
    ORIENTATIONS,
    PAGE_SIZES,
    Orientation,
    PageSize,
    ReportItem,
    ReportOptions,
    ReviewEntry,
    UnreadableRecord,
    options_from_viewer,
)
from ecgviewer.report.writer import ReportSummary, ReportWriter, write_report

__all__ = [
    "ORIENTATIONS",
    "PAGE_SIZES",
    "EcgBlock",
    "EcgPlan",
    "HeatMap",
    "Orientation",
    "PageSize",
    "ReportItem",
    "ReportOptions",
    "ReportSummary",
    "ReportWriter",
    "ReviewEntry",
    "Sheet",
    "UnreadableRecord",
    "draw_heat_map",
    "heat_map",
    "measure_for_report",
    "options_from_viewer",
    "plan_ecg",
    "report_item",
    "sheet_for",
    "write_report",
]
