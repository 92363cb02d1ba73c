"""Moving through a long record: the overview envelope, time text, scroll and zoom steps.

The overview is the whole record of one lead reduced to a min/max envelope of a few thousand
columns. It is computed once per record, chunk by chunk, from views of the read-only samples:
nothing is copied, so a 24-hour Holter costs a few kilobytes of envelope and one pass.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ecgviewer.controllers.paper import ZOOM_SPEEDS_MM_PER_S
from ecgviewer.io.record import Record

F64 = npt.NDArray[np.float64]
OVERVIEW_COLUMNS = 3000
OVERVIEW_CHUNK_SAMPLES = 2**20
#: Arrow keys move a tenth of a page; PageUp/PageDown a whole page.
ARROW_FRACTION = 0.1


@dataclass(frozen=True, slots=True)
class Overview:
    """Min/max envelope of one lead: column ``i`` covers ``[t_s[i], t_s[i] + column_s)``."""

    lead: str
    t_s: F64
    lo_mv: F64
    hi_mv: F64
    column_s: float
    duration_s: float

    def polyline(self) -> tuple[F64, F64]:
        """``(t, mV)`` zig-zagging min, max, min … so one line draws the filled envelope."""
        t = np.repeat(self.t_s + self.column_s / 2, 2)
        y = np.stack([self.lo_mv, self.hi_mv], axis=1).ravel()
        return t, y


def overview_envelope(
    record: Record,
    lead: str,
    n_columns: int = OVERVIEW_COLUMNS,
    chunk_samples: int = OVERVIEW_CHUNK_SAMPLES,
) -> Overview:
    """The min/max envelope of ``lead`` over the whole record, read in chunks without a copy.

    Missing samples are ignored (``fmin``/``fmax``); a column with no valid sample is NaN.
    """
    row = record.lead_index(lead)
    n = record.n_samples
    per = max(1, math.ceil(n / max(1, n_columns)))
    n_cols = math.ceil(n / per)
    lo = np.empty(n_cols, dtype=np.float64)
    hi = np.empty(n_cols, dtype=np.float64)
    chunk = max(per, chunk_samples // per * per)
    for a in range(0, n, chunk):
        view = record.samples[row, a : min(n, a + chunk)]
        full = view.shape[0] // per
        col = a // per
        if full:
            body = view[: full * per].reshape(full, per)  # a view: the row is contiguous
            lo[col : col + full] = np.fmin.reduce(body, axis=1)
            hi[col : col + full] = np.fmax.reduce(body, axis=1)
        if full * per < view.shape[0]:
            tail = view[full * per :]
            lo[col + full] = np.fmin.reduce(tail)
            hi[col + full] = np.fmax.reduce(tail)
    t = np.arange(n_cols, dtype=np.float64) * per / record.fs_hz
    return Overview(lead, t, lo, hi, per / record.fs_hz, record.duration_s)


def clamp_start(start_s: float, record_duration_s: float, page_s: float) -> float:
    """Keep the page inside the record (a record shorter than a page starts at 0).

    ``inf`` means the end of the record; NaN the start.
    """
    if math.isnan(start_s):
        return 0.0
    return max(0.0, min(start_s, max(0.0, record_duration_s - page_s)))


def zoom_speed(speed_mm_per_s: float, steps: int) -> float:
    """The paper speed ``steps`` rungs faster (zoom in, > 0) or slower on the zoom ladder."""
    ladder = ZOOM_SPEEDS_MM_PER_S
    nearest = min(range(len(ladder)), key=lambda i: abs(math.log(ladder[i] / speed_mm_per_s)))
    return ladder[min(len(ladder) - 1, max(0, nearest + steps))]


def format_time(t_s: float, total_s: float | None = None) -> str:
    """``7.5 s`` in short records; ``00:12:30.0`` when the record is a minute or longer."""
    if (total_s if total_s is not None else t_s) < 60:
        return f"{t_s:.1f} s"
    tenths = round(t_s * 10)
    seconds, tenth = divmod(tenths, 10)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{tenth}"


_TIME = re.compile(r"^\s*(?:(\d+):)?(?:(\d+):)?(\d+(?:\.\d*)?|\.\d+)\s*s?\s*$")


def parse_time(text: str) -> float:
    """Seconds from ``90``, ``90.5 s``, ``1:30`` (min:s) or ``1:02:03.5`` (h:min:s).

    Raises ``ValueError`` with a message that says what is accepted.
    """
    match = _TIME.match(text)
    if not match:
        raise ValueError(
            f"{text.strip()!r} is not a time; write seconds (90), min:s (1:30) or h:min:s (1:02:03)"
        )
    first, second, seconds = match.groups()
    if second is not None:  # h:min:s
        hours, minutes = int(first), int(second)
    else:
        hours, minutes = 0, int(first) if first is not None else 0
    if (first is not None and float(seconds) >= 60) or (second is not None and minutes >= 60):
        raise ValueError(f"{text.strip()!r}: minutes and seconds must be below 60")
    return hours * 3600.0 + minutes * 60.0 + float(seconds)
