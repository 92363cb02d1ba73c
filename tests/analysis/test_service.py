"""The analysis service: newest request wins, cancel, worker death, in a thread and a process."""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
import pytest

from ecgviewer.analysis import AnalysisRequest
from ecgviewer.analysis.service import AnalysisService, Done, Message, Progress
from ecgviewer.io import make_record

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def strip(name: str, seconds: float = 10.0) -> AnalysisRequest:
    """A 2-lead record (no 12-lead classifier run: fast) with a beat every second."""
    fs = 250.0
    x = np.zeros((2, int(seconds * fs)), dtype=np.float32)
    x[:, int(0.5 * fs) :: int(fs)] = 1.0
    return AnalysisRequest(make_record(x, fs, ["II", "V5"], name))


def collect(service: AnalysisService, until: Callable[[list[Message]], bool]) -> list[Message]:
    got: list[Message] = []
    deadline = time.monotonic() + 60
    while not until(got):
        assert time.monotonic() < deadline, got
        got += service.poll()
        time.sleep(0.005)
    return got


def done(got: list[Message]) -> dict[int, Done]:
    return {m.generation: m for m in got if isinstance(m, Done)}


@pytest.mark.parametrize("mode", ["thread", "process"])
def test_each_request_is_answered_once_and_the_newest_is_analysed(mode: str) -> None:
    service = AnalysisService(mode)  # type: ignore[arg-type]
    try:
        for g in range(1, 6):
            service.submit(AnalysisRequest(strip(f"r{g}").record, generation=g))
        got = collect(service, lambda m: 5 in done(m))
        answers = done(got)
        assert not service.busy
        last = answers[5]
        assert last.result is not None and last.result.summary.record_name == "r5"
        assert last.result.generation == 5 and not last.cancelled
        # every older request was answered too (abandoned or finished), none twice
        assert sorted(g for g in answers) == [g for g in range(1, 6) if g in answers]
        assert all(a.cancelled or a.result is not None for a in answers.values())
        steps = [m.step for m in got if isinstance(m, Progress) and m.generation == 5]
        assert steps == ["Measuring intervals", "Classifier", "Beat labels", "Anomaly model"]
    finally:
        assert service.close()
    assert not service.worker_alive


def test_cancel_abandons_the_running_request() -> None:
    service = AnalysisService("thread")
    try:
        service.submit(AnalysisRequest(strip("long", 300.0).record, generation=1))
        collect(service, lambda m: any(isinstance(x, Progress) for x in m))
        service.cancel()
        answer = done(collect(service, lambda m: 1 in done(m)))[1]
        assert answer.cancelled and answer.result is None
        service.submit(AnalysisRequest(strip("next").record, generation=2))
        assert done(collect(service, lambda m: 2 in done(m)))[2].result is not None
    finally:
        service.close()


def test_a_dead_worker_process_is_reported_and_replaced() -> None:
    service = AnalysisService("process")
    try:
        service.submit(AnalysisRequest(strip("a", 300.0).record, generation=1))
        collect(service, lambda m: any(isinstance(x, Progress) for x in m))
        service._process.kill()  # a crash in a native library, mid-analysis
        answer = done(collect(service, lambda m: 1 in done(m)))[1]
        assert answer.result is None and "stopped unexpectedly" in answer.error
        assert not service.busy
        service.submit(AnalysisRequest(strip("b").record, generation=2))
        again = done(collect(service, lambda m: 2 in done(m)))[2]
        assert again.result is not None and again.result.summary.record_name == "b"
    finally:
        service.close()
