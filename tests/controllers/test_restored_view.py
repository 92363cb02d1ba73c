"""The restored-trace overlay: same grid and paper scale as the trace, moved by the restoration."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from ecgviewer.controllers.display_filters import DisplayFilters
from ecgviewer.controllers.page import PageBuilder
from ecgviewer.controllers.restored_view import RestoredSignal, restored_traces
from ecgviewer.controllers.traces import page_traces
from ecgviewer.controllers.viewer import ViewerState
from ecgviewer.io import make_record
from ecgviewer.io.record import Record
from tests.controllers.synthetic_records import twelve_lead


def _restored(record: Record, bump_lead: str = "V2", bump_mv: float = 0.2) -> RestoredSignal:
    """The record itself, analysed from 1 s on, expecting ``bump_mv`` more in one lead at 6 s."""
    out = np.array(record.samples, dtype=np.float32)
    out[:, : int(record.fs_hz)] = np.nan
    row = record.lead_index(bump_lead)
    out[row, int(6.0 * record.fs_hz) : int(6.2 * record.fs_hz)] += bump_mv
    return RestoredSignal(out, record.lead_names, record.fs_hz)


def test_overlay_coincides_with_the_trace_where_nothing_was_restored_differently() -> None:
    record = twelve_lead(duration_s=10.0, fs_hz=500.0)
    layout = ViewerState().with_record(record).layout()
    restored = _restored(record)
    traces = page_traces(record, layout, 0.0, px_per_mm=20.0)
    over = restored_traces(restored, record, layout, 0.0, px_per_mm=20.0)
    assert len(over) == len(layout.panels)  # every panel, rhythm strip included
    for trace, o in zip(traces, over, strict=True):
        assert o.panel == trace.panel
        np.testing.assert_array_equal(o.x_mm, trace.x_mm)  # same samples, same places
        t = trace.x_mm
        before = (t - trace.panel.x_mm) / trace.panel.mm_per_s + trace.panel.window_s(0.0)[0]
        nan = before < 1.0 - 1e-9
        assert np.isnan(o.y_mm[nan]).all()  # not analysed: not drawn
        moved = np.abs(o.y_mm[~nan] - trace.y_mm[~nan]) > 1e-6
        bump = (before[~nan] >= 6.0) & (before[~nan] < 6.2 - 1e-9)
        if trace.panel.lead == "V2":
            assert moved.any() and np.array_equal(moved, bump)
            # 0.2 mV more is 2 mm higher (y grows downwards) at the panel's gain
            dy = trace.y_mm[~nan][bump] - o.y_mm[~nan][bump]
            assert dy == pytest.approx(0.2 * trace.panel.gain_mm_per_mv, abs=1e-4)
        else:
            assert not moved.any(), trace.panel.lead


def test_overlay_follows_the_display_filters_and_the_page() -> None:
    """With the baseline filter on, the overlay is the *filtered* trace plus the difference."""
    t = np.arange(5000) / 500.0
    base = twelve_lead()
    wander = 0.8 * np.sin(2 * np.pi * 0.2 * t)
    record = make_record(base.samples + wander, 500.0, list(base.lead_names), "wander")
    state = replace(ViewerState(), filters=DisplayFilters(baseline=True)).with_record(record)
    state = state.with_restored(_restored(record))
    builder = PageBuilder()
    assert builder.build(state).restored_traces == ()  # off by default
    page = builder.build(replace(state, show_restored=True))
    assert len(page.restored_traces) == len(page.traces)
    for trace, o in zip(page.traces, page.restored_traces, strict=True):
        finite = np.isfinite(o.y_mm)
        if trace.panel.lead != "V2":
            np.testing.assert_allclose(o.y_mm[finite], trace.y_mm[finite], atol=1e-6)
    # a lead the restoration does not cover gets no overlay
    partial = RestoredSignal(
        np.where(np.arange(12)[:, None] == 0, np.nan, record.samples).astype(np.float32),
        record.lead_names,
        500.0,
    )
    leads = {o.panel.lead for o in restored_traces(partial, record, page.layout, 0.0)}
    assert "I" not in leads and "II" in leads
    assert restored_traces(None, record, page.layout, 0.0) == ()
