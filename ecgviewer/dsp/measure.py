"""``measure(record) -> Measurements``: the global measurements a clinician reads first.

Beats are detected on all leads (:mod:`.beats`), pacemaker spikes looked for (:mod:`.pacing`),
every beat delineated (:mod:`.delineate`). As clinical 12-lead systems do, the intervals (PR,
QRS, QT) and the axes are measured on the median beat of the dominant beats, with global
fiducials (earliest onset, latest offset over the leads); heart rate and RR come from every
beat. A measurement that cannot be made reliably is ``None`` and ``notes`` says why, in words
for a clinician: no P wave (atrial fibrillation), a paced rhythm, too few beats, too much noise,
missing leads.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
import numpy.typing as npt

from ecgviewer.dsp.beats import Beats, detect_beats
from ecgviewer.dsp.delineate import Delineation, delineate
from ecgviewer.dsp.formulas import QTC_METHODS, qtc_ms
from ecgviewer.dsp.measure_parts import (
    Quality,
    RepresentativeBeat,
    assess_quality,
    axis_or_reason,
    representative_beats,
)
from ecgviewer.dsp.pacing import Pacing, detect_pacing
from ecgviewer.dsp.wave_marks import COL
from ecgviewer.io.record import Record

F64 = npt.NDArray[np.float64]

#: Names of the global measurements, in the order a report lists them.
MEASUREMENT_NAMES: tuple[str, ...] = (
    "hr_bpm", "rr_ms", "rr_sd_ms", "pr_ms", "qrs_ms", "qt_ms", "qtc_bazett_ms",
    "qtc_fridericia_ms", "qtc_framingham_ms", "qtc_hodges_ms", "p_axis_deg", "qrs_axis_deg",
    "t_axis_deg",
)  # fmt: skip
#: Records longer than this are delineated over their first MAX_DELINEATE_S seconds only
#: (beats, heart rate and RR always cover the whole record).
MAX_DELINEATE_S = 300.0


@dataclass(frozen=True, slots=True)
class BeatRecord:
    """One beat's global fiducials in seconds from the record's start (NaN = absent)."""

    index: int
    time_s: float
    p_on_s: float
    p_off_s: float
    qrs_on_s: float
    qrs_off_s: float
    t_off_s: float
    group: int
    paced: bool


@dataclass(frozen=True, slots=True)
class Measurements:
    """Global measurements of a record; ``None`` where not measurable, with ``notes[name]``.

    Besides the values: ``beats`` (all detected beats), ``delineation`` (per-beat global and
    per-lead fiducials, in samples), ``beat_records`` (the same in seconds), ``median_beats``
    (one per beat group, dominant first, with their own fiducials), ``quality`` and
    ``pacing``. ``delineated_s`` is the span that was delineated.
    """

    hr_bpm: float | None
    rr_ms: float | None
    rr_sd_ms: float | None
    pr_ms: float | None
    qrs_ms: float | None
    qt_ms: float | None
    qtc_bazett_ms: float | None
    qtc_fridericia_ms: float | None
    qtc_framingham_ms: float | None
    qtc_hodges_ms: float | None
    p_axis_deg: float | None
    qrs_axis_deg: float | None
    t_axis_deg: float | None
    notes: Mapping[str, str]
    lead_names: tuple[str, ...]
    fs_hz: float
    beats: Beats
    delineation: Delineation | None
    beat_records: tuple[BeatRecord, ...]
    median_beats: tuple[RepresentativeBeat, ...]
    quality: Quality
    pacing: Pacing
    delineated_s: tuple[float, float] = field(default=(0.0, 0.0))

    def values(self) -> dict[str, float | None]:
        """The measurements by name (:data:`MEASUREMENT_NAMES`)."""
        return {name: getattr(self, name) for name in MEASUREMENT_NAMES}


def measure(record: Record, max_delineate_s: float = MAX_DELINEATE_S) -> Measurements:
    """Measure a record: beats, rate, intervals, QTc and axes, each with a reason when null.

    Parameters
    ----------
    record
        Any record: 12-lead or not, any sampling rate (100 Hz to 1 kHz tested), NaN gaps and
        flat leads allowed.
    max_delineate_s
        Longer records are delineated over their first ``max_delineate_s`` seconds (a note
        ``notes["scope"]`` says so); beats, heart rate and RR always cover the whole record.

    Returns
    -------
    Measurements
        Values in ms, bpm and degrees; ``notes`` maps each null value (and ``"scope"``) to a
        sentence for the clinician.
    """
    fs = record.fs_hz
    beats = detect_beats(record.samples, fs)
    notes: dict[str, str] = {}
    values: dict[str, float | None] = dict.fromkeys(MEASUREMENT_NAMES)
    _rate(beats, values, notes)
    n_del = min(record.n_samples, round(max_delineate_s * fs))
    seg = record.samples[:, :n_del]
    r_in = beats.samples[beats.samples < n_del]
    pacing = detect_pacing(seg, fs, r_in)
    delin = delineate(seg, fs, r_in, pacing.pacing_spikes(r_in)) if r_in.size else None
    medians = representative_beats(delin, record.lead_names) if delin is not None else ()
    quality = assess_quality(record, beats, delin, pacing)
    _intervals(record, delin, quality, values, notes)
    _axes(record, delin, quality, values, notes)
    if n_del < record.n_samples:
        notes["scope"] = (
            f"Fiducials and intervals come from the first {n_del / fs:.0f} s of this "
            f"{record.duration_s:.0f}-s recording; heart rate and RR from all of it."
        )
    return Measurements(
        **values,
        notes=MappingProxyType(notes),
        lead_names=record.lead_names,
        fs_hz=fs,
        beats=beats,
        delineation=delin,
        beat_records=_beat_records(delin, pacing, quality),
        median_beats=medians,
        quality=quality,
        pacing=pacing,
        delineated_s=(0.0, n_del / fs),
    )


def _rate(beats: Beats, values: dict[str, float | None], notes: dict[str, str]) -> None:
    rr = beats.rr_ms
    if rr.size == 0:
        for name in ("hr_bpm", "rr_ms", "rr_sd_ms"):
            notes[name] = f"{len(beats)} beat(s) found: at least two are needed for a rate."
        return
    mean = float(np.mean(rr))
    values["rr_ms"] = mean
    values["hr_bpm"] = 60_000.0 / mean
    if rr.size >= 2:
        values["rr_sd_ms"] = float(np.std(rr, ddof=1))
    else:
        notes["rr_sd_ms"] = "Only one RR interval: its variability cannot be measured."


def _intervals(record: Record, delin: Delineation | None, quality: Quality,
               values: dict[str, float | None], notes: dict[str, str]) -> None:  # fmt: skip
    names = ("pr_ms", "qrs_ms", "qt_ms", *(f"qtc_{m}_ms" for m in QTC_METHODS))
    reason = _interval_reason(record, delin, quality)
    if reason is not None:
        notes.update(dict.fromkeys(names, reason))
        return
    assert delin is not None
    marks = delin.templates[0].marks.glob
    to_ms = 1000.0 / delin.templates[0].beat.fs_hz

    def span(a: str, b: str) -> float | None:
        d = (marks[COL[b]] - marks[COL[a]]) * to_ms
        return float(d) if math.isfinite(d) and d > 0 else None

    values["qrs_ms"] = span("qrs_on", "qrs_off")
    if quality.qrs_snr < MIN_QRS_SNR:
        values["qrs_ms"] = None
        notes["qrs_ms"] = "The QRS complexes are too noisy for their duration to be measured."
    if quality.p_reason is not None:
        notes["pr_ms"] = quality.p_reason
    else:
        values["pr_ms"] = span("p_on", "qrs_on")
        if values["pr_ms"] is None:
            notes["pr_ms"] = "The P wave boundaries could not be found."
    if quality.t_reason is not None:
        notes["qt_ms"] = quality.t_reason
    else:
        values["qt_ms"] = span("qrs_on", "t_off")
        if values["qt_ms"] is None:
            notes["qt_ms"] = "The end of the T wave could not be found."
    qt, rr = values["qt_ms"], values["rr_ms"]
    for method in QTC_METHODS:
        key = f"qtc_{method}_ms"
        if qt is None or rr is None:
            notes[key] = notes.get("qt_ms") or notes.get("rr_ms") or "QT or RR is unknown."
        else:
            values[key] = qtc_ms(qt, rr, method)


#: Least QRS amplitude, in multiples of the median beat's noise, for a QRS duration.
MIN_QRS_SNR = 8.0


def _interval_reason(record: Record, delin: Delineation | None, quality: Quality) -> str | None:
    if not record.has_standard_12:
        return (
            f"Intervals are measured over the 12 standard leads (QRS and T boundaries differ "
            f"between leads); this recording has {record.n_leads}: "
            f"{', '.join(record.lead_names)}."
        )
    if quality.paced:
        return "Paced rhythm: intervals of paced beats are set by the pacemaker, not measured."
    if delin is None or 0 not in delin.templates:
        return "Fewer than three beats of the same shape: no median beat to measure on."
    return None


def _axes(record: Record, delin: Delineation | None, quality: Quality,
          values: dict[str, float | None], notes: dict[str, str]) -> None:  # fmt: skip
    names = record.lead_names
    has_i = "I" in names
    if not has_i or not ("aVF" in names or "II" in names):
        for wave in ("p", "qrs", "t"):
            notes[f"{wave}_axis_deg"] = "The frontal axis needs leads I and aVF (or I and II)."
        return
    if delin is None or 0 not in delin.templates:
        for wave in ("p", "qrs", "t"):
            notes[f"{wave}_axis_deg"] = "Fewer than three beats of the same shape: no median beat."
        return
    if quality.paced:
        for wave in ("p", "qrs", "t"):
            notes[f"{wave}_axis_deg"] = "Paced rhythm: the axes of paced beats are not measured."
        return
    template = delin.templates[0]
    for wave, (a, b) in {"p": ("p_on", "p_off"), "qrs": ("qrs_on", "qrs_off"),
                         "t": ("qrs_off", "t_off")}.items():  # fmt: skip
        if wave == "p" and quality.p_reason is not None:
            notes["p_axis_deg"] = "No consistent P wave before the QRS: no P axis."
            continue
        if wave == "t" and quality.t_reason is not None:
            notes["t_axis_deg"] = "The T waves are too flat or too noisy: no T axis."
            continue
        value, reason = axis_or_reason(template, list(names), a, b)
        values[f"{wave}_axis_deg"] = value
        if reason is not None:
            notes[f"{wave}_axis_deg"] = reason


def _beat_records(delin: Delineation | None, pacing: Pacing,
                  quality: Quality) -> tuple[BeatRecord, ...]:  # fmt: skip
    """Per-beat global fiducials in seconds; a wave the median beat shows to be unreliable
    (no consistent P wave, a T wave lost in noise) is left out of its beats too."""
    if delin is None:
        return ()
    s = delin.fiducials / delin.fs_hz
    dominant = delin.groups == 0
    if not quality.p_waves:
        s[np.ix_(dominant, [COL["p_on"], COL["p_peak"], COL["p_off"]])] = np.nan
    if quality.t_reason is not None:
        s[np.ix_(dominant, [COL["t_peak"], COL["t_off"]])] = np.nan
    out = []
    for i in range(delin.r_peaks.size):
        out.append(
            BeatRecord(
                index=i,
                time_s=float(delin.r_peaks[i] / delin.fs_hz),
                p_on_s=float(s[i, COL["p_on"]]),
                p_off_s=float(s[i, COL["p_off"]]),
                qrs_on_s=float(s[i, COL["qrs_on"]]),
                qrs_off_s=float(s[i, COL["qrs_off"]]),
                t_off_s=float(s[i, COL["t_off"]]),
                group=int(delin.groups[i]),
                paced=bool(pacing.paced_beats[i]) if i < pacing.paced_beats.size else False,
            )
        )
    return tuple(out)


__all__ = [
    "MEASUREMENT_NAMES",
    "BeatRecord",
    "Measurements",
    "measure",
]
