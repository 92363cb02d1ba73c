"""The findings panel's text: why there is no anomaly score, and where model notices go."""

from __future__ import annotations

from ecgviewer.analysis import AnalysisRequest, run_analysis
from ecgviewer.controllers.findings_view import findings_view
from ecgviewer.io import make_record
from ecgviewer.synth import SynthSpec, synthesize


def test_a_two_lead_record_says_why_it_has_no_anomaly_score_once() -> None:
    ecg = synthesize(SynthSpec(duration_s=20.0, fs_hz=250.0)).record
    strip = make_record(ecg.samples[[ecg.lead_index("II"), ecg.lead_index("V1")]], 250.0,
                        ["II", "V1"], "strip")  # fmt: skip
    result = run_analysis(AnalysisRequest(strip))
    view = findings_view(result)
    assert view.anomaly.startswith("No anomaly score: the anomaly model needs the 12 standard")
    assert "bundled" not in view.anomaly  # the model is bundled; the record is the reason
    assert view.anomaly not in view.model_notices + view.other_notices


def test_without_a_reason_the_line_says_no_model_is_bundled() -> None:
    result = run_analysis(AnalysisRequest(synthesize(SynthSpec()).record))
    bare = type(result)(summary=result.summary)
    assert findings_view(bare).anomaly.endswith("no anomaly model is bundled in this version.")
