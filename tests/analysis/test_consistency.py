"""Every consistency rule fires on a disagreement and stays silent on agreement or no value."""

from __future__ import annotations

import pytest

from ecgviewer.analysis import RULES, check_consistency

BASE = {"hr_bpm": 70.0, "rr_ms": 857.0, "rr_sd_ms": 30.0, "pr_ms": 160.0, "qrs_ms": 90.0}
CLASSES = ("1AVB", "RBBB", "LBBB", "SB", "AF", "ST")

# rule id -> (flagged classes, measurement overrides that trigger it, overrides that agree)
CASES: dict[str, tuple[set[str], dict[str, float | None], dict[str, float | None]]] = {
    "SB_WITH_HR_60_OR_MORE": ({"SB"}, {"hr_bpm": 64.0}, {"hr_bpm": 48.0}),
    "HR_BELOW_50_SB_NOT_FLAGGED": (set(), {"hr_bpm": 45.0}, {"hr_bpm": 55.0}),
    "ST_WITH_HR_90_OR_LESS": ({"ST"}, {"hr_bpm": 85.0}, {"hr_bpm": 112.0}),
    "HR_ABOVE_100_ST_NOT_FLAGGED": (set(), {"hr_bpm": 120.0}, {"hr_bpm": 95.0}),
    "1AVB_WITH_PR_BELOW_200": ({"1AVB"}, {"pr_ms": 170.0}, {"pr_ms": 240.0}),
    "PR_ABOVE_200_1AVB_NOT_FLAGGED": (set(), {"pr_ms": 230.0}, {"pr_ms": 195.0}),
    "RBBB_WITH_QRS_BELOW_110": ({"RBBB"}, {"qrs_ms": 100.0}, {"qrs_ms": 140.0}),
    "LBBB_WITH_QRS_BELOW_110": ({"LBBB"}, {"qrs_ms": 96.0}, {"qrs_ms": 150.0}),
    "AF_WITH_REGULAR_RR": ({"AF"}, {"rr_sd_ms": 10.0}, {"rr_sd_ms": 160.0}),
    "IRREGULAR_NO_P_AF_NOT_FLAGGED": (
        set(), {"rr_sd_ms": 200.0, "pr_ms": None}, {"rr_sd_ms": 200.0, "pr_ms": 150.0}
    ),
}  # fmt: skip


def test_every_rule_has_a_case() -> None:
    assert {r.id for r in RULES} == set(CASES)


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_fires_on_disagreement_only(rule_id: str) -> None:
    flagged_names, trigger, agree = CASES[rule_id]
    flagged = {c: c in flagged_names for c in CLASSES}
    fired = check_consistency(flagged, {**BASE, **trigger})
    assert rule_id in {n.rule for n in fired}
    note = next(n for n in fired if n.rule == rule_id)
    rule = next(r for r in RULES if r.id == rule_id)
    assert note.finding == rule.finding and note.message
    assert rule_id not in {n.rule for n in check_consistency(flagged, {**BASE, **agree})}


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_is_silent_without_its_measurement(rule) -> None:  # type: ignore[no-untyped-def]
    flagged_names, trigger, _ = CASES[rule.id]
    flagged = {c: c in flagged_names for c in CLASSES}
    values = {**BASE, **trigger, **dict.fromkeys(rule.needs)}
    assert rule.id not in {n.rule for n in check_consistency(flagged, values)}


def test_no_classifier_means_no_notes() -> None:
    assert check_consistency({}, {**BASE, "hr_bpm": 30.0}) == ()


def test_af_suppresses_the_rate_rules() -> None:
    flagged = {c: c == "AF" for c in CLASSES}
    fired = {n.rule for n in check_consistency(flagged, {**BASE, "hr_bpm": 130.0,
                                                          "rr_sd_ms": 200.0})}  # fmt: skip
    assert "HR_ABOVE_100_ST_NOT_FLAGGED" not in fired
