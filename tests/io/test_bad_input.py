"""The bad-input table: every broken file gives one typed error with a plain message.

Each case also proves that nothing is written next to or into the user's file.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from ecgviewer.io import (
    CorruptHeaderError,
    DuplicateLeadError,
    EmptyRecordError,
    MissingFileError,
    RecordError,
    SamplingRateError,
    TruncatedDataError,
    UnknownFormatError,
    UnusableSignalError,
    make_record,
    open_record,
)
from tests.io.wfdb_helpers import write_record


def _open_expecting(path: Path, error: type[RecordError], untouched: list[Path]) -> RecordError:
    for f in sorted(path.parent.iterdir()):
        untouched.append(f)
    with pytest.raises(error) as info:
        open_record(path)
    message = info.value.message
    assert len(message) > 20 and "Traceback" not in message
    return info.value


def _edit_header(header: Path, old: str, new: str) -> None:
    text = header.read_text()
    assert old in text
    header.write_text(text.replace(old, new, 1))


def test_missing_dat(tmp_path: Path, untouched: list[Path]) -> None:
    header, _ = write_record(tmp_path)
    header.with_suffix(".dat").unlink()
    err = _open_expecting(header, MissingFileError, untouched)
    assert "rec.dat" in err.message and "missing" in err.message


def test_missing_file_altogether(tmp_path: Path) -> None:
    with pytest.raises(MissingFileError):
        open_record(tmp_path / "nothing_here.hea")


def test_truncated_data(tmp_path: Path, untouched: list[Path]) -> None:
    header, _ = write_record(tmp_path)
    dat = header.with_suffix(".dat")
    dat.write_bytes(dat.read_bytes()[: dat.stat().st_size // 3])
    err = _open_expecting(header, TruncatedDataError, untouched)
    assert "truncated" in err.message and "33 %" in err.message


def test_garbage_header(tmp_path: Path, untouched: list[Path]) -> None:
    header = tmp_path / "junk.hea"
    header.write_text("junk 12 500 5000\nthis is not a signal line\n")
    _open_expecting(header, CorruptHeaderError, untouched)


def test_header_with_fewer_signal_lines_than_it_announces(
    tmp_path: Path, untouched: list[Path]
) -> None:
    header, _ = write_record(tmp_path, leads=["I", "II"])
    _edit_header(header, "rec 2 500", "rec 3 500")
    _open_expecting(header, CorruptHeaderError, untouched)


def test_data_contradicting_header_checksum(tmp_path: Path, untouched: list[Path]) -> None:
    header, _ = write_record(tmp_path, leads=["I", "II"])
    dat = header.with_suffix(".dat")
    raw = bytearray(dat.read_bytes())
    raw[2001] ^= 0x11  # one corrupted byte inside the samples
    dat.write_bytes(bytes(raw))
    err = _open_expecting(header, CorruptHeaderError, untouched)
    assert "checksum" in err.message


def test_unknown_binary_format(tmp_path: Path, untouched: list[Path]) -> None:
    path = tmp_path / "scan.bin"
    path.write_bytes(bytes(range(256)) * 16)
    _open_expecting(path, UnknownFormatError, untouched)


def test_unrelated_xml_is_unknown(tmp_path: Path, untouched: list[Path]) -> None:
    path = tmp_path / "notes.xml"
    path.write_text('<?xml version="1.0"?><notes><note>hi</note></notes>')
    _open_expecting(path, UnknownFormatError, untouched)


def test_zero_byte_file(tmp_path: Path, untouched: list[Path]) -> None:
    path = tmp_path / "empty.edf"
    path.write_bytes(b"")
    _open_expecting(path, EmptyRecordError, untouched)


def test_zero_length_record(tmp_path: Path, untouched: list[Path]) -> None:
    header, _ = write_record(tmp_path, leads=["I", "II"])
    _edit_header(header, "rec 2 500 5000", "rec 2 500 0")
    _open_expecting(header, EmptyRecordError, untouched)


@pytest.mark.parametrize("fs", ["0", "-5", "1000000", "nan"])
def test_absurd_sampling_rate(tmp_path: Path, fs: str, untouched: list[Path]) -> None:
    header, _ = write_record(tmp_path, leads=["I", "II"])
    _edit_header(header, "rec 2 500 ", f"rec 2 {fs} ")
    err = _open_expecting(header, SamplingRateError, untouched)
    assert fs in err.message


def test_duplicate_lead_names(tmp_path: Path, untouched: list[Path]) -> None:
    header, _ = write_record(tmp_path, leads=["I", "II", "ii"])
    err = _open_expecting(header, DuplicateLeadError, untouched)
    assert "II" in err.message


def test_non_voltage_signal_is_refused(tmp_path: Path, untouched: list[Path]) -> None:
    header, _ = write_record(tmp_path, leads=["I", "II"])
    _edit_header(header, "/mV", "/mmHg")
    _open_expecting(header, CorruptHeaderError, untouched)


def test_nan_lead_is_reported_not_fatal(tmp_path: Path) -> None:
    signal = np.zeros((3, 2000)) + np.sin(np.arange(2000) / 20.0)
    signal[1] = np.nan  # written as WFDB's invalid-sample value
    signal[2, 100:200] = np.nan
    header, _ = write_record(tmp_path, leads=["I", "II", "V1"], signal=signal, n_samples=2000)
    rec = open_record(header)
    assert np.isnan(rec.lead("II")).all()
    assert np.isnan(rec.lead("V1")).sum() == 100  # gaps stay blank, never filled in
    kinds = {(i.lead, i.kind) for i in rec.issues}
    assert ("II", "nan") in kinds and ("V1", "nan") in kinds
    assert "100 missing samples" in next(i.detail for i in rec.issues if i.lead == "V1")


def test_flat_lead_is_reported_not_fatal(tmp_path: Path) -> None:
    signal = np.vstack([np.sin(np.arange(2000) / 20.0), np.zeros(2000)])
    header, _ = write_record(tmp_path, leads=["I", "II"], signal=signal, n_samples=2000)
    rec = open_record(header)
    assert [(i.lead, i.kind) for i in rec.issues] == [("II", "flat")]


def test_all_leads_nan_or_flat_is_unusable(tmp_path: Path, untouched: list[Path]) -> None:
    signal = np.vstack([np.full(2000, np.nan), np.zeros(2000)])
    header, _ = write_record(tmp_path, leads=["I", "II"], signal=signal, n_samples=2000)
    _open_expecting(header, UnusableSignalError, untouched)


def test_make_record_rejects_mismatched_names() -> None:
    with pytest.raises(EmptyRecordError):
        make_record(np.zeros((2, 10)), 500.0, ["I"], "x")


def test_every_error_is_a_record_error_with_a_kind() -> None:
    kinds = set()
    for cls in (
        CorruptHeaderError, DuplicateLeadError, EmptyRecordError, MissingFileError,
        SamplingRateError, TruncatedDataError, UnknownFormatError, UnusableSignalError,
    ):  # fmt: skip
        assert issubclass(cls, RecordError)
        kinds.add(cls.kind)
    assert len(kinds) == 8
