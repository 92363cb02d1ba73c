"""A miniature PTB-XL (official layout, WFDB files, fold 10 included) and one-thread torch."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from ecgviewer.io import STANDARD_LEADS  # noqa: E402

#: (scp_codes, what makes the signal distinct) — a learnable toy problem.
_KINDS = (
    "{'NORM': 100.0, 'SR': 0.0}",
    "{'IMI': 80.0, 'SR': 0.0}",
    "{'CRBBB': 100.0, 'SR': 0.0}",
    "{'AFIB': 0.0, 'NDT': 50.0}",
    "{'SBRAD': 0.0, 'LVH': 100.0}",
)
_STATEMENTS = """\
,description,diagnostic,form,rhythm,diagnostic_class,diagnostic_subclass
NORM,normal ECG,1.0,,,NORM,NORM
IMI,inferior MI,1.0,,,MI,IMI
CRBBB,complete RBBB,1.0,,,CD,CRBBB
NDT,non-diagnostic T,1.0,1.0,,STTC,STTC
LVH,left ventricular hypertrophy,1.0,,,HYP,LVH
AFIB,atrial fibrillation,,,1.0,,
SBRAD,sinus bradycardia,,,1.0,,
SR,sinus rhythm,,,1.0,,
"""

#: Records per fold in the fake set (folds 1-10; fold 10 must never be read).
PER_FOLD = 8


def make_fake_ptbxl(root: Path, per_fold: int = PER_FOLD) -> Path:
    """Write a PTB-XL-shaped folder with ``10 * per_fold`` 12-lead, 100 Hz, 10 s records."""
    import wfdb

    rng = np.random.default_rng(0)
    rows = ["ecg_id,patient_id,scp_codes,strat_fold,filename_lr,filename_hr"]
    t = np.arange(1000) / 100.0
    folder = root / "records100" / "00000"
    folder.mkdir(parents=True)
    ecg_id = 0
    for fold in range(1, 11):
        for _ in range(per_fold):
            ecg_id += 1
            kind = ecg_id % len(_KINDS)
            signal = 0.05 * rng.standard_normal((1000, 12))
            signal += 0.5 * np.sin(2 * np.pi * (0.8 + 0.4 * kind) * t)[:, None]
            name = f"{ecg_id:05d}_lr"
            wfdb.wrsamp(
                name, fs=100, units=["mV"] * 12, sig_name=list(STANDARD_LEADS),
                p_signal=signal, fmt=["16"] * 12, write_dir=str(folder),
            )  # fmt: skip
            rows.append(
                f'{ecg_id},{ecg_id},"{_KINDS[kind]}",{fold},records100/00000/{name},'
                f"records500/00000/{ecg_id:05d}_hr"
            )
    (root / "ptbxl_database.csv").write_text("\n".join(rows) + "\n")
    (root / "scp_statements.csv").write_text(_STATEMENTS)
    return root


@pytest.fixture(scope="session")
def fake_ptbxl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_fake_ptbxl(tmp_path_factory.mktemp("ptb-xl"))


@pytest.fixture(autouse=True)
def _one_torch_thread() -> Iterator[None]:
    before = torch.get_num_threads()
    deterministic = torch.are_deterministic_algorithms_enabled()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)
    torch.use_deterministic_algorithms(deterministic)
