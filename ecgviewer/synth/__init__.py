"""Synthetic 12-lead ECGs with exact ground truth, for tests, validation, training and the demo.

Example::

    from ecgviewer.synth import SynthSpec, synthesize

    ecg = synthesize(SynthSpec(hr_bpm=60, qrs_morphology="rbbb", pvc_beats=(4,), noise_mv=0.02))
    ecg.record.lead("V1")           # float32 mV; leads in STANDARD_LEADS order
    ecg.truth.samples("qrs_onset")  # exact fiducials per beat (-1 = absent / outside)
    ecg.truth.qrs_ms, ecg.truth.pr_ms, ecg.truth.qt_ms, ecg.truth.rr_ms

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
