"""AUC, the F1 threshold, and calibration on cases with known answers."""

from __future__ import annotations

import math

import numpy as np

from trainer.metrics import best_f1_threshold, calibration, class_metrics, roc_auc


def test_auc_known_values() -> None:
    assert roc_auc([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9]) == 1.0
    assert roc_auc([0, 0, 1, 1], [0.9, 0.8, 0.2, 0.1]) == 0.0
    assert roc_auc([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5]) == 0.5
    assert math.isnan(roc_auc([1, 1], [0.2, 0.3]))


def test_threshold_separates_a_separable_set() -> None:
    y, p = [0, 0, 0, 1, 1], [0.1, 0.2, 0.3, 0.6, 0.9]
    t = best_f1_threshold(y, p)
    assert 0.3 < t <= 0.6
    m = class_metrics(y, p, t)
    assert m["f1"] == m["sensitivity"] == m["specificity"] == 1.0


def test_calibration_of_a_calibrated_and_an_overconfident_model() -> None:
    rng = np.random.default_rng(0)
    p = rng.uniform(size=20000)
    y = rng.uniform(size=p.size) < p
    assert calibration(y, p)["ece"] < 0.02
    assert calibration(y, np.where(p > 0.5, 1.0, 0.0))["ece"] > 0.2
