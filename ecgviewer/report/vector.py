"""Millimetres to PDF: a canvas addressed in mm from the sheet's top-left, and vector paths.

Grid lines and traces are written as PDF path operators inside a coordinate system of
hundredths of a millimetre with y downward (one ``cm`` transform), so every point is an exact
integer and a 5000-point lead costs one string join instead of 5000 reportlab calls. Text goes
through reportlab (embedded fonts, selectable), converted from mm to points here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

PT_PER_MM = 72.0 / 25.4
#: Path coordinates are in these units: 0.01 mm (0.12 px at 300 dpi).
UNITS_PER_MM = 100.0

RGB = tuple[float, float, float]
BLACK: RGB = (0.0, 0.0, 0.0)


def _u(v: float) -> int:
    return round(v * UNITS_PER_MM)


def polyline_ops(x_mm: npt.ArrayLike, y_mm: npt.ArrayLike) -> str:
    """``m``/``l`` operators of a polyline in mm space; NaN points break it (gaps stay gaps)."""
    x = np.asarray(x_mm, dtype=np.float64)
    y = np.asarray(y_mm, dtype=np.float64)
    ok = np.isfinite(x) & np.isfinite(y)
    if not ok.any():
        return ""
    xi = np.rint(np.where(ok, x, 0.0) * UNITS_PER_MM).astype(np.int64)
    yi = np.rint(np.where(ok, y, 0.0) * UNITS_PER_MM).astype(np.int64)
    # Runs of finite points: starts where a finite point follows a gap (or the beginning).
    edges = np.flatnonzero(np.diff(np.concatenate([[0], ok.astype(np.int8), [0]])))
    parts: list[str] = []
    for a, b in zip(edges[0::2], edges[1::2], strict=True):
        if b - a < 2:
            continue  # a lone sample between gaps has no length to draw
        pts = np.column_stack([xi[a:b], yi[a:b]]).astype(str).tolist()
        parts.append(f"{pts[0][0]} {pts[0][1]} m\n" + " l\n".join(map(" ".join, pts[1:])) + " l")
    return "\n".join(parts)


def segments_ops(segments: Iterable[tuple[float, float, float, float]]) -> str:
    """Separate straight lines ``(x0, y0, x1, y1)`` in mm."""
    return "\n".join(f"{_u(x0)} {_u(y0)} m {_u(x1)} {_u(y1)} l" for x0, y0, x1, y1 in segments)


def rect_ops(x_mm: float, y_mm: float, w_mm: float, h_mm: float) -> str:
    return f"{_u(x_mm)} {_u(y_mm)} {_u(w_mm)} {_u(h_mm)} re"


def stroke(ops: str, rgb: RGB, width_mm: float, dash_mm: Sequence[float] = ()) -> str:
    """Stroke ``ops`` with a colour and a width (in mm), inside its own graphics state."""
    if not ops:
        return ""
    dash = f"[{' '.join(str(_u(d)) for d in dash_mm)}] 0 d " if dash_mm else ""
    r, g, b = rgb
    return f"q {r:.3f} {g:.3f} {b:.3f} RG {_u(width_mm)} w 1 J 1 j {dash}\n{ops}\nS Q"


def fill(ops: str, rgb: RGB) -> str:
    if not ops:
        return ""
    r, g, b = rgb
    return f"q {r:.3f} {g:.3f} {b:.3f} rg\n{ops}\nf Q"


class MmCanvas:
    """A reportlab canvas addressed in mm from the top-left corner of a sheet.

    ``draw(ops, origin)`` writes path operators (from the functions above) in a y-down mm
    space whose origin is ``origin`` on the sheet, optionally clipped to a rectangle.
    """

    def __init__(self, canvas: Any, width_mm: float, height_mm: float) -> None:
        self.canvas = canvas
        self.width_mm = width_mm
        self.height_mm = height_mm

    def draw(
        self,
        ops: str,
        origin_mm: tuple[float, float] = (0.0, 0.0),
        clip_mm: tuple[float, float, float, float] | None = None,
    ) -> None:
        if not ops:
            return
        s = PT_PER_MM / UNITS_PER_MM
        x0 = origin_mm[0] * PT_PER_MM
        y0 = (self.height_mm - origin_mm[1]) * PT_PER_MM
        clip = f"{rect_ops(*clip_mm)} W n\n" if clip_mm is not None else ""
        self.canvas.addLiteral(f"q {s:.9f} 0 0 {-s:.9f} {x0:.4f} {y0:.4f} cm\n{clip}{ops}\nQ")

    def text(
        self,
        x_mm: float,
        baseline_mm: float,
        text: str,
        font: str,
        size_pt: float,
        rgb: RGB = BLACK,
        align: str = "left",
    ) -> None:
        """One line of text whose baseline is ``baseline_mm`` from the top of the sheet."""
        c = self.canvas
        c.setFont(font, size_pt)
        c.setFillColorRGB(*rgb)
        x, y = x_mm * PT_PER_MM, (self.height_mm - baseline_mm) * PT_PER_MM
        if align == "right":
            c.drawRightString(x, y, text)
        elif align == "centre":
            c.drawCentredString(x, y, text)
        else:
            c.drawString(x, y, text)

    def fill_rect(self, x_mm: float, y_mm: float, w_mm: float, h_mm: float, rgb: RGB) -> None:
        self.draw(fill(rect_ops(x_mm, y_mm, w_mm, h_mm), rgb))
