"""What the PDF holds, read back with poppler: text, fonts, no pictures, sizes, page counts."""

from __future__ import annotations

import dataclasses
import math
import re
from pathlib import Path

import numpy as np
import pytest

from ecgviewer.analysis import AnalysisRequest, AnalysisResult, run_analysis
from ecgviewer.io.record import make_record
from ecgviewer.report import (
    ReportItem,
    ReportOptions,
    ReportWriter,
    UnreadableRecord,
    report_item,
    write_report,
)
from ecgviewer.report.content import CONFIRMATION_STATEMENT
from ecgviewer.synth import SyntheticEcg
from tests.report.helpers import (
    MEASURED,
    REVIEWS,
    flagged_result,
    needs_poppler,
    page_count,
    page_size_pt,
    render,
    run,
    text,
)

pytestmark = needs_poppler


def _flat(s: str) -> str:
    return re.sub(r"\s+", " ", s)


@pytest.fixture(scope="module")
def flagged_pdf(tmp_path_factory: pytest.TempPathFactory, ecg: SyntheticEcg) -> Path:
    pdf = tmp_path_factory.mktemp("flagged") / "flagged.pdf"
    error = np.zeros(ecg.record.samples.shape)
    error[ecg.record.lead_names.index("V3"), 3000:3250] = 0.3  # 6.0-6.5 s in V3
    item = report_item(
        ecg.record, flagged_result(ecg.record), reviews=REVIEWS, restoration_error=error
    )
    write_report(pdf, [item])
    return pdf


def test_text_holds_the_measurements(flagged_pdf: Path) -> None:
    page1 = text(flagged_pdf).split("\f")[0]
    m = MEASURED
    for label, key, unit in [
        ("HR", "hr_bpm", "bpm"),
        ("PR", "pr_ms", "ms"),
        ("QRS", "qrs_ms", "ms"),
        ("QT", "qt_ms", "ms"),
    ]:
        value = m[key]
        assert value is not None
        assert re.search(rf"\b{label}\s+{value:.0f} {unit}", page1), label
    assert re.search(rf"QTc\s+{m['qtc_bazett_ms']:.0f} ms\s+Bazett, QT/√RR", page1)
    assert re.search(rf"QTc\s+{m['qtc_fridericia_ms']:.0f} ms\s+Fridericia, QT/∛RR", page1)
    axes = " / ".join(f"{m[k]:.0f}°" for k in ("p_axis_deg", "qrs_axis_deg", "t_axis_deg"))
    assert axes in page1
    assert "25 mm/s" in page1 and "10 mm/mV" in page1 and "Filters: baseline 0.5 Hz" in page1
    assert "500 Hz" in page1 and "12 leads" in page1


def test_text_holds_the_findings_review_and_statement(flagged_pdf: Path) -> None:
    all_text = _flat(text(flagged_pdf))
    page1 = _flat(text(flagged_pdf).split("\f")[0])
    assert "Premature ventricular complex 0.93 (threshold 0.41)" in page1
    assert "Anterior ST elevation 0.62 (threshold 0.55)" in page1
    assert "Needs a physician's confirmation." in page1
    assert "Reviewed by Dr Ada Reviewer" in page1
    assert _flat(CONFIRMATION_STATEMENT) in all_text
    assert re.search(r"Atrial fibrillation 0\.07 0\.50 below threshold not reviewed", all_text)
    assert "Anomaly score 0.81 (threshold 0.60), above its threshold: FLAGGED." in all_text
    assert "rhythm-classifier 1.4.2 (sha256 abababababab…)" in all_text
    assert "Confirmed Dr Ada Reviewer 2025-03-04 10:11 UTC One PVC in the rhythm strip." in all_text
    assert "Rejected Dr Ada Reviewer 2025-03-04 10:14 UTC Baseline artefact in V3." in all_text
    assert "Restoration heat map · 10.0 s at" in all_text
    assert "0.3 mV restoration error (largest in the window)" in all_text


def test_median_beats_of_the_measurement_engine(flagged_pdf: Path) -> None:
    # report_item measured the record again (dsp.measure) for its median beats.
    assert re.search(r"median of \d+ beats of the dominant shape", _flat(text(flagged_pdf)))


def test_fonts_are_embedded_and_the_ecg_is_vector(flagged_pdf: Path) -> None:
    fonts = run("pdffonts", flagged_pdf).splitlines()[2:]
    assert fonts, "no fonts"
    for line in fonts:
        name, emb = line.split()[0], line.split()[-5]
        assert emb == "yes", f"{name} is not embedded"
        assert "DejaVu" in name
    images = run("pdfimages", "-list", flagged_pdf).splitlines()[2:]
    assert images == []  # grid, traces, median beats, heat map: all vector, no picture


def test_a_report_without_models_says_so(
    tmp_path: Path, ecg: SyntheticEcg, result: AnalysisResult
) -> None:
    pdf = tmp_path / "plain.pdf"
    bare = dataclasses.replace(result, classes={}, anomaly=None, models={}, beat_summary=None)
    write_report(pdf, [ReportItem(ecg.record, bare)])
    t = _flat(text(pdf))
    assert "No AI model is bundled: no AI findings were computed." in t
    assert "No anomaly score: no anomaly model is bundled in this version." in t
    assert "No restoration heat map: no anomaly model is bundled in this version." in t
    assert "Median beats are not available" in t  # no Measurements given
    assert "Unconfirmed report" in t and "Not reviewed" in t
    assert _flat(CONFIRMATION_STATEMENT) in t


@pytest.mark.parametrize(
    ("size", "orientation", "width_pt", "height_pt"),
    [
        ("A4", "landscape", 841.89, 595.28),
        ("A4", "portrait", 595.28, 841.89),
        ("Letter", "landscape", 792.0, 612.0),
        ("Letter", "portrait", 612.0, 792.0),
    ],
)
def test_a4_and_letter_in_both_orientations(
    tmp_path: Path,
    ecg: SyntheticEcg,
    result: AnalysisResult,
    size: str,
    orientation: str,
    width_pt: float,
    height_pt: float,
) -> None:
    pdf = tmp_path / "r.pdf"
    opts = ReportOptions(page_size=size, orientation=orientation)  # type: ignore[arg-type]
    summary = write_report(pdf, [ReportItem(ecg.record, result)], opts)
    assert page_size_pt(pdf) == pytest.approx((width_pt, height_pt), abs=0.01)
    assert page_count(pdf) == summary.pages == 2
    img = render(pdf, 30)
    assert img.shape[:2] == (math.ceil(height_pt / 72 * 30), math.ceil(width_pt / 72 * 30))
    red = (img[..., 0] > 200) & (img[..., 1] < 200)
    assert red.mean() > 0.05  # the grid is on the page
    shown = "10.0 s of 10.0 s" if orientation == "landscape" else "7.2 s of 10.0 s"
    assert shown in text(pdf)


def test_combined_pdf_of_three_records(
    tmp_path: Path, ecg: SyntheticEcg, result: AnalysisResult
) -> None:
    pdf = tmp_path / "all.pdf"
    bad = UnreadableRecord("/data/broken.hea", "truncated_data", "The .dat file is too short.")
    with ReportWriter(pdf) as writer:
        for item in (ReportItem(ecg.record, result), bad, ReportItem(ecg.record, result)):
            writer.add(item)
    assert writer.summary is not None
    assert writer.summary.records == 3 and writer.summary.unreadable == 1
    assert page_count(pdf) == writer.summary.pages == 2 + 1 + 2
    pages = text(pdf).split("\f")
    assert "Recording could not be opened" in pages[2]
    assert "The .dat file is too short." in pages[2] and "broken.hea" in pages[2]
    assert "page 2 of 2" in pages[4]
    assert not list(tmp_path.glob("*.part"))


def test_a_two_lead_record_reads_sensibly(tmp_path: Path, ecg: SyntheticEcg) -> None:
    two = make_record(ecg.record.samples[[1, 6]], ecg.record.fs_hz, ["MLII", "V1"], "mitbih_like")
    result = run_analysis(AnalysisRequest(two))
    pdf = tmp_path / "two.pdf"
    write_report(pdf, [report_item(two, result)])
    pages = text(pdf).split("\f")
    first = _flat(pages[0]).strip()
    assert first.startswith("ECG, 2 leads · mitbih_like")
    assert re.search(r"\bMLII\b", first) and re.search(r"\bV1\b", first)
    assert "this record has 2, shown one row per lead" in first
    everything = _flat(" ".join(pages))
    assert "12-lead analyses cannot run on it" in everything
    assert "PR —" in first  # no interval without the 12 leads, and the reason is given
    assert "Intervals are measured over the 12 standard leads" in everything


def test_a_failed_write_leaves_no_file(
    tmp_path: Path, ecg: SyntheticEcg, result: AnalysisResult
) -> None:
    pdf = tmp_path / "x.pdf"

    def items():  # type: ignore[no-untyped-def]
        yield ReportItem(ecg.record, result)
        raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError):
        write_report(pdf, items())
    assert not pdf.exists() and not list(tmp_path.iterdir())


def test_restoration_error_must_match_the_record(ecg: SyntheticEcg, result: AnalysisResult) -> None:
    with pytest.raises(ValueError, match="restoration_error"):
        ReportItem(ecg.record, result, restoration_error=np.zeros((2, 10)))


@pytest.mark.data
def test_a_ptbxl_record(tmp_path: Path, data_root: Path) -> None:
    from ecgviewer.io import open_record

    record = open_record(data_root / "ptb-xl" / "records500" / "00000" / "00001_hr.hea")
    result = run_analysis(AnalysisRequest(record))
    pdf = tmp_path / "ptbxl.pdf"
    summary = write_report(pdf, [report_item(record, result)])
    assert summary.pages == page_count(pdf) == 3  # sheet 2 continues (findings, notes)
    first = _flat(text(pdf).split("\f")[0])
    assert "12-lead ECG · 00001_hr" in first and "500 Hz · 12 leads · 10.0 s" in first
    hr = result.measurements["hr_bpm"]
    assert hr is not None and f"HR {hr:.0f} bpm" in first
    assert "median of" in text(pdf)  # the real record has median beats on page 2
