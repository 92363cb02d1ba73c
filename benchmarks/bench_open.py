"""Benchmark: time and peak memory to open long records.

Prints figures; asserts nothing (speed and memory goals are read from its output).

    .venv/bin/python benchmarks/bench_open.py [--hours 24]

Writes a synthetic 3-lead 250 Hz Holter (format 16) into a temporary folder, then opens it and a
30-minute MIT-BIH record (when the data sets are unpacked in ~/.cache/ecg-data).
"""

from __future__ import annotations

import argparse
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np

from ecgviewer.io import open_record


def write_holter(folder: Path, hours: float, fs_hz: int = 250, n_leads: int = 3) -> Path:
    """A long format-16 WFDB record written directly with numpy (wfdb's writer holds it twice)."""
    n = int(hours * 3600 * fs_hz)
    rng = np.random.default_rng(0)
    t = np.arange(n, dtype=np.float64) / fs_hz
    beat = np.exp(-(((t % 0.85) - 0.3) ** 2) / (2 * 0.012**2))
    digital = np.empty((n, n_leads), dtype="<i2")
    for ch in range(n_leads):
        digital[:, ch] = np.round((0.8 + 0.3 * ch) * 1000 * beat + rng.normal(0, 15, n))
    (folder / "holter.dat").write_bytes(digital.tobytes())
    sums = digital.sum(axis=0, dtype=np.int64)
    lines = [f"holter {n_leads} {fs_hz} {n}"]
    for ch, name in enumerate(["ECG1", "ECG2", "ECG3"][:n_leads]):
        first = int(digital[0, ch])
        lines.append(f"holter.dat 16 1000/mV 16 0 {first} {int(sums[ch]) & 0xFFFF} 0 {name}")
    (folder / "holter.hea").write_text("\n".join(lines) + "\n")
    return folder / "holter.hea"


def measure(path: Path) -> None:
    tracemalloc.start()
    t0 = time.perf_counter()
    rec = open_record(path)
    elapsed = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    final = rec.samples.nbytes
    print(
        f"{rec.record_name:>8}: {rec.n_leads} leads × {rec.n_samples:,} samples "
        f"({rec.duration_s / 3600:.2f} h at {rec.fs_hz:g} Hz) opened in {elapsed:.2f} s; "
        f"record {final / 1e6:.0f} MB, peak allocation {peak / 1e6:.0f} MB "
        f"(overhead {(peak - final) / 1e6:.1f} MB)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--hours", type=float, default=24.0)
    args = parser.parse_args()
    t0 = time.perf_counter()
    import wfdb  # noqa: F401  (imported once per session; timed apart from reading)

    print(f"importing wfdb (once per session): {time.perf_counter() - t0:.2f} s")
    mitdb = Path.home() / ".cache" / "ecg-data" / "mitdb" / "101.hea"
    if mitdb.is_file():
        measure(mitdb)
    with tempfile.TemporaryDirectory() as tmp:
        measure(write_holter(Path(tmp), args.hours))


if __name__ == "__main__":
    main()
