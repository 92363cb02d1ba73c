"""run_analysis: record facts and notices filled, everything not computed left null."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from ecgviewer.analysis import MEASUREMENT_KEYS, AnalysisRequest, error_json_dict, run_analysis
from ecgviewer.io import make_record, open_record
from tests.io.wfdb_helpers import write_record


def test_twelve_lead_record_summary(tmp_path: Path) -> None:
    header, _ = write_record(tmp_path, comments=["age: 61", "sex: M"])
    result = run_analysis(AnalysisRequest(open_record(header), generation=7))
    data = result.to_json_dict()
    assert data["schema"] == 1
    assert data["fs_hz"] == 500.0
    assert data["duration_s"] == 10.0
    assert data["leads"][:3] == ["I", "II", "III"]
    assert data["patient"] == {"id": None, "age_years": 61.0, "sex": "M"}
    assert result.generation == 7
    assert set(data["measurements"]) == set(MEASUREMENT_KEYS)
    # every measurement is a number or null with a reason
    for key, value in data["measurements"].items():
        assert value is not None or data["measurement_notes"].get(key), key
    assert len(data["classes"]) == 11 and data["error"] is None
    assert all(0.0 <= c["probability"] <= 1.0 for c in data["classes"].values())
    assert data["anomaly"]["score"] > 0 and set(data["models"]) == {
        "classifier",
        "beats",
        "anomaly",
    }
    assert result.restoration_error is not None
    assert result.restoration_error.shape == (12, 5000)
    # the lead renaming of AVR/AVL/AVF is reported
    assert any("aVR" in n for n in data["notices"])
    json.dumps(data, allow_nan=False)


def test_non_twelve_lead_gets_a_notice_not_a_guess() -> None:
    rec = make_record(np.sin(np.arange(2000) / 9.0)[None, :], 360.0, ["MLII"], "strip")
    data = run_analysis(AnalysisRequest(rec)).to_json_dict()
    assert any("Not a standard 12-lead recording" in n for n in data["notices"])


def test_signal_issues_become_notices() -> None:
    x = np.vstack([np.sin(np.arange(1000) / 9.0), np.zeros(1000)])
    rec = make_record(x, 500.0, ["I", "V1"], "r")
    notices = run_analysis(AnalysisRequest(rec)).to_json_dict()["notices"]
    assert any("Lead V1 is flat" in n for n in notices)


def test_error_json_has_the_same_keys() -> None:
    rec = make_record(np.sin(np.arange(1000) / 9.0)[None, :], 500.0, ["I"], "r")
    ok = run_analysis(AnalysisRequest(rec)).to_json_dict()
    bad = error_json_dict("x.hea", "missing_file", "There is no file at x.hea.")
    assert set(ok) == set(bad)
    assert bad["error"] == {"type": "missing_file", "message": "There is no file at x.hea."}
