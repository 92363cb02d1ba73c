"""``python -m trainer anomaly``: train the masked-restoration anomaly model on normal ECGs.

Recipe: :func:`train_one_epoch`, :func:`evaluate`, :func:`main`. The networks
(:mod:`ecgviewer.models.anomaly`) learn from PTB-XL folds 1-8 records whose only diagnostic
superclass is ``NORM`` to restore what random masks hide: time blocks in every lead or whole
leads (global branch), a span of one beat (local branch), with the loss on the hidden samples.
Fold 9 validates: the AUC of the anomaly score for ``NORM``-only records against records with
any other diagnostic superclass (``MI``, ``STTC``, ``CD``, ``HYP``); records without a
diagnostic statement are left out. The threshold is Youden's on fold 9, so the operating point
figures are optimistic. The last epoch is exported (no selection on fold 9); fold 10 is never read.

Masks and augmentation are drawn from generators keyed by ``(seed, epoch, step)``, so a resumed
run ends with the weights of an uninterrupted one, and two runs export identical bytes.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import torch

from ecgviewer.models import PREPROCESSING_ID, save_bundle
from ecgviewer.models.anomaly import (
    WINDOW,
    AnomalyNet,
    anomaly_config,
    anomaly_input_contract,
    beat_windows,
    build_anomaly_network,
    encoder_features,
    filter_input,
    find_beats,
    restore,
)
from ecgviewer.models.anomaly_density import N_MEASUREMENT_FEATURES, measure_model_input
from ecgviewer.models.bundle import json_safe
from trainer import data as ptbxl
from trainer.classifier import _lr_lambda, seed_everything
from trainer.labels import CLASSES, SUPERCLASSES
from trainer.metrics import roc_auc

F32 = npt.NDArray[np.float32]
I64 = npt.NDArray[np.int64]
_NORM = CLASSES.index("NORM")
_OTHERS = [CLASSES.index(c) for c in SUPERCLASSES if c != "NORM"]


def normal_and_abnormal(targets: F32) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """Rows that are ``NORM`` only, and rows with any other diagnostic superclass."""
    abnormal = targets[:, _OTHERS].max(axis=1) > 0.5 if len(targets) else np.zeros(0, bool)
    normal = (targets[:, _NORM] > 0.5) & ~abnormal if len(targets) else np.zeros(0, bool)
    return np.asarray(normal), np.asarray(abnormal)


def filtered(x: F32, chunk: int = 256) -> F32:
    """:func:`filter_input` over ``x [n, 12, N]`` in chunks (bounded memory)."""
    out = np.empty(x.shape, np.float32)
    for i in range(0, len(x), chunk):
        out[i : i + chunk] = filter_input(x[i : i + chunk])
    return out


def global_train_masks(
    rng: np.random.Generator, n: int, n_samples: int, config: dict[str, Any]
) -> F32:
    """Half: time blocks in every lead, of 0.6-1.6 times the inference block, one in every
    ``time_passes - 1`` to ``time_passes + 1``; half: 1-4 whole leads."""
    masks = np.zeros((n, 12, n_samples), np.float32)
    t = np.arange(n_samples)
    base, passes = int(config["time_block_samples"]), int(config["time_passes"])
    for i in range(n):
        if rng.random() < 0.5:
            block = int(rng.integers(round(0.6 * base), round(1.6 * base) + 1))
            period = int(rng.integers(max(passes - 1, 2), passes + 2))
            phase = int(rng.integers(0, block * period))
            masks[i, :] = (((t + phase) // block) % period == 0).astype(np.float32)
        else:
            leads = rng.choice(12, size=int(rng.integers(1, 5)), replace=False)
            masks[i, leads] = 1.0
    return masks


def local_train_masks(rng: np.random.Generator, n: int, config: dict[str, Any]) -> F32:
    """One span per beat window, in all leads, of 0.75-1.5 times the inference block."""
    masks = np.zeros((n, 12, WINDOW), np.float32)
    base = WINDOW / int(config["local_passes"])
    for i in range(n):
        length = int(rng.integers(round(0.75 * base), min(round(1.5 * base), WINDOW - 1) + 1))
        start = int(rng.integers(0, WINDOW - length + 1))
        masks[i, :, start : start + length] = 1.0
    return masks


def masked_loss(
    out: torch.Tensor, target: torch.Tensor, mask: torch.Tensor, kind: str = "l1"
) -> torch.Tensor:
    """Mean absolute (``"l1"``) or squared (``"mse"``) error over the hidden samples only."""
    diff = (out - target).abs() if kind == "l1" else (out - target) ** 2
    return (diff * mask).sum() / mask.sum().clamp(min=1.0)


def train_one_epoch(
    model: AnomalyNet,
    x: F32,
    windows: F32,
    owner: I64,
    optimizer: torch.optim.Optimizer,
    scheduler: torch.optim.lr_scheduler.LRScheduler,
    epoch: int,
    args: argparse.Namespace,
) -> float:
    """One pass over the normal training records; returns the mean loss (global + local)."""
    model.train()
    order = np.random.default_rng((args.seed, epoch)).permutation(len(x))
    by_record = [np.flatnonzero(owner == i) for i in range(len(x))]
    steps = len(x) // int(args.batch_size)
    total, start, every = 0.0, time.perf_counter(), max(steps // 10, 1)
    for step in range(steps):
        rng = np.random.default_rng((args.seed, epoch, step))
        idx = order[step * args.batch_size : (step + 1) * args.batch_size]
        scale = rng.uniform(0.85, 1.15, size=len(idx)).astype(np.float32)
        xb = torch.from_numpy(x[idx] * scale[:, None, None])
        gm = torch.from_numpy(global_train_masks(rng, len(idx), x.shape[-1], model.config))
        beats = [
            rng.choice(by_record[i], size=args.beats_per_record) for i in idx if len(by_record[i])
        ]
        loss: torch.Tensor = masked_loss(model.global_net(xb, gm), xb, gm, args.loss)
        if beats:
            rows = np.concatenate(beats)
            wscale = scale[[k for k, i in enumerate(idx) if len(by_record[i])]]
            wscale = np.repeat(wscale, args.beats_per_record)
            wb = torch.from_numpy(windows[rows] * wscale[:, None, None])
            lm = torch.from_numpy(local_train_masks(rng, len(rows), model.config))
            loss = loss + masked_loss(model.local_net(wb, lm), wb, lm, args.loss)
        optimizer.zero_grad(set_to_none=True)
        torch.autograd.backward(loss)
        optimizer.step()
        scheduler.step()
        total += float(loss.detach())
        if (step + 1) % every == 0 or step + 1 == steps:
            print(
                f"epoch {epoch}: {step + 1}/{steps} loss {total / (step + 1):.5f} "
                f"({time.perf_counter() - start:.0f} s)",
                flush=True,
            )
    return total / max(steps, 1)


def score_split(model: AnomalyNet, x: F32, peaks: list[I64], chunk: int = 64) -> F32:
    """Anomaly scores of filtered records ``x`` with their beats ``peaks``."""
    model.eval()
    scores = [
        restore(model, x[i : i + chunk], peaks[i : i + chunk]).scores
        for i in range(0, len(x), chunk)
    ]
    return np.concatenate(scores).astype(np.float32) if scores else np.zeros(0, np.float32)


def operating_point(y: npt.NDArray[np.bool_], s: F32) -> dict[str, float]:
    """Youden's threshold (midpoint between scores) and sensitivity/specificity there."""
    values = np.unique(s)
    if len(values) < 2 or y.all() or not y.any():
        thr = float(values[0]) if len(values) else 0.0
    else:
        cuts = (values[1:] + values[:-1]) / 2.0
        sens = np.array([(s[y] >= c).mean() for c in cuts])
        spec = np.array([(s[~y] < c).mean() for c in cuts])
        thr = float(cuts[int(np.argmax(sens + spec))])
    return {
        "threshold": thr,
        "sensitivity": float((s[y] >= thr).mean()) if y.any() else float("nan"),
        "specificity": float((s[~y] < thr).mean()) if (~y).any() else float("nan"),
    }


def evaluate(
    model: AnomalyNet, x: F32, peaks: list[I64], y: npt.NDArray[np.bool_]
) -> dict[str, Any]:
    """AUC (abnormal positive), Youden operating point, sensitivity at 90 % specificity."""
    return score_metrics(score_split(model, x, peaks), y)


def score_metrics(s: F32, y: npt.NDArray[np.bool_]) -> dict[str, Any]:
    """:func:`evaluate`'s figures for given scores ``s``."""
    out: dict[str, Any] = {
        "auc": roc_auc(y.astype(np.float32), s),
        "n_normal": int((~y).sum()),
        "n_abnormal": int(y.sum()),
        **operating_point(y, s),
    }
    if (~y).any() and y.any():
        thr90 = float(np.quantile(s[~y], 0.9))
        out["sensitivity_at_90_specificity"] = float((s[y] > thr90).mean())
    return out


def _beats(x: F32) -> list[I64]:
    return [find_beats(r) for r in x]


def main(args: argparse.Namespace) -> int:
    """Train on normal records, validate on fold 9, export ``args.out / "bundle"``."""
    torch.set_num_threads(args.threads)
    seed_everything(args.seed)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    cache = args.cache if args.cache is not None else out / "cache"
    entries = ptbxl.read_index(args.data)
    # The whole folds go through the cache (so an existing cache is reused); subsets are
    # taken afterwards.
    x_all, y_all = ptbxl.preprocess_split(ptbxl.select(entries, ptbxl.TRAIN_FOLDS), cache, "train")
    normal, _ = normal_and_abnormal(y_all)
    train_idx = np.flatnonzero(normal)
    if args.limit is not None and args.limit < len(train_idx):
        train_idx = train_idx[
            np.floor(np.arange(args.limit) * len(train_idx) / args.limit).astype(int)
        ]
    xv_all, yv_all = ptbxl.preprocess_split(ptbxl.select(entries, ptbxl.VAL_FOLDS), cache, "val")
    v_norm, v_abn = normal_and_abnormal(yv_all)
    val_idx = np.flatnonzero(v_norm | v_abn)
    if args.val_limit is not None and args.val_limit < len(val_idx):
        val_idx = val_idx[
            np.floor(np.arange(args.val_limit) * len(val_idx) / args.val_limit).astype(int)
        ]
    print(
        f"filtering {len(train_idx)} normal training and {len(val_idx)} validation records",
        flush=True,
    )
    raw_tr, raw_va = np.asarray(x_all[train_idx]), np.asarray(xv_all[val_idx])
    x_tr, x_va = filtered(raw_tr), filtered(raw_va)
    y_va = v_abn[val_idx]
    peaks_tr, peaks_va = _beats(x_tr), _beats(x_va)
    owner = np.concatenate(
        [np.full(len(p), i, np.int64) for i, p in enumerate(peaks_tr)] or [np.zeros(0, np.int64)]
    )
    windows = np.concatenate(
        [beat_windows(r, p) for r, p in zip(x_tr, peaks_tr, strict=True)]
        or [np.zeros((0, 12, WINDOW), np.float32)]
    )

    net_cfg = anomaly_config(**json.loads(args.net))
    config = {
        "network": net_cfg,
        "epochs": args.epochs,
        "batch_size": args.batch_size,
        "beats_per_record": args.beats_per_record,
        "loss": args.loss,
        "lr": args.lr,
        "weight_decay": args.weight_decay,
        "seed": args.seed,
        "threads": args.threads,
        "augment": "amplitude x U(0.85, 1.15) per record",
        "train_folds": list(ptbxl.TRAIN_FOLDS),
        "val_folds": list(ptbxl.VAL_FOLDS),
        "train_selection": "NORM superclass and no other diagnostic superclass",
        "val_positive": "any of MI, STTC, CD, HYP; negative: NORM only",
        "n_train": len(x_tr),
        "n_train_beats": len(windows),
        "n_val": len(x_va),
        "n_val_abnormal": int(y_va.sum()),
        "limit": args.limit,
        "val_limit": args.val_limit,
        "preprocessing": PREPROCESSING_ID,
    }
    (out / "config.json").write_text(json.dumps(config, indent=2, sort_keys=True) + "\n")

    model = build_anomaly_network(net_cfg)
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=args.weight_decay)
    steps = max(len(x_tr) // args.batch_size, 1)
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, _lr_lambda(args.epochs * steps, max(steps // 2, 1))
    )
    start_epoch, history = 0, []
    ckpt_path = out / "checkpoint.pt"
    if args.resume and ckpt_path.is_file():
        ckpt = torch.load(ckpt_path, map_location="cpu", weights_only=True)
        model.load_state_dict(ckpt["model"])
        optimizer.load_state_dict(ckpt["optimizer"])
        scheduler.load_state_dict(ckpt["scheduler"])
        start_epoch, history = int(ckpt["epoch"]) + 1, json.loads(ckpt["history"])
        print(f"resumed from {ckpt_path} after epoch {start_epoch - 1}", flush=True)

    stop = (
        args.epochs if args.stop_after is None else min(args.epochs, start_epoch + args.stop_after)
    )
    for epoch in range(start_epoch, stop):
        torch.manual_seed(args.seed + epoch)
        t0 = time.perf_counter()
        loss = train_one_epoch(model, x_tr, windows, owner, optimizer, scheduler, epoch, args)
        row: dict[str, Any] = {
            "epoch": epoch,
            "train_loss": loss,
            "train_s": time.perf_counter() - t0,
        }
        if args.eval_every and ((epoch + 1) % args.eval_every == 0 or epoch + 1 == args.epochs):
            row["val_auc"] = evaluate(model, x_va, peaks_va, y_va)["auc"]
        history.append(row)
        print(json.dumps(json_safe(row)), flush=True)
        torch.save(
            {
                "model": model.state_dict(),
                "optimizer": optimizer.state_dict(),
                "scheduler": scheduler.state_dict(),
                "epoch": epoch,
                "history": json.dumps(json_safe(history)),
            },
            ckpt_path,
        )
    if stop < args.epochs:
        print(f"stopped after epoch {stop - 1}; continue with --resume", flush=True)
        return 0
    dense = fit_density(model, x_tr, peaks_tr, raw_tr)
    val = Split(x_va, peaks_va, raw_va, y_va, yv_all[val_idx])
    export(args, config, dense, val, history)
    return 0


@dataclass(frozen=True)
class Split:
    """Validation records: filtered inputs, beats, unfiltered inputs, abnormal flag, targets."""

    x: F32
    peaks: list[I64]
    raw: F32
    abnormal: npt.NDArray[np.bool_]
    targets: F32


def measurement_rows(raw: F32) -> npt.NDArray[np.float64]:
    """:func:`measure_model_input` of every record (unfiltered model inputs ``[n, 12, N]``)."""
    rows = [measure_model_input(r) for r in raw]
    return np.stack(rows) if rows else np.zeros((0, N_MEASUREMENT_FEATURES))


def fit_density(model: AnomalyNet, x: F32, peaks: list[I64], raw: F32) -> AnomalyNet:
    """``model`` with its normal-population density fitted on the normal training records."""
    dense = build_anomaly_network({**model.config, "density": True})
    missing, unexpected = dense.load_state_dict(model.state_dict(), strict=False)
    if unexpected or any(not k.startswith("density.") for k in missing):
        raise RuntimeError(f"state dicts differ: {missing} {unexpected}")
    dense.eval()
    assert dense.density is not None
    t0 = time.perf_counter()
    feats = encoder_features(dense, x, peaks)
    meas = measurement_rows(raw)
    dense.density.fit("features", feats)
    dense.density.fit("measurements", meas)
    print(f"normal density fitted on {len(x)} records ({time.perf_counter() - t0:.0f} s)",
          flush=True)  # fmt: skip
    return dense


def density_scores(model: AnomalyNet, val: Split) -> dict[str, F32]:
    """The anomaly score and its parts, and the restoration score, of every validation record."""
    assert model.density is not None
    z_f, z_m = model.density.score(
        encoder_features(model, val.x, val.peaks), measurement_rows(val.raw)
    )
    return {
        "score": (z_f + z_m).astype(np.float32),
        "features": z_f.astype(np.float32),
        "measurements": z_m.astype(np.float32),
        "restoration": score_split(model, val.x, val.peaks),
    }


def export(
    args: argparse.Namespace,
    config: dict[str, Any],
    model: AnomalyNet,
    val: Split,
    history: list[dict[str, Any]],
) -> Path:
    """Last epoch's weights and the fitted density + fold-9 threshold and metrics ->
    ``out/bundle`` and a report."""
    scores = density_scores(model, val)
    metrics = score_metrics(scores["score"], val.abnormal)
    normal = ~val.abnormal
    metrics["auc_by_part"] = {
        k: roc_auc(val.abnormal.astype(np.float32), v) for k, v in scores.items() if k != "score"
    }
    metrics["auc_by_superclass"] = {}
    for c in SUPERCLASSES:
        if c == "NORM":
            continue
        has = val.targets[:, CLASSES.index(c)] > 0.5
        keep = normal | has
        if has.any() and normal.any():
            metrics["auc_by_superclass"][c] = roc_auc(has[keep].astype(np.float32),
                                                      scores["score"][keep])  # fmt: skip
    config = {**config, "network": dict(model.config)}
    report = {"history": history, "validation": metrics, "epoch": config["epochs"] - 1}
    (args.out / "report.json").write_text(
        json.dumps(json_safe(report), indent=2, sort_keys=True, allow_nan=False) + "\n"
    )
    summary = {
        "split": "PTB-XL strat_fold 9: NORM-only (negative) vs any MI/STTC/CD/HYP (positive); "
        "threshold (Youden) chosen on the same fold",
        **metrics,
    }
    training = {"data": "PTB-XL 1.0.3 records100, folds 1-8, NORM-only", "config": config}
    bundle = save_bundle(
        args.out / "bundle",
        model.state_dict(),
        network=config["network"],
        classes=["anomaly"],
        thresholds=[metrics["threshold"]],
        training=training,
        metrics=summary,
        contract=anomaly_input_contract(),
        card=model_card(config, metrics),
    )
    print(
        f"bundle: {bundle}  AUC (fold 9): {metrics['auc']:.3f}  threshold "
        f"{metrics['threshold']:.5f}  Se {metrics['sensitivity']:.3f}  "
        f"Sp {metrics['specificity']:.3f}",
        flush=True,
    )
    return bundle


def model_card(config: dict[str, Any], metrics: dict[str, Any]) -> str:
    """A short markdown model card filled from the config and the fold-9 metrics."""
    return "\n".join(
        [
            "# ECG anomaly model (masked restoration, after ECGAD)",
            "",
            "Two 1-D U-Nets trained on normal ECGs only restore what fixed masks hide: the "
            "global branch the whole 10 s 12-lead record (time blocks in every lead; groups of "
            "three leads), the local branch single beats (a window of "
            f"{WINDOW} samples at 100 Hz around each detected QRS, four time blocks). The "
            "absolute restoration error per lead and sample is the heat map. The score says how "
            "far the record lies from the normal training records: a Gaussian density over the "
            "networks' encoder features (global branch: mean, SD, maximum over time of every "
            "level; local branch: every level's mean, averaged over beats) plus one over the "
            "measurements of the 100 Hz input (rate, RR SD, PR, QRS, QT, QTc, P/QRS/T axes), "
            "each a calibrated log Mahalanobis distance (z, 0 = typical normal), summed. The "
            "mean restoration error alone ranks records worse (its AUC is listed below).",
            "",
            "* Intended use: draw a clinician's eye to beats, segments and leads that do not "
            "look like a normal ECG; never a diagnosis, and no statement about which disease.",
            f"* Training data: PTB-XL 1.0.3 (CC BY 4.0) records100, folds 1-8, the "
            f"{config['n_train']} records whose only diagnostic superclass is NORM. "
            "Fold 10 (the official test fold) was not read.",
            f"* Validation: fold 9, {metrics['n_normal']} NORM-only records against "
            f"{metrics['n_abnormal']} with any of MI, STTC, CD, HYP: AUC {metrics['auc']:.3f} "
            "(by part: "
            + ", ".join(f"{k} {v:.3f}" for k, v in metrics.get("auc_by_part", {}).items())
            + "; by superclass against the normal records: "
            + ", ".join(f"{k} {v:.3f}" for k, v in metrics.get("auc_by_superclass", {}).items())
            + ").",
            f"* Operating point (Youden, chosen on fold 9, so optimistic): score >= "
            f"{metrics['threshold']:.5f}; sensitivity {metrics['sensitivity']:.3f}, "
            f"specificity {metrics['specificity']:.3f}.",
            "* Input: see manifest.json `input` (the classifier's preprocessing, then a 0.5 Hz "
            "high-pass; 100 Hz, 1000 samples, 12 standard leads, mV).",
            f"* Training: {config['epochs']} epochs, batch {config['batch_size']}, "
            f"{config['loss']} loss on the hidden samples, seed {config['seed']}, last epoch "
            "exported (no selection on fold 9).",
            "",
        ]
    )


def run(args: argparse.Namespace) -> int:
    """Entry point for the ``anomaly`` subcommand."""
    return main(args)
