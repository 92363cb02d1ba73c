"""Small helpers the format readers share: units to millivolts, a unit guess, lead names, age.

Nothing here touches a file; each function is pure so every reader states units and ages the
same way and the clinician sees the same wording whatever the file format.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

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
# "ECG II", "EKG_V1", "ECG lead aVR": a modality prefix in front of the lead name.
_LEAD_PREFIX = re.compile(r"^(?:ecg|ekg)(?:[\s_:.-]*lead)?[\s_:.-]*", re.IGNORECASE)


def mv_per_unit(unit: str) -> float | None:
    """Millivolts per one ``unit`` (``"uV"`` -> 0.001), or ``None`` for a non-voltage unit."""
    key = unit.strip().lower().replace(" ", "")
    if key.startswith("mu") and len(key) > 2:  # "muV", an ASCII spelling of µV
        key = "µ" + key[2:]
    return _MV_PER_UNIT.get(key)


def scale_to_mv(
    samples: npt.NDArray[np.float32], units: Sequence[str], leads: Sequence[str], source: str
) -> list[Conversion]:
    """Scale each row of ``samples`` to mV in place from its stated voltage unit.

    Rows whose unit is ``""`` (not stated) share one guess from their amplitude. Returns the
    ``units`` :class:`Conversion` entries that tell the clinician what was converted or
    assumed; rows already in mV need no entry. ``source`` names what should have stated the
    units ("The EDF header"). Non-voltage units must have been filtered out by the caller.
    """
    by_unit: dict[str, list[str]] = {}
    unstated: list[int] = []
    for row, unit in enumerate(units):
        factor = mv_per_unit(unit) if unit else None
        if factor is None:
            unstated.append(row)
        elif factor != 1.0:
            samples[row] *= np.float32(factor)
            by_unit.setdefault(unit, []).append(leads[row])
    notes = [
        Conversion(
            "units", f"Converted to mV: {', '.join(names)} from {unit} (× {mv_per_unit(unit):g})."
        )
        for unit, names in by_unit.items()
    ]
    if unstated:
        stride = max(1, samples.shape[1] // 100_000)  # a sparse sample, never a full copy
        ptp = typical_ptp(samples[unstated, ::stride])
        microvolts = ptp > MICROVOLT_PTP_THRESHOLD
        for row in unstated if microvolts else ():
            samples[row] *= np.float32(1e-3)
        span = f"{ptp:.0f}" if ptp >= 10 else f"{ptp:.2g}"
        verdict = (
            "looks like microvolts, so they were divided by 1000 to give mV"
            if microvolts
            else "looks like millivolts, so they are shown as mV unchanged"
        )
        what = ", ".join(leads[row] for row in unstated)
        notes.append(
            Conversion(
                "units",
                f"{source} does not state units for {what}. The values span about {span} "
                f"peak to peak, which {verdict}.",
            )
        )
    return notes


def finite_float32(values: npt.ArrayLike) -> npt.NDArray[np.float32]:
    """``values`` as a C-ordered float32 array; ±inf and values beyond float32 become NaN.

    Text such as ``1e99`` or ``inf`` in a file is no voltage; it is shown as a missing sample
    (which :func:`make_record` reports) rather than an infinite spike.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        out = np.array(values, dtype=np.float32, order="C")
    out[np.isinf(out)] = np.nan
    return out


def typical_ptp(data: npt.NDArray[np.floating]) -> float:
    """Median over leads (rows) of a robust peak-to-peak, 1st to 99th percentile, NaN ignored."""
    ptps = []
    for lead in np.atleast_2d(data).astype(np.float64):
        finite = lead[np.isfinite(lead)]
        if finite.size:
            lo, hi = np.percentile(finite, [1.0, 99.0])
            ptps.append(float(hi - lo))
    return float(np.median(ptps)) if ptps else 0.0


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
