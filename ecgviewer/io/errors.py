"""Typed errors raised when a recording cannot be opened.

Every reader raises one of these, never a library's own exception, and every message is
written for the clinician who sees it: what is wrong with which file, and what to try.
"""

from __future__ import annotations


class RecordError(Exception):
    """Base class: the recording at ``path`` cannot be opened as an ECG."""

    #: A short, stable name for the kind of problem (used in the analysis JSON).
    kind = "record_error"

    def __init__(self, message: str, path: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path

    def __str__(self) -> str:
        return self.message


class MissingFileError(RecordError):
    """The file, or a file it depends on (the .dat beside a .hea), does not exist."""

    kind = "missing_file"


class UnknownFormatError(RecordError):
    """The content is not an ECG format the viewer knows."""

    kind = "unknown_format"


class CorruptHeaderError(RecordError):
    """The header is unreadable or contradicts itself or its data."""

    kind = "corrupt_header"


class TruncatedDataError(RecordError):
    """The signal file holds fewer samples than its header promises."""

    kind = "truncated_data"


class EmptyRecordError(RecordError):
    """The recording has no samples or no signals."""

    kind = "empty_record"


class SamplingRateError(RecordError):
    """The sampling rate is missing, not a number, or outside what an ECG can have."""

    kind = "sampling_rate"


class DuplicateLeadError(RecordError):
    """Two signals carry the same lead name, so neither can be trusted to be that lead."""

    kind = "duplicate_lead"


class UnusableSignalError(RecordError):
    """Every lead is missing (NaN) or flat: there is no ECG to show."""

    kind = "unusable_signal"
