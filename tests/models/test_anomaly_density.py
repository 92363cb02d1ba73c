"""The anomaly model's normal-population score: shrunk covariance, calibrated distances, the
measurement vector of the model's own input, and the shipped model's score on synthetic ECGs."""

from __future__ import annotations

import math

import numpy as np
import pytest

pytest.importorskip("torch")

from ecgviewer.models import MODEL_LEADS
from ecgviewer.models.anomaly import ANOMALY_BUNDLE_DIR, load_anomaly_bundle, score_record
from ecgviewer.models.anomaly_density import (
    N_MEASUREMENT_FEATURES,
    NormalDensity,
    ledoit_wolf,
    measure_model_input,
    measurement_features,
)
from ecgviewer.models.bundle import MANIFEST_FILE
from ecgviewer.synth import SynthSpec, synthesize


def test_ledoit_wolf_shrinks_a_noisy_covariance_toward_a_scaled_identity() -> None:
    rng = np.random.default_rng(0)
    few = rng.standard_normal((15, 40))  # fewer records than dimensions: singular sample cov
    cov = ledoit_wolf(few - few.mean(axis=0))
    assert np.allclose(cov, cov.T) and np.linalg.eigvalsh(cov).min() > 0.05
    many = rng.standard_normal((20000, 5)) @ np.diag([1.0, 2.0, 3.0, 4.0, 5.0])
    cov = ledoit_wolf(many - many.mean(axis=0))
    np.testing.assert_allclose(np.diag(cov), [1, 4, 9, 16, 25], rtol=0.05)  # barely shrunk


def test_calibrated_distance_is_about_standard_on_normals_and_large_far_away() -> None:
    rng = np.random.default_rng(1)
    train = rng.multivariate_normal(np.zeros(4), [[1, .8, 0, 0], [.8, 1, 0, 0], [0, 0, 1, 0],
                                                   [0, 0, 0, 1]], size=5000)  # fmt: skip
    density = NormalDensity(n_features=4, n_measurements=N_MEASUREMENT_FEATURES)
    z_train = density.fit("features", train)
    assert abs(z_train.mean()) < 1e-6 and z_train.std() == pytest.approx(1.0, abs=1e-3)
    # Against the correlation: (2, -2) is far for this population, (2, 2) is not.
    z = density.z("features", [[2.0, -2.0, 0, 0], [2.0, 2.0, 0, 0]])
    assert z[0] > 3.0 and z[0] > z[1] + 2.0
    # A missing value takes the training median: it adds no distance.
    z_nan, z_median = density.z("features", [[np.nan, 0, 0, 0], [np.median(train[:, 0]), 0, 0, 0]])
    assert z_nan == pytest.approx(z_median)


def test_measurement_vector_encodes_axes_as_unit_vectors_and_keeps_gaps() -> None:
    v = measurement_features({"hr_bpm": 60.0, "rr_sd_ms": 20.0, "pr_ms": None, "qrs_ms": 90.0,
                              "qt_ms": 400.0, "qtc_bazett_ms": 400.0, "p_axis_deg": 90.0,
                              "qrs_axis_deg": 0.0, "t_axis_deg": None})  # fmt: skip
    assert len(v) == N_MEASUREMENT_FEATURES
    assert v[0] == pytest.approx(math.log(60.0)) and math.isnan(v[2]) and v[3] == 90.0
    np.testing.assert_allclose(v[6:10], [0.0, 1.0, 1.0, 0.0], atol=1e-12)
    assert np.isnan(v[10:]).all()


def test_the_model_input_is_measured_and_garbage_gives_gaps_not_errors() -> None:
    ecg = synthesize(SynthSpec(hr_bpm=75, fs_hz=100.0, seed=2))
    x = np.stack([ecg.record.lead(lead) for lead in MODEL_LEADS])
    v = measure_model_input(x - np.median(x, axis=1, keepdims=True))
    assert math.exp(v[0]) == pytest.approx(75.0, abs=2.0)
    assert np.isnan(measure_model_input(np.zeros((12, 1000), np.float32))).all()


@pytest.mark.skipif(not (ANOMALY_BUNDLE_DIR / MANIFEST_FILE).is_file(), reason="no bundle")
def test_shipped_model_scores_a_bundle_branch_block_above_a_normal_ecg() -> None:
    bundle = load_anomaly_bundle()
    assert bundle.network.density is not None
    normal = [score_record(synthesize(SynthSpec(seed=s)).record, bundle) for s in range(3)]
    lbbb = [score_record(synthesize(SynthSpec(qrs_morphology="lbbb", seed=s)).record, bundle)
            for s in range(3)]  # fmt: skip
    assert max(o.score for o in normal) < min(o.score for o in lbbb)
    assert all(o.flagged for o in lbbb)
    for o in normal + lbbb:
        assert set(o.parts) == {"features", "measurements"}
        assert o.score == pytest.approx(o.parts["features"] + o.parts["measurements"])
