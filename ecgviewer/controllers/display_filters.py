"""Display filters: what is on, what it says on the paper, and filtered windows with a cache.

The record is never filtered: only the samples about to be drawn are, with a margin of real
signal on both sides so the page edges do not ring. The filters themselves are the zero-phase
ones of :mod:`ecgviewer.dsp.filters` (shared with the measurements), imported on first use
because scipy takes most of a second to load.

Filtering is done in fixed blocks of :data:`BLOCK_S` seconds, each with its own margin, and the
blocks are cached, so scrolling through a 24-hour Holter filters each stretch once and a frame
that moves the page by a few millimetres costs no filtering at all.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ecgviewer.io.record import Record

F64 = npt.NDArray[np.float64]

BASELINE_CUTOFF_HZ = 0.5
NOTCH_CHOICES_HZ: tuple[float, ...] = (50.0, 60.0)
LOWPASS_CHOICES_HZ: tuple[float, ...] = (40.0, 100.0, 150.0)
#: Length of the cached filter blocks.
BLOCK_S = 10.0
#: Real signal filtered beyond each block edge: a 0.5 Hz high-pass settles to 1e-4 in about
#: 4 s, a Q=30 mains notch in well under 1 s.
BASELINE_MARGIN_S = 4.0
OTHER_MARGIN_S = 1.0
#: Filtered blocks kept (float64), across all leads.
CACHE_BYTES = 64 * 2**20


@dataclass(frozen=True, slots=True)
class DisplayFilters:
    """Which display filters are on. ``None`` means off."""

    baseline: bool = False
    notch_hz: float | None = None
    lowpass_hz: float | None = None

    @property
    def active(self) -> bool:
        return self.baseline or self.notch_hz is not None or self.lowpass_hz is not None

    def applied(self, fs_hz: float) -> DisplayFilters:
        """The filters that can act at ``fs_hz`` (a cut-off must lie below half of it)."""
        nyquist = fs_hz / 2.0
        notch = self.notch_hz if self.notch_hz and self.notch_hz < 0.95 * nyquist else None
        low = self.lowpass_hz if self.lowpass_hz and self.lowpass_hz < nyquist else None
        return DisplayFilters(self.baseline, notch, low)

    @property
    def margin_s(self) -> float:
        return BASELINE_MARGIN_S if self.baseline else OTHER_MARGIN_S


NO_FILTERS = DisplayFilters()


def filter_caption(filters: DisplayFilters, fs_hz: float | None = None) -> str:
    """The filter line printed on the paper, e.g. ``Filters: 0.5–40 Hz · 50 Hz notch``.

    A filter the record's sampling rate makes pointless (150 Hz low-pass at 100 Hz) is named as
    not applied rather than silently dropped, so the caption never claims what was not done.
    """
    done = filters.applied(fs_hz) if fs_hz else filters
    parts: list[str] = []
    if done.baseline and done.lowpass_hz:
        parts.append(f"{BASELINE_CUTOFF_HZ:g}–{done.lowpass_hz:g} Hz")
    elif done.baseline:
        parts.append(f"baseline {BASELINE_CUTOFF_HZ:g} Hz high-pass")
    elif done.lowpass_hz:
        parts.append(f"{done.lowpass_hz:g} Hz low-pass")
    if done.notch_hz:
        parts.append(f"{done.notch_hz:g} Hz notch")
    text = "Filters: " + " · ".join(parts) if parts else "No display filter"
    skipped = [
        f"{wanted:g} Hz {name}"
        for name, wanted, got in (
            ("low-pass", filters.lowpass_hz, done.lowpass_hz),
            ("notch", filters.notch_hz, done.notch_hz),
        )
        if wanted and not got
    ]
    if skipped and fs_hz:
        text += f" ({', '.join(skipped)} not applied: recorded at {fs_hz:g} Hz)"
    return text


def apply_filters(samples: npt.ArrayLike, fs_hz: float, filters: DisplayFilters) -> F64:
    """Baseline removal, then notch, then low-pass, each zero-phase, on a copy (float64)."""
    from ecgviewer.dsp import filters as dsp  # lazily: scipy is slow to import

    done = filters.applied(fs_hz)
    y = np.array(samples, dtype=np.float64, ndmin=1)
    if done.baseline:
        y = dsp.remove_baseline(y, fs_hz, BASELINE_CUTOFF_HZ)
    if done.notch_hz:
        y = dsp.notch(y, fs_hz, done.notch_hz)
    if done.lowpass_hz:
        y = dsp.lowpass(y, fs_hz, done.lowpass_hz)
    return y


class FilteredBlocks:
    """Filtered samples of one record in cached blocks (mutable, owned by one page builder).

    The cache is emptied when a different record is asked for: records are compared by
    identity, and the cache keeps the current one alive, so an id is never reused under it.
    """

    def __init__(self, block_s: float = BLOCK_S, max_bytes: int = CACHE_BYTES) -> None:
        self._block_s = block_s
        self._max_bytes = max_bytes
        self._record: Record | None = None
        self._blocks: OrderedDict[tuple[Any, ...], F64] = OrderedDict()
        self._bytes = 0
        #: Samples read from the record so far (margins included): a test hook.
        self.samples_read = 0
        self.blocks_filtered = 0

    def window(self, record: Record, row: int, filters: DisplayFilters, a: int, b: int) -> F64:
        """Filtered samples ``a:b`` (absolute indices) of lead ``row``."""
        if record is not self._record:
            self.clear()
            self._record = record
        n_block = max(1, round(self._block_s * record.fs_hz))
        pieces: list[F64] = []
        for k in range(a // n_block, (max(a, b - 1)) // n_block + 1):
            block = self._block(record, row, filters, k, n_block)
            lo, hi = max(a, k * n_block) - k * n_block, min(b, (k + 1) * n_block) - k * n_block
            pieces.append(block[lo:hi])
        return pieces[0] if len(pieces) == 1 else np.concatenate(pieces)

    def clear(self) -> None:
        self._blocks.clear()
        self._bytes = 0
        self._record = None

    def _block(
        self, record: Record, row: int, filters: DisplayFilters, k: int, n_block: int
    ) -> F64:
        key = (row, filters, k)
        cached = self._blocks.get(key)
        if cached is not None:
            self._blocks.move_to_end(key)
            return cached
        margin = math.ceil(filters.margin_s * record.fs_hz)
        start, stop = k * n_block, min(record.n_samples, (k + 1) * n_block)
        a, b = max(0, start - margin), min(record.n_samples, stop + margin)
        source = record.samples[row, a:b]
        self.samples_read += int(source.shape[0])
        self.blocks_filtered += 1
        # A copy, so the margins are not kept alive by the cached slice.
        block = apply_filters(source, record.fs_hz, filters)[start - a : stop - a].copy()
        block.flags.writeable = False
        self._blocks[key] = block
        self._bytes += block.nbytes
        while self._bytes > self._max_bytes and len(self._blocks) > 1:
            _, old = self._blocks.popitem(last=False)
            self._bytes -= old.nbytes
        return block
