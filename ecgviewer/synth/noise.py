"""Recording imperfections: white noise, baseline wander and mains interference.

They are added to the eight recorded leads (I, II, V1–V6) before the limb leads III, aVR, aVL
and aVF are derived, exactly as they reach a real electrocardiograph, so the Einthoven and
Goldberger relations hold for the noisy signal too.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ecgviewer.synth.spec import SynthSpec

F64 = npt.NDArray[np.float64]


def interference(spec: SynthSpec, n_leads: int, rng: np.random.Generator) -> F64:
    """Noise ``(n_leads, n_samples)`` in mV for the recorded leads; zeros when all are off.

    Each kind of interference draws from its own child stream of ``rng``, so turning one off
    leaves the others unchanged.
    """
    n = spec.n_samples
    out = np.zeros((n_leads, n))
    white, wander, mains = rng.spawn(3)
    t = np.arange(n) / spec.fs_hz
    if spec.noise_mv > 0:
        out += spec.noise_mv * white.standard_normal((n_leads, n))
    if spec.baseline_wander_mv > 0:
        out += spec.baseline_wander_mv * _wander(t, n_leads, wander)
    if spec.powerline_mv > 0:
        # One source (the mains) seen with a lead-specific amplitude and a small phase spread.
        gain = mains.uniform(0.5, 1.0, size=(n_leads, 1))
        phase = mains.uniform(0, 2 * np.pi) + mains.normal(0.0, 0.2, size=(n_leads, 1))
        out += spec.powerline_mv * gain * np.sin(2 * np.pi * spec.powerline_hz * t + phase)
    return out


def _wander(t: F64, n_leads: int, rng: np.random.Generator) -> F64:
    # Respiration (one rate for the patient, 9–21 breaths/min) moves the electrodes and the
    # heart; a slower drift comes from the electrode-skin interface. Peak stays below ~1.
    resp_hz = rng.uniform(0.15, 0.35)
    drift_hz = rng.uniform(0.03, 0.08)
    resp_gain = rng.uniform(0.4, 0.7, size=(n_leads, 1))
    drift_gain = rng.uniform(0.1, 0.3, size=(n_leads, 1))
    phases = rng.uniform(0, 2 * np.pi, size=(2, n_leads, 1))
    resp: F64 = resp_gain * np.sin(2 * np.pi * resp_hz * t + phases[0])
    drift: F64 = drift_gain * np.sin(2 * np.pi * drift_hz * t + phases[1])
    return resp + drift
