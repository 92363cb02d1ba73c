"""Folders of small WFDB records, and stand-in analyses that produce findings.

No classifier is bundled yet, so ``fake_analyse`` adds deterministic classes, an anomaly score
and measurements to the real analysis JSON: enough to exercise flags, sorting and reviews.
These functions are module-level so spawned worker processes can import them.
"""

from __future__ import annotations

import json
import sys
import time
import zlib
from pathlib import Path
from typing import Any

from tests.io.wfdb_helpers import pseudo_ecg, write_record

FS_HZ = 100.0
N_SAMPLES = 1000  # 10 s at 100 Hz, like PTB-XL's records100


def make_folder(root: Path, n: int, *, per_folder: int = 50, start: int = 0) -> list[Path]:
    """Write ``n`` distinct 12-lead records in sub-folders of ``per_folder``; their headers."""
    headers = []
    for i in range(start, start + n):
        folder = root / f"{i // per_folder:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        signal = pseudo_ecg(12, N_SAMPLES, FS_HZ, seed=i)
        header, _ = write_record(folder, f"r{i:04d}", fs_hz=FS_HZ, signal=signal)
        headers.append(header)
    return headers


def rewrite(header: Path, seed: int) -> None:
    """Replace a record's samples with new content (same name, same size)."""
    signal = pseudo_ecg(12, N_SAMPLES, FS_HZ, seed=seed)
    write_record(header.parent, header.stem, fs_hz=FS_HZ, signal=signal)


def _unit(name: str, salt: str) -> float:
    return (zlib.crc32(f"{salt}:{name}".encode()) % 1000) / 1000.0


def fake_analyse(path: Path, display_path: str) -> dict[str, Any]:
    """The real analysis, plus findings that depend only on the record's name."""
    from ecgviewer.worklist.worker import analyse_file

    data = analyse_file(path, display_path)
    if data["error"] is None:
        name = data["record_name"]
        data["classes"] = {
            c: {"probability": _unit(name, c), "threshold": 0.7, "flagged": _unit(name, c) >= 0.7}
            for c in ("AF", "LBBB", "STEMI")
        }
        score = 4.0 * _unit(name, "anomaly")
        data["anomaly"] = {"score": score, "threshold": 3.5, "flagged": score >= 3.5}
        hr = 50.0 + 60.0 * _unit(name, "hr")
        data["measurements"].update(
            hr_bpm=hr,
            qrs_ms=80.0 + 60 * _unit(name, "qrs"),
            qtc_bazett_ms=380 + 120 * _unit(name, "qtc"),
        )
    return data


def slow_analyse(path: Path, display_path: str) -> dict[str, Any]:
    """:func:`fake_analyse` taking 25 ms, so a test can kill a batch half-way."""
    time.sleep(0.025)
    return fake_analyse(path, display_path)


def batch_main() -> None:
    """``python -c 'from tests.worklist.helpers import batch_main; batch_main()' ROOT DB``."""
    from ecgviewer.worklist import Store, index_folder, run_batch

    root, db = sys.argv[1], sys.argv[2]
    with Store.open(db, root, version="test") as store:
        index_folder(store)
        report = run_batch(store, workers=2, analyse=slow_analyse, chunk_size=2)
    print(json.dumps({"analysed": report.analysed, "pending": report.pending}))


def crashing_analyse(path: Path, display_path: str) -> dict[str, Any]:
    """:func:`fake_analyse`, except that record ``r0005`` kills its worker process."""
    if path.stem == "r0005":
        import os

        os._exit(3)
    return fake_analyse(path, display_path)


def buggy_analyse(path: Path, display_path: str) -> dict[str, Any]:
    """:func:`fake_analyse`, except that record ``r0003`` raises (a bug, not a bad file)."""
    if path.stem == "r0003":
        raise ZeroDivisionError("division by zero")
    return fake_analyse(path, display_path)
