"""Write small WFDB records into a test folder with wfdb's own writer."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt

LEADS_12 = ["I", "II", "III", "AVR", "AVL", "AVF", "V1", "V2", "V3", "V4", "V5", "V6"]


def pseudo_ecg(
    n_leads: int, n_samples: int, fs_hz: float, seed: int = 0
) -> npt.NDArray[np.float64]:
    """A spiky periodic signal in mV (one sharp 'QRS' per second plus a slow wave)."""
    rng = np.random.default_rng(seed)
    t = np.arange(n_samples) / fs_hz
    beat = np.exp(-(((t % 1.0) - 0.3) ** 2) / (2 * 0.012**2))
    wave = 0.2 * np.sin(2 * np.pi * 0.9 * t)
    gains = rng.uniform(0.5, 1.5, size=(n_leads, 1))
    return np.asarray(gains * beat + wave, dtype=np.float64)


def write_record(
    folder: Path,
    name: str = "rec",
    *,
    leads: list[str] | None = None,
    fs_hz: float = 500.0,
    n_samples: int = 5000,
    fmt: str = "16",
    units: str = "mV",
    comments: list[str] | None = None,
    signal: npt.NDArray[np.float64] | None = None,
    adc_gain: float | None = None,
) -> tuple[Path, npt.NDArray[np.float64]]:
    """Write ``name.hea`` and ``name.dat``; return the header path and the signal in mV."""
    import wfdb

    leads = leads or LEADS_12
    p_signal = signal if signal is not None else pseudo_ecg(len(leads), n_samples, fs_hz)
    scale = {"mV": 1.0, "uV": 1000.0, "V": 0.001}[units]
    wfdb.wrsamp(
        name,
        fs=fs_hz,
        units=[units] * len(leads),
        sig_name=list(leads),
        p_signal=(p_signal * scale).T,
        fmt=[fmt] * len(leads),
        adc_gain=[adc_gain or (1000.0 / scale if units != "V" else 1e6)] * len(leads),
        baseline=[0] * len(leads),
        comments=comments or [],
        write_dir=str(folder),
    )
    return folder / f"{name}.hea", p_signal
