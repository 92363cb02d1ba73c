"""QRS detection on the MIT-BIH Arrhythmia DS1 records: sensitivity and positive predictivity.

    .venv/bin/python benchmarks/validate_mitdb_qrs.py [--records 101 106 ...] [--paced]

Reference: the cardiologists' beat annotations (``.atr``; every beat label, non-beat marks
ignored). A detection matches a reference beat within 150 ms (ANSI/AAMI EC57), one to one,
nearest first. Beats and detections in the first and last second of each record are not
counted, nor those inside ventricular flutter episodes (``[`` ... ``]``), as EC57 asks.
Both leads are used (the fused detector). Needs the data in ~/.cache/ecg-data (or
$ECG_DATA_DIR); prints a table and asserts nothing.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from ludb_reference import data_root, match  # the same one-to-one matching as the LUDB table

from ecgviewer.dsp import detect_beats
from ecgviewer.io import open_record

DS1 = (
    "101", "106", "108", "109", "112", "114", "115", "116", "118", "119", "122",
    "124", "201", "203", "205", "207", "208", "209", "215", "220", "223", "230",
)  # fmt: skip
PACED = ("102", "104", "107", "217")
BEAT_SYMBOLS = set("NLRBAaJSVrFejnE/fQ?")
TOLERANCE_S = 0.150
EDGE_S = 1.0


def evaluate(name: str) -> tuple[int, int, int, float]:
    rec = open_record(data_root() / "mitdb" / f"{name}.hea")
    fs = rec.fs_hz
    atr = rec.tracks("atr")[0]
    ref = np.array(
        [s for s, sym in zip(atr.samples, atr.symbols, strict=True) if sym in BEAT_SYMBOLS]
    )
    t0 = time.perf_counter()
    det = detect_beats(rec.samples, fs).samples
    elapsed = time.perf_counter() - t0
    excluded = np.zeros(rec.n_samples, dtype=bool)
    excluded[: int(EDGE_S * fs)] = True
    excluded[rec.n_samples - int(EDGE_S * fs) :] = True
    start = None
    for s, sym in zip(atr.samples, atr.symbols, strict=True):
        if sym == "[":
            start = int(s)
        elif sym == "]" and start is not None:
            excluded[start : int(s) + 1] = True
            start = None
    mr, md = match(ref.astype(float), det.astype(float), TOLERANCE_S * fs)
    ref_in = ~excluded[ref]
    det_in = ~excluded[np.clip(det, 0, rec.n_samples - 1)]
    tp = int(np.count_nonzero(ref_in[mr]))
    fn = int(np.count_nonzero(ref_in)) - tp
    matched_det = np.zeros(det.size, dtype=bool)
    matched_det[md] = True
    fp = int(np.count_nonzero(det_in & ~matched_det))
    return tp, fn, fp, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", nargs="*", default=None)
    parser.add_argument("--paced", action="store_true", help="also the 4 paced records")
    args = parser.parse_args()
    names = args.records or (list(DS1) + (list(PACED) if args.paced else []))
    if not (data_root() / "mitdb").is_dir():
        raise SystemExit(f"MIT-BIH not found under {data_root()}")
    total = np.zeros(3, dtype=np.int64)
    print(
        f"{'record':>6} {'beats':>6} {'TP':>6} {'FN':>5} {'FP':>5} {'Se %':>7} {'PPV %':>7}"
        f" {'s':>5}"
    )
    for name in names:
        tp, fn, fp, elapsed = evaluate(name)
        if name in DS1:
            total += (tp, fn, fp)
        se = 100.0 * tp / max(tp + fn, 1)
        ppv = 100.0 * tp / max(tp + fp, 1)
        print(f"{name:>6} {tp + fn:>6} {tp:>6} {fn:>5} {fp:>5} {se:7.2f} {ppv:7.2f} {elapsed:5.2f}")
    tp, fn, fp = (int(v) for v in total)
    print(
        f"DS1 ({len([n for n in names if n in DS1])} records): beats {tp + fn}, TP {tp}, FN {fn}, "
        f"FP {fp}, Se {100 * tp / max(tp + fn, 1):.2f} %, PPV {100 * tp / max(tp + fp, 1):.2f} %"
    )


if __name__ == "__main__":
    main()
