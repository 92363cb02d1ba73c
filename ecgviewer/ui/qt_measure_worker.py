"""``QtMeasureWorker``: ``dsp.measure(record)`` off the GUI thread, newest request wins.

The GUI thread hands over an immutable :class:`MeasureRequest` (the record, itself immutable,
and a generation stamp); a one-thread pool runs the pure measurement; the answer comes back to
the GUI thread through a queued signal and is passed on as :attr:`measured` only if its
generation is still the newest, so a record opened while another is being measured never
shows the older record's values. No widget or live model object crosses the thread.
:meth:`shutdown` drops queued work and waits for the running job (closing the window).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from ecgviewer.dsp.measure import Measurements, measure
from ecgviewer.io.record import Record

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class MeasureRequest:
    record: Record
    generation: int


class _Emitter(QObject):
    """Lives on the GUI thread; emitting from the pool thread queues the call to it."""

    done = Signal(int, object, str)


class _MeasureJob(QRunnable):
    def __init__(self, request: MeasureRequest, emitter: _Emitter) -> None:
        super().__init__()
        self._request = request
        self._emitter = emitter

    def run(self) -> None:
        request = self._request
        try:
            result: Measurements | None = measure(request.record)
            error = ""
        except Exception as exc:  # a failed measurement must not cost the viewer
            log.exception("measurement failed for %s", request.record.record_name)
            result, error = None, f"The measurements could not be computed ({exc})."
        self._emitter.done.emit(request.generation, result, error)


class QtMeasureWorker(QObject):
    """Measures records in the background; :attr:`measured` carries current results only."""

    #: ``(generation, Measurements or None, error text)``, on the GUI thread, current only.
    measured = Signal(int, object, str)
    #: A result that arrived for an older request and was dropped (a test and log hook).
    dropped = Signal(int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._emitter = _Emitter(self)
        self._emitter.done.connect(self._on_done)
        self._generation = 0
        self._busy = False
        self._closed = False

    @property
    def generation(self) -> int:
        """The stamp of the newest request."""
        return self._generation

    @property
    def busy(self) -> bool:
        """Whether a current request has not been answered yet."""
        return self._busy

    def submit(self, record: Record | None) -> int:
        """Measure ``record`` (``None``: only forget the previous one); returns its generation."""
        self._generation += 1
        self._pool.clear()  # queued, not yet started work for older records is pointless
        self._busy = record is not None and not self._closed
        if self._busy:
            assert record is not None
            self._pool.start(_MeasureJob(MeasureRequest(record, self._generation), self._emitter))
        return self._generation

    def shutdown(self, timeout_ms: int = 10_000) -> bool:
        """Drop queued work, wait for the running job and end the pool's thread."""
        self._closed = True
        self._generation += 1  # whatever is still in flight is stale now
        self._pool.clear()
        return bool(self._pool.waitForDone(timeout_ms))

    @Slot(int, object, str)
    def _on_done(self, generation: int, result: object, error: str) -> None:
        if generation != self._generation:
            self.dropped.emit(generation)
            return
        self._busy = False
        self.measured.emit(generation, result, error)
