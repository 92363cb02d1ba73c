"""``QtWorklistBatch``: index a folder and analyse it in a background thread.

The GUI thread hands over an immutable :class:`BatchRequest` (paths, version, worker count and
a generation number); the thread opens its own :class:`~ecgviewer.worklist.Store`, never
touches a widget, and reports through signals, which Qt queues to the GUI thread. Pause, resume
and cancel go through :class:`~ecgviewer.worklist.BatchControl`, which is thread-safe.
:meth:`QtWorklistBatch.stop` cancels and waits, so closing a window leaves no thread behind.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from ecgviewer.worklist import (
    BatchControl,
    BatchProgress,
    Store,
    WorklistError,
    index_folder,
    run_batch,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class BatchRequest:
    """Everything the thread needs; ``analyse`` None means the real analysis."""

    folder: Path
    db_path: Path
    version: str
    workers: int
    generation: int
    analyse: Callable[[Path, str], dict[str, Any]] | None = None


class _BatchSignals(QObject):
    """Created on the GUI thread, so signals emitted from the worker are queued to it."""

    indexed = Signal(int, object)  # generation, IndexReport
    progress = Signal(int, object)  # generation, BatchProgress
    failed = Signal(int, str)  # generation, message
    done = Signal(int, object)  # generation, BatchReport


def _run_batch(request: BatchRequest, control: BatchControl, out: _BatchSignals) -> None:
    """The worker thread's body: its own Store, values out through signals, never a widget.

    A plain Python thread (not a QThread): the thread pool that indexing starts would otherwise
    register the Qt thread with ``threading`` as a dummy thread that never ends.
    """
    gen = request.generation
    try:
        with Store.open(request.db_path, request.folder, version=request.version) as store:
            out.indexed.emit(gen, index_folder(store))
            if control.cancelled:
                return
            extra: dict[str, Any] = {} if request.analyse is None else {"analyse": request.analyse}
            report = run_batch(
                store,
                workers=request.workers,
                control=control,
                on_progress=lambda p: out.progress.emit(gen, p),
                **extra,
            )
        out.done.emit(gen, report)
    except WorklistError as exc:
        out.failed.emit(gen, str(exc))
    except Exception as exc:  # the screen must say so, not hang on "running"
        log.exception("worklist batch failed")
        out.failed.emit(gen, f"The analysis stopped: {type(exc).__name__}: {exc}")


class QtWorklistBatch(QObject):
    """One batch at a time; signals carry only values, and only for the current generation."""

    indexed = Signal(object)
    progress = Signal(object)
    failed = Signal(str)
    finished = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread: threading.Thread | None = None
        self._signals = _BatchSignals(self)
        self._signals.indexed.connect(self._on_indexed)
        self._signals.progress.connect(self._on_progress)
        self._signals.failed.connect(self._on_failed)
        self._signals.done.connect(self._on_done)
        self._control = BatchControl()
        self._generation = 0
        self.last_progress: BatchProgress | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    @property
    def control(self) -> BatchControl:
        return self._control

    def start(
        self,
        folder: Path,
        db_path: Path,
        version: str,
        *,
        workers: int = 2,
        analyse: Callable[[Path, str], dict[str, Any]] | None = None,
    ) -> None:
        """Stop any batch under way and start a new one."""
        self.stop()
        self._generation += 1
        self._control = BatchControl()
        self.last_progress = None
        request = BatchRequest(folder, db_path, version, workers, self._generation, analyse)
        thread = threading.Thread(
            target=_run_batch,
            args=(request, self._control, self._signals),
            name=f"worklist-batch-{self._generation}",
            daemon=True,
        )
        self._thread = thread
        thread.start()

    def pause(self) -> None:
        self._control.pause()

    def resume(self) -> None:
        self._control.resume()

    def cancel(self) -> None:
        """Ask the batch to stop after the records under way; results so far are kept."""
        self._control.cancel()

    def stop(self) -> None:
        """Cancel and wait for the thread to end (blocks until the running records finish)."""
        thread, self._thread = self._thread, None
        if thread is None:
            return
        self._control.cancel()
        thread.join()
        self._generation += 1  # anything still queued from it is stale

    def _on_indexed(self, generation: int, report: object) -> None:
        if generation == self._generation:
            self.indexed.emit(report)

    def _on_progress(self, generation: int, progress: BatchProgress) -> None:
        if generation == self._generation:
            self.last_progress = progress
            self.progress.emit(progress)

    def _on_failed(self, generation: int, message: str) -> None:
        if generation == self._generation:
            self.failed.emit(message)

    def _on_done(self, generation: int, report: object) -> None:
        if generation == self._generation:
            self.finished.emit(report)
