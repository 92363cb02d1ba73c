"""Fixtures: a folder of small records, its worklist database, and one analysed with findings."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ecgviewer.worklist import Store, index_folder, run_batch
from tests.worklist.helpers import fake_analyse, make_folder


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Twelve distinct 12-lead 10 s records in three sub-folders."""
    root = tmp_path / "ecgs"
    make_folder(root, 12, per_folder=4)
    return root


@pytest.fixture
def store(folder: Path, tmp_path: Path) -> Iterator[Store]:
    """The folder's worklist database (outside the folder), analysis version ``test``."""
    with Store.open(tmp_path / "worklist.sqlite3", folder, version="test") as s:
        yield s


@pytest.fixture
def analysed(store: Store) -> Store:
    """The worklist indexed and analysed in this process with :func:`fake_analyse`."""
    index_folder(store)
    report = run_batch(store, workers=0, analyse=fake_analyse)
    assert report.analysed == 12
    return store
