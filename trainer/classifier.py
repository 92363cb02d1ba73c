"""``python -m trainer classifier``: train, validate, calibrate and export the ECG classifier.

Recipe (torchvision ``references`` style): :func:`train_one_epoch`, :func:`evaluate`, :func:`main`.
PTB-XL folds 1-8 train, fold 9 validates, selects the best epoch (macro AUC) and sets one
F1-maximising threshold per class; fold 10 is never read. The same script runs as one process or
under ``torchrun --nproc_per_node N`` (DistributedDataParallel, gloo on CPU, nccl on CUDA); only
rank 0 evaluates and writes. Every random stream is keyed by the seed and the epoch, so a run
resumed from a checkpoint ends with the same weights as an uninterrupted one, and two runs with
the same seed, data and process count export byte-identical weights.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt
import torch
import torch.distributed as dist
from torch import nn
from torch.utils.data import DataLoader, DistributedSampler

from ecgviewer.models import MODEL_N_SAMPLES, PREPROCESSING_ID, save_bundle
from ecgviewer.models.bundle import json_safe
from ecgviewer.models.networks import build_network, network_config
from trainer import data as ptbxl
from trainer.labels import CLASSES, CODE_CLASSES, SUPERCLASSES
from trainer.metrics import best_f1_threshold, report

T = TypeVar("T")
GROUPS = {"code": CODE_CLASSES, "superclass": SUPERCLASSES}
F32 = npt.NDArray[np.float32]


def progress(items: Iterable[T], total: int, desc: str, enabled: bool = True) -> Iterator[T]:
    """tqdm when it is installed, else a line every ~10 %; nothing when ``enabled`` is False."""
    if not enabled:
        yield from items
        return
    try:
        from tqdm import tqdm
    except ImportError:
        every = max(total // 10, 1)
        start = time.perf_counter()
        for i, item in enumerate(items, 1):
            yield item
            if i % every == 0 or i == total:
                print(f"{desc}: {i}/{total} ({time.perf_counter() - start:.0f} s)", flush=True)
        return
    yield from tqdm(items, total=total, desc=desc)


def seed_everything(seed: int) -> None:
    """Seed python and torch, ask for deterministic kernels (numpy uses explicit Generators)."""
    random.seed(seed)
    torch.manual_seed(seed)
    os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
    torch.use_deterministic_algorithms(True, warn_only=True)
    torch.backends.cudnn.benchmark = False


def train_one_epoch(
    model: nn.Module,
    loader: DataLoader[tuple[torch.Tensor, torch.Tensor]],
    optimizer: torch.optim.Optimizer,
    scheduler: torch.optim.lr_scheduler.LRScheduler | None,
    device: torch.device,
    epoch: int,
    show_progress: bool = True,
) -> float:
    """One pass over ``loader`` with BCE-with-logits; returns the mean loss of this process."""
    model.train()
    loss_fn = nn.BCEWithLogitsLoss()
    total, count = 0.0, 0
    for x, y in progress(loader, len(loader), f"epoch {epoch}", show_progress):
        x, y = x.to(device), y.to(device)
        loss = loss_fn(model(x), y)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        if scheduler is not None:
            scheduler.step()
        total += float(loss.detach()) * len(x)
        count += len(x)
    if dist.is_initialized():
        # DDP broadcasts rank 0's buffers (BatchNorm running statistics) at every forward, so
        # after the last step each rank holds its own; make them rank 0's, as the next forward
        # would, so that every rank ends the epoch with identical state.
        for buffer in model.buffers():
            dist.broadcast(buffer, src=0)
    return total / max(count, 1)


@torch.inference_mode()
def evaluate(
    model: nn.Module,
    loader: DataLoader[tuple[torch.Tensor, torch.Tensor]],
    device: torch.device,
    thresholds: list[float] | None = None,
) -> tuple[dict[str, Any], F32, F32]:
    """Metrics report, probabilities and targets on ``loader``.

    Without ``thresholds`` they are chosen here, per class, to maximise F1 (do this on the
    validation fold only: the figures at thresholds tuned on the same data are optimistic).
    """
    model.eval()
    probs, targets = [], []
    for x, y in loader:
        probs.append(torch.sigmoid(model(x.to(device))).cpu().numpy())
        targets.append(y.numpy())
    p = np.concatenate(probs).astype(np.float32)
    t = np.concatenate(targets).astype(np.float32)
    if thresholds is None:
        thresholds = [best_f1_threshold(t[:, i], p[:, i]) for i in range(t.shape[1])]
    metrics = report(t, p, CLASSES, thresholds, GROUPS)
    metrics["thresholds"] = dict(zip(CLASSES, thresholds, strict=True))
    return metrics, p, t


def setup_distributed() -> tuple[int, int, torch.device]:
    """(rank, world size, device); joins the process group when launched by torchrun."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    cuda = torch.cuda.is_available()
    if world > 1 and not dist.is_initialized():
        dist.init_process_group(backend="nccl" if cuda else "gloo")
    rank = dist.get_rank() if dist.is_initialized() else 0
    if cuda:
        local = int(os.environ.get("LOCAL_RANK", "0"))
        torch.cuda.set_device(local)
        return rank, world, torch.device("cuda", local)
    return rank, world, torch.device("cpu")


def _barrier() -> None:
    if dist.is_initialized():
        dist.barrier()


def _lr_lambda(total_steps: int, warmup: int) -> Any:
    def f(step: int) -> float:
        if step < warmup:
            return (step + 1) / warmup
        done = (step - warmup) / max(total_steps - warmup, 1)
        return 0.5 * (1.0 + float(np.cos(np.pi * min(done, 1.0))))

    return f


def _load_split(
    args: argparse.Namespace,
    entries: list[ptbxl.PtbxlEntry],
    folds: tuple[int, ...],
    name: str,
    limit: int | None,
    rank: int,
) -> tuple[F32, F32]:
    chosen = ptbxl.select(entries, folds, limit)
    cache = args.out / "cache"
    if rank == 0:
        ptbxl.preprocess_split(chosen, cache, name)  # others wait, then read the cache
    _barrier()
    return ptbxl.preprocess_split(chosen, cache, name)


def main(args: argparse.Namespace) -> int:
    """Train, select, calibrate thresholds and export a bundle into ``args.out / "bundle"``."""
    rank, world, device = setup_distributed()
    seed_everything(args.seed)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    talk = rank == 0

    entries = ptbxl.read_index(args.data, args.min_likelihood)
    x_tr, y_tr = _load_split(args, entries, ptbxl.TRAIN_FOLDS, "train", args.limit, rank)
    x_va, y_va = _load_split(args, entries, ptbxl.VAL_FOLDS, "val", args.val_limit, rank)
    net_cfg = network_config(args.arch, **json.loads(args.net))
    config = {
        "network": net_cfg,
        "epochs": args.epochs,
        "batch_size": args.batch_size,
        "lr": args.lr,
        "weight_decay": args.weight_decay,
        "seed": args.seed,
        "world_size": world,
        "min_likelihood": args.min_likelihood,
        "augment": vars(ptbxl.Augment()),
        "train_folds": list(ptbxl.TRAIN_FOLDS),
        "val_folds": list(ptbxl.VAL_FOLDS),
        "n_train": len(x_tr),
        "n_val": len(x_va),
        "limit": args.limit,
        "val_limit": args.val_limit,
        "preprocessing": PREPROCESSING_ID,
    }
    if talk:
        (out / "config.json").write_text(json.dumps(config, indent=2, sort_keys=True) + "\n")

    train_set = ptbxl.EcgDataset(x_tr, y_tr, ptbxl.Augment(), seed=args.seed)
    sampler: DistributedSampler[Any] = DistributedSampler(
        train_set, world, rank, shuffle=True, seed=args.seed
    )
    per_rank = max(args.batch_size // world, 1)
    loader = DataLoader(
        train_set, per_rank, sampler=sampler, num_workers=args.workers, drop_last=True
    )
    val_loader = DataLoader(ptbxl.EcgDataset(x_va, y_va), 256, shuffle=False)

    model: nn.Module = build_network(net_cfg, 12, MODEL_N_SAMPLES, len(CLASSES)).to(device)
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=args.weight_decay)
    total = args.epochs * len(loader)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, _lr_lambda(total, len(loader) // 2))
    start_epoch, best_auc, history = 0, -1.0, []
    ckpt_path, best_path = out / "checkpoint.pt", out / "best.pt"
    if args.resume and ckpt_path.is_file():
        ckpt = torch.load(ckpt_path, map_location=device, weights_only=True)
        model.load_state_dict(ckpt["model"])
        optimizer.load_state_dict(ckpt["optimizer"])
        scheduler.load_state_dict(ckpt["scheduler"])
        start_epoch, best_auc = int(ckpt["epoch"]) + 1, float(ckpt["best_auc"])
        history = json.loads(ckpt["history"])
        if talk:
            print(f"resumed from {ckpt_path} after epoch {start_epoch - 1}", flush=True)
    net: nn.Module = model
    if world > 1:
        net = nn.parallel.DistributedDataParallel(
            model, device_ids=[device.index] if device.type == "cuda" else None
        )

    stop = (
        args.epochs if args.stop_after is None else min(args.epochs, start_epoch + args.stop_after)
    )
    for epoch in range(start_epoch, stop):
        torch.manual_seed(args.seed + epoch)  # dropout stream, independent of resume point
        sampler.set_epoch(epoch)
        train_set.set_epoch(epoch)
        t0 = time.perf_counter()
        loss = train_one_epoch(net, loader, optimizer, scheduler, device, epoch, talk)
        seconds = time.perf_counter() - t0
        if talk:
            metrics, _, _ = evaluate(model, val_loader, device)
            row = {
                "epoch": epoch,
                "train_loss": loss,
                "train_s": seconds,
                "val_macro_auc": metrics["macro"]["auc"],
                "val_code_macro_auc": metrics["groups"]["code"]["macro_auc"],
                "val_superclass_macro_auc": metrics["groups"]["superclass"]["macro_auc"],
            }
            history.append(row)
            print(json.dumps(row), flush=True)
            if metrics["macro"]["auc"] > best_auc or not best_path.is_file():
                best_auc = metrics["macro"]["auc"]
                torch.save({"model": model.state_dict(), "epoch": epoch}, best_path)
            torch.save(
                {
                    "model": model.state_dict(),
                    "optimizer": optimizer.state_dict(),
                    "scheduler": scheduler.state_dict(),
                    "epoch": epoch,
                    "best_auc": best_auc,
                    "history": json.dumps(history),
                },
                ckpt_path,
            )
        _barrier()

    if talk and stop == args.epochs:
        export(args, config, model, val_loader, device, history)
    elif talk:
        print(f"stopped after epoch {stop - 1}; continue with --resume", flush=True)
    _barrier()
    if dist.is_initialized():
        dist.destroy_process_group()
    return 0


def export(
    args: argparse.Namespace,
    config: dict[str, Any],
    model: nn.Module,
    val_loader: DataLoader[tuple[torch.Tensor, torch.Tensor]],
    device: torch.device,
    history: list[dict[str, Any]],
) -> Path:
    """Best epoch's weights + fold-9 thresholds and metrics -> ``out/bundle`` and a report."""
    best = torch.load(args.out / "best.pt", map_location=device, weights_only=True)
    model.load_state_dict(best["model"])
    metrics, _, _ = evaluate(model, val_loader, device)
    thresholds = [metrics["thresholds"][c] for c in CLASSES]
    (args.out / "report.json").write_text(
        json.dumps(
            json_safe(
                {"best_epoch": int(best["epoch"]), "history": history, "validation": metrics}
            ),
            indent=2,
            sort_keys=True,
            allow_nan=False,
        )
        + "\n"
    )
    summary = {
        "split": "PTB-XL strat_fold 9 (thresholds chosen on the same fold)",
        "best_epoch": int(best["epoch"]),
        "macro": metrics["macro"],
        "groups": metrics["groups"],
        "per_class": {
            c: {k: v for k, v in m.items() if k != "reliability"}
            for c, m in metrics["per_class"].items()
        },
    }
    training = {
        "data": "PTB-XL 1.0.3 records100",
        "label_rules": "trainer/labels.py",
        "config": config,
    }
    bundle = save_bundle(
        args.out / "bundle",
        model.state_dict(),
        network=config["network"],
        classes=CLASSES,
        thresholds=thresholds,
        training=training,
        metrics=summary,
        card=model_card(summary),
    )
    print(f"bundle: {bundle}  macro AUC (fold 9): {metrics['macro']['auc']:.3f}", flush=True)
    return bundle


def model_card(summary: dict[str, Any]) -> str:
    """A short markdown model card filled from the validation summary."""
    lines = [
        "# ECG classifier",
        "",
        "Multi-label classifier: CODE findings (1AVB, RBBB, LBBB, SB, AF, ST) and PTB-XL "
        "superclasses (NORM, MI, STTC, CD, HYP) from a 10 s 12-lead ECG.",
        "",
        "* Intended use: decision support for a clinician reading the ECG; never a diagnosis.",
        "* Training data: PTB-XL folds 1-8 (records100); validation and thresholds: fold 9. "
        "Fold 10 (the official test fold) was not used.",
        "* Input: see manifest.json `input` (100 Hz, 1000 samples, 12 standard leads, mV).",
        "* Limits: one German hospital's archive (1989-1996, Schiller devices); not validated "
        "on paediatric ECGs, paced rhythms or other populations. Fold-9 figures are optimistic "
        "because the thresholds were tuned on the same fold.",
        "",
        "Labels (PTB-XL `scp_codes`, any likelihood; `trainer/labels.py`): 1AVB = `1AVB`; "
        "RBBB = `CRBBB`; LBBB = `CLBBB`; SB = `SBRAD`; AF = `AFIB` (flutter `AFLT` is not AF); "
        "ST = `STACH`; NORM, MI, STTC, CD, HYP = any statement whose `diagnostic_class` in "
        "`scp_statements.csv` is that superclass.",
        "",
        f"Validation (fold 9, best epoch {summary.get('best_epoch')}): superclass macro AUC "
        f"{summary['groups']['superclass']['macro_auc']:.3f}, CODE-class macro AUC "
        f"{summary['groups']['code']['macro_auc']:.3f}, all 11 classes "
        f"{summary['macro']['auc']:.3f}.",
        "",
        "| class | AUC | F1 | Se | Sp | threshold | n+ |",
        "|---|---|---|---|---|---|---|",
    ]
    for c, m in summary["per_class"].items():
        lines.append(
            f"| {c} | {m['auc']:.3f} | {m['f1']:.3f} | {m['sensitivity']:.3f} | "
            f"{m['specificity']:.3f} | {m['threshold']:.3f} | {m['n_positive']} |"
        )
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    """Entry point for the ``classifier`` subcommand."""
    if args.arch == "xresnet":
        args.arch = "xresnet1d"
    return main(args)
