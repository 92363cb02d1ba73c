"""The pure parts: path operators, heat-map binning, wording, and reading the measurement engine."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

import numpy as np
import pytest

from ecgviewer.report import content
from ecgviewer.report.heatmap import colour_levels, heat_map, level_colour
from ecgviewer.report.measured import measurement_lines, median_view
from ecgviewer.report.vector import polyline_ops
from ecgviewer.synth import SyntheticEcg
from tests.report.helpers import REVIEWS, flagged_result


def test_polyline_is_exact_in_hundredths_of_a_millimetre_and_breaks_at_gaps() -> None:
    ops = polyline_ops(
        [0.0, 1.0, 2.0, np.nan, 4.0, 5.0, np.nan, 7.0], [0, 0.125, 10, 0, 1, 2, 0, 3]
    )
    assert ops.splitlines() == ["0 0 m", "100 12 l", "200 1000 l", "400 100 m", "500 200 l"]
    assert polyline_ops([np.nan], [1.0]) == ""


def test_heat_map_puts_the_largest_error_in_its_lead_and_bin() -> None:
    fs = 500.0
    leads = ("V1", "I", "II")  # file order; the map is in reading order
    err = np.full((3, 5000), 0.01)
    err[0, 3000:3050] = -0.5  # V1, 6.0-6.1 s; the sign does not matter
    err[2, :100] = np.nan
    hm = heat_map(err, leads, fs, start_s=0.0, duration_s=10.0, n_bins=100)
    assert hm.leads == ("I", "II", "V1")
    assert hm.scale_mv == pytest.approx(0.5)
    v1 = hm.values[2]
    assert int(np.argmax(v1)) == 60 and v1[60] == pytest.approx(0.5)
    assert np.all(np.isnan(hm.values[1, :1]))  # missing samples stay blank
    levels = colour_levels(hm.values, hm.scale_mv)
    assert levels[2, 60] == levels.max() and levels[0, 0] == 0 and levels[1, 0] == -1
    assert level_colour(0) == (1.0, 1.0, 1.0)
    assert level_colour(9)[1] < level_colour(3)[1]  # darker (less green) as error grows


def test_heat_map_of_a_window_and_a_fixed_scale() -> None:
    err = np.zeros((1, 1000))
    err[0, 700] = 2.0
    hm = heat_map(err, ("II",), 100.0, start_s=5.0, duration_s=4.0, n_bins=40, scale_mv=1.0)
    assert hm.start_s == 5.0 and hm.bin_s == pytest.approx(0.1)
    assert int(np.argmax(hm.values[0])) == 20 and hm.scale_mv == 1.0
    with pytest.raises(ValueError, match="lead"):
        heat_map(err, ("I", "II"), 100.0, 0.0, 1.0, 10)


def test_measurement_table_says_what_the_result_says(ecg: SyntheticEcg) -> None:
    result = flagged_result(ecg.record)
    lines = {ln.key: ln for ln in measurement_lines(result, None)}
    assert lines["hr_bpm"].value == "61 bpm" and lines["qrs_ms"].value == "94 ms"
    assert lines["axes"].value == "58° / -12° / 41°"
    assert lines["qtc_bazett_ms"].formula == "Bazett, QT/√RR"
    assert lines["qtc_fridericia_ms"].formula == "Fridericia, QT/∛RR"
    blank = replace(
        result,
        measurements=dict.fromkeys(result.measurements),
        measurement_notes={"pr_ms": "No P waves."},
    )
    lines = {ln.key: ln for ln in measurement_lines(blank, None)}
    assert lines["pr_ms"].value == "—" and lines["pr_ms"].note == "No P waves."
    assert not lines["axes"].known


def test_a_changed_measurement_engine_costs_the_median_beats_not_the_report() -> None:
    view, why = median_view(None)
    assert view is None and "not computed" in why
    odd = SimpleNamespace(median_beats=(SimpleNamespace(samples_mv=np.zeros(3)),), lead_names=())
    view, why = median_view(odd)  # type: ignore[arg-type]
    assert view is None and "could not be drawn" in why


def test_median_view_of_the_engine(ecg: SyntheticEcg) -> None:
    from ecgviewer.dsp import measure

    view, _ = median_view(measure(ecg.record))
    assert view is not None and view.lead_names == ecg.record.lead_names
    assert view.n_beats >= 8 and view.samples_mv.shape == (12, view.time_s.size)
    assert view.fiducials_s["qrs_on"] < 0 < view.fiducials_s["qrs_off"]


def test_findings_wording(ecg: SyntheticEcg) -> None:
    res = flagged_result(ecg.record)
    rows = content.finding_rows(res, REVIEWS)
    assert [r.name for r in rows][:2] == ["Premature ventricular complex", "Anterior ST elevation"]
    assert rows[0].decision == "Confirmed by Dr Ada Reviewer, 2025-03-04 10:11 UTC"
    summary = [text for text, _ in content.ai_summary(res, REVIEWS)]
    assert summary[0] == "Premature ventricular complex  0.93 (threshold 0.41)"
    assert "Anomaly 0.81 (threshold 0.60): FLAGGED" in summary
    assert content.ai_summary(None, ())[0][0].startswith("No AI model is bundled")
    assert content.utc_text("not a time") == "not a time"
