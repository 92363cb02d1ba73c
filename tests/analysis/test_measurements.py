"""The measurement step of ``run_analysis``: values, reasons, beats, notices and JSON."""

from __future__ import annotations

import itertools
import json
from unittest import mock

import numpy as np
import pytest

from ecgviewer.analysis import BEAT_KEYS, MEASUREMENT_KEYS, AnalysisRequest, run_analysis
from ecgviewer.analysis.run import NOT_YET_AVAILABLE
from ecgviewer.io import make_record
from ecgviewer.synth import SynthSpec, synthesize


def _json(spec: SynthSpec) -> tuple[dict[str, object], object]:
    ecg = synthesize(spec)
    data = run_analysis(AnalysisRequest(ecg.record)).to_json_dict()
    json.dumps(data, allow_nan=False)  # plain JSON: no NaN anywhere
    return data, ecg.truth


def test_sinus_record_gets_every_measurement_and_its_beats() -> None:
    data, truth = _json(SynthSpec(hr_bpm=75, noise_mv=0.02, seed=1))
    m = data["measurements"]
    assert isinstance(m, dict)
    assert set(m) == set(MEASUREMENT_KEYS)
    assert all(m[k] is not None for k in MEASUREMENT_KEYS), m
    assert m["hr_bpm"] == pytest.approx(75.0, abs=1.0)
    assert abs(m["qrs_ms"] - truth.qrs_ms) <= 20.0  # type: ignore[attr-defined]
    assert data["measurement_notes"] == {}
    beats = data["beats"]
    n_true = int(np.count_nonzero(truth.samples("r_peak") >= 0))  # type: ignore[attr-defined]
    assert isinstance(beats, list) and len(beats) == n_true
    for beat in beats:
        assert set(beat) == set(BEAT_KEYS) and beat["label"] in ("N", "SVEB", "VEB", "F", "Q")
    inner = [b for b in beats if 1.0 < b["time_s"] < 9.0]
    order = ("p_on_s", "p_off_s", "qrs_on_s", "time_s", "qrs_off_s", "t_off_s")
    assert all(all(b[a] < b[c] for a, c in itertools.pairwise(order)) for b in inner)
    assert not any("Measurements" in n for n in data["notices"])  # type: ignore[union-attr]


def test_af_gives_null_pr_with_its_reason_in_notes_and_notices() -> None:
    data, _ = _json(SynthSpec(hr_bpm=90, rhythm="af", seed=2))
    assert data["measurements"]["pr_ms"] is None  # type: ignore[index]
    reason = data["measurement_notes"]["pr_ms"]  # type: ignore[index]
    assert "atrial fibrillation" in reason
    assert any("PR" in n and reason in n for n in data["notices"])  # type: ignore[union-attr]
    assert all(b["p_on_s"] is None for b in data["beats"])  # type: ignore[union-attr,index]


def test_two_lead_holter_strip_gets_beats_rate_and_rr() -> None:
    ecg = synthesize(SynthSpec(hr_bpm=64, duration_s=30.0, fs_hz=360.0, seed=3))
    rec = make_record(ecg.record.samples[[1, 6]], 360.0, ["MLII", "V1"], "strip")
    data = run_analysis(AnalysisRequest(rec)).to_json_dict()
    m = data["measurements"]
    assert m["hr_bpm"] == pytest.approx(64.0, abs=1.0)
    assert m["rr_ms"] is not None and m["rr_sd_ms"] is not None
    assert m["qt_ms"] is None and "12 standard leads" in data["measurement_notes"]["qt_ms"]
    assert len(data["beats"]) >= 30


def test_an_engine_failure_is_a_notice_not_a_crash() -> None:
    rec = synthesize(SynthSpec(seed=4)).record
    with mock.patch("ecgviewer.analysis.measurements.measure", side_effect=RuntimeError("boom")):
        data = run_analysis(AnalysisRequest(rec)).to_json_dict()
    assert all(v is None for v in data["measurements"].values())
    assert any("could not be computed" in n for n in data["notices"])
    assert data["beats"] == []


def test_measurements_no_longer_listed_as_missing() -> None:
    assert not any("Measurements" in line for line in NOT_YET_AVAILABLE)
