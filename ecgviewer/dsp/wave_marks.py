"""Delineation of one representative beat: P, QRS and T fiducials per lead and global.

Works on a median beat (or a single beat) at the measurement rate with its R peak at a known
column. The order matters: the QRS first (:mod:`.qrs_marks`), whose onset gives each lead's
isoelectric level (the PR segment); then the T wave (:mod:`.t_marks`) and the P wave
(:mod:`.p_marks`), which is searched for after the previous beat's T wave; and, with a regular
rhythm, the T end is searched again before the next P wave when it ran into it.

Columns are float sample indices into the beat; NaN where a wave is absent.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ecgviewer.dsp import p_marks, qrs_marks, t_marks
from ecgviewer.dsp.boundaries import slope

F64 = npt.NDArray[np.float64]

#: The fiducials of a beat, in time order; columns of :class:`BeatMarks` arrays.
FIDUCIALS: tuple[str, ...] = (
    "p_on", "p_peak", "p_off", "qrs_on", "r_peak", "qrs_off", "t_peak", "t_off",
)  # fmt: skip
COL: dict[str, int] = {name: i for i, name in enumerate(FIDUCIALS)}
P_SLICE = slice(COL["p_on"], COL["p_off"] + 1)


@dataclass(frozen=True, slots=True)
class BeatMarks:
    """Fiducials of one beat: ``lead`` ``(n_leads, 8)`` and ``glob`` ``(8,)`` (columns)."""

    lead: F64
    glob: F64


def mark_beat(beat: F64, fs: float, r: int, rr_s: float, weights: F64,
              beat_qrs: F64 | None = None, irregular: bool = False) -> BeatMarks:  # fmt: skip
    """Delineate ``beat`` ``(n_leads, n)`` whose R peak is column ``r``.

    Parameters
    ----------
    beat
        The beat low-passed for P and T waves (40 Hz), mV.
    fs
        Its sampling rate.
    r
        Column of the R peak.
    rr_s
        The beat's typical RR, which bounds the T and P searches.
    weights
        ``(n_leads,)``; 0 marks a lead that must not be used (flat, missing).
    beat_qrs
        The same beat with less low-pass filtering, for the QRS boundaries (``beat`` if None).
    irregular
        Whether the rhythm is irregular (atrial fibrillation suspected): the median beat then
        keeps f-wave remnants, which the QRS must stand out of.
    """
    n_leads, n = beat.shape
    lead = np.full((n_leads, len(FIDUCIALS)), np.nan)
    glob = np.full(len(FIDUCIALS), np.nan)
    marks = BeatMarks(lead, glob)
    if not np.isfinite(beat[:, r]).any():
        return marks
    y = np.nan_to_num(beat)
    use = (weights > 0) & np.isfinite(beat).any(axis=1)
    ms = fs / 1000.0
    d = slope(np.nan_to_num(beat if beat_qrs is None else beat_qrs), fs, qrs_marks.SIGMA_S)
    on, off, qrs_on, qrs_off = qrs_marks.mark_qrs(d, r, fs, use, irregular)
    glob[[COL["qrs_on"], COL["r_peak"], COL["qrs_off"]]] = (qrs_on, r, qrs_off)
    # The global onset is the earliest of the leads' and the offset the latest: a lead whose own
    # boundary falls outside them is an outlier and is held at the global mark.
    lead[:, COL["qrs_on"]] = np.where(use, np.clip(on, qrs_on, qrs_off), np.nan)
    lead[:, COL["qrs_off"]] = np.where(use, np.clip(off, qrs_on, qrs_off), np.nan)
    lead[use, COL["r_peak"]] = r
    on_i, off_i = round(qrs_on), round(qrs_off)
    # Isoelectric level of each lead: the PR segment just before the QRS starts.
    base = np.median(y[:, max(0, on_i - int(20 * ms)) : max(1, on_i - int(2 * ms))], axis=1)
    yb = y - base[:, None]
    peak_bound, end_bound = t_marks.t_bounds(on_i, n, rr_s, fs)
    typical_end = _mark_t(yb, fs, off_i, peak_bound, end_bound, use, marks)
    if not np.isfinite(typical_end):
        # No T end found: assume the previous T wave lasted a typical QT (QTc 400 ms).
        typical_end = on_i + 0.4 * np.sqrt(rr_s) * fs
    p_lead, p_glob, merged = p_marks.mark_p(yb, fs, on_i, rr_s, typical_end - rr_s * fs, use)
    for k, name in enumerate(("p_on", "p_peak", "p_off")):
        lead[:, COL[name]] = p_lead[k]
        glob[COL[name]] = p_glob[k]
    # With a regular rhythm the next P wave sits one RR after this one: the T wave ends before.
    next_p = glob[COL["p_on"]] + rr_s * fs
    if np.isfinite(next_p) and glob[COL["t_off"]] > next_p - 5 * ms:
        _mark_t(yb, fs, off_i, min(peak_bound, int(next_p)), int(next_p - 5 * ms), use, marks)
    if merged:  # the P wave bounded the T wave above, but its own onset is unknown
        glob[P_SLICE] = np.nan
        lead[:, P_SLICE] = np.nan
    return marks


def _mark_t(yb: F64, fs: float, qrs_off: int, peak_bound: int, end_bound: int,
            use: npt.NDArray[np.bool_], marks: BeatMarks) -> float:  # fmt: skip
    peaks, ends, t_peak, t_end, typical = t_marks.mark_t(
        yb, fs, qrs_off, peak_bound, end_bound, use
    )
    marks.lead[:, COL["t_peak"]] = peaks
    marks.lead[:, COL["t_off"]] = ends
    marks.glob[COL["t_peak"]] = t_peak
    marks.glob[COL["t_off"]] = t_end
    return typical
