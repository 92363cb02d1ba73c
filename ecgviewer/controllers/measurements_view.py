"""Measurements as the viewer shows them: table rows, fiducial ticks, median-beat cells.

Pure functions of :class:`~ecgviewer.dsp.measure.Measurements` (computed off the GUI thread by
``ecgviewer.ui.qt_measure_worker``): the table's text with units and, for a value that could
not be measured, ``—`` and the engine's reason; the global fiducials of every beat as thin
vertical ticks on each panel in paper mm (two binary searches per panel, so scrolling a long
record stays cheap); and the dominant median beats laid out 3×4 on small paper.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt

from ecgviewer.controllers.layout import PageLayout, standard_order
from ecgviewer.dsp.measure import Measurements
from ecgviewer.dsp.measure_parts import RepresentativeBeat

F64 = npt.NDArray[np.float64]
Fiducial = Literal["p_on", "p_off", "qrs_on", "qrs_off", "t_off"]
FIDUCIALS: tuple[Fiducial, ...] = ("p_on", "p_off", "qrs_on", "qrs_off", "t_off")
#: The fiducials dashed on the median beats (as the PDF report draws them).
MEDIAN_FIDUCIALS: tuple[Fiducial, ...] = ("p_on", "qrs_on", "qrs_off", "t_off")
FIDUCIAL_TITLES: dict[Fiducial, str] = {
    "p_on": "P on",
    "p_off": "P off",
    "qrs_on": "QRS on",
    "qrs_off": "QRS off",
    "t_off": "T off",
}
#: A fiducial tick reaches this far above and below its panel's baseline.
FIDUCIAL_TICK_MM = 3.0
NO_VALUE = "—"

#: (key, label, unit, decimals) in the order a clinician reads them.
_ROWS: tuple[tuple[str, str, str, int], ...] = (
    ("hr_bpm", "Heart rate", "bpm", 0),
    ("rr_ms", "RR", "ms", 0),
    ("pr_ms", "PR", "ms", 0),
    ("qrs_ms", "QRS", "ms", 0),
    ("qt_ms", "QT", "ms", 0),
    ("qtc_bazett_ms", "QTc Bazett", "ms", 0),
    ("qtc_fridericia_ms", "QTc Fridericia", "ms", 0),
    ("qtc_framingham_ms", "QTc Framingham", "ms", 0),
    ("qtc_hodges_ms", "QTc Hodges", "ms", 0),
    ("p_axis_deg", "P axis", "°", 0),
    ("qrs_axis_deg", "QRS axis", "°", 0),
    ("t_axis_deg", "T axis", "°", 0),
)


@dataclass(frozen=True, slots=True)
class MeasurementRow:
    """One line of the table: ``QRS | 96 | ms``, or ``PR | — | ms`` with ``note`` saying why."""

    key: str
    label: str
    value_text: str
    unit: str
    note: str = ""

    @property
    def measured(self) -> bool:
        return self.value_text != NO_VALUE


def _finite(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


def measurement_rows(m: Measurements) -> tuple[MeasurementRow, ...]:
    """The table rows of ``m``; RR carries its SD (``800 ± 12``), nulls carry their reason."""
    values = m.values()
    rows: list[MeasurementRow] = []
    for key, label, unit, decimals in _ROWS:
        value = _finite(values.get(key))
        if value is None:
            note = m.notes.get(key) or "Not measured."
            rows.append(MeasurementRow(key, label, NO_VALUE, unit, note))
            continue
        text = f"{value:.{decimals}f}"
        note = ""
        if key == "rr_ms":
            sd = _finite(values.get("rr_sd_ms"))
            if sd is not None:
                text += f" ± {sd:.0f}"
            else:
                note = m.notes.get("rr_sd_ms", "")
        rows.append(MeasurementRow(key, label, text, unit, note))
    return tuple(rows)


def measurement_footnotes(m: Measurements) -> tuple[str, ...]:
    """Notes that belong to no single row (e.g. a long record measured on its start)."""
    rows = {key for key, *_ in _ROWS} | {"rr_sd_ms"}
    return tuple(text for key, text in m.notes.items() if key not in rows)


@dataclass(frozen=True, slots=True, eq=False)
class BeatFiducials:
    """Global fiducial times (s from the record's start) of every delineated beat.

    Compared by identity (``eq=False``): a new measurement is a new object.
    """

    times_s: dict[Fiducial, F64]

    def __len__(self) -> int:
        return int(self.times_s["qrs_on"].size)


def beat_fiducials(m: Measurements) -> BeatFiducials:
    """Each fiducial's times, sorted, with absent ones (NaN) left out."""
    times: dict[Fiducial, F64] = {}
    for name in FIDUCIALS:
        values = np.array([getattr(b, f"{name}_s") for b in m.beat_records], dtype=np.float64)
        times[name] = np.sort(values[np.isfinite(values)])
    return BeatFiducials(times)


@dataclass(frozen=True, slots=True)
class FiducialTicks:
    """Vertical ticks of one fiducial as segment pairs (``connect="pairs"``) in paper mm."""

    fiducial: Fiducial
    x_mm: F64 = field(default_factory=lambda: np.zeros(0))
    y_mm: F64 = field(default_factory=lambda: np.zeros(0))


def fiducial_ticks(
    fiducials: BeatFiducials | None, layout: PageLayout, page_start_s: float
) -> tuple[FiducialTicks, ...]:
    """A tick across the baseline of every panel at each fiducial inside its time window."""
    if fiducials is None:
        return ()
    out: list[FiducialTicks] = []
    for name in FIDUCIALS:
        times = fiducials.times_s[name]
        xs: list[F64] = []
        ys: list[F64] = []
        for panel in layout.panels:
            t0, t1 = panel.window_s(page_start_s)
            i0, i1 = np.searchsorted(times, (t0, t1), side="left")
            if i1 <= i0:
                continue
            x = panel.x_mm + (times[i0:i1] - t0) * panel.mm_per_s
            xs.append(np.repeat(x, 2))
            lo, hi = panel.baseline_y_mm - FIDUCIAL_TICK_MM, panel.baseline_y_mm + FIDUCIAL_TICK_MM
            ys.append(np.tile(np.array([lo, hi]), int(i1 - i0)))
        if xs:
            out.append(FiducialTicks(name, np.concatenate(xs), np.concatenate(ys)))
        else:
            out.append(FiducialTicks(name))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class MedianCell:
    """One lead's median beat in its cell of a 3×4 sheet, in paper mm."""

    lead: str
    x_mm: F64
    y_mm: F64
    label_x_mm: float
    label_y_mm: float


@dataclass(frozen=True, slots=True)
class MedianSheet:
    """The dominant median beats on a small sheet: cells, dashed fiducials, paper size."""

    cells: tuple[MedianCell, ...]
    #: ``(fiducial, x_mm, top_mm, bottom_mm)`` per cell and dashed fiducial.
    lines: tuple[tuple[Fiducial, float, float, float], ...]
    width_mm: float
    height_mm: float


def dominant_beat(m: Measurements) -> RepresentativeBeat | None:
    beats = [b for b in m.median_beats if b.dominant] or list(m.median_beats)
    return beats[0] if beats else None


def median_sheet(
    m: Measurements,
    speed_mm_per_s: float = 25.0,
    gain_mm_per_mv: float = 10.0,
    cell_height_mm: float = 30.0,
    columns: int = 4,
) -> MedianSheet | None:
    """The dominant median beats in standard lead order, ``columns`` per row; ``None`` if none."""
    beat = dominant_beat(m)
    if beat is None:
        return None
    names = list(m.lead_names)
    leads = standard_order(m.lead_names)
    # Crop to the beat itself (P onset to T offset, with a margin): the stored window spans
    # most of an RR interval, which would leave the small cells mostly baseline.
    t = beat.time_s
    p_on = beat.fiducials_s.get("p_on", math.nan)
    t_off = beat.fiducials_s.get("t_off", math.nan)
    lo = p_on - 0.1 if math.isfinite(p_on) else beat.fiducials_s.get("qrs_on", math.nan) - 0.3
    hi = t_off + 0.12 if math.isfinite(t_off) else float(t[-1])
    keep = (t >= lo if math.isfinite(lo) else t == t) & (t <= hi)
    t = t[keep]
    cell_w = float(t[-1] - t[0]) * speed_mm_per_s + 2.0
    cells: list[MedianCell] = []
    lines: list[tuple[Fiducial, float, float, float]] = []
    for i, lead in enumerate(leads):
        row, col = divmod(i, columns)
        x0, top = col * cell_w, row * cell_height_mm
        baseline = top + cell_height_mm * 0.6
        y = np.asarray(beat.samples_mv[names.index(lead)], dtype=np.float64)[keep]
        x = x0 + 1.0 + (t - t[0]) * speed_mm_per_s
        cells.append(MedianCell(lead, x, baseline - y * gain_mm_per_mv, x0 + 1.0, top + 0.5))
        for name in MEDIAN_FIDUCIALS:
            at = beat.fiducials_s.get(name, math.nan)
            if math.isfinite(at):
                fx = x0 + 1.0 + (at - float(t[0])) * speed_mm_per_s
                lines.append((name, fx, top + 4.0, top + cell_height_mm - 1.0))
    rows = -(-len(leads) // columns)
    return MedianSheet(tuple(cells), tuple(lines), columns * cell_w, rows * cell_height_mm)
