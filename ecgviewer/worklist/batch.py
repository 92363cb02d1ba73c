"""Batch analysis of the records that need it, in a process pool, crash-safe.

Worker processes (spawned, 2 by default) open, hash and analyse records; only the parent
writes, in small transactions. A result is stored under ``(content_hash, analysis_version)``
with an upsert, so a batch killed at any instant leaves a consistent database and the next run
analyses exactly the records that have no result yet: nothing lost, nothing twice.
"""

from __future__ import annotations

import logging
import multiprocessing
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from ecgviewer.analysis import error_json_dict
from ecgviewer.worklist.progress import BatchControl, BatchProgress, ProgressClock
from ecgviewer.worklist.results import save_result
from ecgviewer.worklist.store import Store, utc_now
from ecgviewer.worklist.version import analysis_version, bundled_models
from ecgviewer.worklist.worker import (
    AnalyseFn,
    Outcome,
    Task,
    analyse_file,
    init_worker,
    run_tasks,
)

log = logging.getLogger(__name__)

_CRASHED = (
    "The analysis process stopped while reading this recording (it may be damaged, or too "
    "large for this computer's memory). It will be tried again on the next run."
)


@dataclass(frozen=True, slots=True)
class BatchReport:
    """What a batch did: ``analysed`` results stored, ``errors`` of them unreadable records."""

    pending: int
    analysed: int
    errors: int
    cancelled: bool
    elapsed_s: float

    @property
    def records_per_s(self) -> float:
        """Throughput over the whole batch, start-up of the workers included."""
        return self.analysed / self.elapsed_s if self.elapsed_s > 0 else 0.0


def pending_tasks(store: Store) -> list[Task]:
    """Present records with no result for ``store.version`` (one per distinct content).

    Results of an ``internal_error`` (a bug, or a worker that died) are tried again.
    """
    rows = store.conn.execute(
        "SELECT min(id), rel_path, files, content_hash FROM records rec "
        "WHERE present = 1 AND content_hash IS NOT NULL AND NOT EXISTS ("
        "  SELECT 1 FROM results res WHERE res.content_hash = rec.content_hash"
        "  AND res.analysis_version = ? AND coalesce(res.error_kind, '') <> 'internal_error') "
        "GROUP BY content_hash ORDER BY rel_path",
        (store.version,),
    )
    return [Task(r[0], r[1], tuple(r[2].split("\n")), r[3]) for r in rows]


class _Writer:
    """The one writer: buffers outcomes and commits them in small transactions."""

    def __init__(self, store: Store, interval_s: float) -> None:
        self.store = store
        self.interval_s = interval_s
        self.buffer: list[Outcome] = []
        self.last = time.monotonic()
        self.expected_version = analysis_version(bundled_models())
        self.warned = False

    def add(self, outcomes: list[Outcome]) -> None:
        self.buffer.extend(outcomes)
        for o in outcomes:
            models = o.data.get("models") or {}
            if (
                not self.warned
                and not o.data.get("error")
                and (analysis_version(models) != self.expected_version)
            ):
                self.warned = True
                log.warning("run_analysis reports models %s; update worklist.version", models)

    def commit(self, force: bool = False) -> None:
        due = time.monotonic() - self.last >= self.interval_s or len(self.buffer) >= 256
        if not self.buffer or not (force or due):
            return
        now = utc_now()
        with self.store.transaction() as tx:
            for o in self.buffer:
                if o.content_hash != o.task.content_hash:  # changed since indexing
                    tx.execute(
                        "UPDATE records SET content_hash = ? WHERE id = ?",
                        (o.content_hash, o.task.record_id),
                    )
                save_result(tx, o.content_hash, self.store.version, o.data, now)
        self.buffer.clear()
        self.last = time.monotonic()


def run_batch(
    store: Store,
    *,
    workers: int = 2,
    control: BatchControl | None = None,
    on_progress: Callable[[BatchProgress], None] | None = None,
    analyse: AnalyseFn = analyse_file,
    chunk_size: int = 8,
    commit_interval_s: float = 0.5,
) -> BatchReport:
    """Analyse every record of ``store`` that has no result for ``store.version``.

    Parameters
    ----------
    store
        The worklist database; this call is its only writer while it runs.
    workers
        Worker processes (spawn context). ``0`` analyses in this process, synchronously (tests,
        debugging).
    control
        Pause, resume and cancel from another thread; checked between records.
    on_progress
        Called in this thread after each stored group of records and while paused.
    analyse
        The per-record analysis, :func:`analyse_file` unless a test substitutes one.
    chunk_size
        Records per worker task: fewer round trips, a slightly later pause.
    commit_interval_s
        Results wait at most this long (or for 256 results) before they are committed.
    """
    control = control or BatchControl()
    tasks = pending_tasks(store)
    clock = ProgressClock(len(tasks))
    writer = _Writer(store, commit_interval_s)
    t0 = time.monotonic()

    def collect(outcomes: list[Outcome]) -> None:
        writer.add(outcomes)
        writer.commit()
        clock.add(len(outcomes), sum(1 for o in outcomes if o.data.get("error")))
        if on_progress is not None:
            on_progress(clock.progress("running"))

    try:
        if workers <= 0:
            for task in tasks:
                while control.paused:
                    clock.set_paused(True)
                    if on_progress is not None:
                        on_progress(clock.progress("paused"))
                    control.wait_while_paused(0.2)
                clock.set_paused(False)
                if control.cancelled:
                    break
                collect(run_tasks(str(store.root), [task], analyse))
        else:
            _run_pool(
                store, tasks, workers, chunk_size, control, clock, analyse, collect, on_progress
            )
    finally:
        writer.commit(force=True)
    report = BatchReport(
        len(tasks), clock.done, clock.errors, control.cancelled, time.monotonic() - t0
    )
    if on_progress is not None:
        on_progress(clock.progress("cancelled" if control.cancelled else "finished"))
    return report


def _run_pool(
    store: Store,
    tasks: list[Task],
    workers: int,
    chunk_size: int,
    control: BatchControl,
    clock: ProgressClock,
    analyse: AnalyseFn,
    collect: Callable[[list[Outcome]], None],
    on_progress: Callable[[BatchProgress], None] | None,
) -> None:
    """Feed chunks to the pool, a few ahead of the workers, so pause and cancel act quickly."""
    root = str(store.root)
    queue: deque[tuple[list[Task], bool]] = deque(
        (tasks[i : i + chunk_size], False) for i in range(0, len(tasks), chunk_size)
    )
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(workers, context, init_worker)
    inflight: dict[Future[list[Outcome]], tuple[list[Task], bool]] = {}
    try:
        while queue or inflight:
            if control.cancelled:
                queue.clear()
                for future in inflight:
                    future.cancel()
            clock.set_paused(control.paused and not inflight)
            while queue and not control.paused and len(inflight) < 2 * workers:
                if queue[0][1] and inflight:
                    break  # a suspect record runs alone, so that a crash names it
                chunk, suspect = queue.popleft()
                inflight[pool.submit(run_tasks, root, chunk, analyse)] = (chunk, suspect)
                if suspect:
                    break
            if not inflight:
                if on_progress is not None:
                    on_progress(clock.progress("paused"))
                control.wait_while_paused(0.25)
                continue
            wait(inflight, timeout=0.25, return_when=FIRST_COMPLETED)
            if _collect_done(inflight, queue, collect):
                log.warning("a worker process died; starting new workers")
                pool.shutdown(wait=False, cancel_futures=True)
                pool = ProcessPoolExecutor(workers, context, init_worker)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _collect_done(
    inflight: dict[Future[list[Outcome]], tuple[list[Task], bool]],
    queue: deque[tuple[list[Task], bool]],
    collect: Callable[[list[Outcome]], None],
) -> bool:
    """Store finished chunks; True when the pool broke (a worker died).

    After a break, every chunk not finished goes back to the front of the queue one record at
    a time, as a suspect; a suspect that breaks the pool again, running alone, is the culprit
    and gets an ``internal_error`` result (tried again on the next run), so one bad file
    cannot stop a batch of thousands.
    """
    broken = any(
        f.done() and not f.cancelled() and isinstance(f.exception(), BrokenProcessPool)
        for f in inflight
    )
    if broken:
        wait(inflight, timeout=10.0)  # the executor fails every pending future at once
    retry: list[Task] = []
    for future in [f for f in inflight if f.done()]:
        chunk, suspect = inflight.pop(future)
        if future.cancelled():
            continue  # cancelled before it started: stays pending for the next run
        error = future.exception()
        if error is None:
            collect(future.result())
        elif not isinstance(error, BrokenProcessPool):
            raise error  # not a record's fault (run_tasks catches those): a bug to see
        elif suspect:
            task = chunk[0]
            data = error_json_dict(task.rel_path, "internal_error", _CRASHED)
            collect([Outcome(task, task.content_hash, data)])
        else:
            retry.extend(chunk)
    if broken:  # whatever the dead pool still held is lost with it: run it again
        for future, (chunk, _) in inflight.items():
            future.cancel()
            retry.extend(chunk)
        inflight.clear()
    queue.extendleft(([t], True) for t in reversed(retry))
    return broken
