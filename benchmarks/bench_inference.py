"""Benchmark: classifier inference per 10 s 12-lead record, batch 1 and batch 64, on this CPU.

    .venv/bin/python benchmarks/bench_inference.py [--threads N] [--repeats 50]

Times, in the same run, the bundled classifier (``resources/models/classifier``, loaded and
sha256-verified as the app does) and the CODE architecture (Ribeiro et al. 2020, 6.4 M
parameters, randomly initialised: speed does not depend on the weights). Batch 1: median and
95th percentile of ``--repeats`` forward passes of one preprocessed record, and the whole
``run_classifier`` step (preprocessing a 500 Hz PTB-XL-like record + network). Batch 64:
records per second. Prints figures; no assertions.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import torch

from ecgviewer.analysis.classify import load_classifier, run_classifier
from ecgviewer.models.networks import build_network, network_config
from ecgviewer.synth import SynthSpec, synthesize


def timed(fn, repeats: int) -> list[float]:  # type: ignore[no-untyped-def]
    fn()  # warm-up
    out = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def report(name: str, net: torch.nn.Module, repeats: int) -> None:
    net.eval()
    params = sum(p.numel() for p in net.parameters())
    one = torch.randn(1, 12, 1000)
    many = torch.randn(64, 12, 1000)
    with torch.inference_mode():
        t1 = timed(lambda: net(one), repeats)
        t64 = timed(lambda: net(many), max(repeats // 10, 3))
    p95 = sorted(t1)[int(0.95 * (len(t1) - 1))]
    print(
        f"{name:<34} {params / 1e6:5.2f} M params   batch 1: median "
        f"{statistics.median(t1) * 1e3:6.1f} ms, p95 {p95 * 1e3:6.1f} ms   batch 64: "
        f"{64 / statistics.median(t64):6.0f} records/s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=torch.get_num_threads())
    parser.add_argument("--repeats", type=int, default=50)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    print(f"torch {torch.__version__}, {args.threads} thread(s)")
    bundle = load_classifier()
    arch = bundle.manifest["network"]
    report(f"bundled ({arch['arch']})", bundle.network, args.repeats)
    report("CODE (Ribeiro et al. 2020)", build_network(network_config("code"), 12, 1000, 11),
           args.repeats)  # fmt: skip
    record = synthesize(SynthSpec(fs_hz=500.0)).record
    step = timed(lambda: run_classifier(record), args.repeats)
    print(
        f"run_classifier on a 10 s 500 Hz record (preprocess + network): median "
        f"{statistics.median(step) * 1e3:.1f} ms, p95 "
        f"{np.percentile(step, 95) * 1e3:.1f} ms"
    )


if __name__ == "__main__":
    main()
