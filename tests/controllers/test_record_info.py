"""The info panel's text: every conversion and issue, patient, timing."""

import datetime as dt

import numpy as np

from ecgviewer.controllers.layout import compute_layout
from ecgviewer.controllers.record_info import describe_record, format_duration
from ecgviewer.io.record import STANDARD_LEADS, PatientInfo, make_record
from tests.controllers.synthetic_records import twelve_lead, two_lead_holter


def test_summary_lists_every_conversion():
    record = twelve_lead()
    summary = describe_record(record)
    assert len(summary.conversions) == len(record.conversions) == 2
    assert any("µV to mV" in c for c in summary.conversions)
    assert any("II − I" in c for c in summary.conversions)
    fields = dict(summary.fields)
    assert fields["Sampling rate"] == "500 Hz"
    assert fields["Duration"] == "10.0 s"
    assert fields["Format"] == "synthetic"
    assert fields["Patient"] == "not given in the file"


def test_summary_shows_patient_start_and_flat_lead():
    data = np.random.default_rng(0).normal(size=(12, 1000)).astype(np.float32)
    data[8] = 0.0  # flat V3
    record = make_record(
        data,
        500,
        list(STANDARD_LEADS),
        "p1",
        start_time=dt.datetime(2024, 5, 1, 8, 30),
        patient=PatientInfo("X-17", 54.0, "F"),
    )
    fields = dict(describe_record(record).fields)
    assert fields["Patient"] == "ID X-17 · 54 years · female"
    assert fields["Start time"] == "2024-05-01 08:30:00"
    assert describe_record(record).issues == ("Lead V3 is flat (electrode off or not recorded).",)


def test_long_durations_read_naturally():
    assert format_duration(8.5) == "8.5 s"
    assert format_duration(1805.0) == "30 min 05 s"
    assert format_duration(86400.0) == "24 h 00 min"
    assert dict(describe_record(two_lead_holter()).fields)["Duration"] == "30 min 00 s"


def test_leads_not_on_the_page_are_named():
    names = [*STANDARD_LEADS, "V4R"]
    record = make_record(np.ones((13, 500)) * np.arange(500), 500, names, "13")
    layout = compute_layout(record.lead_names)
    assert ("Not on this page", "V4R") in describe_record(record, layout).fields
