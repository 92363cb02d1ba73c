"""THE preprocessing function: one :class:`~ecgviewer.io.Record` in, one model input out.

Training (``trainer``) and inference (the app) both call :func:`preprocess`; neither
re-implements any step, so the network can never see data prepared differently from the data it
was trained on. The bundle manifest records :data:`PREPROCESSING_ID` and the input contract
(:func:`input_contract`), and loading refuses a bundle whose contract this code does not meet.

The contract: the 12 standard leads in :data:`~ecgviewer.io.STANDARD_LEADS` order, millivolts,
100 Hz (the rate of PTB-XL ``records100``, so training data needs no resampling), 10 s
(1000 samples, the length of every PTB-XL record), each lead's median removed. Amplitudes are not
normalised per lead: voltage is diagnostic (hypertrophy, low voltage), so a per-record scale would
erase the very thing the ``HYP`` class looks at.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt

from ecgviewer.dsp.resample import resample
from ecgviewer.io import STANDARD_LEADS, Record

#: Sampling rate of the model input.
MODEL_FS_HZ = 100.0
#: Samples per lead of the model input (10 s at :data:`MODEL_FS_HZ`).
MODEL_N_SAMPLES = 1000
#: Lead order of the model input (rows).
MODEL_LEADS: tuple[str, ...] = STANDARD_LEADS
#: Identifies this function's behaviour; bump it whenever any step below changes.
PREPROCESSING_ID = "ecgviewer.models.preprocess/1"

F32 = npt.NDArray[np.float32]


class PreprocessError(ValueError):
    """The record cannot be turned into a model input (not a standard 12-lead ECG)."""


def input_contract() -> dict[str, object]:
    """What :func:`preprocess` produces, as stored in a bundle manifest."""
    return {
        "preprocessing": PREPROCESSING_ID,
        "fs_hz": MODEL_FS_HZ,
        "n_samples": MODEL_N_SAMPLES,
        "duration_s": MODEL_N_SAMPLES / MODEL_FS_HZ,
        "leads": list(MODEL_LEADS),
        "units": "mV",
        "dtype": "float32",
        "layout": "[lead, sample]",
        "steps": [
            "select the 12 standard leads in standard order (refuse a record without them)",
            "resample to 100 Hz (polyphase when downsampling, pchip when upsampling)",
            "missing samples (NaN) set to 0 mV",
            "centre-crop a longer record to 1000 samples",
            "subtract each lead's median",
            "zero-pad a shorter record at the end to 1000 samples",
        ],
    }


def preprocess(record: Record) -> tuple[F32, tuple[str, ...]]:
    """Turn a record into the model input ``float32 [12, 1000]`` and say what was done.

    Parameters
    ----------
    record
        Any record with the 12 standard leads (extra leads are ignored), at any rate.

    Returns
    -------
    samples
        float32 ``[12, MODEL_N_SAMPLES]`` in mV, leads in :data:`MODEL_LEADS` order.
    notices
        One plain-language sentence per step that changed the signal (resampling, cropping,
        padding, missing samples, dropped extra leads), for the clinician-facing log.

    Raises
    ------
    PreprocessError
        When one of the 12 standard leads is absent.
    """
    missing = [lead for lead in MODEL_LEADS if lead not in record.lead_names]
    if missing:
        raise PreprocessError(
            f"The classifier needs the 12 standard leads; {record.record_name!r} has "
            f"{len(record.lead_names)} lead(s) ({', '.join(record.lead_names) or 'none'}) and "
            f"lacks {', '.join(missing)}."
        )
    notices: list[str] = []
    rows = [record.lead_index(lead) for lead in MODEL_LEADS]
    if rows != list(range(len(MODEL_LEADS))) or record.n_leads != len(MODEL_LEADS):
        extra = [lead for lead in record.lead_names if lead not in MODEL_LEADS]
        note = "Leads reordered to the standard 12-lead order"
        notices.append(note + (f"; not used: {', '.join(extra)}." if extra else "."))
    x = np.asarray(record.samples[rows], dtype=np.float64)

    fs_hz = float(record.fs_hz)
    if not np.isclose(fs_hz, MODEL_FS_HZ):
        method: Literal["polyphase", "pchip"] = "polyphase" if fs_hz > MODEL_FS_HZ else "pchip"
        x = resample(x, fs_hz, MODEL_FS_HZ, method=method)
        notices.append(f"Resampled from {fs_hz:g} Hz to {MODEL_FS_HZ:g} Hz ({method}).")

    nan = np.isnan(x)
    if nan.any():
        per_lead = nan.sum(axis=1)
        where = ", ".join(
            f"{MODEL_LEADS[i]} ({count / MODEL_FS_HZ:.2f} s)"
            for i, count in enumerate(per_lead)
            if count
        )
        notices.append(f"Missing samples set to 0 mV in {where}.")
        x = np.where(nan, 0.0, x)

    n = x.shape[1]
    if n > MODEL_N_SAMPLES:
        start = (n - MODEL_N_SAMPLES) // 2
        x = x[:, start : start + MODEL_N_SAMPLES]
        notices.append(
            f"Used the middle {MODEL_N_SAMPLES / MODEL_FS_HZ:g} s "
            f"({start / MODEL_FS_HZ:.2f}–{(start + MODEL_N_SAMPLES) / MODEL_FS_HZ:.2f} s) "
            f"of a {n / MODEL_FS_HZ:.2f} s recording."
        )
    # The median of the signal actually used, before padding adds zeros.
    x = x - np.median(x, axis=1, keepdims=True)
    if n < MODEL_N_SAMPLES:
        x = np.pad(x, ((0, 0), (0, MODEL_N_SAMPLES - n)))
        notices.append(
            f"Recording is {n / MODEL_FS_HZ:.2f} s; padded with 0 mV to "
            f"{MODEL_N_SAMPLES / MODEL_FS_HZ:g} s."
        )
    out: F32 = np.ascontiguousarray(x, dtype=np.float32)
    return out, tuple(notices)
