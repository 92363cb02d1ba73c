"""WFDB reading on records we write ourselves: values, units, names, annotations."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import wfdb

from ecgviewer.io import STANDARD_LEADS, MissingFileError, open_record
from tests.io.wfdb_helpers import write_record


@pytest.mark.parametrize("fmt", ["16", "212", "24", "32", "80"])
def test_formats_round_trip_to_mv(tmp_path: Path, fmt: str, untouched: list[Path]) -> None:
    leads = ["I", "II", "V1"]
    gain = 50.0 if fmt == "80" else None  # 8-bit samples hold ±127 units only
    header, truth = write_record(tmp_path, leads=leads, fmt=fmt, n_samples=3000, adc_gain=gain)
    untouched.append(header)
    untouched.append(header.with_suffix(".dat"))
    rec = open_record(header)
    assert rec.samples.dtype == np.float32
    assert rec.fs_hz == 500.0
    assert rec.duration_s == pytest.approx(6.0)
    step_mv = 1.0 / (gain or 1000.0)  # one ADC unit
    np.testing.assert_allclose(rec.samples[:3], truth, atol=step_mv)
    assert rec.source_format == f"WFDB (format {fmt})"


def test_opens_by_header_dat_or_record_name(tmp_path: Path) -> None:
    header, _ = write_record(tmp_path)
    for target in (header, header.with_suffix(".dat"), header.with_suffix("")):
        rec = open_record(target)
        assert rec.lead_names == STANDARD_LEADS
        assert rec.n_samples == 5000


def test_microvolts_are_converted_and_recorded(tmp_path: Path) -> None:
    header, truth = write_record(tmp_path, leads=["I", "II"], units="uV")
    rec = open_record(header)
    np.testing.assert_allclose(rec.samples[0], truth[0], atol=2e-3)
    assert any(c.kind == "units" and "uV → mV" in c.detail for c in rec.conversions)


def test_limb_leads_derived_when_only_eight_are_stored(tmp_path: Path) -> None:
    leads = ["I", "II", "V1", "V2", "V3", "V4", "V5", "V6"]
    header, truth = write_record(tmp_path, leads=leads)
    rec = open_record(header)
    assert rec.has_standard_12
    np.testing.assert_allclose(rec.lead("III"), truth[1] - truth[0], atol=3e-3)
    np.testing.assert_allclose(rec.lead("aVR"), -(truth[0] + truth[1]) / 2, atol=3e-3)
    derived = [c for c in rec.conversions if c.kind == "derived_lead"]
    assert derived and "III, aVR, aVL, aVF" in derived[0].detail


def test_lead_names_made_canonical_and_reported(tmp_path: Path) -> None:
    header, _ = write_record(tmp_path, leads=["i", "ii", "avr", "v1"])
    rec = open_record(header)
    assert rec.lead_names[:4] == ("I", "II", "aVR", "V1")
    assert any(c.kind == "lead_name" and "avr→aVR" in c.detail for c in rec.conversions)


def test_patient_and_metadata_from_comments(tmp_path: Path) -> None:
    header, _ = write_record(tmp_path, comments=["<age>: 51", "<sex>: F", "Dx: RBBB"])
    rec = open_record(header)
    assert rec.patient.age_years == 51
    assert rec.patient.sex == "F"
    assert rec.metadata["dx"] == "RBBB"


def test_beat_and_wave_annotations_are_attached(tmp_path: Path) -> None:
    header, _ = write_record(tmp_path, leads=["I", "II"])
    base = str(header.with_suffix(""))
    beats = np.array([150, 650, 1150, 99999])  # the last mark lies past the end: dropped
    wfdb.wrann("rec", "atr", beats, symbol=["N", "V", "N", "N"], write_dir=str(tmp_path))
    wfdb.wrann(
        "rec", "i", np.array([100, 120, 140]), symbol=["(", "N", ")"], write_dir=str(tmp_path)
    )
    rec = open_record(base + ".hea")
    atr = rec.tracks("atr")[0]
    assert atr.lead is None
    assert atr.symbols == ("N", "V", "N")
    np.testing.assert_array_equal(atr.samples, beats[:3])
    waves = rec.tracks("i")[0].waves()
    assert waves[0].wave == "QRS" and (waves[0].onset, waves[0].offset) == (100, 140)
    assert rec.tracks("i")[0].lead == "I"


def test_record_is_immutable(tmp_path: Path) -> None:
    header, _ = write_record(tmp_path, leads=["I", "II"])
    rec = open_record(header)
    with pytest.raises(ValueError):
        rec.samples[0, 0] = 1.0
    with pytest.raises(AttributeError):
        rec.fs_hz = 250.0  # type: ignore[misc]
    with pytest.raises(TypeError):
        rec.metadata["x"] = "y"  # type: ignore[index]


def test_long_record_is_read_in_chunks_without_a_second_copy(tmp_path: Path) -> None:
    import tracemalloc

    n = 360 * 60 * 60  # one hour, two leads, 360 Hz (a MIT-BIH record is 30 minutes)
    header, _ = write_record(tmp_path, leads=["MLII", "V1"], fs_hz=360, n_samples=n, fmt="212")
    tracemalloc.start()
    rec = open_record(header)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    final = rec.samples.nbytes
    assert rec.n_samples == n
    # the float32 result plus one bounded chunk of digital values, never a copy of it all
    assert peak - final < 12e6, (peak, final)
    assert rec.window(60.0, 70.0).shape == (2, 3600)
    assert rec.window(60.0, 70.0).base is not None  # a view, not a copy


def test_multi_segment_record_is_joined(tmp_path: Path) -> None:
    _, first = write_record(tmp_path, "seg1", leads=["I", "II"], n_samples=1000)
    _, second = write_record(tmp_path, "seg2", leads=["I", "II"], n_samples=1500)
    (tmp_path / "multi.hea").write_text("multi/2 2 500 2500\nseg1 1000\nseg2 1500\n")
    rec = open_record(tmp_path / "multi.hea")
    assert rec.n_samples == 2500 and rec.lead_names == ("I", "II")
    np.testing.assert_allclose(rec.samples[:, :1000], first, atol=1e-3)
    np.testing.assert_allclose(rec.samples[:, 1000:], second, atol=1e-3)
    assert rec.source_format == "WFDB multi-segment"
    assert any("2 segments joined" in c.detail for c in rec.conversions)


def test_multi_segment_with_missing_segment(tmp_path: Path) -> None:
    write_record(tmp_path, "seg1", leads=["I", "II"], n_samples=1000)
    (tmp_path / "multi.hea").write_text("multi/2 2 500 2500\nseg1 1000\nseg2 1500\n")
    with pytest.raises(MissingFileError):
        open_record(tmp_path / "multi.hea")


def test_header_without_rate_says_250_hz_was_assumed(tmp_path: Path) -> None:
    header, _ = write_record(tmp_path, leads=["I", "II"], fs_hz=250.0)
    text = header.read_text().splitlines()
    text[0] = "rec 2"
    header.write_text("\n".join(text) + "\n")
    rec = open_record(header)
    assert rec.fs_hz == 250.0
    assert any("250 Hz was assumed" in c.detail for c in rec.conversions)
