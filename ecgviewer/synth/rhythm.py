"""Beat timing: when each QRS starts, and which beats are premature ventricular beats.

Sinus rhythm is exactly regular (its RR *is* the spec's rate, so the true RR needs no
estimate). AF draws each RR from a gamma distribution (coefficient of variation 0.2, as in
typical AF), so the rhythm is irregularly irregular. A PVC takes the place of one beat, earlier
by its coupling interval; the sinus node is not reset, so the next sinus beat comes on time and
the pause around the PVC is fully compensatory (two RR intervals).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ecgviewer.synth.spec import SynthSpec

F64 = npt.NDArray[np.float64]

#: Coefficient of variation of AF RR intervals (0.15–0.3 in published AF series).
AF_RR_CV = 0.20
#: The QRS of the next beat never starts before the previous T wave has ended plus this gap,
#: so each wave of the ground truth belongs to one beat only.
MIN_T_TO_QRS_S = 0.020
#: Width of the QRS the rate-corrected QT refers to.
REFERENCE_QRS_S = 0.090


def qt_for_rr_s(rr_s: float, qtc_ms: float) -> float:
    """QT (s) of a normal-width beat at RR ``rr_s``, for a rate-corrected QT of ``qtc_ms``.

    Bazett (QT = QTc·√RR) at RR below 1 s and Fridericia (QT = QTc·∛RR) above, because Bazett
    overstates the QT of slow rates (it would give 566 ms at 30 bpm); the two agree at 60 bpm.
    """
    exponent = 0.5 if rr_s < 1.0 else 1.0 / 3.0
    return float(qtc_ms / 1000.0 * rr_s**exponent)


def jt_for_spec_s(spec: SynthSpec) -> float:
    """J point to T end (s) of every beat: repolarisation follows the (mean) rate, not the QRS.

    A wide QRS lengthens the QT by its extra width (JT stays), as in bundle-branch block. The
    JT is kept short enough that the T ends before the next QRS, and at least 80 ms.
    """
    rr = spec.rr_s
    jt = qt_for_rr_s(rr, spec.qtc_ms) - REFERENCE_QRS_S
    return max(0.080, min(jt, 0.9 * rr - spec.qrs_width_s))


@dataclass(frozen=True, slots=True)
class Schedule:
    """QRS onset times (s, on the recording's time axis) and which beats are PVCs."""

    qrs_onset_s: F64
    is_pvc: npt.NDArray[np.bool_]


def schedule(
    spec: SynthSpec,
    before_s: float,
    after_n_s: float,
    after_v_s: float,
    rng: np.random.Generator,
) -> Schedule:
    """Beat onsets of every beat with a wave inside ``[0, duration_s)``.

    ``before_s`` is how far a beat's first wave (the P) starts before its QRS; ``after_n_s`` and
    ``after_v_s`` are the QT of a conducted beat and of a PVC (where their T waves end).
    """
    rr = spec.rr_s
    if spec.rhythm == "af":
        onsets = _af_onsets(spec, after_n_s, rng)
    else:
        # The first whole beat starts shortly after the recording does (P onset at ~0.1·RR).
        t0 = before_s + 0.1 * rr + 0.05
        k = np.arange(math.floor(-(t0 + after_n_s) / rr), math.ceil((spec.duration_s - t0) / rr))
        onsets = np.asarray(t0 + k * rr, dtype=np.float64)
    keep = (onsets - before_s < spec.duration_s) & (onsets + after_n_s > 0.0)
    onsets = onsets[keep]
    is_pvc = np.zeros(onsets.size, dtype=np.bool_)
    for index in sorted(spec.pvc_beats):
        if index >= onsets.size:
            raise ValueError(
                f"pvc_beats names beat {index}, but the recording has only {onsets.size} beats "
                f"(indices 0 to {onsets.size - 1})"
            )
        previous = onsets[index - 1]
        qt_previous = after_v_s if is_pvc[index - 1] else after_n_s
        interrupted = onsets[index] - previous
        # Premature by the coupling fraction, but not onto the previous T wave (no R-on-T here:
        # the truth would then have overlapping waves).
        coupling = max(spec.pvc_coupling * interrupted, qt_previous + MIN_T_TO_QRS_S)
        onset = previous + min(coupling, 0.95 * interrupted)
        if index + 1 < onsets.size:
            # In AF the next beat is not held back by a pause; keep the PVC's T clear of it.
            onset = min(onset, onsets[index + 1] - after_v_s - MIN_T_TO_QRS_S)
        onsets[index] = max(onset, previous + qt_previous + MIN_T_TO_QRS_S)
        is_pvc[index] = True
    onsets.flags.writeable = False
    is_pvc.flags.writeable = False
    return Schedule(onsets, is_pvc)


def _af_onsets(spec: SynthSpec, qt_s: float, rng: np.random.Generator) -> F64:
    mean = spec.rr_s
    shape = 1.0 / AF_RR_CV**2
    # The AV node cannot conduct two beats closer than its refractory period; here: not before
    # the previous T wave has ended, and not closer than half the mean RR.
    lo = max(0.5 * mean, qt_s + MIN_T_TO_QRS_S)
    hi = 2.5 * mean
    span = spec.duration_s + 2.0 * (qt_s + 1.0)
    n = math.ceil(span / lo) + 2
    # Draw from the gamma truncated to [lo, hi] (redraw, never clip): clipping would pile many
    # intervals onto exactly ``lo`` at fast rates and make the rhythm look regular.
    rr = rng.gamma(shape, mean / shape, size=n)
    for _ in range(100):
        bad = (rr < lo) | (rr > hi)
        if not bad.any():
            break
        rr[bad] = rng.gamma(shape, mean / shape, size=int(bad.sum()))
    rr = np.clip(rr, lo, hi)  # only if 100 redraws left some (extreme rates): bounded anyway
    start = -(qt_s + 1.0) + rng.uniform(0.0, mean)
    onsets = start + np.concatenate(([0.0], np.cumsum(rr)))
    return onsets[onsets < spec.duration_s + 1.0]


def fibrillatory_waves(n_samples: int, fs_hz: float, rng: np.random.Generator) -> F64:
    """Unit-amplitude AF f-waves: 4–9 Hz, wandering in rate and waxing and waning in size.

    Real f-waves are not a sinusoid: their dominant frequency (5–8 Hz) drifts over seconds
    and their amplitude varies, and their shape is sawtooth-like (a second harmonic).
    """
    t = np.arange(n_samples) / fs_hz
    phases = rng.uniform(0.0, 2.0 * np.pi, size=5)
    f0 = rng.uniform(5.0, 8.0)
    drift = 0.6 * np.sin(2 * np.pi * 0.11 * t + phases[0]) + 0.4 * np.sin(
        2 * np.pi * 0.27 * t + phases[1]
    )
    f_inst = np.clip(f0 + drift, 4.0, 9.0)
    phase = 2.0 * np.pi * np.cumsum(f_inst) / fs_hz + phases[2]
    envelope = 1.0 + 0.3 * np.sin(2 * np.pi * 0.17 * t + phases[3])
    wave: F64 = (np.sin(phase) + 0.35 * np.sin(2.0 * phase + phases[4])) * envelope
    return wave / (1.3 * 1.35)
