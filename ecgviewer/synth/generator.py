"""``synthesize(spec)``: a 12-lead :class:`Record` and its exact :class:`GroundTruth`.

Pipeline: beat timing (:mod:`.rhythm`) -> beat templates (:mod:`.morphology`) -> heart vector
(:mod:`.waves`) -> the eight recorded leads + interference (:mod:`.noise`) -> the four derived
limb leads -> an optional ST shift in one lead -> float32 record via ``make_record``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ecgviewer.io.record import STANDARD_LEADS, AnnotationTrack, Record, make_record
from ecgviewer.synth.morphology import BeatShape, conducted_beat, pvc_beat, st_shift_shape
from ecgviewer.synth.noise import interference
from ecgviewer.synth.rhythm import fibrillatory_waves, jt_for_spec_s, schedule
from ecgviewer.synth.spec import SynthSpec
from ecgviewer.synth.truth import GroundTruth
from ecgviewer.synth.waves import (
    RECORDED_LEADS,
    derive_twelve,
    lead_gain,
    project,
    render,
    render_scalar,
)

F64 = npt.NDArray[np.float64]

#: Direction of the atrial fibrillatory activity: to the right, anterior and inferior, so the
#: f-waves are largest in V1–V2, III, aVF and II, as in most AF.
F_WAVE_VECTOR = (-0.2, 0.45, -0.6)
#: Name of the beat annotation track, as the WFDB reader names a reference ``.atr`` file.
BEAT_TRACK = "atr"


@dataclass(frozen=True, slots=True)
class SyntheticEcg:
    """A synthetic recording, its exact ground truth and the spec that made it."""

    record: Record
    truth: GroundTruth
    spec: SynthSpec


def synthesize(spec: SynthSpec, record_name: str = "synthetic") -> SyntheticEcg:
    """Generate the 12-lead ECG ``spec`` describes, with its ground truth.

    Parameters
    ----------
    spec
        What to generate; the same spec always gives identical samples.
    record_name
        Name given to the :class:`~ecgviewer.io.record.Record`.

    Returns
    -------
    SyntheticEcg
        ``record``: 12 leads in ``STANDARD_LEADS`` order, float32 mV, with a beat annotation
        track ``"atr"`` (``N``/``V`` at the R peaks); ``truth``: see :class:`GroundTruth`.

    Raises
    ------
    ValueError
        If ``pvc_beats`` names a beat the recording does not have.
    """
    rhythm_rng, atrial_rng, noise_rng = np.random.default_rng(spec.seed).spawn(3)
    sinus = spec.rhythm == "sinus"
    jt_s = jt_for_spec_s(spec)
    normal = conducted_beat(spec, jt_s, with_p=sinus)
    pvc = pvc_beat(spec, jt_s)
    before_s = spec.pr_ms / 1000.0 if sinus else 0.0
    sched = schedule(spec, before_s, normal.qt_s, pvc.qt_s, rhythm_rng)
    onsets_n = sched.qrs_onset_s[~sched.is_pvc]
    onsets_v = sched.qrs_onset_s[sched.is_pvc]

    n, fs = spec.n_samples, spec.fs_hz
    dipole = render(normal.components, onsets_n, n, fs) + render(pvc.components, onsets_v, n, fs)
    if not sinus and spec.f_wave_mv > 0:
        scale = spec.f_wave_mv / lead_gain(F_WAVE_VECTOR, "V1")
        dipole += np.outer(fibrillatory_waves(n, fs, atrial_rng) * scale, F_WAVE_VECTOR)
    recorded = project(dipole) + interference(spec, len(RECORDED_LEADS), noise_rng)
    leads = derive_twelve(recorded)
    if spec.st_shift_lead is not None and spec.st_shift_mv != 0.0:
        shift = render_scalar(st_shift_shape(normal), onsets_n, n, fs)
        leads[STANDARD_LEADS.index(spec.st_shift_lead)] += spec.st_shift_mv * shift

    truth = _truth(spec, sched.qrs_onset_s, sched.is_pvc, normal, pvc)
    in_record = truth.samples("r_peak") >= 0
    track = AnnotationTrack(
        BEAT_TRACK,
        None,
        truth.samples("r_peak")[in_record],
        tuple(label for label, k in zip(truth.labels, in_record, strict=True) if k),
    )
    record = make_record(
        leads.astype(np.float32),
        fs,
        STANDARD_LEADS,
        record_name,
        source_format="synthetic",
        metadata=_metadata(spec),
        annotations=(track,),
    )
    return SyntheticEcg(record, truth, spec)


def _truth(
    spec: SynthSpec,
    onsets_s: F64,
    is_pvc: npt.NDArray[np.bool_],
    normal: BeatShape,
    pvc: BeatShape,
) -> GroundTruth:
    def per_beat(field: str) -> F64:
        offsets = np.where(is_pvc, getattr(pvc, field), getattr(normal, field))
        return np.asarray(onsets_s + offsets, dtype=np.float64)

    r_peak = per_beat("r_peak_s")
    rr_ms = float(np.mean(np.diff(r_peak))) * 1000.0 if r_peak.size > 1 else spec.rr_s * 1000.0
    return GroundTruth(
        fs_hz=spec.fs_hz,
        n_samples=spec.n_samples,
        rhythm=spec.rhythm,
        labels=tuple("V" if v else "N" for v in is_pvc),
        p_onset_s=per_beat("p_onset_s"),
        p_offset_s=per_beat("p_offset_s"),
        qrs_onset_s=np.array(onsets_s, dtype=np.float64),
        r_peak_s=r_peak,
        qrs_offset_s=per_beat("qrs_offset_s"),
        t_peak_s=per_beat("t_peak_s"),
        t_offset_s=per_beat("t_offset_s"),
        pr_ms=spec.pr_ms if spec.rhythm == "sinus" else None,
        qrs_ms=normal.qrs_offset_s * 1000.0,
        qt_ms=normal.qt_s * 1000.0,
        rr_ms=rr_ms,
        hr_bpm=60_000.0 / rr_ms,
        st_shift_lead=spec.st_shift_lead if spec.st_shift_mv else None,
        st_shift_mv=spec.st_shift_mv if spec.st_shift_lead else 0.0,
    )


def _metadata(spec: SynthSpec) -> dict[str, str]:
    meta = {
        "generator": "ecgviewer.synth (synthetic, not a patient)",
        "rhythm": spec.rhythm,
        "qrs_morphology": spec.qrs_morphology,
        "hr_bpm": f"{spec.hr_bpm:g}",
        "seed": str(spec.seed),
    }
    if spec.pvc_beats:
        meta["pvc_beats"] = ",".join(str(i) for i in spec.pvc_beats)
    return meta
