"""The beat-label step: AAMI labels for detected beats, summary counts, couplets and runs."""

from __future__ import annotations

from ecgviewer.analysis import AnalysisRequest, run_analysis
from ecgviewer.analysis.beat_labels import beat_summary, load_beat_model, run_beat_labels
from ecgviewer.dsp import detect_beats
from ecgviewer.io import make_record
from ecgviewer.models.beats import classify_beats
from ecgviewer.synth import SynthSpec, synthesize


def test_couplets_runs_and_burden() -> None:
    labels = ("N", "VEB", "VEB", "N", "VEB", "VEB", "VEB", "N", "SVEB", "N")
    s = beat_summary(labels, 3600.0)
    assert s["total"] == 10 and s["counts"]["VEB"] == 5 and s["counts"]["SVEB"] == 1
    assert (s["veb_couplets"], s["veb_runs"], s["veb_longest_run"]) == (1, 1, 3)
    assert (s["sveb_couplets"], s["sveb_runs"], s["sveb_longest_run"]) == (0, 0, 1)
    assert s["ectopic_percent"] == 60.0 and s["per_hour"]["VEB"] == 5.0


def test_pvcs_of_a_synthetic_record_are_labelled_veb() -> None:
    ecg = synthesize(SynthSpec(hr_bpm=70, duration_s=30.0, pvc_beats=(8, 20)))
    data = run_analysis(AnalysisRequest(ecg.record)).to_json_dict()
    assert data["beat_summary"]["counts"]["VEB"] == 2
    truth = ecg.truth
    pvcs = [t for t, lab in zip(truth.r_peak_s, truth.labels, strict=True) if lab == "V"]
    veb = [b["time_s"] for b in data["beats"] if b["label"] == "VEB"]
    assert len(veb) == 2 and all(abs(a - b) < 0.15 for a, b in zip(veb, pvcs, strict=True))
    assert "beats" in data["models"] and len(data["models"]["beats"]["sha256"]) == 64
    assert any(n.startswith("Beat classifier input: lead II") for n in data["notices"])


def test_no_beats_is_a_notice() -> None:
    ecg = synthesize(SynthSpec())
    step = run_beat_labels(ecg.record, [])
    assert step.labels == () and step.summary is None and "no beats" in step.notices[0]


def test_af_of_two_minutes_is_not_called_premature_beats() -> None:
    """Synthetic AF (no 12-lead AF finding needed: lead II alone): the rhythm rule, not the
    12-lead classifier, keeps the short intervals of the fibrillation from being SVEB."""
    af = synthesize(SynthSpec(rhythm="af", hr_bpm=95, duration_s=120.0, fs_hz=250.0, seed=4))
    lead = make_record(af.record.lead("II")[None], 250.0, ["II"], "af-strip")
    beats = detect_beats(lead.samples, lead.fs_hz).samples
    step = run_beat_labels(lead, beats)
    assert step.summary is not None and step.summary["total"] > 150
    assert step.summary["counts"]["SVEB"] <= 0.02 * step.summary["total"]
    model = load_beat_model()
    _, probs = classify_beats(lead, beats, model)
    raw_sveb = int((probs.argmax(axis=1) == model.classes.index("SVEB")).sum())
    if raw_sveb > step.summary["counts"]["SVEB"]:  # the rule overruled some: it says so
        assert any("irregularly irregular" in n for n in step.notices)
