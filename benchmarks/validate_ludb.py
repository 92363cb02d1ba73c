"""Delineation against the LUDB cardiologists: ours beside neurokit2's ``ecg_delineate`` (dwt).

    .venv/bin/python benchmarks/validate_ludb.py [--records 1 3 5] [--no-nk] [--jobs 2]

For each fiducial (P onset/peak/offset, QRS onset/offset, T peak/offset) it prints sensitivity
(Se), positive predictivity (PPV) and the error (detection minus cardiologist) as mean ± SD in
ms, over the 100 LUDB records present (odd ids), in two tables:

* **global** — our per-beat global fiducials against the earliest onset / latest offset of the
  cardiologists' marks over the 12 leads (how a 12-lead system reports a beat);
* **per lead** — our per-lead fiducials against each lead's own marks (12 x 100 lead-records).

Matching, annotated spans and the global reference are described in ``ludb_reference.py``
(150 ms tolerance, one-to-one, detections outside the annotated span not counted).
QRS detection (Se/PPV of our beats against the QRS complexes) is printed too.

Ours: ``ecgviewer.dsp.measure(record)`` — its beats and delineation (pacing spikes bridged) — so
the figures are those of the shipped pipeline. Its thresholds were chosen on these same 100
records (there is no other annotated 12-lead delineation set here): read the table as a
development figure, and compare halves (``--records``) to see how much it moves.

neurokit2 (``pip install neurokit2 PyWavelets``) runs per lead: ``ecg_clean`` then
``ecg_peaks`` then ``ecg_delineate(method="dwt")``. Its global fiducials use the same rule as the
reference: for each beat (R peaks from lead II, the same for all leads) the earliest onset and
latest offset over the 12 leads. Its results are cached in the temp folder.
"""

from __future__ import annotations

import argparse
import pickle
import sys
import tempfile
import time
import warnings
from multiprocessing import Pool
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ludb_reference import (
    EVAL_FIDUCIALS,
    GLOBAL_FIDUCIALS,
    Score,
    data_root,
    global_marks,
    lead_marks,
    ludb_ids,
)

from ecgviewer.dsp import measure
from ecgviewer.io import open_record

Pred = dict[str, object]
NK_KEYS = {
    "p_on": "ECG_P_Onsets", "p_peak": "ECG_P_Peaks", "p_off": "ECG_P_Offsets",
    "qrs_on": "ECG_R_Onsets", "qrs_off": "ECG_R_Offsets", "t_peak": "ECG_T_Peaks",
    "t_off": "ECG_T_Offsets",
}  # fmt: skip
NK_CACHE = Path(tempfile.gettempdir()) / "ecgviewer-bench-nk"


def ours(rid: int) -> Pred:
    rec = open_record(data_root() / "ludb" / "data" / f"{rid}.hea")
    t0 = time.perf_counter()
    m = measure(rec)
    elapsed = time.perf_counter() - t0
    d = m.delineation
    assert d is not None
    per_lead = {
        name: {f: d.samples(f, i) for f in EVAL_FIDUCIALS} for i, name in enumerate(rec.lead_names)
    }
    return {
        "lead": per_lead,
        "global": {f: d.samples(f) for f in GLOBAL_FIDUCIALS},
        "qrs": m.beats.samples.astype(float),
        "time_s": elapsed,
    }


def _nk_lead(
    nk: object, x: np.ndarray, fs: float, rpeaks: np.ndarray | None
) -> dict[str, np.ndarray]:
    clean = nk.ecg_clean(x, sampling_rate=fs)  # type: ignore[attr-defined]
    if rpeaks is None:
        _, info = nk.ecg_peaks(clean, sampling_rate=fs)  # type: ignore[attr-defined]
        rpeaks = np.asarray(info["ECG_R_Peaks"])
    _, waves = nk.ecg_delineate(clean, rpeaks, sampling_rate=fs, method="dwt")  # type: ignore[attr-defined]
    out = {}
    for f, key in NK_KEYS.items():
        vals = np.array([np.nan if v is None else v for v in waves.get(key, [])], dtype=float)
        out[f] = vals
    out["r"] = rpeaks.astype(float)
    return out


def neurokit(rid: int) -> Pred:
    cache = NK_CACHE / f"{rid}.pkl"
    if cache.is_file():
        cached: Pred = pickle.loads(cache.read_bytes())
        return cached
    import neurokit2 as nk

    rec = open_record(data_root() / "ludb" / "data" / f"{rid}.hea")
    fs = rec.fs_hz
    warnings.simplefilter("ignore")
    per_lead: dict[str, dict[str, np.ndarray]] = {}
    t0 = time.perf_counter()
    for i, name in enumerate(rec.lead_names):
        try:
            per_lead[name] = _nk_lead(nk, rec.samples[i].astype(float), fs, None)
        except Exception:
            per_lead[name] = {f: np.zeros(0) for f in EVAL_FIDUCIALS}
    elapsed = time.perf_counter() - t0
    # Global: every lead delineated on lead II's R peaks, so beats line up across leads.
    ref = per_lead["II"].get("r", np.zeros(0))
    stacked = []
    for i in range(rec.n_leads):
        try:
            stacked.append(_nk_lead(nk, rec.samples[i].astype(float), fs, ref.astype(int)))
        except Exception:
            stacked.append({f: np.full(ref.size, np.nan) for f in EVAL_FIDUCIALS})
    glob = {}
    for f in GLOBAL_FIDUCIALS:
        arr = np.vstack(
            [s[f] if s[f].size == ref.size else np.full(ref.size, np.nan) for s in stacked]
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            glob[f] = np.nanmin(arr, axis=0) if f.endswith("_on") else np.nanmax(arr, axis=0)
    pred: Pred = {"lead": per_lead, "global": glob, "qrs": ref, "time_s": elapsed}
    NK_CACHE.mkdir(parents=True, exist_ok=True)
    cache.write_bytes(pickle.dumps(pred))
    return pred


def score(rid: int, pred: Pred, scores: dict[str, dict[str, Score]]) -> None:
    rec = open_record(data_root() / "ludb" / "data" / f"{rid}.hea")
    fs = rec.fs_hz
    per_lead = lead_marks(rec)
    glob = global_marks(rec)
    lead_pred = pred["lead"]
    assert isinstance(lead_pred, dict)
    for lead, marks in per_lead.items():
        for f in EVAL_FIDUCIALS:
            scores["lead"][f].add(
                marks.points[f], np.asarray(lead_pred[lead][f], float), marks.span, fs
            )
    glob_pred = pred["global"]
    assert isinstance(glob_pred, dict)
    for f in GLOBAL_FIDUCIALS:
        scores["global"][f].add(glob.points[f], np.asarray(glob_pred[f], float), glob.span, fs)
    qrs_ref = (glob.points["qrs_on"] + glob.points["qrs_off"]) / 2.0
    scores["global"]["qrs_detect"].add(qrs_ref, np.asarray(pred["qrs"], float), glob.span, fs)


def new_scores() -> dict[str, dict[str, Score]]:
    return {
        "lead": {f: Score() for f in EVAL_FIDUCIALS},
        "global": {f: Score() for f in (*GLOBAL_FIDUCIALS, "qrs_detect")},
    }


def f1(s: Score) -> float:
    """Harmonic mean of Se and PPV (%): one figure for marking what is there and only that."""
    return 2 * s.se * s.ppv / (s.se + s.ppv) if s.se + s.ppv else 0.0


def fmt(s: Score) -> str:
    return f"{s.se:6.2f} {s.ppv:6.2f} {f1(s):6.2f} {s.mean:6.1f} ± {s.sd:5.1f}"


def print_table(title: str, table: str, mine: dict[str, dict[str, Score]],
                theirs: dict[str, dict[str, Score]] | None) -> None:  # fmt: skip
    print(f"\n{title}")
    head = f"{'fiducial':<11} {'Se %':>6} {'PPV %':>6} {'F1 %':>6} {'mean ± SD ms':>14}   n"
    print(head + ("    |  neurokit2 dwt: " + head[12:] if theirs else ""))
    for f, s in mine[table].items():
        line = f"{f:<11} {fmt(s)} {s.tp:>5}"
        if theirs:
            t = theirs[table][f]
            line += f"    |  {fmt(t)} {t.tp:>5}"
        print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", nargs="*", type=int, default=None)
    parser.add_argument("--no-nk", action="store_true", help="skip neurokit2")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    if not (data_root() / "ludb").is_dir():
        raise SystemExit(f"LUDB not found under {data_root()}")
    ids = args.records or ludb_ids()
    with Pool(args.jobs) as pool:
        our_preds = pool.map(ours, ids)
        nk_preds = None if args.no_nk else pool.map(neurokit, ids)
    mine = new_scores()
    theirs = None if nk_preds is None else new_scores()
    for k, rid in enumerate(ids):
        score(rid, our_preds[k], mine)
        if nk_preds is not None and theirs is not None:
            score(rid, nk_preds[k], theirs)
    print(f"LUDB: {len(ids)} records, 12 leads, 500 Hz; tolerance 150 ms")
    print_table("GLOBAL fiducials (vs earliest onset / latest offset over the 12 leads)",
                "global", mine, theirs)  # fmt: skip
    print_table("PER-LEAD fiducials (vs each lead's own marks)", "lead", mine, theirs)
    t_ours = np.mean([float(p["time_s"]) for p in our_preds])  # type: ignore[arg-type]
    print(f"\nmean time per record: ours {1000 * t_ours:.0f} ms (measure: detection, pacing, "
          "delineation, measurements; 2 records at a time)")  # fmt: skip


if __name__ == "__main__":
    main()
