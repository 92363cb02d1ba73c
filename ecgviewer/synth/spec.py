"""What to synthesise: one frozen, validated :class:`SynthSpec` (all units in the field names).

The spec is the complete description of a synthetic recording: the same spec (seed included)
always gives the same samples, so a test can name a recording by its spec alone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from ecgviewer.io.record import STANDARD_LEADS

Rhythm = Literal["sinus", "af"]
QrsMorphology = Literal["normal", "rbbb", "lbbb"]

#: Heart rates the generator is built for (30–220 bpm is tested; outside this it is refused).
MIN_HR_BPM = 20.0
MAX_HR_BPM = 250.0
#: Sampling rates it accepts (100–1000 Hz is tested); below 50 Hz a QRS is not representable.
MIN_FS_HZ = 50.0
MAX_FS_HZ = 10_000.0
MIN_DURATION_S = 1.0

#: QRS duration of each morphology when ``qrs_ms`` is not given (adult typical values).
DEFAULT_QRS_MS: dict[str, float] = {"normal": 90.0, "rbbb": 136.0, "lbbb": 150.0}


@dataclass(frozen=True, slots=True)
class SynthSpec:
    """A synthetic 12-lead ECG, described by physiology and recording conditions.

    Parameters
    ----------
    hr_bpm
        Heart rate; for ``rhythm="af"`` the *mean* ventricular rate.
    duration_s, fs_hz
        Length and sampling rate of the recording.
    rhythm
        ``"sinus"`` (regular, a P wave before every conducted beat) or ``"af"`` (irregularly
        irregular RR, no P waves, fibrillatory f-waves).
    pr_ms
        P onset to QRS onset; above 200 ms is first-degree AV block. Ignored for AF.
    p_ms
        P wave duration (must be shorter than ``pr_ms``).
    qrs_morphology
        ``"normal"``, ``"rbbb"`` or ``"lbbb"`` conduction of the supraventricular beats.
    qrs_ms
        QRS duration of the conducted beats; ``None`` takes the morphology's typical value
        (90, 136, 150 ms).
    qtc_ms
        Rate-corrected QT of a normal-width beat. The real QT follows the (mean) rate, see
        :func:`ecgviewer.synth.rhythm.qt_for_rr_s`, and a wide QRS lengthens it by its extra
        width (the JT interval is kept).
    pvc_beats
        Indices (into the ground-truth beat list, ``0`` = the first beat touching the record)
        of beats replaced by premature ventricular beats. Index 0 is not allowed: a PVC is
        defined by its coupling to the beat before it.
    pvc_coupling
        PVC coupling interval as a fraction of the RR it interrupts.
    f_wave_mv
        Peak amplitude of the AF fibrillatory waves in V1.
    noise_mv
        Standard deviation of white noise in each recorded lead (I, II, V1–V6); the derived limb
        leads carry the combination, as on a real electrocardiograph.
    baseline_wander_mv
        Approximate peak amplitude of respiratory baseline wander and slow drift per lead.
    powerline_mv, powerline_hz
        Amplitude and frequency of mains interference.
    st_shift_mv, st_shift_lead
        An ST-segment shift (J point to T end) confined to one lead, on the conducted (``N``)
        beats only: a localised abnormality for anomaly-localisation tests. On a limb lead it
        deliberately breaks the Einthoven relations for that record.
    seed
        Seed of every random choice (AF intervals, f-waves, noise); each choice draws from its
        own stream, so switching noise off leaves the beat timing unchanged.
    """

    hr_bpm: float = 72.0
    duration_s: float = 10.0
    fs_hz: float = 500.0
    rhythm: Rhythm = "sinus"
    pr_ms: float = 160.0
    p_ms: float = 100.0
    qrs_morphology: QrsMorphology = "normal"
    qrs_ms: float | None = None
    qtc_ms: float = 400.0
    pvc_beats: tuple[int, ...] = ()
    pvc_coupling: float = 0.6
    f_wave_mv: float = 0.08
    noise_mv: float = 0.0
    baseline_wander_mv: float = 0.0
    powerline_mv: float = 0.0
    powerline_hz: float = 50.0
    st_shift_mv: float = 0.0
    st_shift_lead: str | None = None
    seed: int = 0

    def __post_init__(self) -> None:
        _in_range("hr_bpm", self.hr_bpm, MIN_HR_BPM, MAX_HR_BPM)
        _in_range("fs_hz", self.fs_hz, MIN_FS_HZ, MAX_FS_HZ)
        _in_range("duration_s", self.duration_s, MIN_DURATION_S, 7 * 24 * 3600.0)
        _in_range("pr_ms", self.pr_ms, 60.0, 600.0)
        _in_range("p_ms", self.p_ms, 40.0, 200.0)
        _in_range("qtc_ms", self.qtc_ms, 250.0, 700.0)
        _in_range("pvc_coupling", self.pvc_coupling, 0.3, 0.95)
        if self.qrs_ms is not None:
            _in_range("qrs_ms", self.qrs_ms, 50.0, 250.0)
        if self.rhythm not in ("sinus", "af"):
            raise ValueError(f"rhythm must be 'sinus' or 'af', not {self.rhythm!r}")
        if self.qrs_morphology not in DEFAULT_QRS_MS:
            raise ValueError(f"qrs_morphology must be one of {sorted(DEFAULT_QRS_MS)}")
        if self.p_ms >= self.pr_ms:
            raise ValueError(f"p_ms ({self.p_ms}) must be shorter than pr_ms ({self.pr_ms})")
        for name in ("f_wave_mv", "noise_mv", "baseline_wander_mv", "powerline_mv"):
            _in_range(name, getattr(self, name), 0.0, 10.0)
        _in_range("powerline_hz", self.powerline_hz, 1.0, 1000.0)
        _in_range("st_shift_mv", self.st_shift_mv, -2.0, 2.0)
        if self.st_shift_mv and self.st_shift_lead is None:
            raise ValueError("st_shift_mv needs st_shift_lead (the lead it is confined to)")
        if self.st_shift_lead is not None and self.st_shift_lead not in STANDARD_LEADS:
            raise ValueError(f"st_shift_lead must be one of {STANDARD_LEADS}")
        if any(not isinstance(i, int) or i < 1 for i in self.pvc_beats):
            raise ValueError("pvc_beats holds beat indices >= 1 (a PVC couples to the beat before)")

    @property
    def rr_s(self) -> float:
        """Nominal (sinus) or mean (AF) RR interval in seconds."""
        return 60.0 / self.hr_bpm

    @property
    def qrs_width_s(self) -> float:
        """QRS duration of the conducted beats in seconds."""
        qrs = DEFAULT_QRS_MS[self.qrs_morphology] if self.qrs_ms is None else self.qrs_ms
        return qrs / 1000.0

    @property
    def n_samples(self) -> int:
        """Number of samples in the recording."""
        return round(self.duration_s * self.fs_hz)


def _in_range(name: str, value: float, lo: float, hi: float) -> None:
    if not isinstance(value, int | float) or not math.isfinite(value) or not lo <= value <= hi:
        raise ValueError(f"{name} must be a number in [{lo:g}, {hi:g}], not {value!r}")
