"""The helpers every reader shares: units, the unit guess, lead labels, ages."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from ecgviewer.io.common import age_years, ecg_lead_name, mv_per_unit, rename_note, scale_to_mv


@pytest.mark.parametrize(
    ("unit", "factor"),
    [("mV", 1.0), ("uV", 1e-3), ("µV", 1e-3), ("muV", 1e-3), ("microvolt", 1e-3), ("V", 1e3),
     ("mmHg", None), ("%", None), ("", None)],
)  # fmt: skip
def test_mv_per_unit(unit: str, factor: float | None) -> None:
    assert mv_per_unit(unit) == factor


@pytest.mark.parametrize(
    ("label", "lead"),
    [("ECG II", "II"), ("EKG_V1", "V1"), ("ECG lead aVR", "aVR"), ("Lead I (Einthoven)", "I"),
     ("AVF", "aVF"), ("MLII", "MLII"), ("ECG1", None), ("SpO2", None), ("EEG Fpz-Cz", None)],
)  # fmt: skip
def test_ecg_lead_name(label: str, lead: str | None) -> None:
    assert ecg_lead_name(label) == lead


def test_scale_to_mv_converts_stated_units_and_names_them() -> None:
    samples = np.array([[1000.0, -1000.0], [1.0, -1.0], [0.001, 0.0]], dtype=np.float32)
    notes = scale_to_mv(samples, ["uV", "mV", "V"], ["I", "II", "V1"], "The file")
    np.testing.assert_allclose(samples, [[1.0, -1.0], [1.0, -1.0], [1.0, 0.0]])
    assert [n.detail for n in notes] == [
        "Converted to mV: I from uV (× 0.001).",
        "Converted to mV: V1 from V (× 1000).",
    ]


@pytest.mark.parametrize(
    ("amp", "scaled", "word"), [(800.0, 0.8, "microvolts"), (1.2, 1.2, "millivolts")]
)
def test_scale_to_mv_guesses_unstated_units_and_says_so(
    amp: float, scaled: float, word: str
) -> None:
    samples = (amp * np.sin(np.linspace(0, 20, 2000))[np.newaxis, :]).astype(np.float32)
    (note,) = scale_to_mv(samples, [""], ["II"], "The file")
    assert float(samples.max()) == pytest.approx(scaled, rel=1e-3)
    assert (
        note.kind == "units"
        and "does not state units for II" in note.detail
        and word in note.detail
    )


def test_rename_note_lists_only_real_renames() -> None:
    assert rename_note({"I": "I"}, "Columns") is None
    note = rename_note({"ECG I": "I", "II": "II"}, "Columns")
    assert note is not None and note.detail == "Columns read as lead names: ECG I→I"


def test_age_years() -> None:
    assert age_years(dt.date(1950, 6, 15), dt.date(2020, 6, 14)) == 69.0
    assert age_years(dt.date(1950, 6, 15), dt.date(2020, 6, 15)) == 70.0
    assert age_years(dt.date(2030, 1, 1), dt.date(2020, 1, 1)) is None
