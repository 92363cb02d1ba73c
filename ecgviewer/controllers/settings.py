"""The viewer's remembered choices as flat key/value text, and back, tolerating anything.

The UI stores these in QSettings; the conversion lives here so it is tested without Qt. A value
that cannot be read (a hand-edited file, a setting from another version) falls back to the
default for that key only: a bad setting must never stop the viewer from opening.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import TypeVar

from ecgviewer.controllers.display_filters import (
    LOWPASS_CHOICES_HZ,
    NOTCH_CHOICES_HZ,
    DisplayFilters,
)
from ecgviewer.controllers.layout import LAYOUT_KINDS, LayoutKind
from ecgviewer.controllers.paper import (
    CALIBRATION_LIMITS,
    GAINS_MM_PER_MV,
    ZOOM_SPEEDS_MM_PER_S,
)
from ecgviewer.controllers.viewer import ViewerState

T = TypeVar("T")
PREFIX = "viewer/"


def state_to_settings(state: ViewerState) -> dict[str, str]:
    """The display choices of ``state`` (not the record, time or calipers) as text."""
    f = state.filters
    return {
        "layout": state.layout_kind,
        "speed_mm_per_s": f"{state.paper.speed_mm_per_s:g}",
        "gain_mm_per_mv": f"{state.paper.gain_mm_per_mv:g}",
        "lead_gains": ",".join(f"{lead}={gain:g}" for lead, gain in state.lead_gains),
        "rhythm_leads": ",".join(state.rhythm_leads),
        "filter_baseline": "true" if f.baseline else "false",
        "filter_notch_hz": f"{f.notch_hz:g}" if f.notch_hz else "off",
        "filter_lowpass_hz": f"{f.lowpass_hz:g}" if f.lowpass_hz else "off",
        "show_beats": "true" if state.show_beats else "false",
        "show_waves": "true" if state.show_waves else "false",
        "show_fiducials": "true" if state.show_fiducials else "false",
        "show_heatmap": "true" if state.show_heatmap else "false",
        "show_restored": "true" if state.show_restored else "false",
        "scale_mode": state.scale_mode,
        "screen_factor": f"{state.screen_factor:.6g}",
    }


def _get(values: Mapping[str, object], key: str, parse: Callable[[str], T], default: T) -> T:
    raw = values.get(key)
    if raw is None:
        return default
    try:
        return parse(str(raw).strip())
    except (ValueError, KeyError):
        return default


def _bool(text: str) -> bool:
    return {"true": True, "1": True, "false": False, "0": False}[text.lower()]


def _choice(options: tuple[float, ...]) -> Callable[[str], float | None]:
    def parse(text: str) -> float | None:
        if text.lower() in ("", "off", "none", "0"):
            return None
        value = float(text)
        if value not in options:
            raise ValueError(text)
        return value

    return parse


def _member(options: tuple[float, ...]) -> Callable[[str], float]:
    def parse(text: str) -> float:
        value = float(text)
        if value not in options:
            raise ValueError(text)
        return value

    return parse


def _layout(text: str) -> LayoutKind:
    for kind in LAYOUT_KINDS:
        if kind == text:
            return kind
    raise ValueError(text)


def _lead_gains(text: str) -> tuple[tuple[str, float], ...]:
    gains: dict[str, float] = {}
    for item in filter(None, text.split(",")):
        lead, _, value = item.partition("=")
        gains[lead.strip()] = _member(GAINS_MM_PER_MV)(value)
    return tuple(sorted(gains.items()))


def _factor(text: str) -> float:
    value = float(text)
    lo, hi = CALIBRATION_LIMITS
    if not (math.isfinite(value) and lo <= value <= hi):
        raise ValueError(text)
    return value


def _leads(text: str) -> tuple[str, ...]:
    leads = tuple(lead.strip() for lead in text.split(",") if lead.strip())
    if not leads:
        raise ValueError(text)
    return leads


def _scale(text: str) -> str:
    if text not in ("true", "fit"):
        raise ValueError(text)
    return text


def state_from_settings(values: Mapping[str, object], base: ViewerState) -> ViewerState:
    """``base`` with every readable choice in ``values`` applied (unreadable ones ignored)."""
    d = base
    filters = DisplayFilters(
        baseline=_get(values, "filter_baseline", _bool, d.filters.baseline),
        notch_hz=_get(values, "filter_notch_hz", _choice(NOTCH_CHOICES_HZ), d.filters.notch_hz),
        lowpass_hz=_get(
            values, "filter_lowpass_hz", _choice(LOWPASS_CHOICES_HZ), d.filters.lowpass_hz
        ),
    )
    paper = replace(
        d.paper,
        speed_mm_per_s=_get(
            values, "speed_mm_per_s", _member(ZOOM_SPEEDS_MM_PER_S), d.paper.speed_mm_per_s
        ),
        gain_mm_per_mv=_get(
            values, "gain_mm_per_mv", _member(GAINS_MM_PER_MV), d.paper.gain_mm_per_mv
        ),
    )
    rhythm = _get(values, "rhythm_leads", _leads, d.rhythm_leads)
    scale = _get(values, "scale_mode", _scale, str(d.scale_mode))
    return replace(
        d,
        layout_kind=_get(values, "layout", _layout, d.layout_kind),
        paper=paper,
        lead_gains=_get(values, "lead_gains", _lead_gains, d.lead_gains),
        rhythm_leads=rhythm,
        filters=filters,
        show_beats=_get(values, "show_beats", _bool, d.show_beats),
        show_waves=_get(values, "show_waves", _bool, d.show_waves),
        show_fiducials=_get(values, "show_fiducials", _bool, d.show_fiducials),
        show_heatmap=_get(values, "show_heatmap", _bool, d.show_heatmap),
        show_restored=_get(values, "show_restored", _bool, d.show_restored),
        scale_mode="fit" if scale == "fit" else "true",
        screen_factor=_get(values, "screen_factor", _factor, d.screen_factor),
    )
