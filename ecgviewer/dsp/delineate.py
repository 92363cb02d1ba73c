"""``delineate(samples, fs_hz, beats) -> Delineation``: every beat's P, QRS and T fiducials.

Method: beats are grouped by QRS shape and aligned (:mod:`.median_beat`); each group of three
or more beats is delineated once on its median beat, where noise is lowest
(:mod:`.wave_marks`), and the marks are carried to every member beat, each keeping its own PR
and QT, with a check that the P wave is real (:mod:`.transfer`). Groups of one or two beats (an
isolated PVC) are delineated beat by beat, without a P wave (a premature beat's "P" is most
often the T wave before it, and a lone beat cannot be checked against its neighbours).

Global fiducials follow clinical practice: the earliest onset and latest offset over the leads,
each confirmed by other leads; per-lead fiducials are also returned. The work is done at 500 Hz
(any input rate is resampled); positions are returned on the input's own sample axis.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ecgviewer.dsp.beats import Beats, irregular_rr
from ecgviewer.dsp.filters import highpass, lowpass, notch, powerline_hz
from ecgviewer.dsp.median_beat import (
    MedianBeat,
    align_beats,
    beat_windows,
    group_beats,
    median_beat,
)
from ecgviewer.dsp.resample import WORK_FS_HZ, resample
from ecgviewer.dsp.transfer import P_COLS, carry_marks
from ecgviewer.dsp.wave_marks import COL, FIDUCIALS, BeatMarks, mark_beat

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]

#: A group needs this many beats for a median beat; smaller groups are delineated beat by beat.
MIN_TEMPLATE_BEATS = 3
#: A few hundred beats make as good a median as thousands, at a fraction of the cost.
MAX_TEMPLATE_BEATS = 300
#: Low-pass of the copy on which QRS onsets and offsets are found (a 40 Hz low-pass would
#: smear the QRS by ~10 ms each way; P and T waves use the 40 Hz copy).
QRS_LOWPASS_HZ = 100.0
#: Time bridged after a pacemaker spike (the amplifier's recovery).
SPIKE_RECOVERY_S = 0.012
#: Window of a median beat around its R peak (s).
PRE_S = 0.6
POST_S = 0.8


@dataclass(frozen=True, slots=True)
class Template:
    """A median beat (at 500 Hz) and its fiducials (columns of ``beat.samples``)."""

    beat: MedianBeat
    marks: BeatMarks


@dataclass(frozen=True, slots=True)
class Delineation:
    """Fiducials of every beat; positions are float samples on the input's axis, NaN = absent.

    ``fiducials`` is ``(n_beats, 8)`` (global, all leads together) and ``lead_fiducials``
    ``(n_leads, n_beats, 8)``; the 8 columns are :data:`FIDUCIALS`. ``groups`` gives each beat's
    QRS-shape group (0 = dominant) and ``templates`` the median beat of each group that had one.
    """

    fs_hz: float
    r_peaks: I64
    fiducials: F64
    lead_fiducials: F64
    groups: I64
    p_match: F64
    templates: dict[int, Template]

    def __post_init__(self) -> None:
        for array in (self.r_peaks, self.fiducials, self.lead_fiducials, self.groups, self.p_match):
            array.flags.writeable = False

    def samples(self, fiducial: str, lead: int | None = None) -> F64:
        """Per-beat positions (samples) of one fiducial, global or of one lead (row index)."""
        col = COL[fiducial]
        out: F64 = self.fiducials[:, col] if lead is None else self.lead_fiducials[lead, :, col]
        return out

    def times_s(self, fiducial: str, lead: int | None = None) -> F64:
        """Per-beat times (s) of one fiducial."""
        return self.samples(fiducial, lead) / self.fs_hz


def prepare(
    samples: npt.ArrayLike, fs_hz: float, spikes: npt.ArrayLike = (), lowpass_hz: float = 40.0
) -> F64:
    """The ECG as the delineator sees it: 500 Hz, baseline and mains removed, low-passed.

    Pacemaker ``spikes`` (sample indices on the input's axis) are bridged by a straight line
    first, so the stimulus artefact is not taken for the start of the QRS or P wave.
    """
    x = np.array(samples, dtype=np.float64, ndmin=2)
    spikes = np.asarray(spikes, dtype=np.int64)
    if spikes.size:
        x = _bridge_spikes(x, fs_hz, spikes)
    if fs_hz != WORK_FS_HZ:
        x = resample(x, fs_hz, WORK_FS_HZ, "pchip" if fs_hz < WORK_FS_HZ else "polyphase")
    x = highpass(x, WORK_FS_HZ, 0.5)
    mains = powerline_hz(x, WORK_FS_HZ)
    if mains is not None:
        x = notch(x, WORK_FS_HZ, mains)
    return lowpass(x, WORK_FS_HZ, lowpass_hz)


def _bridge_spikes(x: F64, fs_hz: float, spikes: I64) -> F64:
    out = x.copy()
    n = x.shape[-1]
    before = max(1, round(0.004 * fs_hz))
    after = max(2, round(SPIKE_RECOVERY_S * fs_hz))
    for s in spikes:
        a, b = max(0, int(s) - before), min(n - 1, int(s) + after)
        if b - a < 2:
            continue
        frac = np.arange(1, b - a) / (b - a)
        out[:, a + 1 : b] = out[:, [a]] + (out[:, [b]] - out[:, [a]]) * frac
    return out


def delineate(
    samples: npt.ArrayLike,
    fs_hz: float,
    beats: Beats | npt.ArrayLike,
    pacing_spikes: npt.ArrayLike = (),
) -> Delineation:
    """Delineate every beat of a recording.

    Parameters
    ----------
    samples
        ``(n_leads, n_samples)`` (or one lead) in mV, NaN gaps allowed.
    fs_hz
        Sampling rate of ``samples``.
    beats
        The beats (:func:`~ecgviewer.dsp.beats.detect_beats`) or their R-peak sample indices.
    pacing_spikes
        Pacemaker spikes (:func:`~ecgviewer.dsp.pacing.pacing_spikes`) to leave out.

    Returns
    -------
    Delineation
    """
    r_in = np.array(beats.samples if isinstance(beats, Beats) else beats, dtype=np.int64)
    # QRS boundaries are found on a wide-band copy: a 40 Hz low-pass would smear the QRS by
    # ~10 ms each way. P and T waves, and beat grouping, use the 40 Hz copy.
    x_qrs = prepare(samples, fs_hz, pacing_spikes, QRS_LOWPASS_HZ)
    x = lowpass(x_qrs, WORK_FS_HZ, 40.0)
    n_leads, n = x.shape
    fs = WORK_FS_HZ
    r = np.clip(np.round(r_in * fs / fs_hz).astype(np.int64), 0, n - 1)
    nb = r.size
    glob = np.full((nb, len(FIDUCIALS)), np.nan)
    lead = np.full((n_leads, nb, len(FIDUCIALS)), np.nan)
    p_match = np.full(nb, np.nan)
    templates: dict[int, Template] = {}
    weights = (np.isfinite(x).mean(axis=1) > 0.5).astype(np.float64)
    ptp = np.nanmax(x, axis=1) - np.nanmin(x, axis=1) if n else np.zeros(n_leads)
    weights[~(np.nan_to_num(ptp) > 0.01)] = 0.0
    groups = group_beats(x, fs, r) if nb else np.zeros(0, np.int64)
    rr = np.diff(r) / fs
    rr_med = float(np.median(rr)) if rr.size else 1.0
    irregular = irregular_rr(rr)
    aligned = r.copy()
    pre, post = round(PRE_S * fs), round(POST_S * fs)
    for g in (int(v) for v in np.unique(groups)):
        members = np.flatnonzero(groups == g)
        aligned[members] = align_beats(x, fs, r[members])
        if members.size >= MIN_TEMPLATE_BEATS:
            chosen = members[:: max(1, members.size // MAX_TEMPLATE_BEATS)]
            mb = median_beat(x, fs, aligned, PRE_S, POST_S, chosen)
            mb_q = median_beat(x_qrs, fs, aligned, PRE_S, POST_S, chosen)
            marks = mark_beat(mb.samples, fs, mb.r_index, rr_med, weights, mb_q.samples, irregular)
            real_p = carry_marks(x, aligned, members, mb, marks, irregular, (glob, lead, p_match))
            if not real_p:
                marks.glob[P_COLS] = np.nan
                marks.lead[:, P_COLS] = np.nan
            templates[g] = Template(mb, marks)
            continue
        for b in members:
            win = beat_windows(x, aligned[b : b + 1], pre, post)[0]
            win_q = beat_windows(x_qrs, aligned[b : b + 1], pre, post)[0]
            prior = float(rr[b - 1]) if 0 < b <= rr.size else rr_med
            marks = mark_beat(win, fs, pre, prior, weights, win_q, irregular)
            glob[b] = marks.glob + (aligned[b] - pre)
            lead[:, b] = marks.lead + (aligned[b] - pre)
            glob[b, P_COLS] = np.nan
            lead[:, b, P_COLS] = np.nan
    # A paced beat's "P wave" follows an atrial stimulus (or is absent): none is claimed.
    paced = _paced(r_in, np.asarray(pacing_spikes, dtype=np.int64), fs_hz)
    glob[np.ix_(paced, P_COLS)] = np.nan
    lead[np.ix_(np.arange(n_leads), np.flatnonzero(paced), P_COLS)] = np.nan
    for g, t in templates.items():
        if paced[groups == g].mean() >= 0.5:
            t.marks.glob[P_COLS] = np.nan
            t.marks.lead[:, P_COLS] = np.nan
    scale = fs_hz / fs
    return Delineation(fs_hz, r_in, glob * scale, lead * scale, groups, p_match, templates)


def _paced(r: I64, spikes: I64, fs_hz: float) -> npt.NDArray[np.bool_]:
    """Beats preceded by a pacemaker spike within 300 ms."""
    if spikes.size == 0 or r.size == 0:
        return np.zeros(r.size, dtype=np.bool_)
    first = np.searchsorted(spikes, r - int(0.3 * fs_hz))
    last = np.searchsorted(spikes, r, side="right")
    paced: npt.NDArray[np.bool_] = last > first
    return paced
