"""PTB-XL index (fold 10 never read), subsets, the preprocessing cache and augmentation."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from trainer.data import (
    TRAIN_FOLDS,
    VAL_FOLDS,
    Augment,
    EcgDataset,
    preprocess_split,
    read_index,
    select,
)  # fmt: skip


def test_index_drops_fold_10_and_select_refuses_it(fake_ptbxl: Path) -> None:
    entries = read_index(fake_ptbxl)
    assert entries and {e.fold for e in entries} == set(range(1, 10))
    with pytest.raises(ValueError, match="fold 10"):
        select(entries, (9, 10))


def test_limit_spreads_over_all_training_folds(fake_ptbxl: Path) -> None:
    chosen = select(read_index(fake_ptbxl), TRAIN_FOLDS, limit=16)
    assert len(chosen) == 16 and {e.fold for e in chosen} == set(TRAIN_FOLDS)
    assert {e.fold for e in select(read_index(fake_ptbxl), VAL_FOLDS)} == {9}


def test_cache_is_written_once_and_reused(fake_ptbxl: Path, tmp_path: Path) -> None:
    chosen = select(read_index(fake_ptbxl), VAL_FOLDS)
    x, y = preprocess_split(chosen, tmp_path, "val")
    assert x.shape == (len(chosen), 12, 1000) and y.shape == (len(chosen), 11)
    files = list(tmp_path.glob("val-*.npy"))
    assert len(files) == 1
    again, _ = preprocess_split(chosen, tmp_path, "val")
    np.testing.assert_array_equal(again, x)


def test_augmentation_is_keyed_by_seed_epoch_and_item() -> None:
    x = np.random.default_rng(0).standard_normal((4, 12, 1000)).astype(np.float32)
    y = np.zeros((4, 11), np.float32)
    ds = EcgDataset(x, y, Augment(), seed=3)
    first = ds[1][0].numpy()
    assert np.array_equal(first, ds[1][0].numpy())
    assert not np.allclose(first, x[1])
    ds.set_epoch(1)
    assert not np.array_equal(first, ds[1][0].numpy())
    np.testing.assert_array_equal(EcgDataset(x, y)[1][0].numpy(), x[1])  # no augment: as stored
