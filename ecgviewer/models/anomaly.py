"""ECG anomaly detection by masked restoration (after ECGAD, Jiang et al., MICCAI 2023).

Two small 1-D U-Nets are trained on normal ECGs only, each to restore what a mask hides:

* the **global** branch sees the whole 10 s, 12-lead record (:func:`preprocess`, then a 0.5 Hz
  high-pass so baseline wander is not an "anomaly") with either time blocks hidden in every
  lead (restored from the neighbouring beats) or whole leads hidden (restored from the others);
* the **local** branch sees one beat (a window around a QRS found by
  :func:`ecgviewer.dsp.detect_beats`) with a time block hidden, restored from the rest of that
  beat: it learns what a normal beat looks like.

At inference every sample is hidden exactly once by each family of fixed masks (time blocks,
lead groups, beat blocks), so each branch restores every sample without having seen it. The
absolute restoration error per lead and sample is the heat map (and the restored signal the
viewer's overlay): a network trained on normal ECGs restores normal morphology, so an abnormal
beat, segment or lead is where the error is. The record's anomaly score is how far it lies from
the normal training records in the networks' encoder features and in its measurements
(:mod:`ecgviewer.models.anomaly_density`), when the bundle carries that fitted density (the
trainer's bundles do); otherwise the mean of the ``top_k_leads`` largest per-lead mean errors.

Imports torch at module level: import this module only where the anomaly model runs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import torch
from torch import Tensor, nn

from ecgviewer.dsp.beats import detect_beats
from ecgviewer.dsp.filters import highpass
from ecgviewer.io import Record
from ecgviewer.models.anomaly_density import NormalDensity, feature_dim, measure_model_input
from ecgviewer.models.bundle import ModelBundleError, load_network
from ecgviewer.models.preprocess import MODEL_FS_HZ, MODEL_N_SAMPLES, input_contract, preprocess

F32 = npt.NDArray[np.float32]
I64 = npt.NDArray[np.int64]
B8 = npt.NDArray[np.bool_]

ANOMALY_PREPROCESSING_ID = "ecgviewer.models.anomaly/1"
#: High-pass applied after :func:`preprocess` (restoring baseline wander is not the point).
HIGHPASS_HZ = 0.5
#: Beat window of the local branch, samples at 100 Hz before and from the R peak.
PRE_SAMPLES = 24
POST_SAMPLES = 40
WINDOW = PRE_SAMPLES + POST_SAMPLES
#: Lead groups hidden together at inference (indices into the standard 12-lead order): each
#: hides two limb leads (the other four determine them) and one chest lead.
LEAD_GROUPS: tuple[tuple[int, ...], ...] = ((0, 4, 8), (1, 5, 9), (2, 6, 10), (3, 7, 11))

#: The bundle shipped with the app.
ANOMALY_BUNDLE_DIR = Path(__file__).resolve().parents[2] / "resources" / "models" / "anomaly"

ANOMALY_NETWORK_DEFAULTS: dict[str, Any] = {
    "arch": "ecgad-restore",
    "global_channels": [16, 32, 48, 64],
    "local_channels": [24, 32, 48],
    "kernel_size": 7,
    "time_block_samples": 25,
    "time_passes": 4,
    "local_passes": 4,
    "top_k_leads": 12,
    "local_weight": 1.0,
    # True in bundles the trainer exports: the normal-population score of anomaly_density.
    "density": False,
}


def anomaly_input_contract() -> dict[str, object]:
    """The classifier's input contract plus the steps only this model takes."""
    return {
        **input_contract(),
        "anomaly": {
            "preprocessing": ANOMALY_PREPROCESSING_ID,
            "highpass_hz": HIGHPASS_HZ,
            "beats": "ecgviewer.dsp.detect_beats(method='fused') on the high-passed 100 Hz input",
            "beat_window": {"pre_samples": PRE_SAMPLES, "post_samples": POST_SAMPLES},
        },
    }


def anomaly_config(**overrides: Any) -> dict[str, Any]:
    """The default network config with ``overrides`` applied."""
    unknown = set(overrides) - set(ANOMALY_NETWORK_DEFAULTS)
    if unknown:
        raise ValueError(f"unknown anomaly settings: {', '.join(sorted(unknown))}")
    return {**ANOMALY_NETWORK_DEFAULTS, **overrides}


def filter_input(x: npt.ArrayLike) -> F32:
    """The 0.5 Hz high-pass every input of both branches gets (``[..., n_samples]``)."""
    out: F32 = highpass(np.asarray(x, dtype=np.float64), MODEL_FS_HZ, HIGHPASS_HZ).astype(
        np.float32
    )
    return out


def find_beats(x: F32, n_valid: int = MODEL_N_SAMPLES) -> I64:
    """R peaks (samples) in the first ``n_valid`` samples whose whole window fits there."""
    peaks = detect_beats(x[:, :n_valid], MODEL_FS_HZ).samples
    keep = (peaks >= PRE_SAMPLES) & (peaks + POST_SAMPLES <= n_valid)
    return np.asarray(peaks[keep], dtype=np.int64)


def beat_windows(x: F32, peaks: I64) -> F32:
    """Windows ``[n_beats, 12, WINDOW]`` of ``x`` around ``peaks``."""
    if len(peaks) == 0:
        return np.zeros((0, x.shape[0], WINDOW), np.float32)
    idx = peaks[:, None] + np.arange(-PRE_SAMPLES, POST_SAMPLES)[None, :]
    out: F32 = np.ascontiguousarray(x[:, idx].transpose(1, 0, 2), dtype=np.float32)
    return out


class _ConvBlock(nn.Sequential):
    def __init__(self, c_in: int, c_out: int, kernel_size: int) -> None:
        pad = kernel_size // 2
        super().__init__(
            nn.Conv1d(c_in, c_out, kernel_size, padding=pad, bias=False),
            nn.BatchNorm1d(c_out),
            nn.ReLU(inplace=True),
            nn.Conv1d(c_out, c_out, kernel_size, padding=pad, bias=False),
            nn.BatchNorm1d(c_out),
            nn.ReLU(inplace=True),
        )


class RestorationUNet(nn.Module):
    """A 1-D U-Net mapping ``[batch, 2 * leads, n]`` (masked signal, mask) to ``[batch, leads, n]``.

    ``n`` must be divisible by ``2 ** (len(channels) - 1)``.
    """

    def __init__(self, n_leads: int, channels: Sequence[int], kernel_size: int) -> None:
        super().__init__()
        chans = [int(c) for c in channels]
        self.down = nn.ModuleList()
        c_prev = 2 * n_leads
        for c in chans:
            self.down.append(_ConvBlock(c_prev, c, kernel_size))
            c_prev = c
        self.up = nn.ModuleList()
        self.merge = nn.ModuleList()
        for c_skip in reversed(chans[:-1]):
            self.up.append(nn.ConvTranspose1d(c_prev, c_skip, 2, stride=2))
            self.merge.append(_ConvBlock(2 * c_skip, c_skip, kernel_size))
            c_prev = c_skip
        self.head = nn.Conv1d(c_prev, n_leads, 1)

    def encode(self, x: Tensor, mask: Tensor) -> list[Tensor]:
        """Every encoder level's output for ``x`` with ``mask`` hidden (coarsest last)."""
        h = torch.cat([x * (1.0 - mask), mask], dim=1)
        levels = []
        for i, block in enumerate(self.down):
            if i:
                h = nn.functional.avg_pool1d(h, 2)
            h = block(h)
            levels.append(h)
        return levels

    def forward(self, x: Tensor, mask: Tensor) -> Tensor:
        skips = self.encode(x, mask)
        h = skips[-1]
        for up, merge, skip in zip(self.up, self.merge, reversed(skips[:-1]), strict=True):
            h = merge(torch.cat([up(h), skip], dim=1))
        out: Tensor = self.head(h)
        return out


class AnomalyNet(nn.Module):
    """The two restoration branches: ``global_net`` (records) and ``local_net`` (beats)."""

    def __init__(self, config: Mapping[str, Any], n_leads: int = 12) -> None:
        super().__init__()
        full = {**ANOMALY_NETWORK_DEFAULTS, **config}
        if full["arch"] != "ecgad-restore":
            raise ValueError(f"unknown anomaly network {full['arch']!r}")
        self.config = full
        k = int(full["kernel_size"])
        self.global_net = RestorationUNet(n_leads, full["global_channels"], k)
        self.local_net = RestorationUNet(n_leads, full["local_channels"], k)
        self.density = NormalDensity(feature_dim(full)) if full["density"] else None

    def encode(self, branch: str, x: Tensor) -> list[Tensor]:
        """Every encoder level's output of ``branch`` (global or local) on unmasked ``x``."""
        net: RestorationUNet = self.global_net if branch == "global" else self.local_net
        return net.encode(x, torch.zeros_like(x))


@torch.inference_mode()
def encoder_features(
    network: AnomalyNet, x: F32, peaks: Sequence[I64], n_valid: Sequence[int] | None = None
) -> F32:
    """The encoder summary ``[n, feature_dim]`` of filtered inputs ``x [n, 12, N]``.

    Global branch on the signal part of each record (``n_valid`` samples): mean, SD and maximum
    over time of every channel of every level; local branch on each beat window: every level's
    channel means, averaged over the record's beats (0 without beats). ``log(1 + x)`` of all.
    """
    cfg = network.config
    n = len(x)
    valid = [x.shape[2]] * n if n_valid is None else [int(v) for v in n_valid]
    rows = []
    for i in range(n):
        xt = torch.from_numpy(np.ascontiguousarray(x[i : i + 1, :, : max(valid[i], 16)]))
        parts = []
        for level in network.encode("global", xt):
            parts += [level.mean(2), level.std(2), level.amax(2)]
        windows = beat_windows(x[i], np.asarray(peaks[i], np.int64))
        if len(windows):
            levels = network.encode("local", torch.from_numpy(windows))
            parts.append(torch.cat([lv.mean(2) for lv in levels], 1).mean(0, keepdim=True))
        else:
            parts.append(torch.zeros(1, sum(int(c) for c in cfg["local_channels"])))
        rows.append(torch.log1p(torch.cat(parts, 1).clamp(min=0.0)))
    if not rows:
        return np.zeros((0, feature_dim(cfg)), np.float32)
    out: F32 = torch.cat(rows).numpy().astype(np.float32)
    return out


def build_anomaly_network(config: Mapping[str, Any]) -> AnomalyNet:
    """The network a manifest's ``"network"`` config describes."""
    return AnomalyNet(config)


def global_masks(config: Mapping[str, Any], n_samples: int = MODEL_N_SAMPLES) -> F32:
    """Fixed inference masks ``[passes, 12, n]`` (1 = hidden): time blocks, then lead groups.

    Each family hides every sample exactly once.
    """
    block, passes = int(config["time_block_samples"]), int(config["time_passes"])
    which = (np.arange(n_samples) // block) % passes
    time = np.stack([np.broadcast_to(which == p, (12, n_samples)) for p in range(passes)])
    leads = np.zeros((len(LEAD_GROUPS), 12, n_samples), dtype=bool)
    for g, group in enumerate(LEAD_GROUPS):
        leads[g, list(group)] = True
    return np.concatenate([time, leads]).astype(np.float32)


def local_masks(config: Mapping[str, Any]) -> F32:
    """Fixed inference masks ``[passes, 12, WINDOW]`` of the beat branch (time blocks)."""
    passes = int(config["local_passes"])
    which = np.minimum(np.arange(WINDOW) * passes // WINDOW, passes - 1)
    return np.stack([np.broadcast_to(which == p, (12, WINDOW)) for p in range(passes)]).astype(
        np.float32
    )


@dataclass(frozen=True)
class Restoration:
    """What :func:`restore` returns for a batch of filtered inputs ``[n, 12, n_samples]``."""

    restored: F32
    error: F32
    scores: F32


@torch.inference_mode()
def restore(
    network: AnomalyNet,
    x: F32,
    peaks: Sequence[I64],
    n_valid: Sequence[int] | None = None,
) -> Restoration:
    """Restore filtered inputs ``x [n, 12, N]`` with both branches; errors and scores.

    ``peaks[i]`` are the beat positions of record ``i`` (:func:`find_beats`); ``n_valid[i]`` is
    how many leading samples are signal (the rest is padding, whose error is set to 0).
    """
    cfg = network.config
    n, n_leads, n_samples = x.shape
    valid = [n_samples] * n if n_valid is None else [int(v) for v in n_valid]
    gm = torch.from_numpy(global_masks(cfg, n_samples))
    n_time = int(cfg["time_passes"])
    xt = torch.from_numpy(np.ascontiguousarray(x, dtype=np.float32))
    passes = gm.shape[0]
    inp = xt[:, None].expand(n, passes, n_leads, n_samples).reshape(-1, n_leads, n_samples)
    mask = gm[None].expand(n, -1, -1, -1).reshape(-1, n_leads, n_samples)
    out = network.global_net(inp, mask).reshape(n, passes, n_leads, n_samples)
    gmask = gm[None]
    rest_time = (out[:, :n_time] * gmask[:, :n_time]).sum(1)
    rest_lead = (out[:, n_time:] * gmask[:, n_time:]).sum(1)
    err = 0.5 * ((rest_time - xt).abs() + (rest_lead - xt).abs())
    restored = 0.5 * (rest_time + rest_lead)

    windows = [beat_windows(x[i], np.asarray(peaks[i], np.int64)) for i in range(n)]
    counts = [len(w) for w in windows]
    local_err = torch.zeros_like(xt)
    local_sum = torch.zeros_like(xt)
    cover = torch.zeros(n, 1, n_samples)
    if sum(counts):
        lm = torch.from_numpy(local_masks(cfg))
        lp = lm.shape[0]
        wins = torch.from_numpy(np.concatenate(windows))
        nb = len(wins)
        w_in = wins[:, None].expand(nb, lp, n_leads, WINDOW).reshape(-1, n_leads, WINDOW)
        w_mask = lm[None].expand(nb, -1, -1, -1).reshape(-1, n_leads, WINDOW)
        w_out = network.local_net(w_in, w_mask).reshape(nb, lp, n_leads, WINDOW)
        w_rest = (w_out * lm[None]).sum(1)
        w_err = (w_rest - wins).abs()
        offset = np.arange(-PRE_SAMPLES, POST_SAMPLES)
        j = 0
        for i in range(n):
            for peak in np.asarray(peaks[i], np.int64):
                span = torch.from_numpy(peak + offset)
                local_err[i].index_add_(1, span, w_err[j])
                local_sum[i].index_add_(1, span, w_rest[j])
                cover[i, 0].index_add_(0, span, torch.ones(WINDOW))
                j += 1
        covered = cover > 0
        denom = cover.clamp(min=1.0)
        local_err = local_err / denom
        restored = torch.where(covered, (2.0 * restored + local_sum / denom) / 3.0, restored)
    err = err + float(cfg["local_weight"]) * local_err

    err_np = err.numpy().astype(np.float32)
    restored_np = restored.numpy().astype(np.float32)
    scores = np.zeros(n, np.float32)
    k = int(cfg["top_k_leads"])
    for i, v in enumerate(valid):
        err_np[i, :, v:] = 0.0
        restored_np[i, :, v:] = 0.0
        per_lead = err_np[i, :, :v].mean(axis=1) if v else np.zeros(n_leads, np.float32)
        scores[i] = float(np.sort(per_lead)[-k:].mean())
    return Restoration(restored_np, err_np, scores)


@dataclass(frozen=True)
class AnomalyOutput:
    """The anomaly model's answer for one record.

    Attributes
    ----------
    score
        With a fitted normal density (bundles from the trainer): the sum of the encoder-feature
        and measurement ``z`` of :mod:`ecgviewer.models.anomaly_density` (0 is a typical normal
        record); without one, :attr:`restoration_score`.
    restoration_score
        Mean of the ``top_k_leads`` largest per-lead mean restoration errors (mV; with the
        default ``top_k_leads=12`` the mean absolute error over leads and samples).
    parts
        The score's terms by name (``features``, ``measurements``); empty without a density.
    threshold, flagged
        The operating point stored in the bundle, and whether ``score >= threshold``.
    restored
        float32 ``[12, n]``: the high-passed input as the networks restore it (the mean of the
        global time-block, global lead-group and, where a beat window covers it, beat
        restorations), in the 12 standard leads' order.
    error
        float32 ``[12, n]``, ≥ 0: absolute restoration error per lead and sample (mV), the heat
        map: the mean of the global branch's two errors (time blocks, lead groups) plus
        ``local_weight`` times the beat branch's error where a beat window covers the sample;
        0 on padding.
    filtered
        float32 ``[12, n]``: the high-passed input the networks restored (0 on padding), so
        ``restored - filtered`` is the signed restoration difference.
    fs_hz
        Sampling rate of ``restored``, ``error`` and ``filtered`` (100 Hz).
    offset_s
        Where sample 0 of those arrays lies in the record (the model reads the middle 10 s).
    notices
        What preprocessing did to the record (resampling, cropping, padding, ...).
    """

    score: float
    restoration_score: float
    parts: dict[str, float]
    threshold: float
    flagged: bool
    restored: F32
    error: F32
    filtered: F32
    fs_hz: float
    offset_s: float
    notices: tuple[str, ...]


@dataclass(frozen=True)
class AnomalyBundle:
    """A verified, loaded anomaly bundle: its manifest and network in eval mode."""

    path: Path
    manifest: Mapping[str, Any]
    network: AnomalyNet

    @property
    def threshold(self) -> float:
        return float(self.manifest["thresholds"]["anomaly"])


def load_anomaly_bundle(bundle_dir: Path = ANOMALY_BUNDLE_DIR) -> AnomalyBundle:
    """Verify and load an anomaly bundle folder.

    Raises
    ------
    ModelBundleError
        Missing or malformed manifest, weights whose sha256 differs from the manifest, another
        input contract, or weights that do not fit the network config.
    """

    def build(manifest: Mapping[str, Any]) -> AnomalyNet:
        if list(manifest["classes"]) != ["anomaly"]:
            raise ModelBundleError(f"The bundle {bundle_dir} is not an anomaly model.")
        return build_anomaly_network(manifest["network"])

    manifest, network = load_network(Path(bundle_dir), build, anomaly_input_contract())
    return AnomalyBundle(Path(bundle_dir), manifest, network)


def _analysed_window(record: Record) -> tuple[float, int]:
    """Offset (s) of the model's window in the record, and how many of its samples are signal."""
    n100 = round(record.n_samples * MODEL_FS_HZ / float(record.fs_hz))
    if n100 > MODEL_N_SAMPLES:
        return ((n100 - MODEL_N_SAMPLES) // 2) / MODEL_FS_HZ, MODEL_N_SAMPLES
    return 0.0, n100


def score_record(record: Record, bundle: AnomalyBundle) -> AnomalyOutput:
    """Restore one record, and its anomaly score, heat map and flag.

    Raises
    ------
    PreprocessError
        When the record lacks one of the 12 standard leads.
    """
    x, notices = preprocess(record)
    offset_s, n_valid = _analysed_window(record)
    xf = np.zeros_like(x)
    if n_valid >= 16:
        xf[:, :n_valid] = filter_input(x[:, :n_valid])
    peaks = find_beats(xf, n_valid) if n_valid >= 16 else np.zeros(0, np.int64)
    result = restore(bundle.network, xf[None], [peaks], [n_valid])
    restoration = float(result.scores[0])
    score, parts = restoration, {}
    density = bundle.network.density
    if density is not None and n_valid >= 16:
        feats = encoder_features(bundle.network, xf[None], [peaks], [n_valid])
        z_f, z_m = density.score(feats, measure_model_input(x[:, :n_valid])[None])
        parts = {"features": float(z_f[0]), "measurements": float(z_m[0])}
        score = parts["features"] + parts["measurements"]
    return AnomalyOutput(
        score=score,
        restoration_score=restoration,
        parts=parts,
        threshold=bundle.threshold,
        flagged=score >= bundle.threshold,
        restored=result.restored[0],
        error=result.error[0],
        filtered=xf,
        fs_hz=MODEL_FS_HZ,
        offset_s=offset_s,
        notices=notices,
    )
