"""Measurements against the synthetic generator's exact ground truth.

    .venv/bin/python benchmarks/validate_synthetic.py [--seeds 3] [--jobs 2]

Grid: heart rate 40-180 bpm x rhythm (sinus, AF) x QRS morphology (normal, RBBB, LBBB) x noise
(0, 0.02, 0.05 mV white) x baseline wander (0, 0.4 mV) x seeds; 12 leads, 10 s, 500 Hz; PR
160 ms (120 ms from 150 bpm, as PR shortens with rate). For every record it compares PR, QRS and
QT from ``ecgviewer.dsp.measure`` with the truth (true PR, QRS and QT of the conducted beats:
earliest onset, latest offset over the leads), and checks that AF records get a null PR with
a reason. Prints error tables (measured minus truth, ms) by condition and overall, against the
tolerances of the issue: |mean| <= 10 ms and SD <= 15 ms for PR and QRS, |mean| <= 15 ms and
SD <= 30 ms for QT. A second table repeats a subset at 100, 250, 360 and 1000 Hz.
"""

from __future__ import annotations

import argparse
import itertools
from collections import defaultdict
from multiprocessing import Pool

import numpy as np

from ecgviewer.dsp import measure
from ecgviewer.synth import SynthSpec, synthesize

HR_BPM = (40, 60, 80, 100, 120, 150, 180)
TOLERANCE = {"pr_ms": (10.0, 15.0), "qrs_ms": (10.0, 15.0), "qt_ms": (15.0, 30.0)}
Case = tuple[float, str, str, float, float, int, float]


def run_case(case: Case) -> dict[str, object]:
    hr, rhythm, morph, noise, wander, seed, fs = case
    spec = SynthSpec(
        hr_bpm=hr,
        rhythm=rhythm,  # type: ignore[arg-type]
        qrs_morphology=morph,  # type: ignore[arg-type]
        pr_ms=120.0 if hr >= 150 else 160.0,
        noise_mv=noise,
        baseline_wander_mv=wander,
        seed=seed,
        fs_hz=fs,
    )
    ecg = synthesize(spec)
    m = measure(ecg.record)
    truth = ecg.truth
    out: dict[str, object] = {"case": case}
    for key, true in (("pr_ms", truth.pr_ms), ("qrs_ms", truth.qrs_ms), ("qt_ms", truth.qt_ms)):
        got = getattr(m, key)
        out[key] = None if got is None or true is None else got - true
        out[key + "_null"] = got is None
        out[key + "_reason"] = m.notes.get(key)
    out["beats_ok"] = abs(len(m.beats) - int(np.count_nonzero(truth.samples("r_peak") >= 0))) <= 1
    return out


def summarise(rows: list[dict[str, object]], by: int | None, label: str) -> None:
    groups: dict[object, list[dict[str, object]]] = defaultdict(list)
    for r in rows:
        case = r["case"]
        assert isinstance(case, tuple)
        groups["all" if by is None else case[by]].append(r)
    print(f"\n{label}")
    print(f"{'':>10} " + " ".join(f"{k:>22}" for k in TOLERANCE) + "   missing")
    for key, rs in groups.items():
        cells = []
        missing = 0
        for name in TOLERANCE:
            errs = np.array([r[name] for r in rs if r[name] is not None], dtype=float)
            missing += sum(1 for r in rs if r[name] is None and not _expected_null(r, name))
            if errs.size:
                cells.append(f"{errs.mean():7.1f} ± {errs.std():5.1f} (n={errs.size:3d})")
            else:
                cells.append(f"{'—':>22}")
        print(f"{key!s:>10} " + " ".join(f"{c:>22}" for c in cells) + f"   {missing}")


def _expected_null(row: dict[str, object], name: str) -> bool:
    case = row["case"]
    assert isinstance(case, tuple)
    return name == "pr_ms" and case[1] == "af"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=2)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    grid: list[Case] = [
        (hr, rhythm, morph, noise, wander, seed, 500.0)
        for hr, rhythm, morph, noise, wander, seed in itertools.product(
            HR_BPM,
            ("sinus", "af"),
            ("normal", "rbbb", "lbbb"),
            (0.0, 0.02, 0.05),
            (0.0, 0.4),
            range(args.seeds),
        )
    ]
    rates: list[Case] = [
        (hr, "sinus", morph, 0.02, 0.0, 0, fs)
        for hr, morph, fs in itertools.product((50, 90, 140), ("normal", "lbbb"),
                                               (100.0, 250.0, 360.0, 1000.0))
    ]  # fmt: skip
    with Pool(args.jobs) as pool:
        rows = pool.map(run_case, grid)
        rate_rows = pool.map(run_case, rates)
    print(
        f"Synthetic 12-lead, 10 s: {len(rows)} records at 500 Hz (+{len(rate_rows)} at other rates)"
    )
    print("errors: measured minus truth, ms, mean ± SD")
    summarise([r for r in rows if r["case"][1] == "sinus"], None, "SINUS, all conditions")  # type: ignore[index]
    summarise([r for r in rows if r["case"][1] == "af"], None, "AF (PR must be null)")  # type: ignore[index]
    summarise(rows, 0, "by heart rate (bpm)")
    summarise(rows, 2, "by QRS morphology")
    summarise(rows, 3, "by noise (mV)")
    summarise(rows, 4, "by baseline wander (mV)")
    summarise(rate_rows, 6, "by sampling rate (Hz; sinus, 0.02 mV noise)")
    af = [r for r in rows if r["case"][1] == "af"]  # type: ignore[index]
    af_null = sum(1 for r in af if r["pr_ms_null"] and r["pr_ms_reason"])
    sinus = [r for r in rows if r["case"][1] == "sinus"]  # type: ignore[index]
    sinus_pr = sum(1 for r in sinus if not r["pr_ms_null"])
    print(f"\nAF records with a null PR and a reason: {af_null} of {len(af)}")
    print(f"sinus records with a PR: {sinus_pr} of {len(sinus)}")
    ok_beats = sum(bool(r["beats_ok"]) for r in rows + rate_rows)
    print(f"beat count within one of the truth: {ok_beats}"
          f" of {len(rows) + len(rate_rows)}")  # fmt: skip
    verdict = []
    for name, (mean_tol, sd_tol) in TOLERANCE.items():
        errs = np.array([r[name] for r in sinus if r[name] is not None], dtype=float)
        ok = abs(errs.mean()) <= mean_tol and errs.std() <= sd_tol
        verdict.append(
            f"{name}: {errs.mean():.1f} ± {errs.std():.1f} ms "
            f"({'meets' if ok else 'MISSES'} |mean|<={mean_tol:g}, SD<={sd_tol:g})"
        )
    print("\n".join(verdict))


if __name__ == "__main__":
    main()
