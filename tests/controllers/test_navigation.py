"""Navigation: time text, scroll and zoom steps, and the chunked overview."""

from __future__ import annotations

import numpy as np
import pytest

from ecgviewer.controllers.navigation import (
    clamp_start,
    format_time,
    overview_envelope,
    parse_time,
    zoom_speed,
)
from ecgviewer.controllers.viewer import ViewerState
from tests.controllers.helpers import counting_record


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("90", 90.0), ("90.5 s", 90.5), ("1:30", 90.0), ("1:02:03.5", 3723.5), (".5", 0.5)],
)
def test_parse_time(text: str, seconds: float) -> None:
    assert parse_time(text) == pytest.approx(seconds)


@pytest.mark.parametrize("text", ["", "abc", "1:75", "1:61:00", "-3", "1::2"])
def test_parse_time_refuses_nonsense(text: str) -> None:
    with pytest.raises(ValueError):
        parse_time(text)


def test_format_time() -> None:
    assert format_time(7.5) == "7.5 s"
    assert format_time(750.25, total_s=1800) == "00:12:30.2"
    assert format_time(86399.9, total_s=86400) == "23:59:59.9"


def test_zoom_and_clamp() -> None:
    assert zoom_speed(25.0, +1) == 50.0 and zoom_speed(25.0, -1) == 12.5
    assert zoom_speed(100.0, +1) == 100.0 and zoom_speed(6.25, -3) == 6.25
    assert clamp_start(-5.0, 100.0, 10.0) == 0.0
    assert clamp_start(95.0, 100.0, 10.0) == 90.0
    assert clamp_start(3.0, 8.0, 10.0) == 0.0


def test_state_navigation_steps() -> None:
    state = ViewerState(record=counting_record(1800.0))
    assert state.page_duration_s == 10.0
    assert state.stepped(+1).start_s == pytest.approx(1.0)
    assert state.paged(+3).start_s == pytest.approx(30.0)
    assert state.scrolled_to(float("inf")).start_s == pytest.approx(1790.0)
    assert state.scrolled_to(1795.0).zoomed(-1).start_s == pytest.approx(1780.0)  # 20 s page
    assert state.zoomed(+1).page_duration_s == 5.0


def test_overview_is_chunked_and_copies_nothing() -> None:
    record = counting_record(1800.0, fs_hz=360.0)
    record.samples.reads.clear()  # type: ignore[attr-defined]
    overview = overview_envelope(record, "MLII", n_columns=1000, chunk_samples=100_000)
    reads = record.samples.reads  # type: ignore[attr-defined]
    assert sum(reads) == record.n_samples  # one lead, one pass
    assert max(reads) <= 100_000
    assert len(overview.t_s) <= 1000
    # columns of 1.8 s each hold a 1 Hz spike of 1.0 mV: none is averaged or skipped away
    assert np.all(overview.hi_mv > 0.9)
    assert overview.hi_mv.max() == pytest.approx(1.0, abs=1e-6)
    t, y = overview.polyline()
    assert t.shape == y.shape == (2 * len(overview.t_s),)
