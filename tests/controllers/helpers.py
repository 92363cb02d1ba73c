"""Test records: sines, spikes, and a record whose sample array counts what is read from it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from ecgviewer.io.record import AnnotationTrack, Record, make_record


class CountingArray(np.ndarray):  # type: ignore[type-arg]
    """A read-only float32 array that records how many elements each access touches.

    Slicing it appends the slice's size to :attr:`reads` and returns a plain ndarray view, so
    what the code does with the slice afterwards is not counted twice; a ufunc applied to the
    whole array (``np.isnan(samples)``) appends the whole size.
    """

    reads: list[int]

    def __new__(cls, data: npt.ArrayLike) -> CountingArray:
        obj = np.ascontiguousarray(data, dtype=np.float32).view(cls)
        obj.flags.writeable = False
        obj.reads = []
        return obj

    def __array_finalize__(self, obj: Any) -> None:
        self.reads = getattr(obj, "reads", [])

    def __getitem__(self, key: Any) -> Any:
        out = np.asarray(np.ndarray.__getitem__(self, key))
        self.reads.append(int(out.size))
        return out

    def __array_ufunc__(self, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
        plain = []
        for x in inputs:
            if isinstance(x, CountingArray):
                x.reads.append(int(x.size))
                x = np.asarray(x)
            plain.append(x)
        return getattr(ufunc, method)(*plain, **kwargs)


def counting_record(
    duration_s: float,
    fs_hz: float = 360.0,
    leads: Sequence[str] = ("MLII", "V1"),
    annotations: Sequence[AnnotationTrack] = (),
) -> Record:
    """A long record of 1 Hz 'beats' (narrow spikes) whose samples count their readers."""
    n = int(duration_s * fs_hz)
    t = np.arange(n, dtype=np.float64) / fs_hz
    beat = np.exp(-(((t % 1.0) - 0.5) ** 2) / (2 * 0.01**2)).astype(np.float32)
    data = np.stack([beat * (1.0 + 0.2 * i) for i in range(len(leads))])
    return Record(
        samples=CountingArray(data),
        fs_hz=fs_hz,
        lead_names=tuple(leads),
        record_name="counting",
        annotations=tuple(annotations),
    )


def sine_record(
    freq_hz: float, duration_s: float = 30.0, fs_hz: float = 500.0, amplitude_mv: float = 1.0
) -> Record:
    """One lead (II) holding a pure sine."""
    t = np.arange(int(duration_s * fs_hz)) / fs_hz
    return make_record(
        amplitude_mv * np.sin(2 * np.pi * freq_hz * t), fs_hz, ["II"], f"sine{freq_hz:g}"
    )
