"""Pure numpy/scipy signal processing: filters, resampling, beat detection, delineation, measures.

One public verb per step, each usable without Qt:

* :func:`detect_beats` — QRS complexes on all leads together.
* :func:`delineate` — P, QRS and T onsets, peaks and offsets, per lead and global.
* :func:`measure` — the global measurements of a record, each with a reason when it is null.

Filters (:mod:`ecgviewer.dsp.filters`) and resampling (:mod:`ecgviewer.dsp.resample`) are
shared with the viewer's display.
"""

from ecgviewer.dsp.beats import Beats, detect_beats
from ecgviewer.dsp.delineate import Delineation, delineate
from ecgviewer.dsp.filters import bandpass, highpass, lowpass, notch, remove_baseline
from ecgviewer.dsp.formulas import frontal_axis_deg, qtc_ms
from ecgviewer.dsp.measure import MEASUREMENT_NAMES, BeatRecord, Measurements, measure
from ecgviewer.dsp.measure_parts import Quality, RepresentativeBeat
from ecgviewer.dsp.pacing import Pacing, detect_pacing
from ecgviewer.dsp.resample import resample
from ecgviewer.dsp.wave_marks import FIDUCIALS

__all__ = [
    "FIDUCIALS",
    "MEASUREMENT_NAMES",
    "BeatRecord",
    "Beats",
    "Delineation",
    "Measurements",
    "Pacing",
    "Quality",
    "RepresentativeBeat",
    "bandpass",
    "delineate",
    "detect_beats",
    "detect_pacing",
    "frontal_axis_deg",
    "highpass",
    "lowpass",
    "measure",
    "notch",
    "qtc_ms",
    "remove_baseline",
    "resample",
]
