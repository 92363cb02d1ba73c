"""Small synthetic records for viewer tests (no files, no real data needed)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ecgviewer.io.record import STANDARD_LEADS, Conversion, Record, make_record


def beat_train(t_s: np.ndarray, rr_s: float = 0.8) -> np.ndarray:
    """A crude P-QRS-T train in mV: a 1.2 mV R wave at 0.3 s into every beat."""
    phase = t_s % rr_s
    return (
        0.1 * np.exp(-((phase - 0.15) ** 2) / (2 * 0.02**2))
        + 1.2 * np.exp(-((phase - 0.3) ** 2) / (2 * 0.01**2))
        + 0.25 * np.exp(-((phase - 0.55) ** 2) / (2 * 0.04**2))
    )


def twelve_lead(
    lead_order: Sequence[str] = STANDARD_LEADS, fs_hz: float = 500.0, duration_s: float = 10.0
) -> Record:
    """A 12-lead record whose lead ``k`` (in standard order) is offset by ``k * 0.01`` mV.

    The offset makes each lead recognisable from its samples alone.
    """
    t = np.arange(round(duration_s * fs_hz)) / fs_hz
    rows = [beat_train(t) + STANDARD_LEADS.index(name) * 0.01 for name in lead_order]
    return make_record(
        np.stack(rows),
        fs_hz,
        list(lead_order),
        "synthetic-12",
        source_format="synthetic",
        conversions=[
            Conversion("units", "Samples converted from µV to mV."),
            Conversion("derived_lead", "Lead III computed as II − I."),
        ],
    )


def two_lead_holter(duration_s: float = 1800.0, fs_hz: float = 360.0) -> Record:
    """A 30-minute, 2-lead MIT-BIH-like record (MLII, V1)."""
    t = np.arange(round(duration_s * fs_hz)) / fs_hz
    sig = beat_train(t).astype(np.float32)
    return make_record(np.stack([sig, -0.5 * sig]), fs_hz, ["MLII", "V1"], "holter-2")
