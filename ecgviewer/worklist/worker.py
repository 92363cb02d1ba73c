"""What runs in a worker process: hash a record's files, open it, analyse it.

Everything here is sent to spawned processes by name, so it is module-level and takes only
plain, picklable values; the worker never touches the database.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ecgviewer.analysis import AnalysisRequest, error_json_dict, run_analysis
from ecgviewer.io import RecordError, open_record
from ecgviewer.worklist.fingerprint import content_hash

#: ``analyse(path, display_path) -> analysis JSON``; must be a module-level function (it is
#: sent to the worker processes by name).
AnalyseFn = Callable[[Path, str], dict[str, Any]]


def init_worker() -> None:
    """Run once in each worker: one thread per process, since the pool already fills the cores.

    Libraries that start thread pools on import (torch, when the models arrive) read these;
    without them, 2 workers x N threads would fight over 2 cores.
    """
    for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ.setdefault(name, "1")


def analyse_file(path: Path, display_path: str) -> dict[str, Any]:
    """Open and analyse one recording: its analysis JSON, with ``error`` set if unreadable."""
    try:
        record = open_record(path)
    except RecordError as exc:
        return error_json_dict(display_path, exc.kind, exc.message)
    return run_analysis(AnalysisRequest(record, display_path=display_path)).to_json_dict()


@dataclass(frozen=True, slots=True)
class Task:
    """One record to analyse: where it is and the content hash the index gave it."""

    record_id: int
    rel_path: str
    files: tuple[str, ...]
    content_hash: str


@dataclass(frozen=True, slots=True)
class Outcome:
    """A worker's answer: the hash of what it actually read, and the JSON."""

    task: Task
    content_hash: str
    data: dict[str, Any]


def run_tasks(root: str, tasks: list[Task], analyse: AnalyseFn) -> list[Outcome]:
    """Hash and analyse records (in a worker process). A bug on one record must not stop many."""
    outcomes = []
    for task in tasks:
        path = Path(root) / task.rel_path
        digest = content_hash(path.parent, task.files)
        try:
            data = analyse(path, task.rel_path)
        except Exception as exc:
            data = error_json_dict(task.rel_path, "internal_error", f"{type(exc).__name__}: {exc}")
        outcomes.append(Outcome(task, digest, data))
    return outcomes
