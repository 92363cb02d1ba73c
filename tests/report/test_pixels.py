"""Page 1 rendered at 300 dpi (pdftoppm) and measured in pixels: the grid, the calibration pulse
and a known R peak are where true scale puts them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from ecgviewer.analysis import AnalysisResult
from ecgviewer.controllers.display_filters import DisplayFilters
from ecgviewer.report import EcgPlan, ReportItem, ReportOptions, plan_ecg, write_report
from ecgviewer.report.heatmap import LABEL_COLUMN_MM
from ecgviewer.synth import SyntheticEcg
from tests.report.helpers import flagged_result, needs_poppler, render, words

pytestmark = needs_poppler

DPI = 300
PX_PER_MM = DPI / 25.4  # 5 mm = 59.06 px
RAW = DisplayFilters()  # no display filter: the trace is the samples themselves

Image = npt.NDArray[np.int16]


def _px(mm: float) -> float:
    """Pixel index whose centre lies at ``mm`` (pixel i covers [i, i + 1))."""
    return mm * PX_PER_MM - 0.5


def _major_red(img: Image) -> npt.NDArray[np.bool_]:
    r, g, b = img[..., 0], img[..., 1], img[..., 2]
    return (r > 200) & (g < 165) & (b < 165)  # the 5 mm lines, not the pale 1 mm ones


def _black(img: Image) -> npt.NDArray[np.bool_]:
    return np.all(img < 90, axis=-1)


def _line_centres(profile: npt.NDArray[np.float64], threshold: float) -> npt.NDArray[np.float64]:
    idx = np.flatnonzero(profile > threshold)
    groups = np.split(idx, np.flatnonzero(np.diff(idx) > 1) + 1)
    return np.array([np.average(g, weights=profile[g]) for g in groups if g.size])


@pytest.fixture(scope="module")
def page(
    tmp_path_factory: pytest.TempPathFactory, ecg: SyntheticEcg, result: AnalysisResult
) -> tuple[Image, EcgPlan]:
    pdf = tmp_path_factory.mktemp("pixels") / "page.pdf"
    opts = ReportOptions(filters=RAW)
    write_report(pdf, [ReportItem(ecg.record, result)], opts)
    return render(pdf, DPI), plan_ecg(ecg.record.lead_names, ecg.record.duration_s, opts)


def test_major_grid_lines_are_5_mm_apart(page: tuple[Image, EcgPlan]) -> None:
    img, plan = page
    block = plan.blocks[0]
    x0, x1 = block.x_mm, block.x_mm + block.layout.width_mm
    y0, y1 = block.y_mm, block.y_mm + block.layout.height_mm
    red = _major_red(img)
    pad = round(PX_PER_MM)
    # Vertical lines over the whole height; horizontal ones in the 5 mm right margin of the
    # grid, where no trace covers them (a baseline hides the line it runs along).
    left = round(_px(x0)) - pad
    band = red[round(_px(y0 + 1)) : round(_px(y1 - 1)), left : round(_px(x1)) + pad]
    cols = _line_centres(band.mean(axis=0), 0.4) + left
    top = round(_px(y0)) - pad
    margin = red[top : round(_px(y1)) + pad, round(_px(x1 - 4.5)) : round(_px(x1 - 0.5))]
    rows = _line_centres(margin.mean(axis=1), 0.5) + top
    assert len(cols) == int(block.layout.width_mm // 5) + 1  # 265 mm: 54 vertical lines
    assert len(rows) == int(block.layout.height_mm // 5) + 1  # 166 mm: 34 horizontal ones
    for centres in (cols, rows):
        gaps = np.diff(centres)
        assert np.all(np.abs(gaps / (5 * PX_PER_MM) - 1) < 0.01), gaps  # each within 1 %
        assert np.mean(gaps) == pytest.approx(5 * PX_PER_MM, rel=1e-3)
    assert cols[0] == pytest.approx(_px(x0), abs=1.0)  # the grid is where the plan says
    assert rows[0] == pytest.approx(_px(y0), abs=1.0)


def test_calibration_pulse_is_10_mm_high_and_5_mm_wide(page: tuple[Image, EcgPlan]) -> None:
    img, plan = page
    block = plan.blocks[0]
    black = _black(img)
    for cal in block.layout.calibrations:
        base = block.y_mm + cal.baseline_y_mm

        def centre_y(x_mm: float, lo_mm: float, hi_mm: float) -> float:
            col = round(_px(block.x_mm + x_mm))
            ys = np.arange(round(_px(lo_mm)), round(_px(hi_mm)))
            hit = black[ys, col - 2 : col + 3].any(axis=1)
            assert hit.any()
            return float(ys[hit].mean())

        baseline = centre_y(cal.x_mm + 1.0, base - 3, base + 3)  # the flat lead-in
        top = centre_y(cal.x_mm + 4.5, base - 13, base - 7)  # the middle of the step
        assert baseline == pytest.approx(_px(base), abs=1.0)
        assert (baseline - top) / PX_PER_MM == pytest.approx(10.0, rel=0.01)
        # Width: the step's rising and falling edges, 0.2 s x 25 mm/s = 5 mm apart.
        row = round(_px(base - 5))
        xs = np.flatnonzero(black[row, round(_px(block.x_mm)) : round(_px(block.x_mm + 10))])
        edges = _line_centres(np.isin(np.arange(xs.max() + 2), xs).astype(float), 0.5)
        assert len(edges) == 2 and (edges[1] - edges[0]) / PX_PER_MM == pytest.approx(5.0, rel=0.02)


def test_r_peak_of_a_known_beat_lands_where_it_should(
    page: tuple[Image, EcgPlan], ecg: SyntheticEcg
) -> None:
    img, plan = page
    block = plan.blocks[0]
    panel = block.layout.panel_for("II", row=3)  # the rhythm strip
    lead = ecg.record.lead("II")
    fs = ecg.record.fs_hz
    black = _black(img)
    checked = 0
    for r_s in ecg.truth.r_peak_s:
        if not 1.0 < r_s < 9.0:
            continue
        # The top of lead II's R wave: its largest sample within 50 ms of the beat's R.
        a = round((r_s - 0.05) * fs)
        k = a + int(np.argmax(lead[a : a + round(0.1 * fs)]))
        mv = float(lead[k])
        x_mm = block.x_mm + panel.x_mm + (k / fs - plan.page_start_s) * 25.0
        y_mm = block.y_mm + panel.baseline_y_mm - mv * 10.0
        cols = np.arange(round(_px(x_mm - 3)), round(_px(x_mm + 3)))
        rows = np.arange(round(_px(block.y_mm + panel.top_mm + 3)), round(_px(y_mm + 10)))
        hit = black[np.ix_(rows, cols)]
        first = np.where(hit.any(axis=0), rows[np.argmax(hit, axis=0)], 10**9)
        top_row = int(first.min())
        top_x = float(cols[first == top_row].mean())
        assert top_x == pytest.approx(_px(x_mm), abs=0.25 * PX_PER_MM)  # within 0.25 mm
        assert top_row == pytest.approx(_px(y_mm), abs=0.25 * PX_PER_MM)
        assert mv > 0.8  # a real R wave, not the baseline
        checked += 1
    assert checked >= 7  # 60 bpm: a beat a second


def test_heat_map_paints_a_synthetic_error_where_it_is(tmp_path: Path, ecg: SyntheticEcg) -> None:
    record = ecg.record
    err = np.zeros(record.samples.shape)
    v3 = record.lead_names.index("V3")
    err[v3, round(6.0 * record.fs_hz) : round(6.5 * record.fs_hz)] = 0.3
    item = ReportItem(record, flagged_result(record), restoration_error=err)
    pdf = tmp_path / "heat.pdf"
    write_report(pdf, [item], ReportOptions(orientation="portrait", median_beats=False))
    img = render(pdf, 100, page=2)
    r, g, b = img[..., 0], img[..., 1], img[..., 2]
    dark_red = (r > 150) & (g < 60) & (b < 60)
    dark_red &= dark_red.sum(axis=1, keepdims=True) > 30  # the 13 mm patch, not the legend
    ys, xs = np.nonzero(dark_red)
    assert ys.size > 50
    ppm = 100 / 25.4
    # Without median beats, the map spans the frame: strips from 6 mm + label column.
    strip_x0 = (6.0 + LABEL_COLUMN_MM) * ppm
    strip_w = (210.0 - 12.0 - LABEL_COLUMN_MM) * ppm
    t = (xs - strip_x0) / strip_w * 7.2  # portrait A4 shows 7.2 s
    assert t.min() == pytest.approx(6.0, abs=0.1) and t.max() == pytest.approx(6.5, abs=0.1)
    # One strip only, the one labelled V3 in the map's label column.
    label = next(w for w in words(pdf, 2) if w[0] == "V3" and w[1] < strip_x0 / ppm)
    assert ys.min() / ppm > label[2] - 3.0 and ys.max() / ppm < label[4] + 3.0
