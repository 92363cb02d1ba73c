"""The bundled 12-lead classifier on real PTB-XL validation records (fold 9, never trained on)."""

from __future__ import annotations

import ast
import csv
import json
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("torch")

from ecgviewer.analysis import AnalysisRequest, run_analysis
from ecgviewer.io import STANDARD_LEADS, make_record, open_record
from ecgviewer.models import input_contract
from ecgviewer.models.bundle import sha256_file
from ecgviewer.models.bundled import CLASSIFIER, bundled_dir
from ecgviewer.worklist.version import bundled_models

N_EACH = 8


def fold9(ptbxl: Path, keep) -> list[Path]:  # type: ignore[no-untyped-def]
    out = []
    with (ptbxl / "ptbxl_database.csv").open() as f:
        for row in csv.DictReader(f):
            codes = ast.literal_eval(row["scp_codes"])
            if row["strat_fold"] == "9" and keep(codes):
                out.append(ptbxl / (row["filename_lr"] + ".hea"))
    return sorted(out)[:N_EACH]


def test_bundle_is_complete_and_named_in_the_analysis_version() -> None:
    folder = bundled_dir(CLASSIFIER)
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["weights"]["sha256"] == sha256_file(folder / "model.safetensors")
    assert manifest["input"] == input_contract()
    assert set(manifest["thresholds"]) == set(manifest["classes"])
    assert "PTB-XL" in (folder / "MODEL_CARD.md").read_text()
    assert bundled_models()[CLASSIFIER]["sha256"] == manifest["weights"]["sha256"]


def test_af_and_lbbb_records_are_flagged_and_normal_ones_are_not(data_root: Path) -> None:
    ptbxl = data_root / "ptb-xl"
    groups = {
        "AF": fold9(ptbxl, lambda c: "AFIB" in c and "AFLT" not in c),
        "LBBB": fold9(ptbxl, lambda c: c.get("CLBBB", 0) >= 50),
        "NORM": fold9(ptbxl, lambda c: c.get("NORM", 0) == 100 and len(c) <= 2 and "SR" in c),
    }
    flagged: dict[str, list[set[str]]] = {}
    for name, paths in groups.items():
        assert len(paths) == N_EACH, name
        flagged[name] = []
        for path in paths:
            data = run_analysis(AnalysisRequest(open_record(path))).to_json_dict()
            assert data["models"][CLASSIFIER]["sha256"]
            flagged[name].append({c for c, v in data["classes"].items() if v["flagged"]})
            if "AF" in flagged[name][-1]:  # no "premature supraventricular" beats in AF
                assert data["beat_summary"]["counts"]["SVEB"] == 0
    assert sum("AF" in f for f in flagged["AF"]) >= N_EACH - 1
    assert sum("LBBB" in f for f in flagged["LBBB"]) >= N_EACH - 1
    assert sum("NORM" in f for f in flagged["NORM"]) >= N_EACH - 2
    assert sum(bool(f & {"AF", "LBBB", "RBBB", "MI"}) for f in flagged["NORM"]) <= 1


def test_a_long_record_is_read_window_by_window(data_root: Path) -> None:
    """30 s = 10 s of AF then 20 s of sinus rhythm: each window is read; AF is named where it is."""
    ptbxl = data_root / "ptb-xl"
    af = open_record(fold9(ptbxl, lambda c: "AFIB" in c and "AFLT" not in c)[0])
    normal = [
        open_record(p)
        for p in fold9(ptbxl, lambda c: c.get("NORM", 0) == 100 and len(c) <= 2 and "SR" in c)[:2]
    ]
    parts = [r.samples[[r.lead_index(lead) for lead in STANDARD_LEADS]] for r in (af, *normal)]
    joined = make_record(np.concatenate(parts, axis=1), 100.0, list(STANDARD_LEADS), "joined")
    result = run_analysis(AnalysisRequest(joined))
    assert any("Read in 3 windows of 10 s of a 30.00 s recording" in n for n in result.notices)
    af_finding = result.classes["AF"]
    alone = run_analysis(AnalysisRequest(af)).classes["AF"]
    assert alone.flagged
    # The mean over the windows is what is flagged; the one AF window is named, not lost.
    assert af_finding.probability < alone.probability and not af_finding.flagged
    assert any(n.startswith("AF is above its threshold in 1 of 3 windows") and
               "0.0–10.0 s" in n for n in result.notices)  # fmt: skip
