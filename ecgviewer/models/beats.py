"""Beat-by-beat AAMI classification (N, SVEB, VEB, F, Q): features, network, bundle, inference.

Each beat is described by two things, both computed here and nowhere else, so training and the
app can never disagree:

* **morphology**: a window of one lead (MLII or II, else the first usable lead) around the beat,
  resampled to :data:`BEAT_FS_HZ`, high-passed, scaled by the record's typical beat amplitude, as
  two channels: the beat itself and the beat minus the record's median beat;
* **rhythm**: pre-RR and post-RR relative to the record's mean RR, post/pre, pre-RR relative to
  the few RR before it, the local irregularity of the rhythm, and the RR intervals of the 6
  beats on each side relative to the local mean RR (:data:`RR_FEATURES`). Only ratios: the
  per-record normalisation that lets a model trained on some patients generalise to others
  (SVEB is mostly a timing finding).

The network (:class:`BeatEnsemble`) averages a few small CNN+MLP members (:class:`BeatNet`).

Imports torch at module level: import this module only where beats are classified.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import torch
from scipy import ndimage
from torch import Tensor, nn

from ecgviewer.dsp.filters import highpass
from ecgviewer.dsp.resample import resample
from ecgviewer.io import Record
from ecgviewer.models.bundle import load_network

F32 = npt.NDArray[np.float32]
I64 = npt.NDArray[np.int64]

#: The AAMI EC57 beat classes, in the order of the network's outputs.
AAMI_CLASSES: tuple[str, ...] = ("N", "SVEB", "VEB", "F", "Q")
#: MIT-BIH beat symbols -> AAMI class; every other annotation (rhythm, noise, ``+``, ``~``,
#: ``|``, ``x``) is not a beat.
AAMI_MAP: Mapping[str, str] = {
    "N": "N", "L": "N", "R": "N", "e": "N", "j": "N",
    "A": "SVEB", "a": "SVEB", "J": "SVEB", "S": "SVEB",
    "V": "VEB", "E": "VEB",
    "F": "F",
    "/": "Q", "f": "Q", "Q": "Q",
}  # fmt: skip

BEAT_PREPROCESSING_ID = "aami-beat-window-v1"
#: The rate the morphology window is taken at.
BEAT_FS_HZ = 128.0
#: Window samples before and from the beat's fiducial point (0.31 s + 0.44 s at 128 Hz).
PRE_SAMPLES = 40
POST_SAMPLES = 56
WINDOW = PRE_SAMPLES + POST_SAMPLES
#: Beats on each side whose RR intervals form the local mean RR.
LOCAL_BEATS = 10
#: Rhythm features, all relative (intervals in seconds would let the network learn the training
#: patients' heart rates instead of prematurity).
#: ``rr[k]/local`` is the pre-RR of the beat ``k`` places away, over this beat's local mean RR:
#: the rhythm around the beat (an isolated short-long pair, bigeminy, a run, fibrillation).
CONTEXT_BEATS = 6
RR_FEATURES: tuple[str, ...] = (
    "pre/record", "post/record", "post/pre", "pre/previous", "irregularity",
    *(f"rr[{k:+d}]/local" for k in range(-CONTEXT_BEATS, CONTEXT_BEATS + 1)),
)  # fmt: skip
#: NN intervals on each side of a beat over which :func:`nn_irregularity` takes its median.
IRREGULARITY_HALF_WINDOW = 15
#: RR intervals before a beat that "pre/previous" compares its pre-RR with.
PREVIOUS_BEATS = 4
HIGHPASS_HZ = 0.5
_PREFERRED_LEADS = ("MLII", "II")
_MIN_SCALE_MV = 0.05
_DEFAULT_RR_S = 0.8

#: The bundle shipped with the app.
BEAT_BUNDLE_DIR = Path(__file__).resolve().parents[2] / "resources" / "models" / "beats"

BEAT_NETWORK_DEFAULTS: dict[str, Any] = {
    "arch": "beatnet",
    "channels": [8, 16, 16],
    "kernel_size": 7,
    "morph_features": 8,
    "morph_dropout": 0.5,
    "hidden": 32,
    "dropout": 0.1,
    "members": 3,
}


def beat_input_contract() -> dict[str, object]:
    """What :func:`beat_features` produces, as stored in a beat bundle's manifest."""
    return {
        "preprocessing": BEAT_PREPROCESSING_ID,
        "fs_hz": BEAT_FS_HZ,
        "pre_samples": PRE_SAMPLES,
        "post_samples": POST_SAMPLES,
        "channels": ["beat / record amplitude", "(beat - record median beat) / amplitude"],
        "lead": "MLII, else II, else the first lead that is not flat",
        "rr_features": list(RR_FEATURES),
        "local_beats": LOCAL_BEATS,
        "previous_beats": PREVIOUS_BEATS,
        "context_beats": CONTEXT_BEATS,
        "highpass_hz": HIGHPASS_HZ,
        "dtype": "float32",
    }


def aami_class(symbol: str) -> str | None:
    """The AAMI class of a MIT-BIH beat symbol, or ``None`` for a non-beat annotation."""
    return AAMI_MAP.get(symbol)


def reference_beats(record: Record, track: str = "atr") -> tuple[I64, tuple[str, ...]]:
    """Annotated beats of ``record`` that have an AAMI class: sample positions and classes."""
    found = record.tracks(track)
    if not found:
        return np.zeros(0, np.int64), ()
    keep = [i for i, s in enumerate(found[0].symbols) if s in AAMI_MAP]
    labels = tuple(AAMI_MAP[found[0].symbols[i]] for i in keep)
    return np.asarray(found[0].samples[keep], dtype=np.int64), labels


def beat_lead(record: Record) -> int:
    """Row of the lead beats are read from: MLII, else II, else the first lead not flat."""
    for name in _PREFERRED_LEADS:
        if name in record.lead_names:
            return record.lead_names.index(name)
    flat = {issue.lead for issue in record.issues if issue.kind == "flat"}
    usable = [i for i, name in enumerate(record.lead_names) if name not in flat]
    return usable[0] if usable else 0


def rr_features(beat_samples: npt.ArrayLike, fs_hz: float) -> F32:
    """Rhythm features ``float32 [n, len(RR_FEATURES)]`` of sorted beat positions."""
    t = np.asarray(beat_samples, dtype=np.float64) / fs_hz
    n = len(t)
    if n == 0:
        return np.zeros((0, len(RR_FEATURES)), np.float32)
    if n == 1:
        rr = np.array([_DEFAULT_RR_S])
        pre = post = rr
    else:
        rr = np.maximum(np.diff(t), 1.0 / fs_hz)  # two beats on one sample: no division by 0
        pre = np.concatenate([rr[:1], rr])
        post = np.concatenate([rr, rr[-1:]])
    # Mean of the RR intervals between the beats LOCAL_BEATS before and after each beat.
    csum = np.concatenate([[0.0], np.cumsum(rr)])
    idx = np.arange(n)
    lo = np.clip(idx - LOCAL_BEATS, 0, len(rr) - 1)
    hi = np.clip(idx + LOCAL_BEATS, lo + 1, len(rr))
    local = (csum[hi] - csum[lo]) / (hi - lo)
    record_mean = float(np.mean(rr))
    # Prematurity against the rhythm just before the beat, and how irregular the rhythm is around
    # it (premature beats in atrial fibrillation are the rule, not a finding).
    a = np.clip(idx - 1 - PREVIOUS_BEATS, 0, len(rr) - 1)
    b = np.clip(idx - 1, a + 1, len(rr))
    previous = (csum[b] - csum[a]) / (b - a)
    # Median (not mean) successive RR change: a few ectopic beats hardly move it, AF does.
    jumps = np.abs(np.diff(np.concatenate([pre[:1], pre])))
    size = 2 * LOCAL_BEATS + 1
    irregularity = ndimage.median_filter(jumps, size=size, mode="nearest") / local
    near = np.clip(idx[:, None] + np.arange(-CONTEXT_BEATS, CONTEXT_BEATS + 1), 0, n - 1)
    feats = np.concatenate(
        [np.stack([pre / record_mean, post / record_mean, post / pre, pre / previous,
                   irregularity], axis=1),
         pre[near] / local[:, None]],
        axis=1,
    )  # fmt: skip
    out: F32 = np.clip(np.nan_to_num(feats, nan=1.0), 0.0, 5.0).astype(np.float32)
    return out


def nn_irregularity(beat_samples: npt.ArrayLike, fs_hz: float, normal: npt.ArrayLike) -> F32:
    """How irregularly irregular the rhythm around each beat is, from its NN intervals.

    NN intervals join two consecutive beats that are both normal (``normal``, e.g. labelled N),
    so ectopic beats and the pauses after them leave the measure alone; each NN interval's change
    from the one before, over the record's median NN, is taken as a median over the
    :data:`IRREGULARITY_HALF_WINDOW` NN intervals on each side of each beat. Sinus rhythm stays
    low however many isolated ectopic beats it carries; atrial fibrillation, where every interval
    differs from the last, is high. ``beat_samples`` sorted; 0 where fewer than 8 NN intervals.
    """
    t = np.asarray(beat_samples, dtype=np.float64) / fs_hz
    ok = np.asarray(normal, dtype=bool)
    out = np.zeros(len(t), np.float32)
    if len(t) < 2:
        return out
    pair = ok[1:] & ok[:-1]
    nn = np.diff(t)[pair]
    at = t[1:][pair]
    if len(nn) < 8:
        return out
    change = np.abs(np.diff(np.concatenate([nn[:1], nn]))) / max(float(np.median(nn)), 1e-3)
    size = 2 * IRREGULARITY_HALF_WINDOW + 1
    local = ndimage.median_filter(change, size=size, mode="mirror")  # real values at the ends
    out[:] = np.interp(t, at, local)
    return out


def decide(
    probs: npt.ArrayLike,
    beat_samples: npt.ArrayLike,
    fs_hz: float,
    sveb_irregularity_max: float | None = None,
) -> I64:
    """Class index of each beat (sorted ``beat_samples``): argmax, then the rhythm rule.

    The rule, when ``sveb_irregularity_max`` is given: a beat the network calls SVEB inside an
    irregularly irregular stretch (:func:`nn_irregularity` above the threshold, as in atrial
    fibrillation) is labelled N. "Premature" has no meaning where no interval is regular, and in
    AF the network's SVEB calls are the short intervals of the fibrillation itself.
    """
    p = np.asarray(probs, dtype=np.float32)
    pred: I64 = np.argmax(p, axis=1).astype(np.int64) if len(p) else np.zeros(0, np.int64)
    if sveb_irregularity_max is None or not len(pred):
        return pred
    n_i, s_i = AAMI_CLASSES.index("N"), AAMI_CLASSES.index("SVEB")
    irregular = nn_irregularity(beat_samples, fs_hz, pred == n_i) > sveb_irregularity_max
    pred[(pred == s_i) & irregular] = n_i
    return pred


def beat_windows(record: Record, beat_samples: npt.ArrayLike) -> F32:
    """Morphology windows ``float32 [n, 2, WINDOW]`` of the beats (see the module docstring)."""
    pos = np.asarray(beat_samples, dtype=np.float64)
    if len(pos) == 0:
        return np.zeros((0, 2, WINDOW), np.float32)
    x = record.samples[beat_lead(record)].astype(np.float64)
    down = record.fs_hz >= BEAT_FS_HZ
    y = resample(x, record.fs_hz, BEAT_FS_HZ, method="polyphase" if down else "pchip")
    y = np.nan_to_num(y, nan=0.0)
    if len(y) > 3 * BEAT_FS_HZ:
        y = highpass(y, BEAT_FS_HZ, HIGHPASS_HZ)
    centres = np.rint(pos * BEAT_FS_HZ / record.fs_hz).astype(np.int64)
    padded = np.pad(y, (PRE_SAMPLES, POST_SAMPLES), mode="edge")
    take = np.clip(centres, 0, len(y) - 1)[:, None] + np.arange(WINDOW)[None, :]
    beats = padded[take]
    beats -= np.median(beats, axis=1, keepdims=True)
    scale = max(float(np.median(np.ptp(beats, axis=1))), _MIN_SCALE_MV)
    beats /= scale
    template = np.median(beats, axis=0, keepdims=True)
    return np.stack([beats, beats - template], axis=1).astype(np.float32)


def beat_features(record: Record, beat_samples: npt.ArrayLike) -> tuple[F32, F32]:
    """The network inputs of the beats: morphology windows and rhythm features."""
    pos = np.sort(np.asarray(beat_samples, dtype=np.int64))
    return beat_windows(record, pos), rr_features(pos, record.fs_hz)


class BeatNet(nn.Module):
    """A small 1-D CNN over the beat window, joined with the rhythm features by an MLP."""

    def __init__(self, config: Mapping[str, Any], n_classes: int) -> None:
        super().__init__()
        layers: list[nn.Module] = []
        c_in, length, k = 2, WINDOW, int(config["kernel_size"])
        for c_out in config["channels"]:
            layers += [
                nn.Conv1d(c_in, int(c_out), k, padding=k // 2, bias=False),
                nn.BatchNorm1d(int(c_out)),
                nn.ReLU(),
                nn.MaxPool1d(2),
            ]
            c_in, length = int(c_out), length // 2
        # A narrow, heavily dropped-out morphology summary: a wide one learns the training
        # patients' beat shapes and drowns the rhythm features that generalise across patients.
        morph = int(config["morph_features"])
        self.features = nn.Sequential(
            *layers,
            nn.Flatten(),
            nn.Linear(c_in * length, morph),
            nn.ReLU(),
            nn.Dropout(float(config["morph_dropout"])),
        )
        self.rr_norm = nn.BatchNorm1d(len(RR_FEATURES))
        hidden = int(config["hidden"])
        self.head = nn.Sequential(
            nn.Linear(morph + len(RR_FEATURES), hidden),
            nn.ReLU(),
            nn.Dropout(float(config["dropout"])),
            nn.Linear(hidden, n_classes),
        )

    def forward(self, windows: Tensor, rr: Tensor) -> Tensor:
        joined = torch.cat([self.features(windows), self.rr_norm(rr)], dim=1)
        out: Tensor = self.head(joined)
        return out


class BeatEnsemble(nn.Module):
    """Members trained alike from different seeds; the output is the log of their mean softmax."""

    def __init__(self, members: Sequence[nn.Module]) -> None:
        super().__init__()
        self.members = nn.ModuleList(members)

    def forward(self, windows: Tensor, rr: Tensor) -> Tensor:
        if len(self.members) == 1:
            single: Tensor = self.members[0](windows, rr)
            return single
        logp = torch.stack([torch.log_softmax(m(windows, rr), dim=1) for m in self.members])
        return torch.logsumexp(logp, dim=0) - float(np.log(len(self.members)))


def build_beat_member(config: Mapping[str, Any], n_classes: int = len(AAMI_CLASSES)) -> BeatNet:
    """One member of the network a manifest's ``"network"`` config describes."""
    if config.get("arch") != "beatnet":
        raise ValueError(f"unknown beat network {config.get('arch')!r}")
    return BeatNet({**BEAT_NETWORK_DEFAULTS, **config}, n_classes)


def build_beat_network(
    config: Mapping[str, Any], n_classes: int = len(AAMI_CLASSES)
) -> BeatEnsemble:
    """The network (an ensemble of ``config["members"]`` members) a config describes."""
    members = int({**BEAT_NETWORK_DEFAULTS, **config}["members"])
    return BeatEnsemble([build_beat_member(config, n_classes) for _ in range(members)])


@dataclass(frozen=True)
class BeatBundle:
    """A verified, loaded beat classifier: its manifest and network in eval mode."""

    path: Path
    manifest: Mapping[str, Any]
    network: nn.Module

    @property
    def classes(self) -> tuple[str, ...]:
        return tuple(self.manifest["classes"])

    @property
    def sveb_irregularity_max(self) -> float | None:
        """The rhythm rule's threshold (:func:`decide`), or None when the bundle has no rule."""
        value = self.manifest.get("decision", {}).get("sveb_irregularity_max")
        return float(value) if isinstance(value, int | float) else None

    def predict_proba(self, windows: npt.ArrayLike, rr: npt.ArrayLike) -> F32:
        """Softmax probabilities ``[n, n_classes]`` for beat features."""
        w = torch.as_tensor(np.asarray(windows, dtype=np.float32))
        r = torch.as_tensor(np.asarray(rr, dtype=np.float32))
        if len(w) == 0:
            return np.zeros((0, len(self.classes)), np.float32)
        with torch.inference_mode():
            probs = torch.softmax(self.network(w, r), dim=1)
        out: F32 = probs.numpy().astype(np.float32)
        return out


def load_beat_bundle(bundle_dir: Path = BEAT_BUNDLE_DIR) -> BeatBundle:
    """Verify and load a beat classifier bundle (by default the one shipped with the app).

    Raises
    ------
    ModelBundleError
        Missing or malformed manifest, weights whose sha256 differs from the manifest, another
        beat preprocessing, or weights that do not fit the network config.
    """
    manifest, network = load_network(
        Path(bundle_dir),
        lambda m: build_beat_network(m["network"], len(m["classes"])),
        beat_input_contract(),
    )
    return BeatBundle(Path(bundle_dir), manifest, network)


def classify_beats(
    record: Record, beat_samples: Sequence[int] | npt.ArrayLike, bundle: BeatBundle
) -> tuple[tuple[str, ...], F32]:
    """AAMI class and class probabilities of each beat of ``record``.

    Parameters
    ----------
    record
        Any record with at least one lead, at any sampling rate.
    beat_samples
        Beat positions (R peaks, e.g. from :func:`ecgviewer.dsp.detect_beats`) on the record's
        sample axis; need not be sorted.
    bundle
        From :func:`load_beat_bundle`.

    Returns
    -------
    labels, probs
        One class name per beat (in the order given; :func:`decide` with the bundle's decision
        rule) and the network's ``float32 [n, len(bundle.classes)]``.
    """
    pos = np.asarray(beat_samples, dtype=np.int64).reshape(-1)
    order = np.argsort(pos, kind="stable")
    windows, rr = beat_features(record, pos[order])
    sorted_probs = bundle.predict_proba(windows, rr)
    pred = decide(sorted_probs, pos[order], record.fs_hz, bundle.sveb_irregularity_max)
    probs = np.empty_like(sorted_probs)
    probs[order] = sorted_probs
    labels = [""] * len(pos)
    for k, i in enumerate(order):
        labels[i] = bundle.classes[pred[k]]
    return tuple(labels), probs
