"""Measurement table rows, fiducial ticks and the median sheet, without Qt."""

from __future__ import annotations

from dataclasses import replace
from types import MappingProxyType

import numpy as np
import pytest

from ecgviewer.controllers.measurements_view import (
    FIDUCIAL_TICK_MM,
    NO_VALUE,
    beat_fiducials,
    fiducial_ticks,
    measurement_footnotes,
    measurement_rows,
    median_sheet,
)
from ecgviewer.controllers.page import PageBuilder
from ecgviewer.controllers.viewer import ViewerState
from ecgviewer.dsp.measure import Measurements, measure
from ecgviewer.synth import SynthSpec, synthesize


@pytest.fixture(scope="module")
def measured() -> tuple[object, Measurements]:
    synth = synthesize(SynthSpec(hr_bpm=75))
    return synth, measure(synth.record)


def test_rows_have_units_and_values(measured) -> None:  # type: ignore[no-untyped-def]
    synth, m = measured
    rows = {r.key: r for r in measurement_rows(m)}
    assert list(rows)[:4] == ["hr_bpm", "rr_ms", "pr_ms", "qrs_ms"]
    assert {"qtc_bazett_ms", "qtc_fridericia_ms", "qtc_framingham_ms", "qtc_hodges_ms"} <= set(rows)
    assert rows["hr_bpm"].unit == "bpm" and abs(float(rows["hr_bpm"].value_text) - 75) <= 1
    assert rows["rr_ms"].value_text.startswith("800 ± ")
    assert abs(float(rows["qrs_ms"].value_text) - synth.truth.qrs_ms) <= 15
    assert rows["qrs_axis_deg"].unit == "°"
    assert all(r.measured and not r.note for r in rows.values())


def test_null_value_shows_dash_and_reason(measured) -> None:  # type: ignore[no-untyped-def]
    _, m = measured
    reason = "No P waves are seen (atrial fibrillation is suspected)."
    nulled = replace(m, pr_ms=None, notes=MappingProxyType({"pr_ms": reason, "scope": "Long."}))
    row = next(r for r in measurement_rows(nulled) if r.key == "pr_ms")
    assert row.value_text == NO_VALUE and not row.measured
    assert row.note == reason
    assert measurement_footnotes(nulled) == ("Long.",)


def test_fiducial_ticks_at_paper_position(measured) -> None:  # type: ignore[no-untyped-def]
    _, m = measured
    fid = beat_fiducials(m)
    state = ViewerState().with_record(measured[0].record)
    layout = state.layout()
    ticks = {t.fiducial: t for t in fiducial_ticks(fid, layout, 0.0)}
    assert set(ticks) == {"p_on", "p_off", "qrs_on", "qrs_off", "t_off"}
    panel = layout.panels[0]
    t0, _ = panel.window_s(0.0)
    first = fid.times_s["qrs_on"][fid.times_s["qrs_on"] >= t0][0]
    x = panel.x_mm + (first - t0) * panel.mm_per_s
    q = ticks["qrs_on"]
    assert np.isclose(q.x_mm[0], x) and q.x_mm[0] == q.x_mm[1]
    assert np.allclose(q.y_mm[:2], [panel.baseline_y_mm - FIDUCIAL_TICK_MM,
                                    panel.baseline_y_mm + FIDUCIAL_TICK_MM])  # fmt: skip
    # Every tick lies inside some panel's horizontal span.
    spans = [(p.x_mm, p.x_mm + p.width_mm) for p in layout.panels]
    assert all(any(lo <= x <= hi for lo, hi in spans) for x in q.x_mm)


def test_ticks_follow_the_page_start(measured) -> None:  # type: ignore[no-untyped-def]
    synth, m = measured
    fid = beat_fiducials(m)
    state = replace(ViewerState().with_record(synth.record).with_speed(50.0), fiducials=fid)
    builder = PageBuilder()
    at0 = {t.fiducial: t.x_mm for t in builder.build(state).fiducial_ticks}["qrs_on"]
    later = state.scrolled_to(1.0)
    assert later.start_s == pytest.approx(1.0)
    at1 = {t.fiducial: t.x_mm for t in builder.build(later).fiducial_ticks}["qrs_on"]
    assert not np.array_equal(at0, at1)
    hidden = replace(state, show_fiducials=False)
    assert builder.build(hidden).fiducial_ticks == ()
    assert ViewerState().with_record(synth.record).fiducials is None


def test_median_sheet_has_twelve_cells_with_dashes(measured) -> None:  # type: ignore[no-untyped-def]
    _, m = measured
    sheet = median_sheet(m)
    assert sheet is not None
    assert [c.lead for c in sheet.cells][:3] == ["I", "II", "III"] and len(sheet.cells) == 12
    assert {name for name, *_ in sheet.lines} == {"p_on", "qrs_on", "qrs_off", "t_off"}
    # True ratio at 25 mm/s: the beat's time span maps to 25 mm per second.
    cell = sheet.cells[0]
    beat = m.median_beats[0]
    kept = beat.time_s[(beat.time_s >= beat.fiducials_s["p_on"] - 0.1)]
    kept = kept[kept <= beat.fiducials_s["t_off"] + 0.12]
    span_s = float(kept[-1] - kept[0])
    assert cell.x_mm[-1] - cell.x_mm[0] == pytest.approx(span_s * 25.0)
    assert median_sheet(replace(m, median_beats=())) is None
