"""ECG paper: speed, gain, grid geometry, the calibration pulse, and screen scale.

The whole page is drawn in paper millimetres (scene x to the right, y downward like a printed
page), so the clinical scale is exact by construction: a sample at time ``t`` and amplitude ``v``
lands at ``x = t * speed_mm_per_s`` and ``y = baseline - v * gain_mm_per_mv``. Only the last
step, millimetres to screen pixels, depends on the monitor; :func:`screen_pixels_per_mm` decides
it from the DPI the screen reports.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

MM_PER_INCH = 25.4

#: Width of the traces on a page: 10 s at 25 mm/s, as on a printed 12-lead ECG. A faster speed
#: shows less time on the same paper, a slower one more.
PAPER_TRACE_MM = 250.0
#: Paper speeds offered in the menus (mm/s), and the wider ladder the zoom keys step through.
SPEEDS_MM_PER_S: tuple[float, ...] = (12.5, 25.0, 50.0)
ZOOM_SPEEDS_MM_PER_S: tuple[float, ...] = (6.25, 12.5, 25.0, 50.0, 100.0)
#: Gains offered in the menus (mm/mV), for the page and per lead.
GAINS_MM_PER_MV: tuple[float, ...] = (5.0, 10.0, 20.0)
#: Length of the bar the screen-calibration dialog draws, and the correction factors it accepts.
CALIBRATION_BAR_MM = 100.0
CALIBRATION_LIMITS = (0.5, 2.0)

#: Reported physical densities outside this range (in Qt's device-independent dots per inch)
#: come from a monitor that gave no or a wrong size; true scale is then only approximate.
PLAUSIBLE_DPI = (40.0, 600.0)

#: Flat baseline drawn before and after the calibration step, in mm (as on a printout).
_CAL_LEAD_MM = 2.0
_CAL_TAIL_MM = 2.0


@dataclass(frozen=True, slots=True)
class PaperSpec:
    """How the signal is put on paper. Defaults are the clinical standard (25 mm/s, 10 mm/mV)."""

    speed_mm_per_s: float = 25.0
    gain_mm_per_mv: float = 10.0
    minor_mm: float = 1.0
    major_every: int = 5
    calibration_mv: float = 1.0
    calibration_s: float = 0.2

    @property
    def major_mm(self) -> float:
        return self.minor_mm * self.major_every

    @property
    def calibration_width_mm(self) -> float:
        """Width of the calibration step: 0.2 s of paper (5 mm at 25 mm/s)."""
        return self.calibration_s * self.speed_mm_per_s

    @property
    def calibration_height_mm(self) -> float:
        """Height of the calibration step: 1 mV of paper (10 mm at 10 mm/mV)."""
        return self.calibration_mv * self.gain_mm_per_mv

    @property
    def calibration_block_mm(self) -> float:
        """Room left of the traces for the pulse, rounded up to a major square."""
        needed = _CAL_LEAD_MM + self.calibration_width_mm + _CAL_TAIL_MM + self.minor_mm
        return math.ceil(needed / self.major_mm - 1e-9) * self.major_mm


@dataclass(frozen=True, slots=True)
class GridGeometry:
    """Positions (mm) of the vertical (x) and horizontal (y) grid lines of a page.

    Minor positions exclude the major ones, so each line is drawn exactly once.
    """

    width_mm: float
    height_mm: float
    minor_x: tuple[float, ...]
    minor_y: tuple[float, ...]
    major_x: tuple[float, ...]
    major_y: tuple[float, ...]


def _lines(extent_mm: float, paper: PaperSpec) -> tuple[tuple[float, ...], tuple[float, ...]]:
    # Integer steps, not repeated float addition, so line 250 sits at exactly 250.0 mm.
    n = math.floor(extent_mm / paper.minor_mm + 1e-9)
    minor = tuple(i * paper.minor_mm for i in range(n + 1) if i % paper.major_every)
    major = tuple(i * paper.minor_mm for i in range(n + 1) if i % paper.major_every == 0)
    return minor, major


def grid_geometry(
    width_mm: float, height_mm: float, paper: PaperSpec | None = None
) -> GridGeometry:
    """The grid of a ``width_mm`` x ``height_mm`` page: minor every 1 mm, major every 5 mm."""
    paper = paper or PaperSpec()
    minor_x, major_x = _lines(width_mm, paper)
    minor_y, major_y = _lines(height_mm, paper)
    return GridGeometry(width_mm, height_mm, minor_x, minor_y, major_x, major_y)


def calibration_pulse(
    x_mm: float,
    baseline_y_mm: float,
    paper: PaperSpec | None = None,
    gain_mm_per_mv: float | None = None,
) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """Polyline ``(xs, ys)`` of the 1 mV calibration step starting at ``x_mm``.

    Its height follows the gain (``gain_mm_per_mv`` when the row has its own, else the page's)
    and its width the speed, as on an electrocardiograph, so a reader can always check the
    scale on the paper itself. ``y`` grows downward.
    """
    paper = paper or PaperSpec()
    gain = paper.gain_mm_per_mv if gain_mm_per_mv is None else gain_mm_per_mv
    x0 = x_mm + _CAL_LEAD_MM
    x1 = x0 + paper.calibration_width_mm
    top = baseline_y_mm - paper.calibration_mv * gain
    xs = (x_mm, x0, x0, x1, x1, x1 + _CAL_TAIL_MM)
    ys = (baseline_y_mm, baseline_y_mm, top, top, baseline_y_mm, baseline_y_mm)
    return xs, ys


def pixels_per_mm(dpi: float) -> float:
    """Screen pixels in one millimetre at ``dpi`` dots per inch (96 dpi -> 3.7795)."""
    return dpi / MM_PER_INCH


def screen_pixels_per_mm(physical_dpi: float, fallback_dpi: float = 96.0) -> tuple[float, bool]:
    """Pixels per mm for true paper size on a screen, and whether the screen's size is known.

    ``physical_dpi`` is Qt's ``QScreen.physicalDotsPerInch()``, already in device-independent
    pixels (the unit widgets are laid out in), so no device-pixel-ratio correction applies. A
    monitor that reports no size or a nonsense one gives ``fallback_dpi`` (usually the
    logical DPI) and ``False``, so the UI can say the scale is approximate.
    """
    lo, hi = PLAUSIBLE_DPI
    if math.isfinite(physical_dpi) and lo <= physical_dpi <= hi:
        return pixels_per_mm(physical_dpi), True
    fallback = fallback_dpi if math.isfinite(fallback_dpi) and lo <= fallback_dpi <= hi else 96.0
    return pixels_per_mm(fallback), False


def page_duration_s(speed_mm_per_s: float, record_duration_s: float | None = None) -> float:
    """Seconds shown across a page: :data:`PAPER_TRACE_MM` of paper, never more than the record.

    A 10 s ECG at 12.5 mm/s fills half the paper rather than leaving columns empty.
    """
    duration = PAPER_TRACE_MM / speed_mm_per_s
    if record_duration_s is not None and record_duration_s > 0:
        duration = min(duration, record_duration_s)
    return duration


def calibration_factor(
    measured_mm: float, drawn_mm: float = CALIBRATION_BAR_MM, current_factor: float = 1.0
) -> float:
    """The screen correction after a ruler measured ``measured_mm`` for a bar drawn ``drawn_mm``.

    The bar was drawn with ``current_factor`` applied, so the new factor corrects on top of it:
    a 100 mm bar measuring 95 mm means the screen's pixels are smaller than reported and the
    factor grows by 100 / 95. Raises ``ValueError`` outside :data:`CALIBRATION_LIMITS`, which
    no real monitor needs (a typo, or a ruler in inches).
    """
    if not (math.isfinite(measured_mm) and measured_mm > 0 and drawn_mm > 0):
        raise ValueError("the measured length must be a positive number of millimetres")
    factor = current_factor * drawn_mm / measured_mm
    lo, hi = CALIBRATION_LIMITS
    if not lo <= factor <= hi:
        raise ValueError(
            f"a {drawn_mm:g} mm bar measuring {measured_mm:g} mm implies a correction of "
            f"{factor:.2f}; only {lo:g} to {hi:g} is accepted (measure in millimetres)"
        )
    return factor


def fit_pixels_per_mm(
    page_width_mm: float,
    page_height_mm: float,
    view_width_px: float,
    view_height_px: float,
    margin_px: float = 8.0,
) -> float:
    """The largest scale at which the whole page fits in the view with a small margin."""
    usable_w = max(1.0, view_width_px - 2 * margin_px)
    usable_h = max(1.0, view_height_px - 2 * margin_px)
    return min(usable_w / max(page_width_mm, 1e-6), usable_h / max(page_height_mm, 1e-6))
