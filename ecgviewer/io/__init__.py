"""Readers that turn clinical ECG files into one immutable :class:`Record`.

``open_record(path)`` is the only entry point the rest of the app needs.
"""

from ecgviewer.io.errors import (
    CorruptHeaderError,
    DuplicateLeadError,
    EmptyRecordError,
    MissingFileError,
    RecordError,
    SamplingRateError,
    TruncatedDataError,
    UnknownFormatError,
    UnusableSignalError,
)
from ecgviewer.io.open import open_record
from ecgviewer.io.record import (
    STANDARD_LEADS,
    AnnotationTrack,
    Conversion,
    PatientInfo,
    Record,
    SignalIssue,
    WaveMark,
    canonical_lead_name,
    make_record,
)

__all__ = [
    "STANDARD_LEADS",
    "AnnotationTrack",
    "Conversion",
    "CorruptHeaderError",
    "DuplicateLeadError",
    "EmptyRecordError",
    "MissingFileError",
    "PatientInfo",
    "Record",
    "RecordError",
    "SamplingRateError",
    "SignalIssue",
    "TruncatedDataError",
    "UnknownFormatError",
    "UnusableSignalError",
    "WaveMark",
    "canonical_lead_name",
    "make_record",
    "open_record",
]
