"""The demo record shipped in ``resources/demo``: a synthetic 12-lead ECG written as WFDB.

A 10 s, 500 Hz sinus rhythm at 72 bpm with one premature ventricular beat, light noise and mild
baseline wander, so a first-time user sees a realistic tracing with something to find. It is
synthetic (not a patient) and says so in its header. Written as WFDB format 16 at 1 µV per unit
with a ``demo.atr`` beat annotation file and ``demo_truth.json``, the generator's exact ground
truth. Rebuilding it gives byte-identical files (a test checks this).
"""

from __future__ import annotations

import dataclasses
import json
import os
import tempfile
from pathlib import Path

import numpy as np

from ecgviewer.synth import SyntheticEcg, SynthSpec, synthesize

RECORD_NAME = "demo"
#: What the demo shows: beat 5 (of 12) is a PVC, so it falls mid-strip on every layout.
DEMO_SPEC = SynthSpec(
    hr_bpm=72.0,
    duration_s=10.0,
    fs_hz=500.0,
    rhythm="sinus",
    pvc_beats=(5,),
    noise_mv=0.015,
    baseline_wander_mv=0.05,
    seed=20240601,
)
#: 1000 units per mV = 1 µV resolution, well below anything a clinician reads (0.1 mV boxes).
ADC_GAIN_PER_MV = 1000.0
HEADER_COMMENTS = (
    "age: 60",
    "sex: F",
    "synthetic demo record made by ecgviewer's generator (not a patient)",
    "rhythm: sinus rhythm 72 bpm with one premature ventricular beat",
)
OUTPUT_FILES = (
    f"{RECORD_NAME}.hea",
    f"{RECORD_NAME}.dat",
    f"{RECORD_NAME}.atr",
    f"{RECORD_NAME}_truth.json",
)


def synthesize_demo() -> SyntheticEcg:
    """The demo recording and its ground truth, in memory."""
    return synthesize(DEMO_SPEC, record_name=RECORD_NAME)


def build_demo(out_dir: Path) -> list[Path]:
    """Write the demo record into ``out_dir`` and return the paths written.

    The files are first written to a temporary folder inside ``out_dir`` and then renamed into
    place, so a failed run never leaves a half-written record (and ``wfdb`` writes relative to
    its ``write_dir``, not wherever we are).
    """
    import wfdb

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    ecg = synthesize_demo()
    record, truth = ecg.record, ecg.truth
    beats = truth.samples("r_peak")
    in_record = beats >= 0
    with tempfile.TemporaryDirectory(dir=out_dir, prefix=".demo-") as tmp:
        wfdb.wrsamp(
            RECORD_NAME,
            fs=record.fs_hz,
            units=["mV"] * record.n_leads,
            sig_name=list(record.lead_names),
            p_signal=np.asarray(record.samples, dtype=np.float64).T,
            fmt=["16"] * record.n_leads,
            adc_gain=[ADC_GAIN_PER_MV] * record.n_leads,
            baseline=[0] * record.n_leads,
            comments=list(HEADER_COMMENTS),
            write_dir=tmp,
        )
        wfdb.wrann(
            RECORD_NAME,
            "atr",
            sample=beats[in_record],
            symbol=[s for s, k in zip(truth.labels, in_record, strict=True) if k],
            write_dir=tmp,
        )
        payload = {
            "record_name": RECORD_NAME,
            "note": "exact ground truth of a synthetic record (ecgviewer.synth); times in s",
            "spec": dataclasses.asdict(DEMO_SPEC),
            "truth": truth.to_json_dict(),
        }
        Path(tmp, f"{RECORD_NAME}_truth.json").write_text(
            json.dumps(payload, indent=2) + "\n", encoding="utf-8"
        )
        written = []
        for name in OUTPUT_FILES:
            os.replace(Path(tmp, name), out_dir / name)
            written.append(out_dir / name)
    return written
