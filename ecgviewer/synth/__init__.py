"""Synthetic 12-lead ECGs with exact ground truth, for tests, validation, training and the demo.

>>> from ecgviewer.synth import SynthSpec, synthesize
>>> ecg = synthesize(SynthSpec(hr_bpm=60, rhythm="sinus", qrs_morphology="rbbb", pvc_beats=(4,)))
>>> ecg.record.lead("V1")          # float32 mV, STANDARD_LEADS order
>>> ecg.truth.samples("qrs_onset")  # exact fiducials; ecg.truth.qrs_ms, .pr_ms, .qt_ms, .rr_ms

Waves are built from compact-support bumps of a 3-D heart vector projected with Dower's lead
vectors, so onsets/offsets are exact by construction and the limb-lead relations hold exactly.
Pure numpy; no Qt.
"""

from ecgviewer.synth.generator import SyntheticEcg, synthesize
from ecgviewer.synth.rhythm import qt_for_rr_s
from ecgviewer.synth.spec import QrsMorphology, Rhythm, SynthSpec
from ecgviewer.synth.truth import FIDUCIALS, Fiducial, GroundTruth

__all__ = [
    "FIDUCIALS",
    "Fiducial",
    "GroundTruth",
    "QrsMorphology",
    "Rhythm",
    "SynthSpec",
    "SyntheticEcg",
    "qt_for_rr_s",
    "synthesize",
]
