"""Benchmark: GUI event-loop stalls while the viewer analyses records in the background.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_analysis_ui.py [--records 10]
        [--mode process|thread]

Opens a real main window, starts a 5 ms timer, and opens ``--records`` PTB-XL-like synthetic
12-lead records one after another, each after the previous analysis arrived (measurements,
classifier, beat labels, in the worker process as in the app). Prints the longest gap between
timer ticks (a stall of the event loop), the 99th percentile, and the time from opening a record
to its findings. The first record includes starting the worker and loading the models.
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10)
    parser.add_argument("--mode", choices=("process", "thread"), default="process")
    args = parser.parse_args()
    os.environ["ECGVIEWER_ANALYSIS_MODE"] = args.mode

    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from ecgviewer.synth import SynthSpec, synthesize
    from ecgviewer.ui.qt_main_window import QtMainWindow

    app = QApplication([])
    settings = QSettings("/tmp/ecgviewer-bench-ui.ini", QSettings.Format.IniFormat)
    window = QtMainWindow(settings=settings)
    window.resize(1400, 900)
    window.show()
    records = [synthesize(SynthSpec(hr_bpm=55 + 5 * i, seed=i)).record for i in range(args.records)]
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    done: list[float] = []
    window.measure_docks.analysisShown.connect(lambda _r: done.append(time.perf_counter()))
    latencies = []
    timer.start()
    for record in records:
        start = time.perf_counter()
        n = len(done)
        window.set_record(record)
        while len(done) == n:
            app.processEvents()
            time.sleep(0.001)
        latencies.append(done[-1] - start)
    timer.stop()
    gaps = sorted(b - a for a, b in itertools.pairwise(ticks))
    window.close()
    print(f"mode {args.mode}, {args.records} records, {len(ticks)} timer ticks")
    print(f"longest event-loop stall {gaps[-1] * 1e3:.1f} ms, p99 "
          f"{gaps[int(0.99 * (len(gaps) - 1))] * 1e3:.1f} ms (timer interval 5 ms)")  # fmt: skip
    print(f"open -> findings: first {latencies[0] * 1e3:.0f} ms (starts the worker, loads the "
          f"models), then median {statistics.median(latencies[1:]) * 1e3:.0f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
