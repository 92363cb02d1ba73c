"""``open_record``: one call that opens any supported ECG file, or raises a typed error."""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from pathlib import Path

from ecgviewer.io.detect import Format, detect_format
from ecgviewer.io.errors import CorruptHeaderError, RecordError
from ecgviewer.io.record import Record

log = logging.getLogger(__name__)

# Each reader lives in its own module and is imported only when a file of its kind is opened,
# so opening a WFDB record never pays for pydicom or edfio.
_READERS: dict[Format, str] = {
    "wfdb": "ecgviewer.io.wfdb_reader:read_wfdb",
    "edf": "ecgviewer.io.edf_reader:read_edf",
    "dicom": "ecgviewer.io.dicom_reader:read_dicom",
    "aecg": "ecgviewer.io.aecg_reader:read_aecg",
    "csv": "ecgviewer.io.csv_reader:read_csv",
}


def _reader(fmt: Format) -> Callable[[Path], Record]:
    module, func = _READERS[fmt].split(":")
    reader: Callable[[Path], Record] = getattr(importlib.import_module(module), func)
    return reader


def open_record(path: str | Path) -> Record:
    """Open an ECG recording, recognising its format by content.

    Parameters
    ----------
    path
        A file (``.hea``, ``.dat``, ``.mat``, ``.edf``, ``.dcm``, ``.xml``, ``.csv``, ...) or a
        WFDB record name without extension.

    Returns
    -------
    Record
        Samples in mV as float32 ``[lead, sample]``; every conversion made is listed in
        ``record.conversions``. The file is only ever read.

    Raises
    ------
    RecordError
        A subclass naming what is wrong, with a message meant for the clinician.
    """
    fmt, target = detect_format(path)
    try:
        return _reader(fmt)(target)
    except RecordError:
        raise
    except MemoryError:
        raise RecordError(
            f"{Path(path).name} is too large to open in this computer's memory.", str(path)
        ) from None
    except Exception as exc:  # a library failed on malformed content: never crash the app
        log.debug("reader for %s failed on %s", fmt, path, exc_info=True)
        raise CorruptHeaderError(
            f"{Path(path).name} looks like a {fmt.upper()} file but could not be read: {exc}",
            str(path),
        ) from exc
