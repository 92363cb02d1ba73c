"""How far a record lies from the normal population: the anomaly model's record-level score.

The restoration error of :mod:`ecgviewer.models.anomaly` shows *where* a trace departs from a
normal heart; as a single number it ranks abnormal records only moderately (PTB-XL fold 9 AUC
0.80). Two summaries of the same record rank them better, each compared with the normal
training records (and nothing else) by a Gaussian density:

* **encoder features** — what the restoration networks "see": the global branch's encoder on the
  whole unmasked input (mean, SD and maximum over time of every channel of every level) and the
  local branch's encoder on each beat (mean over time of every channel of every level, averaged
  over the beats), ``log(1 + x)`` of the ReLU outputs (feature-density anomaly detection, as in
  PaDiM, on the ECGAD networks);
* **measurements** of the model's own 100 Hz input (:func:`ecgviewer.dsp.measure`: heart rate,
  RR variability, PR, QRS, QT, QTc and the P, QRS and T axes as unit vectors).

Each part is a Gaussian fitted to the normal training records with a Ledoit–Wolf shrunk
covariance. A record's squared Mahalanobis distance ``d²`` becomes
``z = (log(1 + d²) − m) / s``, where ``m`` and ``s`` are the mean and SD of ``log(1 + d²)`` over
those training records, and the anomaly score is the sum of the two ``z``. Missing values (a PR
withheld in AF, say) take the training median, so they neither add nor hide distance.

Imports torch at module level (the fitted densities are buffers of the network's state dict, so
the bundle's sha256 covers them): import this module only where the anomaly model runs.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt
import torch
from torch import nn

from ecgviewer.dsp import measure
from ecgviewer.io import make_record
from ecgviewer.models.preprocess import MODEL_FS_HZ, MODEL_LEADS

F64 = npt.NDArray[np.float64]
F32 = npt.NDArray[np.float32]

#: The two parts of the score, in the order they are summed.
PARTS: tuple[str, ...] = ("features", "measurements")
#: Measurements compared with the normal population; axes enter as (cos, sin).
MEASUREMENTS: tuple[str, ...] = (
    "hr_bpm", "rr_sd_ms", "pr_ms", "qrs_ms", "qt_ms", "qtc_bazett_ms",
    "p_axis_deg", "qrs_axis_deg", "t_axis_deg",
)  # fmt: skip
N_MEASUREMENT_FEATURES = 6 + 2 * 3


def feature_dim(config: Mapping[str, Any]) -> int:
    """Length of :func:`ecgviewer.models.anomaly.encoder_features` for a network config."""
    return 3 * sum(int(c) for c in config["global_channels"]) + sum(
        int(c) for c in config["local_channels"]
    )


def measurement_features(values: Mapping[str, float | None]) -> F64:
    """The measurement part's vector (NaN where a value is missing): logs of rate and RR SD,
    the intervals in ms, each axis as its cosine and sine."""
    out: list[float] = []
    for key in MEASUREMENTS:
        v = values.get(key)
        ok = v is not None and math.isfinite(v)
        if key.endswith("_axis_deg"):
            rad = math.radians(v) if ok and v is not None else math.nan
            out += [math.cos(rad), math.sin(rad)]
        elif key in ("hr_bpm", "rr_sd_ms"):
            out.append(math.log(max(v, 1.0)) if ok and v is not None else math.nan)
        else:
            out.append(float(v) if ok and v is not None else math.nan)
    return np.asarray(out, dtype=np.float64)


def measure_model_input(x: npt.ArrayLike) -> F64:
    """:func:`measurement_features` of the model's own input ``[12, n]`` (100 Hz, standard
    leads, median removed): the same numbers in training and in the app, whatever the record's
    own rate. All NaN when it cannot be measured."""
    try:
        record = make_record(np.asarray(x, np.float32), MODEL_FS_HZ, list(MODEL_LEADS), "input")
        return measurement_features(measure(record).values())
    except Exception:  # an unmeasurable input is scored on its features alone
        return np.full(N_MEASUREMENT_FEATURES, np.nan)


def ledoit_wolf(u: F64) -> F64:
    """Ledoit–Wolf shrunk covariance of centred rows ``u [n, p]`` (toward a scaled identity)."""
    n, p = u.shape
    emp = u.T @ u / n
    mu = float(np.trace(emp)) / p
    sq = u**2
    # Average squared distance of the rank-one terms from the sample covariance (beta) and of
    # the sample covariance from mu * I (delta); the shrinkage is their capped ratio.
    beta = (float(np.sum(sq.T @ sq)) / n - float(np.sum(emp**2))) / n
    delta = float(np.sum((emp - mu * np.eye(p)) ** 2))
    shrink = 0.0 if delta == 0.0 else min(max(beta / delta, 0.0), 1.0)
    out: F64 = (1.0 - shrink) * emp + shrink * mu * np.eye(p)
    return out


class NormalDensity(nn.Module):
    """The two fitted Gaussians (buffers, saved with the weights) and the score they give."""

    def __init__(self, n_features: int, n_measurements: int = N_MEASUREMENT_FEATURES) -> None:
        super().__init__()
        for part, n in zip(PARTS, (n_features, n_measurements), strict=True):
            self.register_buffer(f"{part}_fill", torch.zeros(n, dtype=torch.float64))
            self.register_buffer(f"{part}_mean", torch.zeros(n, dtype=torch.float64))
            self.register_buffer(f"{part}_scale", torch.ones(n, dtype=torch.float64))
            self.register_buffer(f"{part}_precision", torch.eye(n, dtype=torch.float64))
            calibration = torch.tensor([0.0, 1.0], dtype=torch.float64)
            self.register_buffer(f"{part}_calibration", calibration)

    def _get(self, part: str, name: str) -> F64:
        value: F64 = getattr(self, f"{part}_{name}").cpu().numpy()
        return value

    def fit(self, part: str, values: npt.ArrayLike) -> F64:
        """Fit ``part`` to normal records' vectors ``[n, p]`` (NaN = missing); their ``z``."""
        v = np.asarray(values, dtype=np.float64)
        fill = np.zeros(v.shape[1])
        seen = ~np.isnan(v).all(axis=0)  # a part never measured is filled with 0
        fill[seen] = np.nanmedian(v[:, seen], axis=0)
        v = np.where(np.isnan(v), fill, v)
        mean, scale = v.mean(axis=0), v.std(axis=0) + 1e-6
        u = (v - mean) / scale
        precision = np.linalg.inv(ledoit_wolf(u))
        d2 = np.einsum("ij,jk,ik->i", u, precision, u)
        logs = np.log1p(np.maximum(d2, 0.0))
        calibration = np.array([logs.mean(), logs.std() + 1e-9])
        for name, arr in (("fill", fill), ("mean", mean), ("scale", scale),
                          ("precision", precision), ("calibration", calibration)):  # fmt: skip
            getattr(self, f"{part}_{name}").copy_(torch.from_numpy(np.ascontiguousarray(arr)))
        return self.z(part, v)

    def z(self, part: str, values: npt.ArrayLike) -> F64:
        """Calibrated log-distance ``[n]`` of vectors ``[n, p]`` from the normal records."""
        v = np.atleast_2d(np.asarray(values, dtype=np.float64))
        v = np.where(np.isnan(v), self._get(part, "fill"), v)
        u = (v - self._get(part, "mean")) / self._get(part, "scale")
        d2 = np.einsum("ij,jk,ik->i", u, self._get(part, "precision"), u)
        m, s = self._get(part, "calibration")
        out: F64 = (np.log1p(np.maximum(d2, 0.0)) - m) / s
        return out

    def score(self, features: npt.ArrayLike, measurements: npt.ArrayLike) -> tuple[F64, F64]:
        """Each part's ``z`` for ``[n, ...]`` inputs; the anomaly score is their sum."""
        return self.z("features", features), self.z("measurements", measurements)
