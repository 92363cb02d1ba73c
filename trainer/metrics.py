"""Multi-label classification metrics: AUC, thresholds, F1/Se/Sp, calibration.

Pure numpy/scipy, so the figures in a manifest can be recomputed from saved probabilities
without torch.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.stats import rankdata

F64 = npt.NDArray[np.float64]


def roc_auc(y: npt.ArrayLike, p: npt.ArrayLike) -> float:
    """Area under the ROC curve (Mann-Whitney, ties counted half); NaN with one class only."""
    yb = np.asarray(y) > 0.5
    n_pos, n_neg = int(yb.sum()), int((~yb).sum())
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    ranks = rankdata(np.asarray(p, dtype=np.float64))
    return float((ranks[yb].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def best_f1_threshold(y: npt.ArrayLike, p: npt.ArrayLike) -> float:
    """The probability threshold that maximises F1 (``p >= t`` is positive); 0.5 if no positive.

    The threshold is the midpoint between the chosen score and the next lower one, so it does
    not sit exactly on a validation score.
    """
    yb = np.asarray(y) > 0.5
    scores = np.asarray(p, dtype=np.float64)
    if not yb.any():
        return 0.5
    order = np.argsort(-scores, kind="stable")
    s, t = scores[order], yb[order]
    tp = np.cumsum(t)
    fp = np.cumsum(~t)
    f1 = 2 * tp / (tp + fp + yb.sum())
    last = np.r_[s[1:] != s[:-1], True]  # only cut between distinct scores
    f1 = np.where(last, f1, -1.0)
    k = int(np.argmax(f1))
    below = s[k + 1] if k + 1 < len(s) else 0.0
    return float((s[k] + below) / 2)


def calibration(y: npt.ArrayLike, p: npt.ArrayLike, n_bins: int = 10) -> dict[str, Any]:
    """Expected calibration error and the reliability table (equal-width probability bins)."""
    yv = np.asarray(y, dtype=np.float64)
    pv = np.asarray(p, dtype=np.float64)
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    which = np.clip(np.digitize(pv, edges[1:-1]), 0, n_bins - 1)
    bins, ece = [], 0.0
    for b in range(n_bins):
        m = which == b
        if not m.any():
            continue
        conf, freq = float(pv[m].mean()), float(yv[m].mean())
        ece += m.mean() * abs(conf - freq)
        bins.append({"lo": float(edges[b]), "hi": float(edges[b + 1]), "n": int(m.sum()),
                     "mean_p": conf, "frac_pos": freq})  # fmt: skip
    return {"ece": float(ece), "bins": bins}


def class_metrics(y: npt.ArrayLike, p: npt.ArrayLike, threshold: float) -> dict[str, Any]:
    """AUC, F1, sensitivity, specificity, PPV at ``threshold``, calibration, prevalence."""
    yb = np.asarray(y) > 0.5
    pred = np.asarray(p, dtype=np.float64) >= threshold
    tp, fp = int((pred & yb).sum()), int((pred & ~yb).sum())
    fn, tn = int((~pred & yb).sum()), int((~pred & ~yb).sum())

    def ratio(a: int, b: int) -> float:
        return a / b if b else float("nan")

    cal = calibration(yb, p)
    return {
        "n": int(yb.size),
        "n_positive": int(yb.sum()),
        "threshold": float(threshold),
        "auc": roc_auc(yb, p),
        "f1": ratio(2 * tp, 2 * tp + fp + fn),
        "sensitivity": ratio(tp, tp + fn),
        "specificity": ratio(tn, tn + fp),
        "ppv": ratio(tp, tp + fp),
        "ece": cal["ece"],
        "reliability": cal["bins"],
    }


def report(
    targets: npt.ArrayLike,
    probs: npt.ArrayLike,
    classes: Sequence[str],
    thresholds: Sequence[float],
    group_by: Mapping[str, Sequence[str]] | None = None,
) -> dict[str, Any]:
    """Per-class metrics, their macro averages (over classes with both outcomes present) and,
    for each named group of ``group_by``, the macro AUC and F1 over its members."""
    y, p = np.asarray(targets), np.asarray(probs)
    per = {c: class_metrics(y[:, i], p[:, i], thresholds[i]) for i, c in enumerate(classes)}
    macro = {
        key: float(np.nanmean([m[key] for m in per.values()]))
        if any(np.isfinite(m[key]) for m in per.values())
        else float("nan")
        for key in ("auc", "f1", "sensitivity", "specificity", "ece")
    }
    groups = {}
    for name, members in (group_by or {}).items():
        aucs = [per[c]["auc"] for c in members if c in per and np.isfinite(per[c]["auc"])]
        f1s = [per[c]["f1"] for c in members if c in per and np.isfinite(per[c]["f1"])]
        groups[name] = {
            "classes": list(members),
            "macro_auc": float(np.mean(aucs)) if aucs else float("nan"),
            "macro_f1": float(np.mean(f1s)) if f1s else float("nan"),
        }
    return {"per_class": per, "macro": macro, "groups": groups}
