"""Do the network and the measurements agree? One table of rules, each documented and tested.

The CODE study's own error analysis found that its network errs on cases just across sharp
measurement cut-offs (sinus bradycardia just above 50 bpm, tachycardia just below 100 bpm, PR near
200 ms, QRS near 120 ms), so the two should check each other. Each :class:`Rule` looks at one
class (flagged or not) and the measured values; when its condition holds, the clinician sees its
message beside the finding. A rule whose measurement is missing (``None``) stays silent: absence
of a measurement is reported by the measurement notes, not as a disagreement.

The "missed" rules use the clinical definitions the CODE study used (SB < 50 bpm, ST > 100 bpm,
1AVB PR > 200 ms); the "flagged but" rules leave a grey zone where the definitions differ between
guidelines (sinus bradycardia < 60 or < 50 bpm; tachycardia > 100 bpm, so HR ≤ 90 is clearly not;
a complete block has QRS ≥ 120 ms, so < 110 ms is clearly not, beyond measurement error).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

Values = Mapping[str, float | None]

#: RR coefficient of variation below which a rhythm counts as regular (AF is irregular).
REGULAR_RR_CV = 0.06
#: RR coefficient of variation above which a rhythm counts as clearly irregular.
IRREGULAR_RR_CV = 0.15


@dataclass(frozen=True, slots=True)
class Rule:
    """``when`` the class is flagged (``True``) or not (``False``) and ``test`` holds, say it."""

    id: str
    finding: str
    when_flagged: bool
    needs: tuple[str, ...]
    test: Callable[[Values, Mapping[str, bool]], bool]
    message: Callable[[Values], str]


@dataclass(frozen=True, slots=True)
class ConsistencyNote:
    """One disagreement between a finding and the measurements."""

    rule: str
    finding: str
    message: str


def _cv(v: Values) -> float:
    rr, sd = v["rr_ms"], v["rr_sd_ms"]
    assert rr is not None and sd is not None
    return sd / rr if rr > 0 else 0.0


def _f(v: Values, key: str) -> float:
    value = v[key]
    assert value is not None
    return value


RULES: tuple[Rule, ...] = (
    Rule(
        "SB_WITH_HR_60_OR_MORE", "SB", True, ("hr_bpm",),
        lambda v, _: _f(v, "hr_bpm") >= 60,
        lambda v: f"SB flagged, but the measured heart rate is {_f(v, 'hr_bpm'):.0f} bpm (≥ 60).",
    ),
    Rule(
        "HR_BELOW_50_SB_NOT_FLAGGED", "SB", False, ("hr_bpm",),
        lambda v, flags: _f(v, "hr_bpm") < 50 and not flags.get("AF", False),
        lambda v: f"Measured heart rate {_f(v, 'hr_bpm'):.0f} bpm (< 50), but SB is not "
        "flagged: check the rhythm.",
    ),
    Rule(
        "ST_WITH_HR_90_OR_LESS", "ST", True, ("hr_bpm",),
        lambda v, _: _f(v, "hr_bpm") <= 90,
        lambda v: f"ST flagged, but the measured heart rate is {_f(v, 'hr_bpm'):.0f} bpm (≤ 90).",
    ),
    Rule(
        "HR_ABOVE_100_ST_NOT_FLAGGED", "ST", False, ("hr_bpm",),
        lambda v, flags: _f(v, "hr_bpm") > 100 and not flags.get("AF", False),
        lambda v: f"Measured heart rate {_f(v, 'hr_bpm'):.0f} bpm (> 100), but ST is not "
        "flagged: check for sinus tachycardia or another tachycardia.",
    ),
    Rule(
        "1AVB_WITH_PR_BELOW_200", "1AVB", True, ("pr_ms",),
        lambda v, _: _f(v, "pr_ms") < 200,
        lambda v: f"1AVB flagged, but the measured PR is {_f(v, 'pr_ms'):.0f} ms (< 200).",
    ),
    Rule(
        "PR_ABOVE_200_1AVB_NOT_FLAGGED", "1AVB", False, ("pr_ms",),
        lambda v, _: _f(v, "pr_ms") > 200,
        lambda v: f"Measured PR {_f(v, 'pr_ms'):.0f} ms (> 200), but 1AVB is not flagged.",
    ),
    Rule(
        "RBBB_WITH_QRS_BELOW_110", "RBBB", True, ("qrs_ms",),
        lambda v, _: _f(v, "qrs_ms") < 110,
        lambda v: f"RBBB flagged, but the measured QRS is {_f(v, 'qrs_ms'):.0f} ms (< 110); "
        "a complete block has QRS ≥ 120 ms.",
    ),
    Rule(
        "LBBB_WITH_QRS_BELOW_110", "LBBB", True, ("qrs_ms",),
        lambda v, _: _f(v, "qrs_ms") < 110,
        lambda v: f"LBBB flagged, but the measured QRS is {_f(v, 'qrs_ms'):.0f} ms (< 110); "
        "a complete block has QRS ≥ 120 ms.",
    ),
    Rule(
        "AF_WITH_REGULAR_RR", "AF", True, ("rr_ms", "rr_sd_ms"),
        lambda v, _: _cv(v) < REGULAR_RR_CV,
        lambda v: f"AF flagged, but the RR intervals are regular (SD {_f(v, 'rr_sd_ms'):.0f} ms, "
        f"{100 * _cv(v):.0f} % of the mean): check for flutter or another regular rhythm.",
    ),
    Rule(
        "IRREGULAR_NO_P_AF_NOT_FLAGGED", "AF", False, ("rr_ms", "rr_sd_ms"),
        lambda v, _: _cv(v) > IRREGULAR_RR_CV and v.get("pr_ms") is None,
        lambda v: f"Irregular RR ({100 * _cv(v):.0f} % variation) without a measurable P wave, "
        "but AF is not flagged: check the rhythm.",
    ),
)  # fmt: skip


def check_consistency(
    flagged: Mapping[str, bool], measurements: Values, rules: tuple[Rule, ...] = RULES
) -> tuple[ConsistencyNote, ...]:
    """The notes of every rule that fires; rules about a class the model lacks stay silent."""
    notes = []
    for rule in rules:
        if rule.finding not in flagged or flagged[rule.finding] != rule.when_flagged:
            continue
        if any(measurements.get(key) is None for key in rule.needs):
            continue
        if rule.test(measurements, flagged):
            notes.append(ConsistencyNote(rule.id, rule.finding, rule.message(measurements)))
    return tuple(notes)
