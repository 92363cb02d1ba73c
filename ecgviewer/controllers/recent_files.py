"""The recent-files list as a pure function (the UI persists it with QSettings)."""

from __future__ import annotations

import os
from collections.abc import Iterable

MAX_RECENT = 10


def add_recent(paths: Iterable[str], new_path: str, max_items: int = MAX_RECENT) -> tuple[str, ...]:
    """``new_path`` first, then the other paths without duplicates, at most ``max_items``.

    Paths are compared after making them absolute and normalised, so ``./a.hea`` and the same
    file by its full path appear once.
    """
    new = os.path.normpath(os.path.abspath(new_path))
    result = [new]
    for path in paths:
        norm = os.path.normpath(os.path.abspath(path))
        if norm not in result:
            result.append(norm)
    return tuple(result[:max_items])
