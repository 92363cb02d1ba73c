"""Building blocks of :func:`ecgviewer.dsp.measure.measure`: quality, median beats, axes.

* :class:`Quality` — per-lead noise, whether P waves are consistently there, irregular RR,
  pacing, and the signal-to-noise of each wave in the dominant median beat; it carries the
  reasons a P-wave or T-wave measurement is withheld.
* :class:`RepresentativeBeat` — a median beat ready to draw: samples per lead, time axis,
  global and per-lead fiducials in seconds relative to its R peak.
* :func:`axis_or_reason` — a wave's frontal axis from its net areas in I and aVF.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import numpy.typing as npt

from ecgviewer.dsp.beats import Beats, irregular_rr
from ecgviewer.dsp.delineate import Delineation, Template
from ecgviewer.dsp.formulas import avf_from_limb_leads, frontal_axis_deg
from ecgviewer.dsp.pacing import Pacing
from ecgviewer.dsp.wave_marks import COL, FIDUCIALS
from ecgviewer.io.record import Record

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]

#: A wave must stand this many times above the median beat's noise to be measured.
MIN_WAVE_SNR = 3.0
#: P waves are "consistently present" when at least this fraction of dominant beats has one.
MIN_P_FRACTION = 0.5
#: MAD to standard deviation for Gaussian noise.
_MAD_TO_SD = 1.4826


@dataclass(frozen=True, slots=True)
class RepresentativeBeat:
    """A median beat with its fiducials, for display and for measuring on.

    ``samples_mv`` is ``(n_leads, n)`` at ``fs_hz``; ``time_s`` is each column's time relative
    to the R peak; ``fiducials_s`` maps each fiducial name to its global time (s, relative to
    R; NaN when absent) and ``lead_fiducials_s`` is ``(n_leads, 8)`` in the order of
    :data:`~ecgviewer.dsp.wave_marks.FIDUCIALS`. ``beat_indices`` are the beats it stands for.
    """

    group: int
    dominant: bool
    beat_indices: I64
    samples_mv: F64
    fs_hz: float
    time_s: F64
    fiducials_s: Mapping[str, float]
    lead_fiducials_s: F64


@dataclass(frozen=True, slots=True)
class Quality:
    """How far the measurements can be trusted, and why some are withheld."""

    usable_leads: tuple[str, ...]
    noise_mv: Mapping[str, float]
    irregular_rr: bool
    p_waves: bool
    af_suspected: bool
    paced: bool
    pacing_detectable: bool
    qrs_snr: float
    p_snr: float
    t_snr: float
    p_reason: str | None
    t_reason: str | None
    flags: tuple[str, ...]


def representative_beats(
    delin: Delineation, lead_names: Sequence[str]
) -> tuple[RepresentativeBeat, ...]:
    """One :class:`RepresentativeBeat` per group that has a median beat, dominant first."""
    out = []
    for group in sorted(delin.templates):
        t = delin.templates[group]
        fs = t.beat.fs_hz
        rel = (t.marks.glob - t.beat.r_index) / fs
        out.append(
            RepresentativeBeat(
                group=group,
                dominant=group == 0,
                beat_indices=t.beat.beats,
                samples_mv=t.beat.samples,
                fs_hz=fs,
                time_s=t.beat.time_s,
                fiducials_s=MappingProxyType({n: float(rel[i]) for i, n in enumerate(FIDUCIALS)}),
                lead_fiducials_s=(t.marks.lead - t.beat.r_index) / fs,
            )
        )
    del lead_names  # the rows follow the record's lead order
    return tuple(out)


def _baseline(y: F64, at: float, fs: float) -> F64:
    """Each lead's level just before column ``at`` (median of the 20 ms before it)."""
    i = round(at)
    a = max(0, i - int(0.02 * fs))
    return np.median(y[:, a : max(a + 1, i - 1)], axis=1)


def assess_quality(record: Record, beats: Beats, delin: Delineation | None,
                   pacing: Pacing) -> Quality:  # fmt: skip
    """Noise, P-wave presence, rhythm regularity and pacing of a measured record."""
    bad = {i.lead for i in record.issues if i.kind == "flat" or "no valid" in i.detail}
    usable = tuple(n for n in record.lead_names if n not in bad)
    rr = beats.rr_ms
    irregular = irregular_rr(rr)
    noise: dict[str, float] = {}
    qrs_snr = p_snr = t_snr = 0.0
    p_waves = False
    template = None if delin is None else delin.templates.get(0)
    if template is not None and delin is not None:
        mb, marks = template.beat, template.marks
        spread = _MAD_TO_SD * np.nanmedian(mb.spread_mv, axis=1)
        noise = {n: float(spread[i]) for i, n in enumerate(record.lead_names) if n in usable}
        use = np.array([n in usable for n in record.lead_names])
        floor = float(np.sqrt(np.sum(spread[use] ** 2)) / np.sqrt(mb.beats.size)) + 1e-6
        y = np.nan_to_num(mb.samples)
        g = marks.glob
        base = _baseline(y, g[COL["qrs_on"]], mb.fs_hz)
        qrs_snr = _wave_amplitude(y, base, use, g[COL["qrs_on"]], g[COL["qrs_off"]]) / floor
        t_snr = _wave_amplitude(y, base, use, g[COL["qrs_off"]], g[COL["t_off"]]) / floor
        if np.isfinite(g[COL["p_on"]]):
            p_base = _baseline(y, g[COL["p_on"]], mb.fs_hz)
            p_snr = _wave_amplitude(y, p_base, use, g[COL["p_on"]], g[COL["p_off"]]) / floor
        dominant = delin.groups == 0
        with_p = np.isfinite(delin.fiducials[dominant, COL["p_on"]])
        p_waves = bool(with_p.size and with_p.mean() >= MIN_P_FRACTION and p_snr >= MIN_WAVE_SNR)
    paced = pacing.rhythm_paced
    af = irregular and not p_waves and not paced
    p_reason = _p_reason(p_waves, irregular, paced, p_snr, template is not None)
    t_reason = None
    if template is not None and not np.isfinite(template.marks.glob[COL["t_off"]]):
        t_reason = "The end of the T wave could not be found."
    elif template is not None and t_snr < MIN_WAVE_SNR:
        t_reason = "The T waves are too flat or too noisy for the QT to be measured."
    flags = []
    if af:
        flags.append("Irregular rhythm without consistent P waves: atrial fibrillation suspected.")
    if paced:
        flags.append("Pacemaker spikes precede most beats: paced rhythm.")
    if not pacing.detectable:
        flags.append(
            f"At {record.fs_hz:g} Hz pacemaker spikes cannot be detected; a paced rhythm "
            "would not be recognised."
        )
    noisy = [n for n, v in noise.items() if v > 0.1]
    if noisy:
        flags.append(f"Noisy leads (beat-to-beat noise above 0.1 mV): {', '.join(noisy)}.")
    return Quality(usable, MappingProxyType(noise), irregular, p_waves, af, paced,
                   pacing.detectable, qrs_snr, p_snr, t_snr, p_reason, t_reason,
                   tuple(flags))  # fmt: skip


def _wave_amplitude(y: F64, base: F64, use: npt.NDArray[np.bool_], a: float, b: float) -> float:
    if not (np.isfinite(a) and np.isfinite(b)) or b <= a:
        return 0.0
    seg = y[use, round(a) : round(b) + 1] - base[use, None]
    return float(np.sqrt(np.max(np.sum(seg * seg, axis=0)))) if seg.size else 0.0


def _p_reason(
    p_waves: bool, irregular: bool, paced: bool, p_snr: float, has_template: bool
) -> str | None:
    if p_waves:
        return None
    if paced:
        return "Paced rhythm: the PR interval is set by the pacemaker, not measured."
    if not has_template:
        return "Fewer than three beats of the same shape: no median beat to measure on."
    if irregular:
        return (
            "No consistent P wave before the QRS and an irregular rhythm: atrial fibrillation "
            "suspected; there is no PR interval."
        )
    if 0.0 < p_snr < MIN_WAVE_SNR:
        return "The P waves are too small for the noise: the PR interval is not measured."
    return (
        "No consistent P wave before the QRS (junctional rhythm, atrial flutter or P waves "
        "hidden): the PR interval is not measured."
    )


def axis_or_reason(
    template: Template, names: list[str], start: str, stop: str
) -> tuple[float | None, str | None]:
    """Frontal axis (degrees) of the wave between fiducials ``start`` and ``stop``."""
    g = template.marks.glob
    a, b = g[COL[start]], g[COL[stop]]
    wave = start.split("_")[0] if start != "qrs_off" else "t"
    if not (np.isfinite(a) and np.isfinite(b)) or b <= a:
        return (
            None,
            f"No {wave.upper()} wave boundaries in the median beat: no {wave.upper()} axis.",
        )
    y = np.nan_to_num(template.beat.samples)
    fs = template.beat.fs_hz
    at = a if wave == "p" else g[COL["qrs_on"]]
    base = _baseline(y, at, fs)
    seg = slice(round(a), round(b) + 1)
    area = (y[:, seg] - base[:, None]).sum(axis=1) / fs
    lead_i = float(area[names.index("I")])
    if "aVF" in names:
        lead_avf = float(area[names.index("aVF")])
    else:
        lead_avf = avf_from_limb_leads(lead_i, float(area[names.index("II")]))
    size = float(np.max(np.abs(area)))
    if max(abs(lead_i), abs(lead_avf)) < 0.05 * size or size == 0.0:
        return (
            None,
            f"The {wave.upper()} wave is nearly isoelectric in I and aVF: axis indeterminate.",
        )
    return frontal_axis_deg(lead_i, lead_avf), None
