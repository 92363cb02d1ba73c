"""Benchmark: time to measure a 10-s 12-lead 500 Hz record, ours beside neurokit2.

    .venv/bin/python benchmarks/bench_measure.py [--repeat 20] [--no-nk]

Ours: ``ecgviewer.dsp.measure(record)`` — beat detection on all leads, pacing check,
delineation of every beat (per lead and global), median beats, intervals, QTc, axes, quality —
and its main steps separately. neurokit2 (``pip install neurokit2 PyWavelets``), the same work
as far as it goes: for each of the 12 leads ``ecg_clean``, ``ecg_peaks`` and
``ecg_delineate(method="dwt")`` (it has no multi-lead delineation, median beats, QTc or axes).
Records: LUDB 1, 3 and 5 from ~/.cache/ecg-data when present, else synthetic ones. Single
process, after one warm-up run; prints the median and the fastest of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np

from ecgviewer.dsp import delineate, detect_beats, measure
from ecgviewer.io import Record, open_record
from ecgviewer.synth import SynthSpec, synthesize


def records() -> list[Record]:
    root = Path(os.environ.get("ECG_DATA_DIR", Path.home() / ".cache" / "ecg-data")) / "ludb"
    if (root / "data" / "1.hea").is_file():
        return [open_record(root / "data" / f"{i}.hea") for i in (1, 3, 5)]
    return [synthesize(SynthSpec(hr_bpm=hr, noise_mv=0.02, seed=i)).record
            for i, hr in enumerate((60, 75, 90))]  # fmt: skip


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    fn()  # warm-up: imports, caches
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t0)
    return 1000 * statistics.median(runs), 1000 * min(runs)


def neurokit_all_leads(rec: Record) -> None:
    import neurokit2 as nk

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for lead in rec.samples.astype(np.float64):
            clean = nk.ecg_clean(lead, sampling_rate=rec.fs_hz)
            _, info = nk.ecg_peaks(clean, sampling_rate=rec.fs_hz)
            nk.ecg_delineate(clean, info["ECG_R_Peaks"], sampling_rate=rec.fs_hz, method="dwt")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--no-nk", action="store_true")
    args = parser.parse_args()
    recs = records()
    print(
        f"{len(recs)} records, {recs[0].n_leads} leads, {recs[0].fs_hz:g} Hz, "
        f"{recs[0].duration_s:g} s; ms per record, median (fastest) of {args.repeat}"
    )
    rows: dict[str, list[tuple[float, float]]] = {}
    for rec in recs:
        beats = detect_beats(rec.samples, rec.fs_hz)
        steps: dict[str, Callable[[], object]] = {
            "ours: detect_beats": lambda r=rec: detect_beats(r.samples, r.fs_hz),
            "ours: delineate": lambda r=rec, b=beats: delineate(r.samples, r.fs_hz, b),
            "ours: measure (everything)": lambda r=rec: measure(r),
        }
        if not args.no_nk:
            steps["neurokit2: clean+peaks+delineate x12"] = lambda r=rec: neurokit_all_leads(r)
        for name, fn in steps.items():
            rows.setdefault(name, []).append(timed(fn, args.repeat))
    for name, values in rows.items():
        med = statistics.mean(v[0] for v in values)
        best = min(v[1] for v in values)
        print(f"{name:<40} {med:8.1f} ms  ({best:.1f})")
    print("goal: measure < 100 ms per 10-s 12-lead 500 Hz record")


if __name__ == "__main__":
    main()
