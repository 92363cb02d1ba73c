"""Benchmark: time and size of PDF reports (one record; a 100-record combined PDF).

Prints figures; asserts nothing (the goals are read from its output).

    .venv/bin/python benchmarks/bench_report.py [--records 100] [--out DIR]

Uses PTB-XL 500 Hz records (``$ECG_DATA_DIR`` or ``~/.cache/ecg-data``, ``ptb-xl/records500``)
when present, else synthetic 12-lead records (10 s, 500 Hz). The analysis (``run_analysis``)
and the median beats (``dsp.measure``) are timed apart from the writing.

* One record: the first report of the process (reportlab import and font loading included),
  then the median of 5 more; A4 landscape, every sample drawn. Goal < 1 s. Also the same record
  with classifier findings, an anomaly score and a restoration heat map (constructed: no model
  is bundled), and the whole path from file to PDF.
* Combined: ``--records`` records into one PDF: seconds, pages, MB.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np

from ecgviewer.analysis import (
    AnalysisRequest,
    AnalysisResult,
    AnomalyFinding,
    ClassFinding,
    ModelInfo,
    run_analysis,
)
from ecgviewer.io import Record, open_record
from ecgviewer.report import ReportItem, ReportOptions, report_item, write_report
from ecgviewer.synth import SynthSpec, synthesize


def ptbxl_headers(n: int) -> list[Path]:
    root = Path(os.environ.get("ECG_DATA_DIR", Path.home() / ".cache" / "ecg-data"))
    tree = root / "ptb-xl" / "records500"
    return sorted(tree.glob("*/*_hr.hea"))[:n] if tree.is_dir() else []


def records(n: int) -> Iterator[Record]:
    headers = ptbxl_headers(n)
    if len(headers) == n:
        for path in headers:
            yield open_record(path)
        return
    for i in range(n):
        spec = SynthSpec(hr_bpm=50.0 + i % 60, noise_mv=0.02, baseline_wander_mv=0.1, seed=i)
        yield synthesize(spec, record_name=f"synthetic_{i:03d}").record


def with_findings(item: ReportItem) -> ReportItem:
    result: AnalysisResult = replace(
        item.result,
        classes={
            "Atrial fibrillation": ClassFinding(0.08, 0.5, False),
            "Premature ventricular complex": ClassFinding(0.91, 0.42, True),
        },
        anomaly=AnomalyFinding(0.77, 0.6, True),
        models={
            "classifier": ModelInfo("1.0.0", "ab" * 32),
            "anomaly": ModelInfo("1.0.0", "cd" * 32),
        },
    )
    error = np.abs(np.random.default_rng(0).normal(0, 0.02, item.record.samples.shape))
    return replace(item, result=result, restoration_error=error)


def timed(fn: object, *args: object) -> float:
    t0 = time.perf_counter()
    fn(*args)  # type: ignore[operator]
    return time.perf_counter() - t0


def bench_one(out: Path) -> None:
    record = next(records(1))
    t0 = time.perf_counter()
    result = run_analysis(AnalysisRequest(record))
    item = report_item(record, result)
    prep = time.perf_counter() - t0
    pdf = out / "one.pdf"
    first = timed(write_report, pdf, [item])
    warm = statistics.median(timed(write_report, pdf, [item]) for _ in range(5))
    size = pdf.stat().st_size
    rich = with_findings(item)
    rich_s = statistics.median(timed(write_report, out / "rich.pdf", [rich]) for _ in range(3))
    portrait = ReportOptions(page_size="Letter", orientation="portrait")
    letter = statistics.median(
        timed(write_report, out / "letter.pdf", [item], portrait) for _ in range(3)
    )
    path = record.source_path

    def whole() -> None:
        rec = open_record(path) if path else record
        write_report(out / "whole.pdf", [report_item(rec, run_analysis(AnalysisRequest(rec)))])

    whole_s = statistics.median(timed(whole) for _ in range(3))
    print(
        f"one record: {record.record_name} ({record.n_leads} leads, {record.fs_hz:g} Hz, "
        f"{record.duration_s:.0f} s)"
    )
    print(f"  analysis + median beats (not the report):      {prep:6.3f} s")
    print(f"  write, first in the process (imports, fonts):  {first:6.3f} s  (goal < 1 s)")
    print(f"  write, warm (median of 5):                     {warm:6.3f} s  (goal < 1 s)")
    print(f"  with findings + restoration heat map:          {rich_s:6.3f} s")
    print(f"  Letter portrait:                               {letter:6.3f} s")
    print(f"  file -> open -> analyse -> PDF:                {whole_s:6.3f} s")
    print(
        f"  size: {size / 1e3:.0f} kB ({(out / 'rich.pdf').stat().st_size / 1e3:.0f} kB with "
        "heat map)"
    )


def bench_combined(out: Path, n: int) -> None:
    t0 = time.perf_counter()
    items = [report_item(r, run_analysis(AnalysisRequest(r))) for r in records(n)]
    prep = time.perf_counter() - t0
    pdf = out / "combined.pdf"
    summary = write_report(pdf, items)
    source = "PTB-XL records500" if len(ptbxl_headers(n)) == n else "synthetic"
    print(f"combined: {n} records ({source})")
    print(f"  open + analysis + median beats (not the report): {prep:6.2f} s")
    print(
        f"  write: {summary.elapsed_s:6.2f} s ({summary.elapsed_s / n * 1000:.0f} ms per record),"
        f" {summary.pages} pages, {pdf.stat().st_size / 1e6:.1f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100)
    parser.add_argument("--out", type=Path, help="keep the PDFs here (default: a temporary folder)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = args.out or Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        bench_one(out)
        bench_combined(out, args.records)


if __name__ == "__main__":
    main()
