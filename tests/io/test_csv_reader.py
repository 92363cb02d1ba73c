"""Delimited-text ECGs written with NumPy, read back through ``open_record``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from ecgviewer.io import (
    CorruptHeaderError,
    DuplicateLeadError,
    EmptyRecordError,
    SamplingRateError,
    UnknownFormatError,
    open_record,
)

FS = 500


def waves(n_leads: int, n: int = 10 * FS, amp: float = 1.0) -> npt.NDArray[np.float64]:
    t = np.arange(n) / FS
    return np.array([amp * np.sin(2 * np.pi * (k + 1) * t) + 0.1 * k for k in range(n_leads)])


def write(
    path: Path,
    header: str,
    columns: npt.NDArray[np.float64],
    delimiter: str = ",",
    comments: str = "",
    fmt: str = "%.6f",
) -> Path:
    """``columns`` is ``[column, row]``; ``comments`` go above the header row verbatim."""
    np.savetxt(path, columns.T, delimiter=delimiter, header=comments + header, comments="", fmt=fmt)
    return path


def conversion_text(path: Path) -> str:
    return " | ".join(c.detail for c in open_record(path).conversions)


def test_time_column_and_units_in_header(tmp_path: Path, untouched: list[Path]) -> None:
    leads = waves(4)
    t = np.arange(leads.shape[1]) / FS
    columns = np.vstack([t, leads[0], leads[1], leads[2] * 1000, leads[3] * 1000])
    path = write(tmp_path / "ecg.dat", "Time (s),I (mV),II [mV],V1 [uV],V2_uV", columns)
    untouched.append(path)
    rec = open_record(path)

    assert rec.source_format == "CSV"
    assert rec.lead_names[:4] == ("I", "II", "V1", "V2")
    assert rec.fs_hz == FS and rec.duration_s == pytest.approx(10.0)
    np.testing.assert_allclose(rec.samples[:4], leads, atol=1e-6)
    details = " | ".join(c.detail for c in rec.conversions)
    assert "V1, V2 from uV (× 0.001)" in details
    assert "does not state units" not in details


def test_semicolons_decimal_commas_and_fs_comment(tmp_path: Path) -> None:
    leads = waves(2, n=1000)
    path = tmp_path / "export.csv"
    write(path, "avr;V6", leads, delimiter=";", comments="# device: X\n# fs_hz: 250\n")
    path.write_text(path.read_text().replace(".", ","))
    rec = open_record(path)
    assert rec.fs_hz == 250.0 and rec.lead_names == ("aVR", "V6")
    np.testing.assert_allclose(rec.samples, leads, atol=1e-6)
    details = conversion_text(path)
    assert "Decimal commas" in details and "avr→aVR" in details
    assert rec.metadata["device"] == "X"


def test_tab_separated_time_in_ms(tmp_path: Path) -> None:
    leads = waves(1, n=720) * 1000
    t_ms = np.arange(720) / 360 * 1000  # 360 Hz, printed to 3 decimals
    path = write(tmp_path / "mit.tsv", "time_ms\tMLII", np.vstack([t_ms, leads]), "\t", fmt="%.3f")
    rec = open_record(path)
    assert rec.fs_hz == 360.0 and rec.lead_names == ("MLII",)


@pytest.mark.parametrize(
    ("amp", "factor", "words"), [(1000.0, 1e-3, "microvolts"), (1.0, 1.0, "millivolts")]
)
def test_unstated_units_are_guessed_and_said(
    tmp_path: Path, amp: float, factor: float, words: str
) -> None:
    leads = waves(3, amp=amp)
    path = write(tmp_path / "raw.csv", "I,II,V1", leads, comments="# sampling_rate: 500 Hz\n")
    rec = open_record(path)
    np.testing.assert_allclose(rec.samples[:3], leads * factor, atol=1e-6)
    assert any(c.kind == "units" and words in c.detail for c in rec.conversions)


def test_units_from_comment_and_non_voltage_column(tmp_path: Path) -> None:
    leads = waves(2, n=1000) * 1000
    columns = np.vstack([leads, np.full(1000, 97.0)])
    path = write(tmp_path / "u.csv", "I,V1,SpO2 (%)", columns, comments="# fs: 500\n# units: uV\n")
    rec = open_record(path)
    assert rec.lead_names == ("I", "V1")
    np.testing.assert_allclose(rec.samples, leads / 1000, atol=1e-6)
    assert "SpO2 ('%' is not a voltage)" in conversion_text(path)


def test_patient_and_start_from_comments(tmp_path: Path) -> None:
    comments = "# fs_hz: 500\n# patient_id: AB-12\n# sex: female\n# age: 54\n"
    comments += "# start_time: 2023-06-01T09:30:00\n"
    path = write(tmp_path / "p.csv", "I", waves(1, n=500), comments=comments)
    rec = open_record(path)
    assert rec.patient.patient_id == "AB-12"
    assert rec.patient.sex == "F" and rec.patient.age_years == 54.0
    assert rec.start_time == dt.datetime(2023, 6, 1, 9, 30)


def test_empty_cells_are_missing_samples(tmp_path: Path) -> None:
    path = write(tmp_path / "gaps.csv", "I,II", waves(2, n=1000), comments="# fs_hz: 500\n")
    lines = path.read_text().splitlines()
    for i in range(11, 21):
        lines[i] = lines[i].split(",")[0] + ","
    path.write_text("\n".join(lines) + "\n")
    rec = open_record(path)
    assert int(np.isnan(rec.lead("II")).sum()) == 10
    assert any(i.lead == "II" and i.kind == "nan" for i in rec.issues)


def test_without_sampling_rate(tmp_path: Path, untouched: list[Path]) -> None:
    path = write(tmp_path / "nofs.csv", "I,II", waves(2, n=100))
    untouched.append(path)
    with pytest.raises(SamplingRateError, match="# fs_hz: 500"):
        open_record(path)


def test_uneven_time_column(tmp_path: Path) -> None:
    t = np.arange(1000) / FS
    t = np.delete(t, 500)  # one sample lost
    path = write(tmp_path / "gap.csv", "t,I", np.vstack([t, np.sin(t)]))
    with pytest.raises(SamplingRateError, match="not evenly spaced"):
        open_record(path)


def test_fs_comment_contradicting_time_column(tmp_path: Path) -> None:
    t = np.arange(1000) / FS
    path = write(
        tmp_path / "two.csv", "time_s,I", np.vstack([t, np.sin(t)]), comments="# fs_hz: 250\n"
    )
    with pytest.raises(SamplingRateError, match="250 Hz but its time column gives 500 Hz"):
        open_record(path)


def test_non_numeric_cell_names_the_line(tmp_path: Path, untouched: list[Path]) -> None:
    path = write(tmp_path / "text.csv", "I,II", waves(2, n=100), comments="# fs_hz: 500\n")
    lines = path.read_text().splitlines()
    lines[6] = "0.1,lead off"
    path.write_text("\n".join(lines) + "\n")
    untouched.append(path)
    with pytest.raises(CorruptHeaderError, match="line 7: 'lead off' is not a number"):
        open_record(path)


def test_ragged_row_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path / "ragged.csv", "I,II", waves(2, n=100), comments="# fs_hz: 500\n")
    path.write_text(path.read_text() + "0.1,0.2,0.3\n")
    with pytest.raises(CorruptHeaderError, match="line 103: 3 values"):
        open_record(path)


def test_duplicate_lead_names(tmp_path: Path) -> None:
    path = write(
        tmp_path / "dup.csv", "I (mV),i [mV],V1", waves(3, n=100), comments="# fs_hz: 500\n"
    )
    with pytest.raises(DuplicateLeadError, match="I"):
        open_record(path)


def test_header_but_no_rows(tmp_path: Path, untouched: list[Path]) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("# fs_hz: 500\nI,II,V1\n\n")
    untouched.append(path)
    with pytest.raises(EmptyRecordError, match="no rows"):
        open_record(path)


def test_numbers_without_a_header_row(tmp_path: Path) -> None:
    path = tmp_path / "bare.csv"
    np.savetxt(path, waves(2, n=100).T, delimiter=",")
    with pytest.raises(CorruptHeaderError, match="header row"):
        open_record(path)


def test_trailing_delimiter_column_is_left_out(tmp_path: Path) -> None:
    path = write(
        tmp_path / "trail.csv",
        "I,II,",
        np.vstack([waves(2, n=500), np.full(500, np.nan)]),
        comments="# fs_hz: 500\n",
    )
    path.write_text(path.read_text().replace(",nan", ","))
    rec = open_record(path)
    assert rec.lead_names[:2] == ("I", "II") and "column 3" in conversion_text(path)
    assert not rec.issues


def test_a_table_that_is_not_an_ecg_is_named_as_such(tmp_path: Path) -> None:
    path = tmp_path / "patients.csv"
    path.write_text("ecg_id,patient_id,age,sex,report\n1,15709,56,1,sinusrhythmus\n")
    with pytest.raises(UnknownFormatError, match="not an ECG recording"):
        open_record(path)
