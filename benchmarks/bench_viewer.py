"""Benchmark: the viewer's first paint, scroll frame time and long-record memory, beside wfdb.

Prints figures; asserts nothing (the goals are read from its output):

* time from ``open_path`` to the first full paint of a 10 s 12-lead PTB-XL record, measured
  after start-up (QApplication and window already created, imports done) — goal < 150 ms;
* paint time per frame while scrolling the 30-minute MIT-BIH record 101 at 25 mm/s — goal a
  median < 16 ms;
* peak resident memory of a fresh process that opens, draws and scrolls a generated 24 h
  3-lead 250 Hz Holter — goal < 1.5 GB;
* ``wfdb.plot_wfdb`` of the same 10 s record with matplotlib's Agg backend, for comparison.

    .venv/bin/python benchmarks/bench_viewer.py [--frames 300] [--hours 24]

Runs on Qt's offscreen platform unless ``QT_QPA_PLATFORM`` says otherwise (``xcb`` under Xvfb
gives the same order of figures). Data sets are read from ~/.cache/ecg-data.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

DATA = Path(os.environ.get("ECG_DATA_DIR", Path.home() / ".cache" / "ecg-data"))
PTBXL_LR = DATA / "ptb-xl" / "records100" / "00000"
PTBXL_HR = DATA / "ptb-xl" / "records500" / "00000"
MITDB = DATA / "mitdb" / "101.hea"
WINDOW_SIZE = (1500, 850)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def _summary(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return (
        f"median {_ms(statistics.median(ordered))}, p95 {_ms(p95)}, max {_ms(ordered[-1])} "
        f"({len(ordered)} frames)"
    )


class _PaintCounter:
    """Counts paint events of the paper's viewport (installed as a Qt event filter)."""

    def __init__(self) -> None:
        from PySide6.QtCore import QEvent, QObject

        class Filter(QObject):
            count = 0

            def eventFilter(self, obj, event):  # type: ignore[no-untyped-def]
                if event.type() == QEvent.Type.Paint:
                    Filter.count += 1
                return False

        self.filter = Filter()


_COUNTER: _PaintCounter | None = None


def paint_now(app, window) -> None:  # type: ignore[no-untyped-def]
    """Run the event loop until the viewport has painted once (what a user would wait for)."""
    global _COUNTER
    port = window.view.viewport()
    if _COUNTER is None:
        _COUNTER = _PaintCounter()
        port.installEventFilter(_COUNTER.filter)
    before = _COUNTER.filter.count
    for _ in range(100):
        app.processEvents()
        if _COUNTER.filter.count != before:
            return
    port.repaint()  # no paint was scheduled: force one so the figure is never flattering


def start_up():  # type: ignore[no-untyped-def]
    """QApplication and a shown window, as ``ecgviewer`` creates them; returns (app, window)."""
    t0 = time.perf_counter()
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from ecgviewer.ui.app import warm_up_imports
    from ecgviewer.ui.qt_main_window import QtMainWindow

    app = QApplication.instance() or QApplication(["bench"])
    t_import = time.perf_counter()
    warm_up_imports()  # ecgviewer runs this in a background thread at launch
    t_filters = time.perf_counter()
    settings = QSettings(tempfile.mktemp(suffix=".ini"), QSettings.Format.IniFormat)
    window = QtMainWindow(settings=settings)
    window.resize(*WINDOW_SIZE)
    window.show()
    app.processEvents()
    t_window = time.perf_counter()
    print(
        f"start-up: imports + QApplication {_ms(t_import - t0)}, wfdb + scipy.signal imports "
        f"(a background thread in the app) {_ms(t_filters - t_import)}, "
        f"window {_ms(t_window - t_filters)} "
        f"[platform {app.platformName()}, {window.view.px_per_mm:.2f} px/mm]"
    )
    return app, window


def first_paint(app, window, folder: Path, suffix: str) -> None:  # type: ignore[no-untyped-def]
    """open_path -> page built -> viewport painted, for several 10 s 12-lead records."""
    paths = sorted(folder.glob(f"*_{suffix}.hea"))[:6]
    if not paths:
        print(f"first paint: no PTB-XL records in {folder} (skipped)")
        return
    times = []
    for path in paths:
        app.processEvents()
        t0 = time.perf_counter()
        window.open_path(str(path), remember=False)
        paint_now(app, window)
        times.append(time.perf_counter() - t0)
    record = window.record
    print(
        f"first paint after open_record, PTB-XL {suffix} ({record.fs_hz:g} Hz, "
        f"{record.n_leads} leads, 3x4+1, baseline filter on): first {_ms(times[0])}, "
        f"median of {len(times)} records {_ms(statistics.median(times))}  [goal < 150 ms]"
    )


def scroll_frames(app, window, frames: int) -> None:  # type: ignore[no-untyped-def]
    if not MITDB.is_file():
        print(f"scroll: {MITDB} missing (skipped)")
        return
    from ecgviewer.controllers.display_filters import DisplayFilters

    window.open_path(str(MITDB), remember=False)
    step_s = 0.2  # 5 mm of paper per frame at 25 mm/s: 300 mm/s at 60 frames/s
    for name, filters in (
        ("raw", DisplayFilters()),
        ("baseline + 60 Hz notch", DisplayFilters(baseline=True, notch_hz=60.0)),
    ):
        window.update_state(lambda s, f=filters: s.with_speed(25.0).with_filters(f).scrolled_to(0))
        app.processEvents()
        build, total = [], []
        for _ in range(frames):
            t0 = time.perf_counter()
            window.update_state(lambda s: s.scrolled_by(step_s))
            t1 = time.perf_counter()
            paint_now(app, window)
            t2 = time.perf_counter()
            build.append(t1 - t0)
            total.append(t2 - t0)
        points = window.view.shown_page.n_points
        print(
            f"scroll MIT-BIH 101 at 25 mm/s, {name}: frame (state -> page -> paint) "
            f"{_summary(total)}; page build alone median {_ms(statistics.median(build))}; "
            f"{points} points drawn per frame  [goal median < 16 ms]"
        )


def memory_child(path: str) -> None:
    """Runs in a fresh process: open, draw and scroll a long record; print peak RSS."""
    app, window = start_up()
    t0 = time.perf_counter()
    window.open_path(path, remember=False)
    paint_now(app, window)
    opened = time.perf_counter() - t0
    record = window.record
    frame = []
    for i in range(200):  # jump across the whole day, then scroll
        t = (i / 200) * record.duration_s
        t1 = time.perf_counter()
        window.update_state(lambda s, t=t: s.scrolled_to(t))
        paint_now(app, window)
        frame.append(time.perf_counter() - t1)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        f"{record.duration_s / 3600:g} h Holter: {record.n_leads} leads x "
        f"{record.n_samples:,} samples at "
        f"{record.fs_hz:g} Hz ({record.samples.nbytes / 1e6:.0f} MB as float32); open + "
        f"overview + first paint {opened:.2f} s; jump-and-paint {_summary(frame)}; "
        f"peak RSS {peak_kb / 1024:.0f} MB  [goal < 1500 MB]"
    )
    window.close()


def memory(hours: float) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_open import write_holter

    with tempfile.TemporaryDirectory() as tmp:
        header = write_holter(Path(tmp), hours)
        out = subprocess.run(
            [sys.executable, __file__, "--memory-child", str(header)],
            capture_output=True,
            text=True,
            check=False,
        )
        lines = [line for line in out.stdout.splitlines() if " h Holter:" in line]
        print(lines[-1] if lines else f"memory run failed:\n{out.stdout}\n{out.stderr}")


def wfdb_plot() -> None:
    paths = sorted(PTBXL_LR.glob("*_lr.hea"))[:6]
    if not paths:
        return
    t0 = time.perf_counter()
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import wfdb

    t_import = time.perf_counter() - t0
    times = []
    for path in paths:
        t1 = time.perf_counter()
        record = wfdb.rdrecord(str(path.with_suffix("")))
        figure = wfdb.plot_wfdb(record=record, figsize=(15, 10), return_fig=True)
        figure.canvas.draw()
        times.append(time.perf_counter() - t1)
        plt.close(figure)
    print(
        f"wfdb.plot_wfdb (matplotlib Agg) of PTB-XL lr, read + plot + draw: first "
        f"{_ms(times[0])}, median of {len(times)} {_ms(statistics.median(times))} "
        f"(imports once {_ms(t_import)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--frames", type=int, default=300)
    parser.add_argument("--hours", type=float, default=24.0)
    parser.add_argument("--memory-child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        memory_child(args.memory_child)
        return
    app, window = start_up()
    first_paint(app, window, PTBXL_LR, "lr")
    first_paint(app, window, PTBXL_HR, "hr")
    scroll_frames(app, window, args.frames)
    window.close()
    memory(args.hours)
    wfdb_plot()


if __name__ == "__main__":
    main()
