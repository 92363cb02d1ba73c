"""Load each bundled model once per process, remembering a refusal as well as a success."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from ecgviewer.models import ModelBundleError

T = TypeVar("T")
_lock = threading.Lock()
_loaded: dict[Path, object] = {}


def load_once(path: Path, loader: Callable[[Path], T], what: str) -> T:
    """``loader(path)`` the first time, the same object (or the same refusal) afterwards.

    Raises
    ------
    ModelBundleError
        ``path`` holds no bundle (``what`` names the model in the message), or ``loader``
        refused it; the error is remembered so a broken bundle is not re-read per record.
    """
    path = path.resolve()
    with _lock:
        cached = _loaded.get(path)
        if cached is None:
            try:
                if not (path / "manifest.json").is_file():
                    raise ModelBundleError(f"No {what} is installed ({path} has no model bundle).")
                cached = loader(path)
            except ModelBundleError as exc:
                cached = exc
            _loaded[path] = cached
    if isinstance(cached, ModelBundleError):
        raise cached
    return cached  # type: ignore[return-value]


def forget_loaded_models() -> None:
    """Drop every cached model (tests; a bundle replaced while the app runs)."""
    with _lock:
        _loaded.clear()
