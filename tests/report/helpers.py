"""Poppler (pdftoppm, pdftotext, pdffonts, pdfimages, pdfinfo) and the records the tests print."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from ecgviewer.analysis import (
    AnalysisRequest,
    AnalysisResult,
    AnomalyFinding,
    ClassFinding,
    ModelInfo,
    run_analysis,
)
from ecgviewer.io.record import Record

POPPLER = ("pdftoppm", "pdftotext", "pdffonts", "pdfimages", "pdfinfo")
needs_poppler = pytest.mark.skipif(
    not all(shutil.which(tool) for tool in POPPLER),
    reason="poppler-utils (pdftoppm, pdftotext, pdffonts, pdfimages, pdfinfo) not installed",
)


def run(*cmd: str | Path) -> str:
    return subprocess.run([str(c) for c in cmd], check=True, capture_output=True, text=True).stdout


def render(pdf: Path, dpi: int, page: int = 1) -> npt.NDArray[np.int16]:
    """Page ``page`` as an RGB array ``[y, x, 3]`` (pixel ``i`` covers ``[i, i + 1)``)."""
    from PIL import Image

    stem = pdf.with_name(f"{pdf.stem}-p{page}-{dpi}")
    run(
        "pdftoppm",
        "-r",
        str(dpi),
        "-f",
        str(page),
        "-l",
        str(page),
        "-png",
        "-singlefile",
        pdf,
        stem,
    )
    with Image.open(stem.with_suffix(".png")) as img:
        return np.asarray(img.convert("RGB")).astype(np.int16)


def text(pdf: Path) -> str:
    """The PDF's text, laid out as printed (columns kept)."""
    return run("pdftotext", "-layout", pdf, "-")


def words(pdf: Path, page: int) -> list[tuple[str, float, float, float, float]]:
    """``(word, x0, y0, x1, y1)`` in mm from the top-left of ``page``."""
    html = run("pdftotext", "-bbox", "-f", str(page), "-l", str(page), pdf, "-")
    pattern = (
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
    )
    mm = 25.4 / 72.0
    return [
        (w, float(a) * mm, float(b) * mm, float(c) * mm, float(d) * mm)
        for a, b, c, d, w in re.findall(pattern, html)
    ]


def page_count(pdf: Path) -> int:
    info = run("pdfinfo", pdf)
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def page_size_pt(pdf: Path) -> tuple[float, float]:
    line = next(ln for ln in run("pdfinfo", pdf).splitlines() if ln.startswith("Page size:"))
    parts = line.split()
    return float(parts[2]), float(parts[4])


@dataclass(frozen=True)
class Decision:
    """A reviewer decision shaped like ``worklist.Review`` (only what the report reads)."""

    finding: str
    decision: str
    reviewer: str
    created_utc: str
    comment: str


#: Measurements the tests put in a result (the report prints whatever the result holds, so
#: these tests do not depend on the measurement engine, which has tests of its own).
MEASURED: dict[str, float | None] = {
    "hr_bpm": 61.4,
    "rr_ms": 977.0,
    "rr_sd_ms": 12.0,
    "pr_ms": 158.0,
    "qrs_ms": 94.0,
    "qt_ms": 402.0,
    "qtc_bazett_ms": 406.7,
    "qtc_fridericia_ms": 405.1,
    "qtc_framingham_ms": 405.5,
    "qtc_hodges_ms": 404.5,
    "p_axis_deg": 58.0,
    "qrs_axis_deg": -12.0,
    "t_axis_deg": 41.0,
}


def flagged_result(record: Record) -> AnalysisResult:
    """The record's analysis with known measurements, classifier and anomaly findings."""
    result = run_analysis(AnalysisRequest(record))
    return replace(
        result,
        measurements=dict(MEASURED),
        classes={
            "Atrial fibrillation": ClassFinding(0.07, 0.5, False),
            "Premature ventricular complex": ClassFinding(0.93, 0.41, True),
            "Anterior ST elevation": ClassFinding(0.62, 0.55, True),
        },
        anomaly=AnomalyFinding(0.81, 0.6, True),
        models={
            "rhythm-classifier": ModelInfo("1.4.2", "ab" * 32),
            "restoration-anomaly": ModelInfo("0.9.0", "cd" * 32),
        },
    )


REVIEWS = (
    Decision(
        "Premature ventricular complex",
        "confirm",
        "Dr Ada Reviewer",
        "2025-03-04T10:11:12.345Z",
        "One PVC in the rhythm strip.",
    ),
    Decision(
        "Anterior ST elevation",
        "reject",
        "Dr Ada Reviewer",
        "2025-03-04T10:14:00.000Z",
        "Baseline artefact in V3.",
    ),
)
