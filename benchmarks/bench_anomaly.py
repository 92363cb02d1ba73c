"""Benchmark: time to score one 10 s 12-lead record with the bundled anomaly model, and its size.

    .venv/bin/python benchmarks/bench_anomaly.py [--runs 50] [--threads 1] [--bundle DIR]

One run is :func:`ecgviewer.models.anomaly.score_record` on a synthetic 10 s, 500 Hz record
with noise: preprocessing (resampling to 100 Hz), the 0.5 Hz high-pass, beat detection, both
restoration branches with all their masked passes, the error map and the score. After two
warm-up runs, prints the median and 95th percentile, and the parameters and bytes of the
model. Prints figures; no assertions.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import numpy as np
import torch

from ecgviewer.models.anomaly import ANOMALY_BUNDLE_DIR, load_anomaly_bundle, score_record
from ecgviewer.models.bundle import WEIGHTS_FILE
from ecgviewer.synth import SynthSpec, synthesize


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--bundle", type=Path, default=ANOMALY_BUNDLE_DIR)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    t0 = time.perf_counter()
    bundle = load_anomaly_bundle(args.bundle)
    load_s = time.perf_counter() - t0
    record = synthesize(SynthSpec(hr_bpm=75, noise_mv=0.02, baseline_wander_mv=0.1)).record
    for _ in range(2):
        score_record(record, bundle)
    times = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        score_record(record, bundle)
        times.append(time.perf_counter() - t0)
    params = sum(p.numel() for p in bundle.network.parameters())
    size = (args.bundle / WEIGHTS_FILE).stat().st_size
    print(f"torch {torch.__version__}, {args.threads} thread(s), bundle {args.bundle}")
    print(f"load: {load_s * 1000:.0f} ms")
    print(
        f"score_record, 10 s 12-lead 500 Hz record: median {statistics.median(times) * 1000:.1f} "
        f"ms, p95 {float(np.percentile(times, 95)) * 1000:.1f} ms ({args.runs} runs)"
    )
    print(f"model: {params:,} parameters, {size:,} bytes ({WEIGHTS_FILE})")


if __name__ == "__main__":
    main()
