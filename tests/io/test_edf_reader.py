"""EDF, EDF+ and BDF files written with edfio itself, read back through ``open_record``."""

from __future__ import annotations

import datetime as dt
import tracemalloc
from pathlib import Path

import edfio
import numpy as np
import numpy.typing as npt
import pytest

from ecgviewer.io import (
    CorruptHeaderError,
    EmptyRecordError,
    SamplingRateError,
    TruncatedDataError,
    UnknownFormatError,
    open_record,
)

FS = 500


def pseudo_ecg(
    n: int, fs: float, shift: float = 0.0, amp_mv: float = 1.0
) -> npt.NDArray[np.float64]:
    """A spiky, ECG-like test signal in mV: narrow beats at 75/min over a slow sine."""
    t = np.arange(n) / fs + shift
    beats = np.exp(-(((t % 0.8) - 0.4) ** 2) / (2 * 0.012**2))
    return amp_mv * (beats + 0.1 * np.sin(2 * np.pi * 0.3 * t))


def write_edf_plus(path: Path, seconds: int = 10) -> dict[str, npt.NDArray[np.float64]]:
    """An EDF+ file as a sleep lab writes one: two ECG leads (µV), V1 (mV), SpO2, a slow ECG."""
    n = seconds * FS
    truth = {
        "I": pseudo_ecg(n, FS),
        "II": pseudo_ecg(n, FS, 0.05, 1.5),
        "V1": pseudo_ecg(n, FS, 0.1, -0.8),
    }
    signals = [
        edfio.EdfSignal(truth["I"] * 1000, FS, label="ECG I", physical_dimension="uV"),
        edfio.EdfSignal(truth["II"] * 1000, FS, label="ECG II", physical_dimension="uV"),
        edfio.EdfSignal(
            truth["V1"],
            FS,
            label="ECG V1",
            physical_dimension="mV",
            prefiltering="HP:0.05Hz LP:150Hz",
        ),
        edfio.EdfSignal(np.linspace(95, 98, seconds), 1, label="SpO2", physical_dimension="%"),
        edfio.EdfSignal(
            pseudo_ecg(seconds * 250, 250), 250, label="ECG V2", physical_dimension="mV"
        ),
    ]
    edf = edfio.Edf(
        signals,
        patient=edfio.Patient(
            code="MCH-0234567", sex="F", birthdate=dt.date(1951, 8, 2), name="Doe_Jane"
        ),
        recording=edfio.Recording(startdate=dt.date(2021, 3, 4)),
        starttime=dt.time(22, 15, 30),
        annotations=[
            edfio.EdfAnnotation(1.5, None, "Lights off"),
            edfio.EdfAnnotation(4.0, 2.0, "Arousal"),
        ],
    )
    edf.write(path)
    return truth


def quantum_mv(physical_span: float, levels: int = 65535) -> float:
    """One digital step in mV: the most a stored sample may differ from the truth."""
    return physical_span / levels


def test_edf_plus_leads_units_patient_annotations(tmp_path: Path, untouched: list[Path]) -> None:
    path = tmp_path / "night.edf"
    truth = write_edf_plus(path)
    untouched.append(path)
    rec = open_record(path)

    assert rec.source_format == "EDF+"
    assert rec.lead_names[:3] == ("I", "II", "V1")
    assert rec.fs_hz == FS and rec.duration_s == pytest.approx(10.0)
    for lead, values in truth.items():
        span_mv = float(values.max() - values.min())
        np.testing.assert_allclose(rec.lead(lead), values, atol=quantum_mv(span_mv) + 1e-6)
    details = " | ".join(c.detail for c in rec.conversions)
    assert "I, II from uV" in details
    assert "SpO2" in details and "ECG V2" in details and "250 Hz" in details
    assert "ECG I→I" in details
    assert rec.start_time == dt.datetime(2021, 3, 4, 22, 15, 30)
    assert rec.patient.patient_id == "MCH-0234567"
    assert rec.patient.sex == "F" and rec.patient.age_years == 69.0
    (track,) = rec.tracks("edf")
    assert track.lead is None
    assert list(track.samples) == [750, 2000]
    assert track.symbols == ("Lights off", "Arousal") and track.aux == ("", "2 s")
    assert "V1: HP:0.05Hz LP:150Hz" in rec.metadata["prefiltering"]


def test_plain_edf_with_misleading_extension_is_found_by_content(
    tmp_path: Path, untouched: list[Path]
) -> None:
    path = tmp_path / "export.bin"
    lead = pseudo_ecg(5 * FS, FS)
    edf = edfio.Edf([edfio.EdfSignal(lead, FS, label="II", physical_dimension="mV")])
    edf.write(path)
    untouched.append(path)
    rec = open_record(path)
    assert rec.source_format == "EDF"
    assert rec.lead_names == ("II",)
    np.testing.assert_allclose(rec.samples[0], lead, atol=quantum_mv(float(np.ptp(lead))) + 1e-6)
    assert rec.annotations == ()
    assert rec.patient.patient_id is None  # plain EDF: the patient field is free text
    assert "patient_field" in rec.metadata


def test_bdf_plus_24_bit(tmp_path: Path, untouched: list[Path]) -> None:
    path = tmp_path / "holter.bdf"
    truth = [pseudo_ecg(4 * FS, FS, k / 10, 1 + k) for k in range(3)]
    labels = ["ECG1", "ECG2", "ECG3"]
    signals = [
        edfio.BdfSignal(v * 1000, FS, label=lab, physical_dimension="uV")
        for v, lab in zip(truth, labels, strict=True)
    ]
    edfio.Bdf(signals, annotations=[edfio.EdfAnnotation(2.0, None, "Event button")]).write(path)
    untouched.append(path)
    rec = open_record(path)
    assert rec.source_format == "BDF+"
    assert rec.lead_names == tuple(labels)
    for row, values in enumerate(truth):
        span_mv = float(np.ptp(values))
        np.testing.assert_allclose(
            rec.samples[row], values, atol=quantum_mv(span_mv, 2**24 - 1) + 1e-6
        )
    assert rec.tracks("edf")[0].symbols == ("Event button",)


def test_unstated_units_are_guessed_and_reported(tmp_path: Path) -> None:
    path = tmp_path / "nounit.edf"
    lead = pseudo_ecg(4 * FS, FS) * 1000  # µV, but the header does not say so
    edfio.Edf([edfio.EdfSignal(lead, FS, label="ECG II")]).write(path)
    rec = open_record(path)
    np.testing.assert_allclose(rec.lead("II"), lead / 1000, atol=2e-4)
    assert any(c.kind == "units" and "does not state units" in c.detail for c in rec.conversions)


def test_truncated_edf(tmp_path: Path, untouched: list[Path]) -> None:
    path = tmp_path / "cut.edf"
    write_edf_plus(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) * 2 // 3])
    untouched.append(path)
    with pytest.raises(TruncatedDataError, match="ends early"):
        open_record(path)


def _patch(path: Path, offset: int, field: bytes) -> None:
    raw = bytearray(path.read_bytes())
    raw[offset : offset + len(field)] = field
    path.write_bytes(bytes(raw))


def test_absurd_sampling_rate(tmp_path: Path, untouched: list[Path]) -> None:
    path = tmp_path / "fast.edf"
    write_edf_plus(path)
    _patch(path, 244, b"0.00001 ")  # data record duration: 500 samples per 10 µs = 50 MHz
    untouched.append(path)
    with pytest.raises(SamplingRateError, match="Hz"):
        open_record(path)


def test_garbage_in_header_is_corrupt_header(tmp_path: Path, untouched: list[Path]) -> None:
    path = tmp_path / "garbled.edf"
    write_edf_plus(path)
    _patch(path, 252, b"ab  ")  # number of signals
    untouched.append(path)
    with pytest.raises(CorruptHeaderError, match="header cannot be read"):
        open_record(path)


def test_no_ecg_signal(tmp_path: Path) -> None:
    path = tmp_path / "eeg.edf"
    eeg = np.sin(np.arange(FS * 2) / 10.0) * 50
    edfio.Edf([edfio.EdfSignal(eeg, FS, label="EEG Fpz-Cz", physical_dimension="uV")]).write(path)
    with pytest.raises(EmptyRecordError, match="EEG Fpz-Cz"):
        open_record(path)


def _make_discontinuous(path: Path, gap: bool) -> None:
    """Turn an EDF+C with 1-s records into EDF+D; with ``gap`` the third record starts at 7 s."""
    _patch(path, 192, b"EDF+D")
    if gap:
        raw = path.read_bytes()
        assert raw.count(b"+2\x14\x14\x00") == 1
        path.write_bytes(raw.replace(b"+2\x14\x14\x00", b"+7\x14\x14\x00"))


def test_edf_plus_d_with_gaps_is_refused(tmp_path: Path, untouched: list[Path]) -> None:
    path = tmp_path / "gaps.edf"
    write_edf_plus(path)
    _make_discontinuous(path, gap=True)
    untouched.append(path)
    with pytest.raises(UnknownFormatError, match="EDF\\+D"):
        open_record(path)


def test_edf_plus_d_without_gaps_opens_with_a_note(tmp_path: Path) -> None:
    path = tmp_path / "nogaps.edf"
    write_edf_plus(path)
    _make_discontinuous(path, gap=False)
    rec = open_record(path)
    assert rec.duration_s == pytest.approx(10.0)
    assert any(c.kind == "gap" for c in rec.conversions)


def test_unfinished_header_record_count(tmp_path: Path) -> None:
    path = tmp_path / "live.edf"
    write_edf_plus(path)
    _patch(path, 236, b"-1      ")  # allowed while a recorder is still writing
    rec = open_record(path)
    assert rec.duration_s == pytest.approx(10.0)
    assert any("does not give the length" in c.detail for c in rec.conversions)


def test_long_recording_is_converted_without_a_float64_copy(tmp_path: Path) -> None:
    """One hour of 3-lead Holter: peak allocation stays near the float32 result itself."""
    path = tmp_path / "holter.edf"
    fs, n = 250, 3600 * 250
    base = pseudo_ecg(n, fs)
    signals = [
        edfio.EdfSignal(base * (k + 1), fs, label=f"ECG{k + 1}", physical_dimension="mV")
        for k in range(3)
    ]
    edfio.Edf(signals).write(path)
    del signals
    tracemalloc.start()
    try:
        rec = open_record(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    result_bytes = rec.samples.nbytes
    assert result_bytes == 3 * n * 4
    assert peak < 1.3 * result_bytes  # a float64 copy of the data would be 2x
