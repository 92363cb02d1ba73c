"""Small helpers the format readers share: units to millivolts, a unit guess, age, lead lists.

Nothing here touches a file; each function is pure so every reader states units and ages the
same way and the clinician sees the same wording whatever the file format.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import numpy.typing as npt

from ecgviewer.io.record import STANDARD_LEADS, Conversion, canonical_lead_name

#: Typical peak-to-peak amplitude above which unlabelled values are taken to be microvolts.
#: An ECG in mV rarely spans more than 10 mV; the same ECG in µV spans hundreds to thousands.
MICROVOLT_PTP_THRESHOLD = 50.0

_MV_PER_UNIT = {
    "mv": 1.0, "millivolt": 1.0, "millivolts": 1.0,
    "uv": 1e-3, "µv": 1e-3, "μv": 1e-3, "microvolt": 1e-3, "microvolts": 1e-3,
    "v": 1e3, "volt": 1e3, "volts": 1e3,
    "nv": 1e-6, "nanovolt": 1e-6, "nanovolts": 1e-6,
}  # fmt: skip

_OTHER_LEADS = frozenset({"MLI", "MLII", "MLIII", "V7", "V8", "V9"})
# Lead names as ECG software writes them in prose: "Lead I", "Lead aVR (Einthoven)", "V3R".
_LEAD_PREFIX = re.compile(r"^(?:ecg|ekg)(?:[\s_:.-]*lead)?[\s_:.-]*", re.IGNORECASE)


def mv_per_unit(unit: str) -> float | None:
    """Millivolts per one ``unit`` (``"uV"`` -> 0.001), or ``None`` for a non-voltage unit."""
    key = unit.strip().lower().replace(" ", "")
    if key.startswith("mu") and len(key) > 2:  # "muV", an ASCII spelling of µV
        key = "µ" + key[2:]
    return _MV_PER_UNIT.get(key)


def scale_note(lead_units: dict[str, str]) -> Conversion | None:
    """One ``units`` :class:`Conversion` listing the leads scaled to mV, or ``None`` if none were.

    ``lead_units`` maps each lead name to the voltage unit the file states for it.
    """
    by_unit: dict[str, list[str]] = {}
    for lead, unit in lead_units.items():
        factor = mv_per_unit(unit)
        if factor is not None and factor != 1.0:
            by_unit.setdefault(unit, []).append(lead)
    if not by_unit:
        return None
    parts = [
        f"{', '.join(leads)} from {unit} (× {mv_per_unit(unit):g})"
        for unit, leads in by_unit.items()
    ]
    return Conversion("units", "Converted to mV: " + "; ".join(parts) + ".")


def typical_ptp(data: npt.NDArray[np.floating]) -> float:
    """Median over leads of a robust peak-to-peak (1st to 99th percentile), ignoring NaN.

    At most ~100 000 points per lead are looked at, so a 24-hour recording costs no more
    than a 10-second one.
    """
    rows = np.atleast_2d(data)
    step = max(1, rows.shape[1] // 100_000)
    sample = rows[:, ::step].astype(np.float64)
    ptps = []
    for lead in sample:
        finite = lead[np.isfinite(lead)]
        if finite.size:
            lo, hi = np.percentile(finite, [1.0, 99.0])
            ptps.append(float(hi - lo))
    return float(np.median(ptps)) if ptps else 0.0


def guess_mv_per_unit(data: npt.NDArray[np.floating], where: str) -> tuple[float, Conversion]:
    """Guess µV or mV for values whose unit ``where`` does not state, and say so.

    Returns the factor to multiply by to get mV and the :class:`Conversion` that tells the
    clinician what was assumed and why.
    """
    ptp = typical_ptp(data)
    if ptp > MICROVOLT_PTP_THRESHOLD:
        return 1e-3, Conversion(
            "units",
            f"{where} does not state units. The values span about {ptp:.0f} peak to peak, "
            "which looks like microvolts, so they were divided by 1000 to give mV.",
        )
    return 1.0, Conversion(
        "units",
        f"{where} does not state units. The values span about {ptp:.3g} peak to peak, "
        "which looks like millivolts, so they are shown as mV unchanged.",
    )


def ecg_lead_name(label: str) -> str | None:
    """The canonical lead a signal label names (``"ECG II"`` -> ``"II"``), else ``None``."""
    canon = canonical_lead_name(_LEAD_PREFIX.sub("", label.strip()))
    if canon in STANDARD_LEADS or canon in _OTHER_LEADS:
        return canon
    return None


def rename_note(renames: dict[str, str], what: str) -> Conversion | None:
    """A ``lead_name`` :class:`Conversion` for the labels a reader mapped to lead names."""
    changed = [f"{raw}→{new}" for raw, new in renames.items() if raw != new]
    if not changed:
        return None
    return Conversion("lead_name", f"{what} read as lead names: " + ", ".join(changed))


def age_years(birth: dt.date, at: dt.date) -> float | None:
    """Age in completed years on ``at``; ``None`` when the dates make no sense."""
    years = at.year - birth.year - ((at.month, at.day) < (birth.month, birth.day))
    return float(years) if 0 <= years <= 130 else None
