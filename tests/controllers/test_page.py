"""Pages of long records touch only the visible window; marks come from the file."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from ecgviewer.controllers.display_filters import BLOCK_S, DisplayFilters
from ecgviewer.controllers.page import PageBuilder
from ecgviewer.controllers.viewer import ViewerState
from ecgviewer.io.record import AnnotationTrack, make_record
from ecgviewer.synth import SynthSpec, synthesize
from tests.controllers.helpers import counting_record

PX_PER_MM = 3.78


def test_scrolling_a_30_minute_record_reads_only_the_visible_window() -> None:
    record = counting_record(1800.0, fs_hz=360.0)
    reads: list[int] = record.samples.reads  # type: ignore[attr-defined]
    state = ViewerState(record=record, filters=DisplayFilters())
    builder = PageBuilder()
    visible = math.floor(state.page_duration_s * record.fs_hz) + 1  # both ends included
    columns = math.ceil(250.0 * PX_PER_MM)
    for step in range(40):
        state = state.scrolled_to(17.3 * step)
        reads.clear()
        page = builder.build(state, PX_PER_MM)
        assert len(page.traces) == 2
        assert max(reads) <= visible and sum(reads) <= 2 * visible
        for trace in page.traces:
            assert trace.n_source <= visible
            assert trace.n_points <= 2 * columns + 2  # what the curve is handed
            t0 = trace.first_sample / record.fs_hz
            assert t0 == pytest.approx(state.start_s, abs=1 / record.fs_hz)


def test_filtered_scrolling_reads_blocks_once() -> None:
    record = counting_record(600.0, fs_hz=360.0)
    reads: list[int] = record.samples.reads  # type: ignore[attr-defined]
    state = ViewerState(record=record, filters=DisplayFilters(baseline=True, notch_hz=60.0))
    builder = PageBuilder()
    reads.clear()
    for step in range(50):  # 0 … 98 s in 2 s steps: about ten 10 s blocks per lead
        builder.build(state.scrolled_to(2.0 * step), PX_PER_MM)
    block = BLOCK_S * record.fs_hz
    margin = 2 * 4.0 * record.fs_hz
    assert max(reads) <= block + margin
    assert sum(reads) <= 2 * 11 * (block + margin)  # each block read once per lead
    assert builder.filter_cache.blocks_filtered <= 2 * 11


def test_beat_labels_come_from_the_file_and_only_inside_the_page() -> None:
    fs = 360.0
    beats = AnnotationTrack(
        "atr", None, np.array([100, 460, 820, 5000, 9000]), ("N", "V", "+", "A", "N"),
        aux=("", "", "(AFIB", "", ""),
    )  # fmt: skip
    signal = np.tile(np.sin(np.arange(36_000) / 50.0), (2, 1))
    record = make_record(signal, fs, ["MLII", "V1"], "r", annotations=[beats])
    builder = PageBuilder()
    page = builder.build(ViewerState(record=record), PX_PER_MM)
    texts = [m.text for m in page.beat_labels]
    assert texts == ["N", "V", "(AFIB"]  # the rest is after 10 s
    v = page.beat_labels[1]
    panel = page.layout.panels[0]
    assert v.beat_class == "V"
    assert v.x_mm == pytest.approx(panel.x_mm + 460 / fs * 25.0)
    assert panel.top_mm < v.y_mm < panel.baseline_y_mm  # above the strip's trace
    later = builder.build(ViewerState(record=record).scrolled_to(12.0), PX_PER_MM)
    assert [m.text for m in later.beat_labels] == ["A"]
    hidden = builder.build(replace(ViewerState(record=record), show_beats=False), PX_PER_MM)
    assert hidden.beat_labels == ()


def test_ludb_style_wave_marks_sit_on_their_own_lead() -> None:
    ecg = synthesize(SynthSpec(hr_bpm=60, duration_s=10.0))
    truth = ecg.truth
    on, off = truth.samples("qrs_onset"), truth.samples("qrs_offset")
    ok = (on >= 0) & (off >= 0)
    symbols: list[str] = []
    samples: list[int] = []
    for a, b in zip(on[ok], off[ok], strict=True):
        samples += [int(a), int((a + b) // 2), int(b)]
        symbols += ["(", "N", ")"]
    track = AnnotationTrack("v1", "V1", np.array(samples), tuple(symbols))
    record = replace(ecg.record, annotations=(track,))
    page = PageBuilder().build(ViewerState(record=record, layout_kind="12x1"), PX_PER_MM)
    qrs = next(t for t in page.wave_ticks if t.wave == "QRS")
    v1 = page.layout.panel_for("V1")
    assert qrs.x_mm.size == 6 * ok.sum()  # three segments per complex
    assert np.all(qrs.y_mm > v1.top_mm) and np.all(qrs.y_mm < v1.top_mm + v1.height_mm)
    onset_x = v1.x_mm + on[ok] / record.fs_hz * 25.0
    assert np.allclose(qrs.x_mm[::6], onset_x)
    assert all(t.x_mm.size == 0 for t in page.wave_ticks if t.wave != "QRS")


def test_page_caption_and_state_diff() -> None:
    record = counting_record(60.0)
    state = ViewerState(record=record, filters=DisplayFilters(baseline=True, lowpass_hz=40.0))
    page = PageBuilder().build(state, PX_PER_MM)
    assert page.caption == "25 mm/s   ·   10 mm/mV   ·   Filters: 0.5–40 Hz"
    assert page.time_text == "counting   00:00:00.0 – 00:00:10.0   of 00:01:00.0"
    assert state.scrolled_by(1.0).page_changed(state)
    assert state.with_gain(20.0).page_changed(state)
    assert not replace(state, caliper_mode=True).page_changed(state)
    assert not replace(state, scale_mode="fit").page_changed(state)
