"""Find the recordings in files, folders and glob patterns (for batch analysis and worklists)."""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

#: Extensions that name a recording on their own. Signal files that belong to a header
#: (.dat, .mat) and annotation files (.atr, LUDB's .i ... .v6) are reached through the .hea.
RECORD_EXTENSIONS = frozenset({".hea", ".edf", ".bdf", ".dcm", ".xml", ".csv"})
_SIGNAL_EXTENSIONS = frozenset({".dat", ".mat"})


def _walk(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        names = set(files)
        for name in sorted(files):
            suffix = os.path.splitext(name)[1].lower()
            stem = os.path.splitext(name)[0]
            if suffix in RECORD_EXTENSIONS:
                yield Path(root) / name
            elif suffix in _SIGNAL_EXTENSIONS and f"{stem}.hea" not in names:
                yield Path(root) / name  # an orphan: opening it gives the clear "no header" error


def find_records(inputs: Iterable[str | Path]) -> list[tuple[Path, Path | None]]:
    """Expand files, folders (recursively) and glob patterns into recordings.

    Returns ``(path, root)`` pairs in a stable order, where ``root`` is the folder the path was
    found under (``None`` for a path given directly), so outputs can mirror the folder layout.
    A path that does not exist is kept, so the caller reports it as missing.
    """
    found: list[tuple[Path, Path | None]] = []
    seen: set[Path] = set()

    def add(path: Path, root: Path | None) -> None:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            found.append((path, root))

    for item in inputs:
        text = str(item)
        path = Path(text)
        if path.is_dir():
            for p in _walk(path):
                add(p, path)
        elif not path.exists() and glob.has_magic(text):
            for match in sorted(glob.glob(text, recursive=True)):
                m = Path(match)
                if m.is_dir():
                    for p in _walk(m):
                        add(p, m)
                elif m.suffix.lower() in RECORD_EXTENSIONS | _SIGNAL_EXTENSIONS:
                    if m.suffix.lower() in _SIGNAL_EXTENSIONS and m.with_suffix(".hea").exists():
                        add(m.with_suffix(".hea"), None)
                    else:
                        add(m, None)
        else:
            add(path, None)
    return found
