"""PTB-XL in its official layout -> preprocessed arrays, a Dataset, and augmentation.

Folds come from ``strat_fold``: 1-8 train, 9 validation. Fold 10 is the held-back test fold;
rows in it are dropped when the index is read and asking for it is an error, so nothing in the
trainer can train, tune or select on it.

Every record goes through :func:`ecgviewer.models.preprocess` (the app's function) once; the
results are cached as one ``.npy`` per split under the output folder, keyed by the record ids
and :data:`~ecgviewer.models.PREPROCESSING_ID`, so a change to preprocessing invalidates them.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import torch
from torch.utils.data import Dataset

from ecgviewer.io import open_record
from ecgviewer.models import MODEL_FS_HZ, MODEL_N_SAMPLES, PREPROCESSING_ID, preprocess
from trainer.labels import encode, load_diagnostic_classes, parse_scp_codes

TRAIN_FOLDS: tuple[int, ...] = (1, 2, 3, 4, 5, 6, 7, 8)
VAL_FOLDS: tuple[int, ...] = (9,)
TEST_FOLD = 10

F32 = npt.NDArray[np.float32]


@dataclass(frozen=True)
class PtbxlEntry:
    """One PTB-XL record: its id, fold, 100 Hz header path and target vector."""

    ecg_id: int
    fold: int
    header: Path
    target: F32


def read_index(data_dir: Path, min_likelihood: float = 0.0) -> list[PtbxlEntry]:
    """All usable records of ``ptbxl_database.csv`` (fold 10 and absent files left out)."""
    data_dir = Path(data_dir)
    diag = load_diagnostic_classes(data_dir / "scp_statements.csv")
    entries: list[PtbxlEntry] = []
    with (data_dir / "ptbxl_database.csv").open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            fold = int(float(row["strat_fold"]))
            if fold == TEST_FOLD:
                continue  # the held-back test fold is never read
            header = data_dir / (row["filename_lr"] + ".hea")
            if not header.is_file():
                continue
            target = encode(parse_scp_codes(row["scp_codes"]), diag, min_likelihood)
            entries.append(PtbxlEntry(int(float(row["ecg_id"])), fold, header, target))
    return entries


def select(
    entries: Iterable[PtbxlEntry], folds: Sequence[int], limit: int | None = None
) -> list[PtbxlEntry]:
    """The entries in ``folds``, in ``ecg_id`` order; the first ``limit`` of them if given.

    ``limit`` takes an evenly spaced subset (not the first ids), so a smoke run still spans
    every fold and the whole recording period.
    """
    if TEST_FOLD in folds:
        raise ValueError("fold 10 is the held-back PTB-XL test fold and is never used here")
    chosen = sorted((e for e in entries if e.fold in set(folds)), key=lambda e: e.ecg_id)
    if limit is not None and limit < len(chosen):
        step = len(chosen) / limit
        chosen = [chosen[math.floor(i * step)] for i in range(limit)]
    return chosen


def preprocess_split(
    entries: Sequence[PtbxlEntry],
    cache_dir: Path,
    name: str,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[F32, F32]:
    """Inputs ``[n, 12, 1000]`` and targets ``[n, n_classes]``, from the cache when valid."""
    key = hashlib.sha256(
        json.dumps([PREPROCESSING_ID, [e.ecg_id for e in entries]]).encode()
    ).hexdigest()[:16]
    path = Path(cache_dir) / f"{name}-{key}.npy"
    targets = np.stack([e.target for e in entries]).astype(np.float32)
    if path.is_file():
        cached: F32 = np.load(path, mmap_mode="r")
        return cached, targets
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".partial.npy")
    arr = np.lib.format.open_memmap(
        tmp, mode="w+", dtype=np.float32, shape=(len(entries), 12, MODEL_N_SAMPLES)
    )
    for i, entry in enumerate(entries):
        arr[i], _ = preprocess(open_record(entry.header))
        if progress is not None:
            progress(i + 1, len(entries))
    arr.flush()
    del arr
    tmp.replace(path)
    loaded: F32 = np.load(path, mmap_mode="r")
    return loaded, targets


@dataclass(frozen=True)
class Augment:
    """Train-time augmentation, applied in this order (all amplitudes in mV).

    shift_s: circular-free shift by up to this many seconds (the gap is filled with 0 mV)
    scale: amplitude factor drawn from [1 - scale, 1 + scale], one per record
    noise_mv: white noise with a standard deviation drawn from [0, noise_mv]
    wander_mv: baseline wander, one sinusoid of 0.05-0.5 Hz per lead, amplitude up to this
    """

    shift_s: float = 0.5
    scale: float = 0.2
    noise_mv: float = 0.05
    wander_mv: float = 0.2

    def __call__(self, x: F32, rng: np.random.Generator) -> F32:
        out = np.array(x, dtype=np.float32, copy=True)
        n_leads, n = out.shape
        shift = int(
            rng.integers(-round(self.shift_s * MODEL_FS_HZ), round(self.shift_s * MODEL_FS_HZ) + 1)
        )
        if shift > 0:
            out[:, shift:] = out[:, :-shift].copy()
            out[:, :shift] = 0.0
        elif shift < 0:
            out[:, :shift] = out[:, -shift:].copy()
            out[:, shift:] = 0.0
        out *= np.float32(rng.uniform(1 - self.scale, 1 + self.scale))
        out += rng.normal(0.0, rng.uniform(0.0, self.noise_mv), size=out.shape).astype(np.float32)
        t = np.arange(n) / MODEL_FS_HZ
        freq = rng.uniform(0.05, 0.5, size=(n_leads, 1))
        phase = rng.uniform(0, 2 * np.pi, size=(n_leads, 1))
        amp = rng.uniform(0.0, self.wander_mv, size=(n_leads, 1))
        out += (amp * np.sin(2 * np.pi * freq * t + phase)).astype(np.float32)
        return out


class EcgDataset(Dataset[tuple[torch.Tensor, torch.Tensor]]):
    """Preprocessed inputs and targets; ``augment`` (train only) is seeded per item and epoch.

    The random stream of item ``i`` in epoch ``e`` depends only on ``(seed, e, i)``, so results
    do not depend on the number of loader workers or processes, and a resumed run sees exactly
    the augmentations an uninterrupted one would have.
    """

    def __init__(
        self, inputs: F32, targets: F32, augment: Augment | None = None, seed: int = 0
    ) -> None:
        if len(inputs) != len(targets):
            raise ValueError("inputs and targets differ in length")
        self.inputs, self.targets, self.augment, self.seed = inputs, targets, augment, seed
        self.epoch = 0

    def set_epoch(self, epoch: int) -> None:
        self.epoch = epoch

    def __len__(self) -> int:
        return len(self.inputs)

    def __getitem__(self, i: int) -> tuple[torch.Tensor, torch.Tensor]:
        x = np.array(self.inputs[i], dtype=np.float32)  # a writable copy of the memmap row
        if self.augment is not None:
            x = self.augment(x, np.random.default_rng((self.seed, self.epoch, i)))
        return torch.from_numpy(np.ascontiguousarray(x)), torch.from_numpy(self.targets[i])
