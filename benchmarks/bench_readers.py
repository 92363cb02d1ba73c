"""Benchmark: time and peak memory of the EDF and CSV readers.

Prints figures; asserts nothing (speed and memory goals are read from its output).

    .venv/bin/python benchmarks/bench_readers.py [--hours 24]

Writes, into a temporary folder, a 10-second 12-lead 500 Hz CSV and a 3-lead 250 Hz EDF Holter
of ``--hours``, then opens each. Goals: the CSV opens well under 100 ms; the Holter's peak
allocation stays within a few MB of its float32 record (no float64 or second float32 copy).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import tracemalloc
from pathlib import Path

import edfio
import numpy as np

from ecgviewer.io import STANDARD_LEADS, open_record

FS = 500


def write_holter(folder: Path, hours: float, fs_hz: int = 250) -> Path:
    """A long EDF written from int16 digital values, so writing never holds float64 copies."""
    n = int(hours * 3600) * fs_hz
    t = np.arange(n) / fs_hz
    beat = np.exp(-(((t % 0.85) - 0.3) ** 2) / (2 * 0.012**2))
    signals = [
        edfio.EdfSignal.from_digital(
            np.round(beat * (800 + 300 * k)).astype(np.int16),
            fs_hz,
            label=f"ECG{k + 1}",
            physical_dimension="uV",
            physical_range=(-32768.0, 32767.0),
            digital_range=(-32768, 32767),
        )
        for k in range(3)
    ]
    path = folder / "holter.edf"
    edfio.Edf(signals).write(path)
    return path


def write_csv(folder: Path) -> Path:
    """Ten seconds of 12 leads in µV with a time column, as spreadsheet exports look."""
    t = np.arange(10 * FS) / FS
    mv = np.array([np.sin(2 * np.pi * (k + 1) * t) + 0.1 * k for k in range(12)])
    header = "time_s," + ",".join(f"{lead} (uV)" for lead in STANDARD_LEADS)
    path = folder / "ten_s.csv"
    np.savetxt(path, np.column_stack([t, mv.T * 1000]), "%.3f", ",", header=header, comments="")
    return path


def measure(path: Path, repeats: int = 1) -> None:
    times = []
    for _ in range(repeats):
        tracemalloc.start()
        t0 = time.perf_counter()
        rec = open_record(path)
        times.append(time.perf_counter() - t0)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    final = rec.samples.nbytes
    print(
        f"{path.name:>12} ({rec.source_format}): {rec.n_leads} leads × {rec.n_samples:,} samples "
        f"at {rec.fs_hz:g} Hz; median open {1000 * statistics.median(times):.1f} ms; record "
        f"{final / 1e6:.1f} MB, peak allocation {peak / 1e6:.1f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--hours", type=float, default=24.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        measure(write_csv(Path(tmp)), repeats=7)
        measure(write_holter(Path(tmp), args.hours))


if __name__ == "__main__":
    main()
