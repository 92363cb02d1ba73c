"""PTB-XL ``scp_codes`` -> the classifier's 11 multi-label targets.

The classes, in output order (:data:`CLASSES`):

=========  ================================  ==========================================
class      PTB-XL SCP statement(s)           note
=========  ================================  ==========================================
``1AVB``   ``1AVB``                          first-degree AV block
``RBBB``   ``CRBBB``                         complete only; ``IRBBB`` is not RBBB in CODE
``LBBB``   ``CLBBB``                         complete only; ``ILBBB`` excluded likewise
``SB``     ``SBRAD``                         sinus bradycardia
``AF``     ``AFIB``                          ``AFLT`` (flutter) excluded, see below
``ST``     ``STACH``                         sinus tachycardia
``NORM``   every statement whose ``diagnostic_class`` in ``scp_statements.csv`` is ``NORM``
``MI``     ... ``MI``                        (``IMI``, ``AMI``, ``ASMI``, ...)
``STTC``   ... ``STTC``                      (``NDT``, ``NST_``, ``ISC_``, ...)
``CD``     ... ``CD``                        (``CRBBB``, ``CLBBB``, ``1AVB``, ``LAFB``, ...)
``HYP``    ... ``HYP``                       (``LVH``, ``RVH``, ...)
=========  ================================  ==========================================

The first six are the rhythm and conduction findings of the CODE study (Ribeiro et al. 2020).
Atrial flutter is left out of ``AF``: it is a distinct rhythm with its own statement, CODE's
class is atrial fibrillation, and pooling them would teach the network a class no clinician
reads. A flutter record is simply negative for ``AF`` (not excluded), as for any other finding.

Likelihood. PTB-XL gives each statement a likelihood: 15/35/50/80/100 for diagnostic statements,
and 0 meaning *not stated* (all rhythm and form statements carry 0). A statement counts as
present when its likelihood is 0 (not stated) or at least ``min_likelihood``. The default
``min_likelihood=0`` counts every listed statement, the convention of the PTB-XL paper and of
the benchmark of Strodthoff et al. 2021 (and of the ``ptbxl_train.csv`` labels shipped here).
"""

from __future__ import annotations

import ast
import csv
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import numpy.typing as npt

CODE_CLASSES: tuple[str, ...] = ("1AVB", "RBBB", "LBBB", "SB", "AF", "ST")
SUPERCLASSES: tuple[str, ...] = ("NORM", "MI", "STTC", "CD", "HYP")
#: Output order of the classifier.
CLASSES: tuple[str, ...] = CODE_CLASSES + SUPERCLASSES

#: CODE class -> the SCP statements that make it positive.
CODE_SCP: Mapping[str, frozenset[str]] = {
    "1AVB": frozenset({"1AVB"}),
    "RBBB": frozenset({"CRBBB"}),
    "LBBB": frozenset({"CLBBB"}),
    "SB": frozenset({"SBRAD"}),
    "AF": frozenset({"AFIB"}),
    "ST": frozenset({"STACH"}),
}


def parse_scp_codes(text: str) -> dict[str, float]:
    """The ``scp_codes`` column (a Python dict literal) as ``{code: likelihood}``."""
    value = ast.literal_eval(text)
    if not isinstance(value, dict):
        raise ValueError(f"scp_codes is not a dict: {text!r}")
    return {str(k): float(v) for k, v in value.items()}


def load_diagnostic_classes(scp_statements_csv: Path) -> dict[str, str]:
    """SCP code -> its ``diagnostic_class``, for the diagnostic statements only."""
    out: dict[str, str] = {}
    with Path(scp_statements_csv).open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            code = row.get("") or row.get("Unnamed: 0") or ""
            if row.get("diagnostic", "").strip() in {"1", "1.0"} and row["diagnostic_class"]:
                out[code.strip()] = row["diagnostic_class"].strip()
    return out


def encode(
    scp_codes: Mapping[str, float],
    diagnostic_classes: Mapping[str, str],
    min_likelihood: float = 0.0,
) -> npt.NDArray[np.float32]:
    """The 0/1 target vector (in :data:`CLASSES` order) for one record's ``scp_codes``."""
    present = {
        code for code, lik in scp_codes.items() if lik == 0.0 or lik >= max(min_likelihood, 0.0)
    }
    target = np.zeros(len(CLASSES), dtype=np.float32)
    for i, name in enumerate(CODE_CLASSES):
        target[i] = float(bool(present & CODE_SCP[name]))
    supers = {diagnostic_classes[c] for c in present if c in diagnostic_classes}
    for j, name in enumerate(SUPERCLASSES):
        target[len(CODE_CLASSES) + j] = float(name in supers)
    return target
