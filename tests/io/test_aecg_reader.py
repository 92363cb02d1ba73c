"""HL7 aECG XML written in the schema's structure, read back through ``open_record``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from ecgviewer.io import (
    STANDARD_LEADS,
    CorruptHeaderError,
    SamplingRateError,
    open_record,
)

FS = 500
MDC = "2.16.840.1.113883.6.24"
ACT = "2.16.840.1.113883.5.4"


def digits(n: int, k: int) -> npt.NDArray[np.int64]:
    t = np.arange(n) / FS
    return np.round(200 * np.sin(2 * np.pi * (k + 1) * t) + 10 * k).astype(np.int64)


def sequence_set(
    leads: dict[str, npt.NDArray[np.int64]],
    increment: str,
    scale: str,
    origin: str = '<origin value="0" unit="uV"/>',
) -> str:
    parts = [
        f"""<component><sequence><code code="TIME_ABSOLUTE" codeSystem="{ACT}"/>
        <value xsi:type="GLIST_TS"><head value="20190314083015.500"/>{increment}</value>
        </sequence></component>"""
    ]
    for code, values in leads.items():
        parts.append(
            f"""<component><sequence><code code="{code}" codeSystem="{MDC}" codeSystemName="MDC"/>
            <value xsi:type="SLIST_PQ">{origin}{scale}
            <digits>{" ".join(map(str, values))}</digits></value></sequence></component>"""
        )
    return "<sequenceSet>" + "".join(parts) + "</sequenceSet>"


def aecg(
    leads: dict[str, npt.NDArray[np.int64]],
    increment: str = '<increment value="0.002" unit="s"/>',
    scale: str = '<scale value="5" unit="uV"/>',
    origin: str = '<origin value="0" unit="uV"/>',
    rhythm: bool = True,
) -> str:
    """An AnnotatedECG document: subject, a RHYTHM series and its derived median beats."""
    median = {code: values[:400] for code, values in leads.items()}
    derived = f"""<derivation><derivedSeries><id root="2.2"/>
        <code code="REPRESENTATIVE_BEAT" codeSystem="{ACT}"/>
        <component>{sequence_set(median, increment, scale, origin)}</component>
        </derivedSeries></derivation>"""
    rhythm_sets = f"<component>{sequence_set(leads, increment, scale, origin)}</component>"
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<AnnotatedECG xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xmlns:voc="urn:hl7-org:v3/voc" type="Observation">
  <id root="61d1a24f-b47e-41aa-ae95-f8ac302f4eeb"/>
  <code code="93000" codeSystem="2.16.840.1.113883.6.12" codeSystemName="CPT-4"/>
  <effectiveTime><low value="20190314083015"/><high value="20190314083025"/></effectiveTime>
  <componentOf><timepointEvent><code code="VISIT_2" codeSystem=""/>
    <componentOf><subjectAssignment>
      <subject><trialSubject><id root="2.16.840.1.113883.3.1" extension="SUBJ-0042"/>
        <subjectDemographicPerson><name>JXD</name>
          <administrativeGenderCode code="F" codeSystem="2.16.840.1.113883.5.1"/>
          <birthTime value="19580530"/>
        </subjectDemographicPerson>
      </trialSubject></subject>
      <componentOf><clinicalTrial><id root="2.16.840.1.113883.3.2" extension="TRIAL-1"/>
      </clinicalTrial></componentOf>
    </subjectAssignment></componentOf>
  </timepointEvent></componentOf>
  <component><series><id root="2.1"/>
    <code code="RHYTHM" codeSystem="{ACT}"/>
    <effectiveTime>
      <low value="20190314083015.500"/><high value="20190314083025.500"/>
    </effectiveTime>
    {rhythm_sets if rhythm else ""}
    {derived}
  </series></component>
</AnnotatedECG>
"""


def twelve(n: int = 10 * FS) -> dict[str, npt.NDArray[np.int64]]:
    return {f"MDC_ECG_LEAD_{lead.upper()}": digits(n, k) for k, lead in enumerate(STANDARD_LEADS)}


def test_rhythm_series_twelve_leads(tmp_path: Path, untouched: list[Path]) -> None:
    leads = twelve()
    path = tmp_path / "subject42.txt"  # misleading extension: found by content
    path.write_text(aecg(leads), encoding="utf-8")
    untouched.append(path)
    rec = open_record(path)

    assert rec.source_format == "HL7 aECG"
    assert rec.lead_names == STANDARD_LEADS
    assert rec.fs_hz == pytest.approx(FS) and rec.duration_s == pytest.approx(10.0)
    expected = np.array(list(leads.values())) * 5 / 1000
    np.testing.assert_allclose(rec.samples, expected, atol=1e-6)
    details = " | ".join(c.detail for c in rec.conversions)
    assert "from uV (× 0.001)" in details
    assert "MDC_ECG_LEAD_AVR→aVR" in details
    assert "1 other waveform set" not in details  # median beats are derived, not a rival set
    assert rec.start_time == dt.datetime(2019, 3, 14, 8, 30, 15, 500_000)
    assert rec.patient.patient_id == "SUBJ-0042"
    assert rec.patient.sex == "F" and rec.patient.age_years == 60.0
    assert rec.metadata["series"] == "RHYTHM"


def test_millisecond_increment_and_mixed_units(tmp_path: Path) -> None:
    leads = {"MDC_ECG_LEAD_I": digits(1000, 0), "MDC_ECG_LEAD_II": digits(1000, 1)}
    path = tmp_path / "ms.xml"
    path.write_text(
        aecg(
            leads,
            increment='<increment value="4" unit="ms"/>',
            scale='<scale value="0.01" unit="mV"/>',
            origin='<origin value="-50" unit="uV"/>',
        )
    )
    rec = open_record(path)
    assert rec.fs_hz == pytest.approx(250.0)
    np.testing.assert_allclose(rec.lead("II"), leads["MDC_ECG_LEAD_II"] * 0.01 - 0.05, atol=1e-6)


def test_only_derived_beats_are_shown_and_said(tmp_path: Path) -> None:
    path = tmp_path / "median_only.xml"
    path.write_text(aecg(twelve(), rhythm=False))
    rec = open_record(path)
    assert rec.n_samples == 400
    assert any("REPRESENTATIVE_BEAT" in c.detail for c in rec.conversions)


def test_missing_increment(tmp_path: Path, untouched: list[Path]) -> None:
    path = tmp_path / "noincrement.xml"
    path.write_text(aecg(twelve(1000), increment=""))
    untouched.append(path)
    with pytest.raises(SamplingRateError, match="increment"):
        open_record(path)


def test_non_numeric_digits(tmp_path: Path) -> None:
    path = tmp_path / "bad_digits.xml"
    path.write_text(aecg(twelve(1000)).replace("<digits>", "<digits>12 abc ", 1))
    with pytest.raises(CorruptHeaderError, match="MDC_ECG_LEAD_I"):
        open_record(path)


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE AnnotatedECG [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<AnnotatedECG xmlns="urn:hl7-org:v3"><text>&lol9;</text></AnnotatedECG>
"""


def test_billion_laughs_is_refused(tmp_path: Path, untouched: list[Path]) -> None:
    path = tmp_path / "bomb.xml"
    path.write_text(BILLION_LAUGHS)
    untouched.append(path)
    with pytest.raises(CorruptHeaderError, match="entities"):
        open_record(path)


def test_external_entity_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "xxe.xml"
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE AnnotatedECG [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        '<AnnotatedECG xmlns="urn:hl7-org:v3"><text>&xxe;</text></AnnotatedECG>'
    )
    with pytest.raises(CorruptHeaderError, match="external references"):
        open_record(path)


def test_cut_off_xml(tmp_path: Path) -> None:
    path = tmp_path / "cut.xml"
    text = aecg(twelve(1000))
    path.write_text(text[: len(text) // 2])
    with pytest.raises(CorruptHeaderError, match="not well-formed"):
        open_record(path)
