"""Benchmark: training-step time of each classifier architecture, and a full-epoch estimate.

    .venv/bin/python benchmarks/bench_classifier.py [--batches 5] [--batch-size 64] [--threads N]

One training step = forward, BCE loss, backward, AdamW step on a random ``[batch, 12, 1000]``
batch (the data loading of a cached PTB-XL split is negligible beside it). After one warm-up
step, times ``--batches`` steps per architecture and extrapolates to one epoch over the
17,418 records of PTB-XL folds 1-8 (``drop_last``: 17418 // batch steps). Prints figures; no
assertions.
"""

from __future__ import annotations

import argparse
import statistics
import time

import torch

from ecgviewer.models.networks import build_network, network_config

N_TRAIN = 17_418


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--threads", type=int, default=torch.get_num_threads())
    parser.add_argument("--arch", nargs="+", default=["code", "xresnet1d"])
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    x = torch.randn(args.batch_size, 12, 1000)
    y = (torch.rand(args.batch_size, 11) < 0.2).float()
    steps = N_TRAIN // args.batch_size
    print(f"torch {torch.__version__}, {args.threads} thread(s), batch {args.batch_size}")
    for arch in args.arch:
        net = build_network(network_config(arch), 12, 1000, 11).train()
        opt = torch.optim.AdamW(net.parameters(), lr=1e-3)
        loss_fn = torch.nn.BCEWithLogitsLoss()
        times = []
        for i in range(args.batches + 1):
            t0 = time.perf_counter()
            loss = loss_fn(net(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            if i:  # the first step is a warm-up
                times.append(time.perf_counter() - t0)
        per = statistics.median(times)
        params = sum(p.numel() for p in net.parameters()) / 1e6
        epoch_min = per * steps / 60
        print(
            f"{arch:10s} {params:5.1f} M params  {per:6.2f} s/step (median of {len(times)}, "
            f"min {min(times):.2f})  -> {epoch_min:5.1f} min/epoch ({steps} steps)"
        )


if __name__ == "__main__":
    main()
