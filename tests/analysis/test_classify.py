"""The classifier step: findings from a verified bundle, reasons (never guesses) otherwise."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from ecgviewer.analysis.classify import (  # noqa: E402
    MIN_DURATION_S,
    run_classifier,
)
from ecgviewer.analysis.model_cache import forget_loaded_models  # noqa: E402
from ecgviewer.io import STANDARD_LEADS, make_record  # noqa: E402
from ecgviewer.models import save_bundle  # noqa: E402
from ecgviewer.models.networks import build_network, network_config  # noqa: E402

CLASSES = ("AF", "NORM")
SMALL = network_config("code", stem_filters=8, filters=[8, 8, 8, 8])


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    forget_loaded_models()
    yield
    forget_loaded_models()


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    torch.manual_seed(0)
    net = build_network(SMALL, 12, 1000, len(CLASSES))
    metrics = {"per_class": {"AF": {"sensitivity": 0.9, "specificity": 0.95}}}
    return save_bundle(
        tmp_path / "classifier", net.state_dict(), network=SMALL, classes=CLASSES,
        thresholds=[0.0, 1.0], training={"data": "test"}, metrics=metrics,
    )  # fmt: skip


def twelve_lead(seconds: float = 10.0, fs: float = 500.0) -> np.ndarray:
    t = np.arange(int(seconds * fs)) / fs
    return (0.5 * np.sin(2 * np.pi * 1.2 * t))[None].repeat(12, axis=0).astype(np.float32)


def test_findings_carry_threshold_flag_and_operating_point(bundle: Path) -> None:
    rec = make_record(twelve_lead(), 500.0, list(STANDARD_LEADS), "r")
    step = run_classifier(rec, bundle)
    assert set(step.classes) == set(CLASSES)
    af, norm = step.classes["AF"], step.classes["NORM"]
    assert 0.0 <= af.probability <= 1.0 and af.flagged  # threshold 0: always flagged
    assert not norm.flagged  # threshold 1: never
    assert (af.validation_sensitivity, af.validation_specificity) == (0.9, 0.95)
    assert norm.validation_sensitivity is None
    assert step.models["classifier"].sha256 and len(step.models["classifier"].sha256) == 64
    assert any("Resampled from 500 Hz to 100 Hz" in n for n in step.notices)


def test_long_record_is_read_in_windows_and_says_so(bundle: Path) -> None:
    rec = make_record(twelve_lead(30.0, 250.0), 250.0, list(STANDARD_LEADS), "long")
    step = run_classifier(rec, bundle)
    assert step.classes and any("Read in 3 windows of 10 s" in n for n in step.notices)


def test_a_lead_missing_in_every_window_gives_a_reason(bundle: Path) -> None:
    samples = twelve_lead(20.0, 250.0)  # windows 0–10 and 10–20 s; the middle 10 s is fine
    samples[STANDARD_LEADS.index("V4"), :1500] = np.nan  # 0–6 s
    samples[STANDARD_LEADS.index("V5"), 3500:] = np.nan  # 14–20 s
    step = run_classifier(make_record(samples, 250.0, list(STANDARD_LEADS), "gaps"), bundle)
    assert step.classes == {} and not step.models
    assert "a lead is missing in every 10 s window" in step.notices[-1]
    assert any("0.00–10.00 s, 10.00–20.00 s" in n for n in step.notices)


def test_two_leads_get_a_reason_not_a_guess(bundle: Path) -> None:
    rec = make_record(twelve_lead()[:2], 500.0, ["MLII", "V5"], "strip")
    step = run_classifier(rec, bundle)
    assert step.classes == {} and not step.models
    assert "needs the 12 standard leads" in step.notices[0] and "V1" in step.notices[0]


def test_short_record_is_not_classified(bundle: Path) -> None:
    rec = make_record(twelve_lead(MIN_DURATION_S - 1), 500.0, list(STANDARD_LEADS), "short")
    step = run_classifier(rec, bundle)
    assert step.classes == {} and "needs at least" in step.notices[0]


def test_a_lead_missing_for_most_of_the_window_is_not_replaced_by_zeros(bundle: Path) -> None:
    x = twelve_lead()
    x[7, :4000] = np.nan  # V2 missing for 8 of 10 s
    step = run_classifier(make_record(x, 500.0, list(STANDARD_LEADS), "gap"), bundle)
    assert step.classes == {} and "V2" in step.notices[0]


def test_tampered_bundle_becomes_a_notice(bundle: Path) -> None:
    weights = bundle / "model.safetensors"
    data = bytearray(weights.read_bytes())
    data[-1] ^= 0x01
    weights.write_bytes(bytes(data))
    rec = make_record(twelve_lead(), 500.0, list(STANDARD_LEADS), "r")
    step = run_classifier(rec, bundle)
    assert step.classes == {} and "do not match their manifest" in step.notices[0]


def test_missing_bundle_becomes_a_notice(tmp_path: Path) -> None:
    rec = make_record(twelve_lead(), 500.0, list(STANDARD_LEADS), "r")
    step = run_classifier(rec, tmp_path / "nowhere")
    assert step.classes == {} and "No classifier is installed" in step.notices[0]
