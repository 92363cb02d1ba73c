"""``AnalysisService``: :func:`run_analysis` away from the caller's thread, newest request wins.

The viewer's GUI thread must never stall, and importing torch or running a network in a thread
of the GUI process holds Python's global lock for hundreds of milliseconds. So by default the
service runs a separate *process* (``spawn``: a clean interpreter that imports no Qt), which
loads the models once and keeps them. ``mode="thread"`` runs the same loop in a thread of this
process (tests, environments that cannot start processes).

Protocol. :meth:`AnalysisService.submit` sends an immutable :class:`AnalysisRequest` (the record
is copied to the process). The worker answers with messages that :meth:`AnalysisService.poll`
returns, never blocking: :class:`Progress` before each step, then exactly one :class:`Done` per
request it finished or abandoned. Between steps the worker looks for a newer message; a newer
request or a cancel abandons the running one (``Done.cancelled``), and of several queued
requests only the newest runs. A worker that dies (a crash in a native library) is reported as a
:class:`Done` with an error and replaced on the next request. No Qt here; the viewer polls from
a timer (:mod:`ecgviewer.ui.qt_analysis_worker`).
"""

from __future__ import annotations

import contextlib
import copyreg
import logging
import multiprocessing
import queue
import threading
import types
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, Literal, Protocol

from ecgviewer.analysis.result import AnalysisResult
from ecgviewer.analysis.run import AnalysisCancelled, AnalysisRequest, run_analysis

log = logging.getLogger(__name__)

Mode = Literal["process", "thread"]


def _mappingproxy(d: dict[Any, Any]) -> types.MappingProxyType[Any, Any]:
    return types.MappingProxyType(d)


def _reduce_mappingproxy(m: types.MappingProxyType[Any, Any]) -> tuple[Any, tuple[Any, ...]]:
    return _mappingproxy, (dict(m),)


# Records keep their metadata read-only (mappingproxy), which pickle cannot copy by itself; the
# copy sent to the worker process is rebuilt read-only on the other side.
copyreg.pickle(types.MappingProxyType, _reduce_mappingproxy)
_CANCEL = "cancel"


@dataclass(frozen=True, slots=True)
class Progress:
    """Request ``generation`` is starting step ``index`` of ``total`` (``step`` names it)."""

    generation: int
    step: str
    index: int
    total: int


@dataclass(frozen=True, slots=True)
class Done:
    """Request ``generation`` ended: a result, or an error message, or cancelled."""

    generation: int
    result: AnalysisResult | None
    error: str = ""
    cancelled: bool = False


Message = Progress | Done


class _Channel(Protocol):
    def send(self, obj: Any) -> None: ...
    def recv(self) -> Any: ...
    def poll(self) -> bool: ...


def serve(channel: _Channel) -> None:
    """The worker loop: answer requests until ``None`` arrives or the channel closes."""
    while True:
        try:
            message = channel.recv()
            while channel.poll():  # only the newest of several queued messages matters
                if isinstance(message, AnalysisRequest):
                    channel.send(Done(message.generation, None, cancelled=True))
                message = channel.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        if not isinstance(message, AnalysisRequest):
            continue  # a cancel with nothing running
        generation = message.generation

        def progress(step: str, index: int, total: int, generation: int = generation) -> None:
            channel.send(Progress(generation, step, index, total))

        try:
            result = run_analysis(message, progress=progress, cancelled=channel.poll)
            answer = Done(generation, result)
        except AnalysisCancelled:
            answer = Done(generation, None, cancelled=True)
        except Exception as exc:  # the record is still shown; the error is reported
            log.exception("analysis failed for %s", message.record.record_name)
            answer = Done(generation, None, f"The analysis failed ({type(exc).__name__}: {exc}).")
        try:
            channel.send(answer)
        except (EOFError, OSError):
            return


def _serve_connection(connection: Connection) -> None:  # the child process's entry point
    with contextlib.suppress(KeyboardInterrupt):
        serve(connection)


class _QueueChannel:
    """The worker's end of two queues, with the same three verbs as a pipe connection."""

    def __init__(self, inbox: queue.SimpleQueue[Any], outbox: queue.SimpleQueue[Any]) -> None:
        self.inbox, self.outbox = inbox, outbox

    def send(self, obj: Any) -> None:
        self.outbox.put(obj)

    def recv(self) -> Any:
        return self.inbox.get()

    def poll(self) -> bool:
        return not self.inbox.empty()


class AnalysisService:
    """Runs :func:`run_analysis` in a worker process (or thread); see the module docstring."""

    def __init__(self, mode: Mode = "process") -> None:
        self.mode: Mode = mode
        self._process: Any = None  # multiprocessing's SpawnProcess
        self._conn: Connection | None = None
        self._thread: threading.Thread | None = None
        self._inbox: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._outbox: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._pending: set[int] = set()  # generations sent and not yet answered

    @property
    def busy(self) -> bool:
        """Whether a request has been sent and not answered yet."""
        return bool(self._pending)

    @property
    def worker_alive(self) -> bool:
        """Whether the worker process or thread is running."""
        if self.mode == "thread":
            return self._thread is not None and self._thread.is_alive()
        return self._process is not None and self._process.is_alive()

    def submit(self, request: AnalysisRequest) -> None:
        """Queue ``request``; a request still running is abandoned at its next step."""
        self._ensure_worker()
        self._pending.add(request.generation)
        self._send(request)

    def cancel(self) -> None:
        """Abandon the running request at its next step (its :class:`Done` says cancelled)."""
        if self._pending and self.worker_alive:
            self._send(_CANCEL)

    def poll(self) -> list[Message]:
        """Every message that has arrived, without waiting."""
        out: list[Message] = []
        if self.mode == "thread":
            while True:
                try:
                    out.append(self._outbox.get_nowait())
                except queue.Empty:
                    break
        elif self._conn is not None:
            try:
                while self._conn.poll():
                    out.append(self._conn.recv())
            except (EOFError, OSError):
                out += self._worker_died()
            if self._pending and not out and not self.worker_alive:
                out += self._worker_died()
        for m in out:
            if isinstance(m, Done):
                self._pending.discard(m.generation)
        return out

    def close(self, timeout_s: float = 10.0) -> bool:
        """Stop the worker (a running request is abandoned); True when it ended in time."""
        ended = True
        if self.mode == "thread":
            if self._thread is not None:
                self._inbox.put(None)
                self._thread.join(timeout_s)
                ended = not self._thread.is_alive()
                self._thread = None
        elif self._process is not None:
            try:
                assert self._conn is not None
                self._conn.send(None)
            except (OSError, ValueError):
                pass
            self._process.join(timeout_s)
            if self._process.is_alive():
                ended = False
                self._process.terminate()
                self._process.join(2.0)
            if self._conn is not None:
                self._conn.close()
            self._process, self._conn = None, None
        self._pending.clear()
        return ended

    def _ensure_worker(self) -> None:
        if self.worker_alive:
            return
        if self.mode == "thread":
            self._inbox, self._outbox = queue.SimpleQueue(), queue.SimpleQueue()
            channel = _QueueChannel(self._inbox, self._outbox)
            self._thread = threading.Thread(
                target=serve, args=(channel,), name="ecgviewer-analysis", daemon=True
            )
            self._thread.start()
            return
        if self._conn is not None:
            self._conn.close()
        context = multiprocessing.get_context("spawn")
        parent, child = context.Pipe()
        self._process = context.Process(
            target=_serve_connection, args=(child,), name="ecgviewer-analysis", daemon=True
        )
        self._process.start()
        child.close()
        self._conn = parent

    def _send(self, message: Any) -> None:
        if self.mode == "thread":
            self._inbox.put(message)
            return
        assert self._conn is not None
        try:
            self._conn.send(message)
        except (OSError, ValueError):
            log.warning("the analysis process is gone; its request is reported as failed")

    def _worker_died(self) -> list[Message]:
        code = self._process.exitcode if self._process is not None else None
        log.error("the analysis process stopped unexpectedly (exit code %s)", code)
        error = (
            "The analysis process stopped unexpectedly"
            + (f" (exit code {code})" if code is not None else "")
            + "; it is restarted for the next record."
        )
        dead = [Done(g, None, error) for g in sorted(self._pending)]
        self._pending.clear()
        if self._conn is not None:
            self._conn.close()
        self._process, self._conn = None, None
        return list(dead)
