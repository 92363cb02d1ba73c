"""The beat classifier's labels as markers, and the ectopic-beat cursor."""

from __future__ import annotations

import numpy as np

from ecgviewer.controllers.annotations import ectopic_times, next_ectopic, predicted_beats
from ecgviewer.controllers.findings_view import beat_summary_text


def test_predicted_beats_map_aami_names_and_skip_unlabelled() -> None:
    beats = [{"time_s": 1.0, "label": "N"}, {"time_s": 0.5, "label": "VEB"},
             {"time_s": 2.0, "label": None}, {"time_s": 3.0, "label": "SVEB"}]  # fmt: skip
    got = predicted_beats(beats, 200.0)
    assert got is not None
    assert got.index.samples.tolist() == [100, 200, 600]
    assert got.index.classes == ("V", "N", "S")
    assert predicted_beats([{"time_s": 1.0, "label": None}], 200.0) is None


def test_next_and_previous_ectopic() -> None:
    beats = [{"time_s": t, "label": lab} for t, lab in
             ((1.0, "N"), (2.0, "VEB"), (3.0, "N"), (4.0, "SVEB"))]  # fmt: skip
    p = predicted_beats(beats, 100.0)
    assert p is not None
    times = ectopic_times(p.index, 100.0)
    assert times.tolist() == [2.0, 4.0]
    assert next_ectopic(times, 0.0, True) == 2.0
    assert next_ectopic(times, 2.0, True) == 4.0
    assert next_ectopic(times, 4.0, True) is None
    assert next_ectopic(times, 4.0, False) == 2.0
    assert next_ectopic(times, 2.0, False) is None
    assert ectopic_times(None, 100.0).size == 0 and next_ectopic(np.zeros(0), 1.0, True) is None


def test_beat_summary_text() -> None:
    summary = {"total": 1204, "counts": {"N": 1189, "SVEB": 3, "VEB": 12, "F": 0, "Q": 0},
               "ectopic_percent": 1.25, "veb_couplets": 1, "veb_runs": 0,
               "sveb_couplets": 0, "sveb_runs": 0}  # fmt: skip
    assert beat_summary_text(summary) == (
        "Beats (AI): 1,204 — 12 VEB (1 couplet(s)), 3 SVEB; 1.2 % ectopic"
    )
    assert beat_summary_text(None) == ""
    quiet = {**summary, "counts": {"N": 10, "SVEB": 0, "VEB": 0, "F": 0, "Q": 0}, "total": 10}
    assert beat_summary_text(quiet) == "Beats (AI): 10 — all N"
