"""DICOM waveform objects built and saved with pydicom, read back through ``open_record``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

from ecgviewer.io import STANDARD_LEADS, TruncatedDataError, UnknownFormatError, open_record

TWELVE_LEAD = "1.2.840.10008.5.1.4.1.1.9.1.1"
HEMODYNAMIC = "1.2.840.10008.5.1.4.1.1.9.2.1"
FS = 500
# How devices name the sources: SCP-ECG codes, MDC "2:N" codes, MDC numbers, or only a meaning.
SOURCES = {
    "I": ("5.6.3-9-1", "SCPECG", "Lead I (Einthoven)"),
    "II": ("5.6.3-9-2", "SCPECG", "Lead II"),
    "III": ("2:61", "MDC", "Lead III"),
    "aVR": ("2:62", "MDC", "Lead aVR"),
    "aVL": ("131135", "MDC", "aVL"),  # 2 << 16 | 63
    "aVF": ("131136", "MDC", "aVF"),
    "V1": ("5.6.3-9-3", "SCPECG", "Lead V1"),
    "V2": ("5.6.3-9-4", "SCPECG", "Lead V2"),
    "V3": ("X-V3", "99LOCAL", "Lead V3"),
    "V4": ("X-V4", "99LOCAL", "Lead V4"),
    "V5": ("2:7", "MDC", "Lead V5"),
    "V6": ("2:8", "MDC", "Lead V6"),
}


def code(value: str, scheme: str, meaning: str) -> Dataset:
    item = Dataset()
    item.CodeValue, item.CodingSchemeDesignator, item.CodeMeaning = value, scheme, meaning
    return item


def channel(
    source: tuple[str, str, str],
    unit: str | None = "uV",
    sensitivity: float | None = 2.5,
    baseline: float = 0.0,
    correction: float = 1.0,
) -> Dataset:
    ch = Dataset()
    ch.ChannelSourceSequence = [code(*source)]
    if sensitivity is not None:
        ch.ChannelSensitivity = sensitivity
        ch.ChannelSensitivityCorrectionFactor = correction
        ch.ChannelBaseline = baseline
    if unit is not None:
        ch.ChannelSensitivityUnitsSequence = [code(unit, "UCUM", unit)]
    ch.WaveformBitsStored = 16
    ch.FilterLowFrequency, ch.FilterHighFrequency = "0.05", "150"
    return ch


def group(label: str, raw: npt.NDArray[np.int16], channels: list[Dataset]) -> Dataset:
    """One multiplex group; ``raw`` is ``[channel, sample]`` and is stored interleaved."""
    item = Dataset()
    item.MultiplexGroupLabel = label
    item.MultiplexGroupTimeOffset = 250  # ms after the acquisition time
    item.SamplingFrequency = FS
    item.NumberOfWaveformChannels, item.NumberOfWaveformSamples = raw.shape
    item.WaveformBitsAllocated = 16
    item.WaveformSampleInterpretation = "SS"
    item.ChannelDefinitionSequence = channels
    item.add_new(0x54001010, "OW", raw.T.astype("<i2").tobytes())
    return item


def save(path: Path, groups: list[Dataset], sop: str = TWELVE_LEAD) -> Path:
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = sop
    meta.MediaStorageSOPInstanceUID = generate_uid()
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = Dataset()
    ds.file_meta = meta
    ds.SOPClassUID, ds.SOPInstanceUID = sop, meta.MediaStorageSOPInstanceUID
    ds.Modality = "ECG"
    ds.PatientID, ds.PatientSex, ds.PatientAge = "PID-77", "M", "061Y"
    ds.AcquisitionDateTime = "20220102101112"
    ds.Manufacturer = "TestCardio"
    if groups:
        ds.WaveformSequence = groups
    ds.save_as(path, enforce_file_format=True)
    return path


def twelve_lead_raw(n: int) -> npt.NDArray[np.int16]:
    t = np.arange(n) / FS
    rows = [np.round(400 * np.sin(2 * np.pi * (k + 1) * t) + 20 * k) for k in range(12)]
    return np.array(rows, dtype=np.int16)


def test_twelve_lead_rhythm_group_in_mv(tmp_path: Path, untouched: list[Path]) -> None:
    raw = twelve_lead_raw(10 * FS)
    median = twelve_lead_raw(600)
    channels = [channel(SOURCES[lead]) for lead in STANDARD_LEADS]
    path = save(
        tmp_path / "ecg.dcm",
        [group("MEDIAN BEAT", median, channels), group("RHYTHM", raw, channels)],
    )
    untouched.append(path)
    rec = open_record(path)

    assert rec.source_format == "DICOM 12-lead ECG"
    assert rec.lead_names == STANDARD_LEADS
    assert rec.fs_hz == FS and rec.duration_s == pytest.approx(10.0)
    np.testing.assert_allclose(rec.samples, raw * 2.5 / 1000, atol=1e-6)
    details = " | ".join(c.detail for c in rec.conversions)
    assert "from uV (× 0.001)" in details
    assert "MEDIAN BEAT" in details  # the other group is named as not shown
    assert "Lead I (Einthoven)→I" in details
    assert rec.patient.patient_id == "PID-77"
    assert rec.patient.sex == "M" and rec.patient.age_years == 61.0
    assert rec.start_time == dt.datetime(2022, 1, 2, 10, 11, 12, 250_000)
    assert rec.metadata["multiplex_group"] == "RHYTHM"
    assert rec.metadata["filter_hz"] == "0.05–150"


def test_found_by_content_despite_extension(tmp_path: Path) -> None:
    raw = twelve_lead_raw(2 * FS)[:2]
    path = save(
        tmp_path / "export.xml",
        [group("RHYTHM", raw, [channel(SOURCES["I"]), channel(SOURCES["II"])])],
    )
    rec = open_record(path)
    assert rec.lead_names[:2] == ("I", "II")


def test_mv_sensitivity_baseline_and_correction(tmp_path: Path) -> None:
    raw = twelve_lead_raw(2 * FS)[:2]
    channels = [
        channel(SOURCES["V1"], unit="mV", sensitivity=0.005, baseline=0.1, correction=1.1),
        channel(SOURCES["V2"], unit="mV", sensitivity=0.005),
    ]
    rec = open_record(save(tmp_path / "mv.dcm", [group("RHYTHM", raw, channels)]))
    np.testing.assert_allclose(rec.lead("V1"), raw[0] * 0.005 * 1.1 + 0.1, atol=1e-6)
    np.testing.assert_allclose(rec.lead("V2"), raw[1] * 0.005, atol=1e-6)
    assert not any(c.kind == "units" for c in rec.conversions)  # already mV: nothing converted


def test_missing_calibration_is_guessed_and_reported(tmp_path: Path) -> None:
    raw = twelve_lead_raw(2 * FS)[:2]
    channels = [
        channel(SOURCES["I"], unit=None, sensitivity=None),
        channel(SOURCES["II"], unit=None, sensitivity=None),
    ]
    rec = open_record(save(tmp_path / "nocal.dcm", [group("RHYTHM", raw, channels)]))
    np.testing.assert_allclose(rec.lead("I"), raw[0] / 1000, atol=1e-6)  # 800 ptp: µV
    assert any("does not state units" in c.detail for c in rec.conversions)


def test_padding_value_marks_missing_samples(tmp_path: Path) -> None:
    raw = twelve_lead_raw(2 * FS)[:2]
    raw[1, 100:150] = -32768
    item = group("RHYTHM", raw, [channel(SOURCES["I"]), channel(SOURCES["II"])])
    item.add_new(0x5400100A, "OW", np.array([-32768], "<i2").tobytes())
    rec = open_record(save(tmp_path / "pad.dcm", [item]))
    assert int(np.isnan(rec.lead("II")).sum()) == 50
    assert any(i.lead == "II" and i.kind == "nan" for i in rec.issues)


def test_non_ecg_channels_of_a_hemodynamic_waveform_are_left_out(tmp_path: Path) -> None:
    raw = twelve_lead_raw(2 * FS)[:2]
    channels = [channel(SOURCES["II"]), channel(("2:19", "MDC", "Arterial pressure"), "mm[Hg]")]
    rec = open_record(save(tmp_path / "hemo.dcm", [group("HEMO", raw, channels)], HEMODYNAMIC))
    assert rec.lead_names == ("II",)
    assert rec.source_format == "DICOM waveform"
    assert any("Arterial pressure" in c.detail for c in rec.conversions)


def test_dicom_image_is_not_an_ecg(tmp_path: Path, untouched: list[Path]) -> None:
    path = save(tmp_path / "chest.dcm", [], sop="1.2.840.10008.5.1.4.1.1.2")  # CT image
    untouched.append(path)
    with pytest.raises(UnknownFormatError, match="without a waveform"):
        open_record(path)


def test_truncated_waveform_data(tmp_path: Path, untouched: list[Path]) -> None:
    raw = twelve_lead_raw(2 * FS)[:2]
    item = group("RHYTHM", raw, [channel(SOURCES["I"]), channel(SOURCES["II"])])
    item.WaveformData = item.WaveformData[:1000]
    path = save(tmp_path / "short.dcm", [item])
    untouched.append(path)
    with pytest.raises(TruncatedDataError, match="cut short"):
        open_record(path)
