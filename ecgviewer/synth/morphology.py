"""Beat templates: the P, QRS and T components of a conducted beat and of a PVC.

Each QRS is a few overlapping dipole bumps in the order the ventricles depolarise, with times
given as fractions of the QRS width so any width can be asked for:

* normal: septum (to the right and front: q in I/V6, r in V1), then the apical and lateral left
  ventricle (R in I, II, V4–V6, S in V1–V2), then the basal terminal forces (small s in V6).
* RBBB: normal septal and left-ventricular activation, then a late, slow, rightward-anterior
  right-ventricular vector: rsR' in V1, wide slurred S in I and V6.
* LBBB: the septum is activated from the left, so there is no septal q; two slow left-posterior
  vectors make the broad notched R in I, aVL, V5–V6 and the deep QS in V1.
* PVC: one slow, abnormal vector from an ectopic focus in the left ventricle, wide and large.

Wide beats (BBB, PVC) get a T wave opposite to the QRS (secondary repolarisation changes) that
starts at the J point; a normal beat has an isoelectric ST segment and a concordant T.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ecgviewer.synth.spec import SynthSpec
from ecgviewer.synth.waves import Component, peak_magnitude_s

Vec = tuple[float, float, float]

#: QRS components per morphology: (onset, peak, offset) as fractions of QRS width, vector in mV.
_QRS: dict[str, tuple[tuple[float, float, float, Vec], ...]] = {
    "normal": (
        (0.00, 0.14, 0.32, (-0.20, 0.10, -0.25)),
        (0.10, 0.36, 0.62, (0.80, 0.70, -0.55)),
        (0.28, 0.52, 0.80, (1.15, 0.30, 0.95)),
        (0.58, 0.80, 1.00, (-0.25, -0.05, 0.20)),
    ),
    "rbbb": (
        (0.00, 0.09, 0.22, (-0.20, 0.10, -0.30)),
        (0.07, 0.24, 0.42, (0.75, 0.65, -0.45)),
        (0.18, 0.35, 0.55, (1.05, 0.30, 0.85)),
        (0.42, 0.70, 1.00, (-0.70, 0.05, -0.90)),
    ),
    "lbbb": (
        (0.00, 0.22, 0.50, (0.50, 0.20, 0.35)),
        (0.12, 0.42, 0.75, (1.15, 0.30, 1.30)),
        (0.48, 0.78, 1.00, (1.05, -0.05, 1.05)),
    ),
    "pvc": (
        (0.00, 0.40, 0.72, (-0.65, -1.30, -1.35)),
        (0.30, 0.62, 1.00, (-0.75, -0.75, -0.45)),
    ),
}
#: T-wave vector per morphology (mV): concordant for normal, discordant for wide beats.
_T: dict[str, Vec] = {
    "normal": (0.40, 0.28, -0.10),
    "rbbb": (0.40, 0.28, 0.25),
    "lbbb": (-0.35, -0.10, -0.45),
    "pvc": (0.45, 0.55, 0.50),
}
#: Sinus P: right atrium first (anterior, inferior), then left atrium (leftward, posterior);
#: (onset, peak, offset) as fractions of the P duration. Biphasic P in V1, upright in II.
_P = (
    (0.00, 0.40, 0.80, (0.02, 0.12, -0.07)),
    (0.20, 0.60, 1.00, (0.10, 0.08, 0.06)),
)

#: Share of the J-to-T-end interval taken by the ST segment (isoelectric in a normal beat).
_ST_FRACTION = {"normal": 0.30, "rbbb": 0.12, "lbbb": 0.04, "pvc": 0.03}
#: Position of the T peak within the T wave (T waves rise slowly and fall fast).
_T_PEAK_FRACTION = 0.65
#: PVCs are at least this wide (a narrow ventricular beat would not look ventricular).
PVC_MIN_QRS_S = 0.150

NAN = math.nan


@dataclass(frozen=True, slots=True)
class BeatShape:
    """The components of one kind of beat and its true fiducials, relative to QRS onset (s).

    Fiducials of waves the beat does not have (the P of a PVC) are NaN.
    """

    label: str
    p: tuple[Component, ...]
    qrs: tuple[Component, ...]
    t: tuple[Component, ...]
    p_onset_s: float
    p_offset_s: float
    qrs_offset_s: float
    r_peak_s: float
    t_peak_s: float
    t_offset_s: float

    @property
    def components(self) -> tuple[Component, ...]:
        return self.p + self.qrs + self.t

    @property
    def qt_s(self) -> float:
        return self.t_offset_s


def conducted_beat(spec: SynthSpec, jt_s: float, with_p: bool) -> BeatShape:
    """A supraventricular beat with the spec's QRS morphology and, if ``with_p``, a P wave."""
    width = spec.qrs_width_s
    qrs = _qrs(spec.qrs_morphology, width)
    t = _t_wave(spec.qrs_morphology, width, jt_s)
    p: tuple[Component, ...] = ()
    p_on = p_off = NAN
    if with_p:
        p_dur = spec.p_ms / 1000.0
        p_on = -spec.pr_ms / 1000.0
        p_off = p_on + p_dur
        # Sharpened outer edges only: the P starts and ends visibly where it truly does.
        (a1, b1, c1, v1), (a2, b2, c2, v2) = _P
        p = (
            Component(p_on + a1 * p_dur, p_on + b1 * p_dur, p_on + c1 * p_dur, v1, 2.0, 1.0),
            Component(p_on + a2 * p_dur, p_on + b2 * p_dur, p_on + c2 * p_dur, v2, 1.0, 2.0),
        )
    return BeatShape(
        "N", p, qrs, t, p_on, p_off, width, peak_magnitude_s(qrs), t[0].peak_s, width + jt_s
    )


def pvc_beat(spec: SynthSpec, jt_s: float) -> BeatShape:
    """A premature ventricular beat: no P wave, wide bizarre QRS, discordant T."""
    width = max(PVC_MIN_QRS_S, spec.qrs_width_s + 0.03)
    qrs = _qrs("pvc", width)
    t = _t_wave("pvc", width, jt_s)
    return BeatShape(
        "V", (), qrs, t, NAN, NAN, width, peak_magnitude_s(qrs), t[0].peak_s, width + jt_s
    )


def st_shift_shape(beat: BeatShape) -> Component:
    """Unit shape of an ST shift on ``beat``: up at the J point, flat to the T peak, back by T end.

    It rises over the last 10 ms of the QRS and the first 15 ms of the ST segment, so the
    J point itself is shifted, as with a real injury current. The vector is unused (the shift
    is added to one lead, not to the heart vector).
    """
    start = beat.qrs_offset_s - 0.010
    top = beat.qrs_offset_s + 0.015
    return Component(start, top, beat.t_offset_s, (1.0, 0.0, 0.0), plateau_s=beat.t_peak_s - top)


def _qrs(morphology: str, width_s: float) -> tuple[Component, ...]:
    return tuple(
        Component(a * width_s, b * width_s, c * width_s, v) for a, b, c, v in _QRS[morphology]
    )


def _t_wave(morphology: str, width_s: float, jt_s: float) -> tuple[Component, ...]:
    start = width_s + _ST_FRACTION[morphology] * jt_s
    end = width_s + jt_s
    peak = start + _T_PEAK_FRACTION * (end - start)
    # Sharper end than start: the visible T end (tangent or threshold) lands within a few ms of
    # the true one, as on real ECGs where the descending limb is steeper than the ascending.
    # (edge 1.8: tangent-method end ~0.09 x descent early, 2 % threshold ~0.05 x). The rise is
    # blunted (edge < 1): a long gentle start from the ST segment and a rounded-pointed apex.
    return (Component(start, peak, end, _T[morphology], 0.8, 1.8),)
