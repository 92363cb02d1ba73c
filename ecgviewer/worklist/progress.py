"""Progress of a batch (done, total, records per second, time left) and its pause/cancel switch.

Both are Qt-free: the screen's worker thread passes a callback that emits a signal, and calls
:class:`BatchControl` from the GUI thread; the headless command prints the same figures.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import Literal

BatchState = Literal["running", "paused", "cancelling", "finished", "cancelled"]

_RATE_WINDOW_S = 10.0  # records/s over the last 10 s of work: follows a change, does not jitter


class BatchControl:
    """Pause, resume and cancel a running batch; safe to call from any thread.

    The batch checks the switch between records: after ``pause()`` no new record starts (the
    few already running finish and are stored); after ``cancel()`` the batch stores what has
    finished and returns.
    """

    def __init__(self) -> None:
        self._running = threading.Event()
        self._running.set()
        self._cancelled = threading.Event()

    def pause(self) -> None:
        """Start no new record until :meth:`resume`."""
        self._running.clear()

    def resume(self) -> None:
        """Continue after :meth:`pause`."""
        self._running.set()

    def cancel(self) -> None:
        """Stop: keep the results already computed, start nothing new."""
        self._cancelled.set()
        self._running.set()

    @property
    def paused(self) -> bool:
        """True between :meth:`pause` and :meth:`resume` (False once cancelled)."""
        return not self._running.is_set()

    @property
    def cancelled(self) -> bool:
        """True once :meth:`cancel` was called."""
        return self._cancelled.is_set()

    def wait_while_paused(self, timeout_s: float) -> None:
        """Block up to ``timeout_s`` while paused (returns at once when running)."""
        self._running.wait(timeout_s)


@dataclass(frozen=True, slots=True)
class BatchProgress:
    """One progress report: what a progress bar and its label show."""

    done: int
    total: int
    errors: int
    elapsed_s: float
    records_per_s: float | None
    eta_s: float | None
    state: BatchState

    @property
    def fraction(self) -> float:
        """Done as a fraction of the total (1.0 when there was nothing to do)."""
        return self.done / self.total if self.total else 1.0

    def describe(self) -> str:
        """One line for a status bar or a terminal, e.g. ``"1200 of 19601 (6 %) · 310/s"``."""
        text = f"{self.done} of {self.total} records ({100 * self.fraction:.0f} %)"
        if self.errors:
            text += f", {self.errors} unreadable"
        if self.records_per_s is not None:
            text += f" · {self.records_per_s:.0f} records/s"
        if self.state == "running" and self.eta_s is not None:
            text += f" · {format_duration(self.eta_s)} left"
        elif self.state != "running":
            text += f" · {self.state}"
        return text


def format_duration(seconds: float) -> str:
    """``42 s``, ``3 min``, ``1 h 05 min``: precise enough for a time-left estimate."""
    if seconds < 60:
        return f"{seconds:.0f} s"
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    hours, rest = divmod(int(seconds), 3600)
    return f"{hours} h {rest // 60:02d} min"


class ProgressClock:
    """Counts work time (pauses excluded) and the recent rate, to report :class:`BatchProgress`."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.done = 0
        self.errors = 0
        self._start = time.monotonic()
        self._paused_s = 0.0
        self._paused_at: float | None = None
        # The rate is measured from the first result on: starting the workers is not work.
        self._samples: deque[tuple[float, int]] = deque()

    def work_time(self) -> float:
        """Seconds since the start, minus the time spent paused."""
        now = self._paused_at if self._paused_at is not None else time.monotonic()
        return now - self._start - self._paused_s

    def set_paused(self, paused: bool) -> None:
        """Stop or restart the work clock."""
        if paused and self._paused_at is None:
            self._paused_at = time.monotonic()
        elif not paused and self._paused_at is not None:
            self._paused_s += time.monotonic() - self._paused_at
            self._paused_at = None

    def add(self, done: int, errors: int) -> None:
        """Count finished records (``errors`` of them unreadable)."""
        self.done += done
        self.errors += errors
        t = self.work_time()
        self._samples.append((t, self.done))
        while len(self._samples) > 2 and t - self._samples[1][0] > _RATE_WINDOW_S:
            self._samples.popleft()

    def progress(self, state: BatchState) -> BatchProgress:
        """The report for this instant."""
        rate = None
        if len(self._samples) >= 2:
            (t0, done0), (t1, done1) = self._samples[0], self._samples[-1]
            rate = (done1 - done0) / (t1 - t0) if t1 - t0 > 0.5 and done1 > done0 else None
        eta = (self.total - self.done) / rate if rate else None
        return BatchProgress(self.done, self.total, self.errors, self.work_time(), rate, eta, state)
