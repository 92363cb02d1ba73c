"""``python -m trainer beats``: the AAMI beat classifier on MIT-BIH DS1 (inter-patient protocol).

Recipe: the DS1 records of de Chazal et al. (2004) — never DS2, which is kept for independent
evaluation — without the paced records (AAMI EC57). Record-wise K-fold cross-validation inside
DS1 estimates how the model does on patients it has never seen; the gross (pooled) sensitivity
and positive predictivity per class are reported, once on the reference beat positions and once
end to end with the app's QRS detector (a detection within 150 ms of a reference beat is a match).
The final model is trained on all of DS1 and exported as a bundle. Everything is seeded and runs
on one thread, so the weights are byte-reproducible.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import torch
from torch import nn

from ecgviewer.dsp import detect_beats
from ecgviewer.io import Record, open_record
from ecgviewer.models.beats import (
    AAMI_CLASSES,
    BEAT_NETWORK_DEFAULTS,
    BeatBundle,
    BeatEnsemble,
    beat_features,
    beat_input_contract,
    build_beat_member,
    classify_beats,
    decide,
    nn_irregularity,
    reference_beats,
)
from ecgviewer.models.bundle import json_safe, save_bundle

F32 = npt.NDArray[np.float32]
I64 = npt.NDArray[np.int64]

#: The training half of MIT-BIH in the inter-patient split (de Chazal et al. 2004).
DS1: tuple[str, ...] = (
    "101", "106", "108", "109", "112", "114", "115", "116", "118", "119", "122", "124", "201",
    "203", "205", "207", "208", "209", "215", "220", "223", "230",
)  # fmt: skip
#: Paced records, excluded by AAMI EC57.
PACED: tuple[str, ...] = ("102", "104", "107", "217")
MATCH_WINDOW_S = 0.150
_K = len(AAMI_CLASSES)


@dataclass(frozen=True)
class RecordBeats:
    """One record's beat features and reference classes (indices into AAMI_CLASSES)."""

    name: str
    windows: F32
    rr: F32
    labels: I64
    samples: I64
    fs_hz: float
    #: The annotated rhythm at each beat (``"(N"``, ``"(AFIB"``, ...; ``""`` before the first).
    rhythm: tuple[str, ...] = ()


def available_records(data: Path, wanted: tuple[str, ...] = DS1) -> list[str]:
    """The records of ``wanted`` present under ``data``, paced ones excluded, sorted."""
    return sorted(r for r in wanted if r not in PACED and (data / f"{r}.hea").is_file())


def load_record_beats(record: Record, name: str) -> RecordBeats:
    """Features of the annotated beats of ``record``, and the annotated rhythm at each."""
    samples, labels = reference_beats(record)
    windows, rr = beat_features(record, samples)
    y = np.array([AAMI_CLASSES.index(c) for c in labels], dtype=np.int64)
    return RecordBeats(name, windows, rr, y, samples, record.fs_hz, rhythm_at(record, samples))


def rhythm_at(record: Record, samples: I64, track: str = "atr") -> tuple[str, ...]:
    """The rhythm annotation (``aux`` of the last ``+`` mark) in force at each of ``samples``."""
    found = record.tracks(track)
    if not found:
        return ("",) * len(samples)
    t = found[0]
    aux = t.aux or ("",) * len(t.samples)
    marks = [
        (int(at), note)
        for at, sym, note in zip(t.samples, t.symbols, aux, strict=True)
        if sym == "+" and note.startswith("(")
    ]
    starts = np.array([m[0] for m in marks], dtype=np.int64)
    which = np.searchsorted(starts, np.asarray(samples, np.int64), side="right") - 1
    return tuple(marks[k][1] if k >= 0 else "" for k in which)


#: Rhythm annotations in which the rhythm rule is meant to fire (it is set where it should not).
IRREGULAR_RHYTHMS = frozenset({"(AFIB", "(AFL"})
#: The rule's threshold is this quantile of the NN irregularity over the beats of the training
#: records that are in no such rhythm: it may call at most 0.5 % of them irregular.
RULE_QUANTILE = 0.995


def rule_threshold(items: list[tuple[RecordBeats, F32]]) -> float:
    """The rhythm rule's threshold from records and their (out-of-fold) probabilities.

    Set on rhythm annotations only, never on beat labels: the :data:`RULE_QUANTILE` quantile of
    :func:`nn_irregularity` over beats outside atrial fibrillation and flutter.
    """
    values = []
    for b, probs in items:
        normal = np.argmax(probs, axis=1) == AAMI_CLASSES.index("N")
        irr = nn_irregularity(b.samples, b.fs_hz, normal)
        regular = np.array([r not in IRREGULAR_RHYTHMS for r in b.rhythm], dtype=bool)
        values.append(irr[regular] if len(regular) == len(irr) else irr)
    pooled = np.concatenate(values) if values else np.zeros(0, np.float32)
    return float(np.quantile(pooled, RULE_QUANTILE)) if len(pooled) else float("inf")


def class_weights(y: I64, power: float = 0.5, cap: float = 30.0) -> torch.Tensor:
    """Per-class loss weights, inverse frequency to ``power``, capped (0 when absent)."""
    counts = np.bincount(y, minlength=_K).astype(np.float64)
    w = np.where(counts > 0, (counts.max() / np.maximum(counts, 1.0)) ** power, 0.0)
    return torch.tensor(np.minimum(w, cap), dtype=torch.float32)


def train_model(
    data: list[RecordBeats], network: dict[str, Any], epochs: int, batch_size: int, lr: float,
    seed: int, weight_power: float = 0.5,
) -> BeatEnsemble:  # fmt: skip
    """Train the ensemble on the beats of ``data``: member ``i`` with seed ``seed + i``."""
    members = int(network.get("members", 1))
    ensemble = BeatEnsemble(
        [train_member(data, network, epochs, batch_size, lr, seed + i, weight_power)
         for i in range(members)]
    )  # fmt: skip
    ensemble.eval()
    return ensemble


def train_member(
    data: list[RecordBeats], network: dict[str, Any], epochs: int, batch_size: int, lr: float,
    seed: int, weight_power: float = 0.5,
) -> nn.Module:  # fmt: skip
    """Train one member network (deterministic for a given seed)."""
    random.seed(seed)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True, warn_only=True)
    windows = torch.from_numpy(np.concatenate([d.windows for d in data]))
    rr = torch.from_numpy(np.concatenate([d.rr for d in data]))
    y_np = np.concatenate([d.labels for d in data])
    y = torch.from_numpy(y_np)
    model = build_beat_member(network, _K)
    loss_fn = nn.CrossEntropyLoss(weight=class_weights(y_np, weight_power))
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=1e-3)
    steps = epochs * max(1, -(-len(y) // batch_size))
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=steps)
    gen = torch.Generator().manual_seed(seed)
    model.train()
    for _ in range(epochs):
        order = torch.randperm(len(y), generator=gen)
        for start in range(0, len(y), batch_size):
            idx = order[start : start + batch_size]
            if len(idx) < 2:  # BatchNorm needs two samples
                continue
            w = windows[idx]
            # Amplitude and noise jitter: other patients, other electrodes.
            gain = 1.0 + 0.2 * (torch.rand(len(idx), 1, 1, generator=gen) - 0.5)
            w = w * gain + 0.02 * torch.randn(w.shape, generator=gen)
            opt.zero_grad()
            loss = loss_fn(model(w, rr[idx]), y[idx])
            loss.backward()
            opt.step()
            sched.step()
    model.eval()
    return model


def predict_proba(model: nn.Module, windows: F32, rr: F32) -> F32:
    """Softmax probabilities ``[n, K]`` of each beat."""
    with torch.inference_mode():
        logits = model(torch.from_numpy(windows), torch.from_numpy(rr))
    out: F32 = torch.softmax(logits, dim=1).numpy().astype(np.float32)
    return out


def gross_metrics(confusion: npt.NDArray[np.int64]) -> dict[str, Any]:
    """Per-class Se and +P of a confusion matrix ``[reference, predicted]``.

    The last row and column may be "missed" (reference beat not detected) and "extra" (detection
    without a reference beat); they count against Se and +P of the class involved.
    """
    per_class: dict[str, Any] = {}
    for i, c in enumerate(AAMI_CLASSES):
        tp = int(confusion[i, i])
        n_ref, n_pred = int(confusion[i].sum()), int(confusion[:, i].sum())
        per_class[c] = {
            "n_reference": n_ref,
            "n_predicted": n_pred,
            "sensitivity": tp / n_ref if n_ref else float("nan"),
            "positive_predictivity": tp / n_pred if n_pred else float("nan"),
        }
    matched = confusion[:_K, :_K]
    return {
        "per_class": per_class,
        "accuracy": float(np.trace(matched) / max(1, int(matched.sum()))),
        "confusion": confusion.tolist(),
    }


def match_detections(reference: I64, detected: I64, tolerance: int) -> tuple[I64, I64]:
    """For each reference beat, the index of its matched detection (or -1); and vice versa."""
    ref_to_det = np.full(len(reference), -1, np.int64)
    det_to_ref = np.full(len(detected), -1, np.int64)
    if len(detected) == 0:
        return ref_to_det, det_to_ref
    j = np.clip(np.searchsorted(detected, reference), 1, len(detected) - 1)
    for i, r in enumerate(reference):
        cands = [k for k in (j[i] - 1, j[i]) if 0 <= k < len(detected) and det_to_ref[k] < 0]
        if not cands:
            continue
        k = min(cands, key=lambda k: abs(int(detected[k]) - int(r)))
        if abs(int(detected[k]) - int(r)) <= tolerance:
            ref_to_det[i], det_to_ref[k] = k, i
    return ref_to_det, det_to_ref


def detected_confusion(
    record: Record, ref: RecordBeats, bundle: BeatBundle
) -> npt.NDArray[np.int64]:
    """Confusion ``[K+1, K+1]`` of the app's detector + classifier (the bundle's decision rule
    included, as the app runs it) against the reference."""
    detected = np.sort(detect_beats(record.samples, record.fs_hz).samples)
    labels, _ = classify_beats(record, detected, bundle)
    pred = np.array([AAMI_CLASSES.index(c) for c in labels], dtype=np.int64)
    ref_to_det, det_to_ref = match_detections(
        ref.samples, detected, round(MATCH_WINDOW_S * ref.fs_hz)
    )
    conf = np.zeros((_K + 1, _K + 1), np.int64)
    for i, k in enumerate(ref_to_det):
        conf[ref.labels[i], pred[k] if k >= 0 else _K] += 1
    for k in np.flatnonzero(det_to_ref < 0):
        conf[_K, pred[k]] += 1
    return conf


def _confusion(y: I64, pred: I64) -> npt.NDArray[np.int64]:
    conf = np.zeros((_K + 1, _K + 1), np.int64)
    np.add.at(conf, (y, pred), 1)
    return conf


def folds_of(names: list[str], k: int) -> list[list[str]]:
    """Record-wise folds: the sorted records dealt out in turn."""
    return [names[i::k] for i in range(min(k, len(names)))]


def format_table(metrics: dict[str, Any]) -> str:
    """Markdown table of per-class Se / +P."""
    rows = ["| class | reference beats | Se | +P |", "|---|---:|---:|---:|"]
    for c, m in metrics["per_class"].items():
        se, pp = m["sensitivity"], m["positive_predictivity"]
        rows.append(
            f"| {c} | {m['n_reference']} | "
            + (f"{se:.3f}" if np.isfinite(se) else "–") + " | "
            + (f"{pp:.3f}" if np.isfinite(pp) else "–") + " |"
        )  # fmt: skip
    return "\n".join(rows)


def run(args: argparse.Namespace) -> int:
    """Cross-validate within DS1, train on all of DS1, export the bundle and the report."""
    torch.set_num_threads(1)
    started = time.perf_counter()
    data_dir, out = Path(args.data).expanduser(), Path(args.out)
    wanted = tuple(args.records.split(",")) if args.records else DS1
    names = available_records(data_dir, wanted)
    if not names:
        raise SystemExit(f"no DS1 records found in {data_dir}")
    network = {**BEAT_NETWORK_DEFAULTS, **json.loads(args.net)}
    hyper = {"epochs": args.epochs, "batch_size": args.batch_size, "lr": args.lr}
    records = {n: open_record(data_dir / f"{n}.hea") for n in names}
    beats = {n: load_record_beats(records[n], n) for n in names}
    print(f"{len(names)} records, {sum(len(b.labels) for b in beats.values())} beats", flush=True)

    # Out-of-fold probabilities of every record; then the rhythm rule's threshold for each fold
    # from the other folds' records only (nested), applied to the held-out fold.
    folds = folds_of(names, args.folds) if args.folds > 1 else []
    oof: dict[str, F32] = {}
    fold_models: list[BeatEnsemble] = []
    for f, held_out in enumerate(folds):
        train = [beats[n] for n in names if n not in held_out]
        model = train_model(train, network, seed=args.seed, **hyper)
        fold_models.append(model)
        for n in held_out:
            oof[n] = predict_proba(model, beats[n].windows, beats[n].rr)
        print(f"fold {f + 1}/{len(folds)} ({', '.join(held_out)}) done "
              f"({time.perf_counter() - started:.0f} s)", flush=True)  # fmt: skip

    cv: dict[str, Any] = {"folds": folds}
    if folds:
        cv.update(_cross_validated(folds, fold_models, beats, oof, records, args.detector))

    counts = np.bincount(np.concatenate([b.labels for b in beats.values()]), minlength=_K)
    final = train_model(list(beats.values()), network, seed=args.seed, **hyper)
    training = {
        "data": "MIT-BIH Arrhythmia Database DS1 (de Chazal 2004), paced records excluded",
        "records": names,
        "n_beats": int(sum(len(b.labels) for b in beats.values())),
        "class_counts": dict(zip(AAMI_CLASSES, counts.tolist(), strict=True)),
        "seed": args.seed,
        "decision": "argmax of the softmax probabilities, then SVEB -> N where the NN "
        "irregularity exceeds the manifest's decision.sveb_irregularity_max; per-class "
        "thresholds unused",
        **hyper,
    }
    command = (
        f"python -m trainer beats --data {args.data} --out {args.out} --folds {args.folds} "
        f"--epochs {args.epochs} --seed {args.seed}" + ("" if args.detector else " --no-detector")
    )
    # The shipped threshold: from every record's out-of-fold probabilities (never in-sample).
    decision = {
        "rule": "SVEB -> N where ecgviewer.models.beats.nn_irregularity > sveb_irregularity_max",
        "sveb_irregularity_max": rule_threshold([(beats[n], oof[n]) for n in names])
        if oof
        else None,
        "threshold_from": f"quantile {RULE_QUANTILE} of the NN irregularity of the DS1 beats "
        "outside AF/flutter rhythm annotations, with out-of-fold predictions",
    }
    bundle_dir = save_bundle(
        out / "bundle", final.state_dict(), network=network, classes=AAMI_CLASSES,
        thresholds=[0.0] * _K, training=training, metrics=cv, card=model_card(cv, command),
        contract=beat_input_contract(), decision=decision,
    )  # fmt: skip
    report = {"cv": cv, "training": training, "network": network, "command": command,
              "seconds": round(time.perf_counter() - started, 1)}  # fmt: skip
    text = json.dumps(json_safe(report), indent=2, sort_keys=True, allow_nan=False)
    (out / "report.json").write_text(text + "\n", encoding="utf-8")
    print(f"\nbundle: {bundle_dir}  ({report['seconds']} s)")
    return 0


def _cross_validated(
    folds: list[list[str]],
    models: list[BeatEnsemble],
    beats: dict[str, RecordBeats],
    oof: dict[str, F32],
    records: dict[str, Record],
    detector: bool,
) -> dict[str, Any]:
    """Gross CV figures: network argmax alone, and with the rhythm rule at nested thresholds."""
    names = sorted(beats)
    argmax = np.zeros((_K + 1, _K + 1), np.int64)
    ruled = np.zeros((_K + 1, _K + 1), np.int64)
    detected = np.zeros((_K + 1, _K + 1), np.int64)
    thresholds = []
    for held_out, model in zip(folds, models, strict=True):
        threshold = rule_threshold([(beats[n], oof[n]) for n in names if n not in held_out])
        thresholds.append(threshold)
        manifest = {"classes": list(AAMI_CLASSES), "decision": {"sveb_irregularity_max": threshold}}
        bundle = BeatBundle(Path(), manifest, model)
        for n in held_out:
            b = beats[n]
            argmax += _confusion(b.labels, decide(oof[n], b.samples, b.fs_hz))
            ruled += _confusion(b.labels, decide(oof[n], b.samples, b.fs_hz, threshold))
            if detector:
                detected += detected_confusion(records[n], b, bundle)
    out: dict[str, Any] = {
        "rule_thresholds": thresholds,
        "reference_beats": gross_metrics(ruled),
        "reference_beats_argmax": gross_metrics(argmax),
    }
    print("\nCV on reference beat positions, network argmax alone:")
    print(format_table(out["reference_beats_argmax"]))
    print("\nCV on reference beat positions, with the rhythm rule (nested thresholds "
          + ", ".join(f"{t:.3f}" for t in thresholds) + "):")  # fmt: skip
    print(format_table(out["reference_beats"]))
    if detector:
        out["detected_beats"] = gross_metrics(detected)
        print("\nCV end to end with the app's QRS detector (150 ms match), with the rule:")
        print(format_table(out["detected_beats"]))
    return out


def model_card(cv: dict[str, Any], command: str) -> str:
    """The MODEL_CARD.md text."""
    parts = [
        "# AAMI beat classifier (N, SVEB, VEB, F, Q)",
        "",
        "A small 1-D CNN over a 0.75 s single-lead beat window (MLII / II, else the first lead, "
        "128 Hz) joined with RR-interval features normalised per record. Output: the AAMI EC57 "
        "class of each beat: the argmax of the softmax, then one rhythm rule: a beat called SVEB "
        "inside an irregularly irregular stretch (the median change of successive NN intervals "
        "over about 30 intervals above the manifest's `decision.sveb_irregularity_max`, as in "
        "atrial fibrillation) is labelled N. The threshold is set on rhythm annotations only "
        "(it may call at most 0.5 % of the beats outside AF/flutter irregular), inside each "
        "cross-validation fold from the other folds.",
        "",
        "## Training data",
        "",
        "MIT-BIH Arrhythmia Database (Moody & Mark 2001; Goldberger et al. 2000, PhysioNet), "
        "licence ODC-By 1.0. Only DS1 of the inter-patient split (de Chazal et al. 2004), paced "
        "records 102, 104, 107, 217 excluded. DS2 was never used.",
        "",
        "## Record-wise cross-validation within DS1",
        "",
        f"Made by: `{command}`",
        "",
    ]
    if "reference_beats_argmax" in cv:
        parts += ["On the reference beat positions, the network alone (argmax):", "",
                  format_table(cv["reference_beats_argmax"]), ""]  # fmt: skip
    if "reference_beats" in cv:
        parts += ["On the reference beat positions, with the rhythm rule (as the app labels):",
                  "", format_table(cv["reference_beats"]), ""]  # fmt: skip
    if "detected_beats" in cv:
        parts += ["End to end with the app's QRS detector (150 ms match; missed beats count "
                  "against Se, extra detections against +P):", "",
                  format_table(cv["detected_beats"]), ""]  # fmt: skip
    parts += [
        "## Limits",
        "",
        "- Validated only by cross-validation inside DS1 (22 patients); not yet on DS2.",
        "- F and Q are rare in DS1; their figures are unreliable and the model rarely predicts "
        "them. Paced beats were not in training: do not use on paced records.",
        "- Trained on ambulatory (Holter) MLII at 360 Hz; other leads and rates are resampled "
        "but were not validated.",
        "- An aid to review, not a diagnosis; every label must be checked by a clinician.",
        "",
    ]
    return "\n".join(parts)
