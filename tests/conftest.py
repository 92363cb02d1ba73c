"""Shared fixtures: where the real data sets are, and a guard against writing to inputs."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
DEFAULT_CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "ecg-data"
DATA_SETS = ("ptb-xl", "ludb", "mitdb", "cpsc2018_sample")


def _materialize(root: Path) -> None:
    """Unpack ../shared/data once into the cache (its script skips sets already unpacked)."""
    script = SHARED_DATA / "materialize.py"
    subprocess.run([sys.executable, str(script), str(root)], check=True, capture_output=True)


@pytest.fixture(scope="session")
def data_root() -> Path:
    """The unpacked data sets: $ECG_DATA_DIR, else ~/.cache/ecg-data made from ../shared/data."""
    env = os.environ.get("ECG_DATA_DIR")
    if env:
        root = Path(env)
        if not all((root / name).is_dir() for name in DATA_SETS):
            pytest.skip(f"ECG_DATA_DIR={env} does not hold {', '.join(DATA_SETS)}")
        return root
    if not (SHARED_DATA / "materialize.py").is_file():
        pytest.skip("the real data sets (../shared/data) are not present on this machine")
    if not all((DEFAULT_CACHE / name / ".complete").is_file() for name in DATA_SETS):
        _materialize(DEFAULT_CACHE)
    return DEFAULT_CACHE


def file_digest(path: Path) -> tuple[str, int]:
    """Content hash and mtime of a file, to prove a reader wrote nothing back."""
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


@pytest.fixture
def untouched() -> Iterator[list[Path]]:
    """Register files in the returned list; the test fails if any changed or new ones appear."""
    before: dict[Path, tuple[str, int]] = {}
    listing: dict[Path, set[Path]] = {}

    class Watch(list[Path]):
        def append(self, path: Path) -> None:
            super().append(path)
            before[path] = file_digest(path)
            listing.setdefault(path.parent, set(path.parent.iterdir()))

    watch = Watch()
    yield watch
    for path, digest in before.items():
        assert file_digest(path) == digest, f"{path} was modified by reading it"
    for folder, files in listing.items():
        assert set(folder.iterdir()) == files, f"new files appeared in {folder}"
