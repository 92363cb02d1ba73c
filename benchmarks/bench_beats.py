"""Benchmark: detect and classify every beat of MIT-BIH record 101 (30 min, 2 leads, 360 Hz).

    .venv/bin/python benchmarks/bench_beats.py [--record PATH] [--bundle DIR] [--repeat 3]

Times, end to end on this CPU with one torch thread: opening the record, loading the bundled beat
model, :func:`ecgviewer.dsp.detect_beats`, and :func:`ecgviewer.models.beats.classify_beats`.
Goal: detection + classification of the whole record in under 10 s. Prints figures; no
assertions.
"""

from __future__ import annotations

import argparse
import collections
import statistics
import time
from pathlib import Path

import torch

from ecgviewer.dsp import detect_beats
from ecgviewer.io import open_record
from ecgviewer.models.beats import BEAT_BUNDLE_DIR, classify_beats, load_beat_bundle

DEFAULT_RECORD = Path.home() / ".cache" / "ecg-data" / "mitdb" / "101.hea"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--record", type=Path, default=DEFAULT_RECORD)
    parser.add_argument("--bundle", type=Path, default=BEAT_BUNDLE_DIR)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    torch.set_num_threads(1)

    t0 = time.perf_counter()
    record = open_record(args.record)
    t1 = time.perf_counter()
    bundle = load_beat_bundle(args.bundle)
    t2 = time.perf_counter()
    print(f"{record.record_name}: {record.duration_s / 60:.1f} min, {record.n_leads} leads, "
          f"{record.fs_hz:g} Hz; open {t1 - t0:.2f} s, load model {t2 - t1:.2f} s")  # fmt: skip
    detect_s, classify_s = [], []
    for _ in range(args.repeat):
        a = time.perf_counter()
        beats = detect_beats(record.samples, record.fs_hz)
        b = time.perf_counter()
        labels, _ = classify_beats(record, beats.samples, bundle)
        c = time.perf_counter()
        detect_s.append(b - a)
        classify_s.append(c - b)
    total = [d + c for d, c in zip(detect_s, classify_s, strict=True)]
    print(f"{len(labels)} beats: {dict(collections.Counter(labels))}")
    print(
        f"detect {statistics.median(detect_s):.2f} s + classify "
        f"{statistics.median(classify_s):.2f} s = {statistics.median(total):.2f} s "
        f"(median of {args.repeat}; goal < 10 s)"
    )


if __name__ == "__main__":
    main()
