"""``QtAnalysisWorker``: the whole analysis off the GUI thread, newest request wins.

The GUI thread hands over an immutable :class:`~ecgviewer.analysis.AnalysisRequest` (the record,
itself immutable, and a generation stamp) to an :class:`~ecgviewer.analysis.service.
AnalysisService`, which runs :func:`~ecgviewer.analysis.run_analysis` (measurements, classifier)
in a worker process, so torch is never imported into the viewer and the event loop never
waits for a model. A timer polls the service while a request is out and passes each answer on
as :attr:`analysed` only if its generation is still the newest; older ones are reported as
:attr:`dropped`. Opening another record abandons the running analysis at its next step,
:meth:`cancel` does so on request, :meth:`shutdown` stops the worker when the window closes.

``ECGVIEWER_ANALYSIS_MODE=thread`` runs the worker as a thread of this process instead (the test
suite does, to share one loaded model between windows).
"""

from __future__ import annotations

import logging
import os

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from ecgviewer.analysis import AnalysisRequest
from ecgviewer.analysis.service import AnalysisService, Done, Mode, Progress
from ecgviewer.io.record import Record

log = logging.getLogger(__name__)
#: How often the GUI thread looks for answers while a request is out.
POLL_MS = 20


def default_mode() -> Mode:
    """``process`` unless ``ECGVIEWER_ANALYSIS_MODE=thread``."""
    return "thread" if os.environ.get("ECGVIEWER_ANALYSIS_MODE") == "thread" else "process"


class QtAnalysisWorker(QObject):
    """Analyses records in the background; :attr:`analysed` carries current results only."""

    #: ``(generation, AnalysisResult or None, error text)``, on the GUI thread, current only.
    analysed = Signal(int, object, str)
    #: ``(generation, step name, step index, number of steps)`` of the current request.
    progress = Signal(int, str, int, int)
    #: The current request was cancelled (:meth:`cancel`); its generation.
    cancelled = Signal(int)
    #: A result that arrived for an older request and was dropped (a test and log hook).
    dropped = Signal(int)

    def __init__(self, parent: QObject | None = None, mode: Mode | None = None) -> None:
        super().__init__(parent)
        self.service = AnalysisService(mode or default_mode())
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)
        self._generation = 0
        self._busy = False
        self._closed = False

    @property
    def generation(self) -> int:
        """The stamp of the newest request."""
        return self._generation

    @property
    def busy(self) -> bool:
        """Whether the current request has not been answered yet."""
        return self._busy

    def submit(self, record: Record | None, display_path: str | None = None) -> int:
        """Analyse ``record`` (``None``: only forget the previous one); returns its generation."""
        self._generation += 1
        self._busy = record is not None and not self._closed
        if self._busy:
            assert record is not None
            request = AnalysisRequest(record, self._generation, display_path)
            self.service.submit(request)
            self._timer.start()
        elif self.service.busy:
            self.service.cancel()
        return self._generation

    def cancel(self) -> bool:
        """Stop the current analysis; True when there was one to stop."""
        if not self._busy:
            return False
        self._busy = False
        self.service.cancel()
        self.cancelled.emit(self._generation)
        return True

    def shutdown(self, timeout_ms: int = 10_000) -> bool:
        """Abandon the running request and end the worker; True when it ended in time."""
        self._closed = True
        self._generation += 1  # whatever is still in flight is stale now
        self._busy = False
        self._timer.stop()
        return self.service.close(timeout_ms / 1000)

    @Slot()
    def _poll(self) -> None:
        for message in self.service.poll():
            current = message.generation == self._generation and not self._closed
            if isinstance(message, Progress):
                if current and self._busy:
                    self.progress.emit(message.generation, message.step, message.index,
                                       message.total)  # fmt: skip
                continue
            assert isinstance(message, Done)
            if not current or not self._busy:
                self.dropped.emit(message.generation)
                continue
            self._busy = False
            self.analysed.emit(message.generation, message.result, message.error)
        if not self.service.busy:
            self._timer.stop()
