"""Benchmark: worklist indexing, batch analysis throughput, database size, list queries.

Prints figures; asserts nothing (the goals are read from its output).

    .venv/bin/python benchmarks/bench_worklist.py [--records 1000] [--workers 2]

Uses the PTB-XL 100 Hz tree (``$ECG_DATA_DIR`` or ``~/.cache/ecg-data``, ``ptb-xl/records100``,
~20 000 10-s 12-lead records). Databases go to a temporary folder; the recordings are only read.

* Indexing: the full tree into a new database (every record read and hashed), then again with
  nothing changed (stat only). Goal < 20 s. The first pass depends on the page cache: run it
  after ``cat`` of the tree for the warm figure, on a fresh boot for the cold one.
* Throughput: ``--records`` records (a folder of symbolic links to them) analysed with
  ``--workers`` processes by the app's own analysis (``run_analysis``: whatever models the app
  bundles run). Goal >= 30 records/s on 2 cores. Reported whole (worker start-up included) and
  steady (the rate of the last 10 s of progress).
* Size: the database of those records after analysis, per 1 000 records.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from ecgviewer.worklist import (
    BatchProgress,
    Store,
    WorklistFilter,
    WorklistQuery,
    index_folder,
    list_records,
    run_batch,
)


def data_tree() -> Path:
    root = Path(os.environ.get("ECG_DATA_DIR", Path.home() / ".cache" / "ecg-data"))
    return root / "ptb-xl" / "records100"


def db_bytes(store: Store) -> int:
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return sum(p.stat().st_size for p in store.path.parent.glob(store.path.name + "*"))


def bench_index(tree: Path, tmp: Path) -> None:
    with Store.open(tmp / "full.sqlite3", tree) as store:
        first = index_folder(store)
        again = index_folder(store)
        size = db_bytes(store)
    print(f"index, full tree: {first.total} records, {first.hashed_bytes / 1e6:.0f} MB hashed")
    print(f"  first index (read + hash every record): {first.elapsed_s:6.2f} s  (goal < 20 s)")
    print(f"  re-index, nothing changed (stat only):  {again.elapsed_s:6.2f} s")
    print(f"  index-only database: {size / 1e6:.1f} MB ({size / first.total:.0f} B per record)")


def link_subset(tree: Path, target: Path, n: int) -> int:
    """A folder of links to the first ``n`` records (so only they are indexed)."""
    count = 0
    for header in sorted(tree.rglob("*.hea")):
        folder = target / header.parent.name
        folder.mkdir(parents=True, exist_ok=True)
        for f in header.parent.glob(header.stem + ".*"):
            (folder / f.name).symlink_to(f)
        count += 1
        if count == n:
            break
    return count


def bench_batch(tree: Path, tmp: Path, n: int, workers: int) -> None:
    subset = tmp / "subset"
    n = link_subset(tree, subset, n)
    last: list[BatchProgress] = []
    with Store.open(tmp / "subset.sqlite3", subset) as store:
        index_folder(store)
        before = db_bytes(store)
        report = run_batch(store, workers=workers, on_progress=last.append)
        steady = max((p.records_per_s or 0.0) for p in last[-5:])
        after = db_bytes(store)
        t0 = time.perf_counter()
        rows = list_records(store)
        t_list = time.perf_counter() - t0
        t0 = time.perf_counter()
        list_records(store, WorklistQuery(WorklistFilter(flagged=True), sort_by="qrs_ms"))
        t_filter = time.perf_counter() - t0
        json_len = store.conn.execute("SELECT avg(length(result_json)) FROM results").fetchone()
    print(f"batch: {report.analysed} records, {workers} workers, {report.errors} unreadable")
    print(
        f"  whole run {report.elapsed_s:.1f} s = {report.records_per_s:.0f} records/s "
        f"(start-up included); steady {steady:.0f} records/s  (goal >= 30)"
    )
    print(f"  analysis version: {store.version}")
    print(
        f"database per 1 000 records: {after * 1000 / n / 1e6:.2f} MB analysed "
        f"({before * 1000 / n / 1e6:.2f} MB index only; result JSON {json_len[0]:.0f} B avg)"
    )
    print(f"list {len(rows)} rows (priority sort): {1000 * t_list:.0f} ms; filtered: "
          f"{1000 * t_filter:.0f} ms")  # fmt: skip


def bench_list_full(tmp: Path, tree: Path) -> None:
    with Store.open(tmp / "full.sqlite3", tree) as store:
        t0 = time.perf_counter()
        rows = list_records(store)
        print(f"list full tree, {len(rows)} rows: {1000 * (time.perf_counter() - t0):.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skip-index", action="store_true", help="only the batch figures")
    args = parser.parse_args()
    tree = data_tree()
    if not tree.is_dir():
        raise SystemExit(f"{tree} not found: unpack the data sets (see README, Data sets)")
    print(f"{os.cpu_count()} CPUs; tree {tree}")
    with tempfile.TemporaryDirectory() as tmp:
        if not args.skip_index:
            bench_index(tree, Path(tmp))
            bench_list_full(Path(tmp), tree)
        bench_batch(tree, Path(tmp), args.records, args.workers)


if __name__ == "__main__":
    main()
