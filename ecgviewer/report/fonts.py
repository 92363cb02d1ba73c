"""The report's fonts: DejaVu Sans Condensed, bundled and embedded in every PDF.

The 14 standard PDF fonts are never embedded, so a printer or archive may substitute them; a
registered TrueType font is embedded (as a subset) and its text stays selectable. The fonts
ship with the package (``fonts/``, Bitstream Vera licence with DejaVu changes in the public
domain, see ``fonts/LICENSE``); a system copy is used only if the bundled one is missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

FONT_DIR = Path(__file__).with_name("fonts")
REGULAR = "DejaVuSansCondensed"
BOLD = "DejaVuSansCondensed-Bold"
_SYSTEM_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/local/share/fonts"),
    Path("/Library/Fonts"),
)


@dataclass(frozen=True, slots=True)
class Fonts:
    """Registered reportlab font names."""

    regular: str
    bold: str


def font_file(name: str) -> Path:
    """The TTF file of ``name``: the bundled one, else a system copy; ``FileNotFoundError``."""
    for folder in (FONT_DIR, *_SYSTEM_DIRS):
        path = folder / f"{name}.ttf"
        if path.is_file():
            return path
    raise FileNotFoundError(
        f"The report font {name}.ttf is missing from {FONT_DIR}; reinstall ecgviewer."
    )


@cache
def register_fonts() -> Fonts:
    """Register the fonts with reportlab (once per process) and return their names."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for name in (REGULAR, BOLD):
        pdfmetrics.registerFont(TTFont(name, str(font_file(name))))
    # Paragraph markup (<b>) looks fonts up by family.
    for bold, italic, name in ((0, 0, REGULAR), (1, 0, BOLD), (0, 1, REGULAR), (1, 1, BOLD)):
        addMapping(REGULAR, bold, italic, name)
    return Fonts(REGULAR, BOLD)


def text_width_mm(text: str, font: str, size_pt: float) -> float:
    """Printed width of ``text`` in millimetres."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return float(stringWidth(text, font, size_pt)) * 25.4 / 72.0


def fit_text(text: str, font: str, size_pt: float, width_mm: float, middle: bool = False) -> str:
    """``text`` shortened with an ellipsis (in the middle for paths) to fit ``width_mm``."""
    if text_width_mm(text, font, size_pt) <= width_mm:
        return text
    lo, hi = 0, len(text)
    best = "…"
    while lo <= hi:  # the longest cut that fits
        k = (lo + hi) // 2
        if middle:
            head = (k + 1) // 2
            cand = text[:head] + "…" + text[len(text) - (k - head) :]
        else:
            cand = text[:k].rstrip() + "…"
        if text_width_mm(cand, font, size_pt) <= width_mm:
            best, lo = cand, k + 1
        else:
            hi = k - 1
    return best
