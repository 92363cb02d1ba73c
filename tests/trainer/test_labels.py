"""SCP codes -> the 11 targets, on hand-made scp_codes dicts."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from trainer.labels import CLASSES, encode, load_diagnostic_classes, parse_scp_codes

DIAG = {"NORM": "NORM", "IMI": "MI", "CRBBB": "CD", "CLBBB": "CD", "1AVB": "CD",
        "IRBBB": "CD", "LVH": "HYP", "NDT": "STTC"}  # fmt: skip


def positives(codes: dict[str, float], min_likelihood: float = 0.0) -> set[str]:
    target = encode(codes, DIAG, min_likelihood)
    return {c for c, v in zip(CLASSES, target, strict=True) if v == 1.0}


def test_normal_sinus_rhythm() -> None:
    assert positives({"NORM": 100.0, "SR": 0.0}) == {"NORM"}


def test_complete_bundle_branch_blocks_map_to_code_and_cd() -> None:
    assert positives({"CRBBB": 100.0}) == {"RBBB", "CD"}
    assert positives({"CLBBB": 100.0, "1AVB": 100.0}) == {"LBBB", "1AVB", "CD"}


def test_incomplete_rbbb_is_not_rbbb() -> None:
    assert positives({"IRBBB": 100.0}) == {"CD"}


def test_rhythms_and_flutter() -> None:
    assert positives({"AFIB": 0.0, "IMI": 50.0}) == {"AF", "MI"}
    assert positives({"AFLT": 0.0}) == set()  # flutter is not AF (documented choice)
    assert positives({"SBRAD": 0.0, "LVH": 35.0}) == {"SB", "HYP"}
    assert positives({"STACH": 0.0, "NDT": 100.0}) == {"ST", "STTC"}


def test_likelihood_zero_means_unstated_and_counts() -> None:
    assert positives({"IMI": 15.0, "SBRAD": 0.0}, min_likelihood=50) == {"SB"}
    assert positives({"IMI": 50.0, "SBRAD": 0.0}, min_likelihood=50) == {"SB", "MI"}


def test_parse_and_statements_file(tmp_path: Path) -> None:
    assert parse_scp_codes("{'NORM': 100.0, 'SR': 0.0}") == {"NORM": 100.0, "SR": 0.0}
    with pytest.raises(ValueError, match="not a dict"):
        parse_scp_codes("[1, 2]")
    csv = tmp_path / "scp_statements.csv"
    csv.write_text(",diagnostic,diagnostic_class\nIMI,1.0,MI\nSR,,\n")
    assert load_diagnostic_classes(csv) == {"IMI": "MI"}
    assert encode({}, DIAG).dtype == np.float32
