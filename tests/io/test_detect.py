"""Format detection by content, not only by extension."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecgviewer.io import MissingFileError, UnknownFormatError
from ecgviewer.io.detect import detect_format
from tests.io.wfdb_helpers import write_record

AECG = '<?xml version="1.0"?>\n{pad}<AnnotatedECG xmlns="urn:hl7-org:v3"></AnnotatedECG>\n'


def test_wfdb_header_recognised_under_any_name(tmp_path: Path) -> None:
    header, _ = write_record(tmp_path)
    odd = tmp_path / "header.txt"
    odd.write_bytes(header.read_bytes())
    assert detect_format(odd)[0] == "wfdb"
    assert detect_format(header.with_suffix(".dat")) == ("wfdb", header)
    assert detect_format(header.with_suffix("")) == ("wfdb", header)


def test_aecg_found_after_a_long_prologue(tmp_path: Path) -> None:
    path = tmp_path / "ecg.xml"
    path.write_text(AECG.format(pad="<!-- " + "x" * 10_000 + " -->\n"))
    assert detect_format(path)[0] == "aecg"


def test_utf16_aecg(tmp_path: Path) -> None:
    path = tmp_path / "ecg.xml"
    path.write_bytes(
        AECG.format(pad="").replace('1.0"?>', '1.0" encoding="UTF-16"?>').encode("utf-16")
    )
    assert detect_format(path)[0] == "aecg"


def test_matlab_file_without_header(tmp_path: Path) -> None:
    path = tmp_path / "A0001.mat"
    path.write_bytes(b"MATLAB 5.0 MAT-file" + bytes(200))
    with pytest.raises(MissingFileError, match="header"):
        detect_format(path)


def test_folder_is_not_a_recording(tmp_path: Path) -> None:
    with pytest.raises(UnknownFormatError, match="folder"):
        detect_format(tmp_path)
