"""Clinical formulas: heart-rate correction of the QT interval and the frontal-plane axis.

QTc (QT and RR in ms, the RR of the same recording):

========== =========================================== ==============================
method     formula                                     reference
========== =========================================== ==============================
bazett     QT / sqrt(RR / 1000)                        Bazett 1920
fridericia QT / cbrt(RR / 1000)                        Fridericia 1920
framingham QT + 154 * (1 - RR / 1000)                  Sagie et al. 1992
hodges     QT + 1.75 * (HR - 60), HR = 60000 / RR      Hodges et al. 1983
========== =========================================== ==============================

The frontal axis is the direction, in the hexaxial reference system (lead I at 0 degrees, aVF
at +90 degrees), of the vector whose projections on leads I and aVF are a wave's net areas.
"""

from __future__ import annotations

import math
from typing import Literal

QtcMethod = Literal["bazett", "fridericia", "framingham", "hodges"]
QTC_METHODS: tuple[QtcMethod, ...] = ("bazett", "fridericia", "framingham", "hodges")


def qtc_ms(qt_ms: float, rr_ms: float, method: QtcMethod) -> float:
    """Heart-rate corrected QT (ms) by ``method`` (see the module table)."""
    if rr_ms <= 0 or not math.isfinite(rr_ms) or not math.isfinite(qt_ms):
        raise ValueError(f"QT {qt_ms} ms and RR {rr_ms} ms must be finite, RR positive")
    rr_s = rr_ms / 1000.0
    if method == "bazett":
        return qt_ms / math.sqrt(rr_s)
    if method == "fridericia":
        return qt_ms / math.pow(rr_s, 1.0 / 3.0)
    if method == "framingham":
        return qt_ms + 154.0 * (1.0 - rr_s)
    if method == "hodges":
        return qt_ms + 1.75 * (60.0 / rr_s - 60.0)
    raise ValueError(f"unknown QTc method {method!r}; one of {QTC_METHODS}")


def frontal_axis_deg(lead_i: float, lead_avf: float) -> float:
    """Frontal-plane axis (degrees, -180 to 180) from a wave's net areas in I and aVF.

    Raises ``ValueError`` when both are zero (the axis is then indeterminate).
    """
    if lead_i == 0.0 and lead_avf == 0.0:
        raise ValueError("the axis is indeterminate when both projections are zero")
    return math.degrees(math.atan2(lead_avf, lead_i))


def avf_from_limb_leads(lead_i: float, lead_ii: float) -> float:
    """aVF from I and II (Goldberger: aVF = II - I / 2), for recordings without aVF."""
    return lead_ii - lead_i / 2.0
