"""Every data set under ../shared/data opens with the right leads, rate, units and duration.

Skips with a reason when the data sets are absent (see tests/conftest.py: ``data_root``).
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from ecgviewer.io import STANDARD_LEADS, Record, open_record

pytestmark = pytest.mark.data


def _plausible_ecg_mv(rec: Record) -> None:
    """Amplitudes in mV as an ECG has them: QRS of 0.1-10 mV, no µV-scaled or V-scaled leads."""
    usable = [i for i in range(rec.n_leads) if not np.isnan(rec.samples[i]).all()]
    for i in usable:
        lead = rec.samples[i]
        lo, hi = np.nanpercentile(lead, [0.5, 99.5])
        assert 0.05 < hi - lo < 15.0, (rec.record_name, rec.lead_names[i], lo, hi)


def _ptbxl_sample(root: Path, column: str, n: int) -> list[Path]:
    with (root / "ptb-xl" / "ptbxl_database.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    picked = [r for r in rows if (root / "ptb-xl" / (r[column] + ".hea")).is_file()]
    step = max(1, len(picked) // n)
    return [root / "ptb-xl" / (r[column] + ".hea") for r in picked[::step][:n]]


def test_ptbxl_100hz(data_root: Path) -> None:
    paths = _ptbxl_sample(data_root, "filename_lr", 25)
    assert len(paths) == 25
    for path in paths:
        rec = open_record(path)
        assert rec.lead_names == STANDARD_LEADS
        assert (rec.fs_hz, rec.n_samples, rec.duration_s) == (100.0, 1000, 10.0)
        assert rec.samples.dtype == np.float32
        _plausible_ecg_mv(rec)
        # the file stores 1 µV per unit: values sit on a 0.001 mV grid
        steps = np.round(rec.samples[:, :50].astype(np.float64) * 1000.0, 6)
        np.testing.assert_allclose(steps, np.round(steps), atol=1e-3)


def test_ptbxl_500hz(data_root: Path) -> None:
    paths = _ptbxl_sample(data_root, "filename_hr", 10)
    assert len(paths) == 10
    for path in paths:
        rec = open_record(path)
        assert rec.lead_names == STANDARD_LEADS
        assert (rec.fs_hz, rec.n_samples) == (500.0, 5000)
        _plausible_ecg_mv(rec)
        low = open_record(str(path).replace("records500", "records100").replace("_hr", "_lr"))
        # the same ECG at 100 Hz: every 5th sample agrees within a few tens of µV
        a = low.lead("II")[100:900]
        b = rec.lead("II")[500:4500:5]
        assert np.corrcoef(a, b)[0, 1] > 0.95


def test_ludb_with_cardiologist_wave_marks(data_root: Path) -> None:
    folder = data_root / "ludb" / "data"
    headers = sorted(folder.glob("*.hea"), key=lambda p: int(p.stem))
    assert len(headers) == 100
    for path in headers[::10]:
        rec = open_record(path)
        assert rec.lead_names == STANDARD_LEADS
        assert (rec.fs_hz, rec.n_samples) == (500.0, 5000)
        assert rec.patient.sex in ("F", "M")
        _plausible_ecg_mv(rec)
        per_lead = {t.lead for t in rec.annotations}
        assert per_lead == set(STANDARD_LEADS)
        waves = rec.tracks("ii")[0].waves()
        kinds = {w.wave for w in waves}
        assert "QRS" in kinds and "T" in kinds
        qrs = [w for w in waves if w.wave == "QRS" and w.onset and w.offset]
        widths_ms = [(w.offset - w.onset) / rec.fs_hz * 1000 for w in qrs]  # type: ignore[operator]
        assert 40 < float(np.median(widths_ms)) < 200


def test_mitdb_long_two_lead_records(data_root: Path) -> None:
    folder = data_root / "mitdb"
    for name in ("101", "207", "102"):  # 102 is a paced record
        rec = open_record(folder / f"{name}.hea")
        assert rec.n_leads == 2
        assert rec.fs_hz == 360.0
        assert rec.n_samples == 650000
        assert rec.duration_s == pytest.approx(1805.56, abs=0.01)
        assert rec.patient.age_years is not None
        beats = rec.tracks("atr")[0]
        assert len(beats.samples) > 1000
        assert np.all(np.diff(beats.samples) >= 0)
        _plausible_ecg_mv(rec)
    assert open_record(folder / "101.hea").lead_names == ("MLII", "V1")


def test_cpsc2018_challenge_mat_files(data_root: Path) -> None:
    folder = data_root / "cpsc2018_sample"
    headers = sorted(folder.glob("*.hea"))
    assert len(headers) == 10
    for path in headers:
        rec = open_record(path.with_suffix(".mat"))  # opened by the signal file
        assert rec.lead_names == STANDARD_LEADS
        assert rec.fs_hz == 500.0
        assert 6.0 <= rec.duration_s <= 60.0
        assert rec.metadata.get("dx")
        assert rec.source_format.startswith("WFDB / PhysioNet Challenge")
        _plausible_ecg_mv(rec)
