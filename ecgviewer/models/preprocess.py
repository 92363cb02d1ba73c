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

import math
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
#: Most windows :func:`preprocess_windows` reads of a long record (5 min when contiguous).
MAX_WINDOWS = 30

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
    x, _, notices = _standard_leads_at_model_rate(record)
    n = x.shape[1]
    start = max((n - MODEL_N_SAMPLES) // 2, 0)
    if n > MODEL_N_SAMPLES:
        notices.append(
            f"Used the middle {MODEL_N_SAMPLES / MODEL_FS_HZ:g} s "
            f"({start / MODEL_FS_HZ:.2f}–{(start + MODEL_N_SAMPLES) / MODEL_FS_HZ:.2f} s) "
            f"of a {n / MODEL_FS_HZ:.2f} s recording."
        )
    return _model_window(x, start, notices), tuple(notices)


def window_starts(n_samples: int, max_windows: int = MAX_WINDOWS) -> list[int]:
    """First samples of the model windows that read a record of ``n_samples`` (at 100 Hz).

    One window for up to 10 s; else ``ceil(n / 1000)`` windows (at most ``max_windows``) spread
    evenly from the first to the last 10 s, so together they cover every sample (overlapping
    where the length is not a multiple of 10 s) until ``max_windows`` caps them.
    """
    if n_samples <= MODEL_N_SAMPLES:
        return [0]
    k = min(math.ceil(n_samples / MODEL_N_SAMPLES), max(max_windows, 1))
    if k == 1:
        return [(n_samples - MODEL_N_SAMPLES) // 2]
    span = n_samples - MODEL_N_SAMPLES
    return [round(i * span / (k - 1)) for i in range(k)]


def preprocess_windows(
    record: Record, max_windows: int = MAX_WINDOWS, max_missing: float = 1.0
) -> tuple[F32, npt.NDArray[np.float64], tuple[str, ...]]:
    """A record longer than 10 s as model inputs ``float32 [k, 12, 1000]``, one per window.

    The windows come from :func:`window_starts`; each is prepared exactly as :func:`preprocess`
    prepares a 10 s record (its own median removed), and a record of up to 10 s gives the one
    input :func:`preprocess` gives. Windows in which a lead is missing (NaN) for more than
    ``max_missing`` of the time are left out and named in the notices.

    Returns
    -------
    windows
        float32 ``[k, 12, MODEL_N_SAMPLES]``; ``k`` may be 0 when every window was left out.
    starts_s
        Where each window starts in the record, in seconds.
    notices
        As for :func:`preprocess`, plus what windowing did.

    Raises
    ------
    PreprocessError
        When one of the 12 standard leads is absent.
    """
    x, gaps, notices = _standard_leads_at_model_rate(record)
    n = x.shape[1]
    kept: list[F32] = []
    starts: list[float] = []
    dropped: list[str] = []
    for start in window_starts(n, max_windows):
        span = f"{start / MODEL_FS_HZ:.2f}–{min(start + MODEL_N_SAMPLES, n) / MODEL_FS_HZ:.2f} s"
        if gaps[:, start : start + MODEL_N_SAMPLES].mean(axis=1).max() > max_missing:
            dropped.append(span)
            continue
        kept.append(_model_window(x, start, []))
        starts.append(start / MODEL_FS_HZ)
    if n > MODEL_N_SAMPLES:
        note = (
            f"Read in {len(starts)} windows of {MODEL_N_SAMPLES / MODEL_FS_HZ:g} s "
            f"of a {n / MODEL_FS_HZ:.2f} s recording"
        )
        if len(window_starts(n, max_windows)) < math.ceil(n / MODEL_N_SAMPLES):
            note += f" (at most {max_windows}, spread evenly over the recording)"
        notices.append(note + ".")
    if dropped:
        notices.append(f"Windows left out (a lead missing for most of them): {', '.join(dropped)}.")
    shape = (len(kept), len(MODEL_LEADS), MODEL_N_SAMPLES)
    windows = np.stack(kept) if kept else np.zeros(shape, np.float32)
    return windows, np.asarray(starts, dtype=np.float64), tuple(notices)


def _standard_leads_at_model_rate(
    record: Record,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_], list[str]]:
    """The 12 standard leads, in order, at 100 Hz with NaN set to 0 mV; where NaN was; notices."""
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
    return x, nan, notices


def _model_window(x: npt.NDArray[np.float64], start: int, notices: list[str]) -> F32:
    """``x[:, start:start + 1000]``, its median removed, zero-padded to 1000 samples."""
    w = x[:, start : start + MODEL_N_SAMPLES]
    n = w.shape[1]
    # The median of the signal actually used, before padding adds zeros.
    w = w - np.median(w, axis=1, keepdims=True)
    if n < MODEL_N_SAMPLES:
        w = np.pad(w, ((0, 0), (0, MODEL_N_SAMPLES - n)))
        notices.append(
            f"Recording is {n / MODEL_FS_HZ:.2f} s; padded with 0 mV to "
            f"{MODEL_N_SAMPLES / MODEL_FS_HZ:g} s."
        )
    out: F32 = np.ascontiguousarray(w, dtype=np.float32)
    return out
