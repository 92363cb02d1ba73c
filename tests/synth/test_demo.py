"""The shipped demo record is reproducible from the generator and reads back faithfully."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from ecgviewer.io.record import STANDARD_LEADS
from trainer.__main__ import main
from trainer.demo import ADC_GAIN_PER_MV, OUTPUT_FILES, build_demo, synthesize_demo

COMMITTED = Path(__file__).resolve().parents[2] / "resources" / "demo"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    written = build_demo(out)
    assert sorted(p.name for p in written) == sorted(OUTPUT_FILES)
    return out


@pytest.mark.parametrize("name", OUTPUT_FILES)
def test_rebuilt_demo_is_byte_identical_to_the_committed_one(built: Path, name: str) -> None:
    assert (COMMITTED / name).is_file(), f"run `python -m trainer demo` to create {name}"
    assert (built / name).read_bytes() == (COMMITTED / name).read_bytes(), (
        f"{name} differs from resources/demo; the generator changed: rebuild and commit it"
    )


def test_no_temporary_files_are_left_behind(built: Path) -> None:
    assert sorted(p.name for p in built.iterdir()) == sorted(OUTPUT_FILES)


def test_demo_reads_back_as_the_synthesized_signal(built: Path) -> None:
    import wfdb

    rec = wfdb.rdrecord(str(built / "demo"))
    assert rec.fs == 500 and rec.sig_len == 5000 and rec.n_sig == 12
    assert tuple(rec.sig_name) == STANDARD_LEADS
    assert set(rec.units) == {"mV"} and set(rec.adc_gain) == {ADC_GAIN_PER_MV}
    assert rec.fmt == ["16"] * 12
    assert "age: 60" in rec.comments and "sex: F" in rec.comments
    assert any("not a patient" in c for c in rec.comments)
    ecg = synthesize_demo()
    err = np.abs(rec.p_signal.T - ecg.record.samples)
    assert float(err.max()) <= 0.5 / ADC_GAIN_PER_MV + 1e-6  # 1 µV quantisation, rounded

    ann = wfdb.rdann(str(built / "demo"), "atr")
    assert ann.symbol.count("V") == 1 and set(ann.symbol) == {"N", "V"}
    np.testing.assert_array_equal(ann.sample, ecg.truth.samples("r_peak"))

    truth = json.loads((built / "demo_truth.json").read_text(encoding="utf-8"))
    assert truth["truth"]["intervals"]["pr_ms"] == 160.0
    assert [b["label"] for b in truth["truth"]["beats"]] == list(ann.symbol)


def test_cli_demo_command_writes_the_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo", "--out", str(tmp_path / "out")]) == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(OUTPUT_FILES)
    assert "demo.hea" in capsys.readouterr().out


def test_cli_needs_a_command() -> None:
    with pytest.raises(SystemExit):
        main([])
