"""``run_analysis(request) -> AnalysisResult``: pure and synchronous, no Qt.

The UI's worker and the headless ``ecgviewer analyze`` both call this one function. Each step
plugs in here: the measurements (:mod:`ecgviewer.analysis.measurements`), the 12-lead
classifier (:mod:`ecgviewer.analysis.classify`), the beat labels
(:mod:`ecgviewer.analysis.beat_labels`) and the anomaly model
(:mod:`ecgviewer.analysis.anomaly`). A step that cannot run leaves its fields empty and says why
in a notice, so nothing is ever invented.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from ecgviewer.analysis.anomaly import run_anomaly
from ecgviewer.analysis.beat_labels import beat_summary, run_beat_labels
from ecgviewer.analysis.classify import run_classifier
from ecgviewer.analysis.consistency import check_consistency
from ecgviewer.analysis.measurements import run_measurements
from ecgviewer.analysis.result import AnalysisResult, RecordSummary
from ecgviewer.io.record import Record

#: Analyses that this version does not perform yet; each is reported in ``notices``.
NOT_YET_AVAILABLE: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AnalysisRequest:
    """An immutable unit of work: the record (itself immutable) and a generation stamp.

    ``generation`` lets a UI drop results that arrive for a record no longer shown.
    """

    record: Record
    generation: int = 0
    display_path: str | None = None


def summarize_record(record: Record, display_path: str | None = None) -> RecordSummary:
    """The record-level facts that go at the top of the JSON."""
    p = record.patient
    return RecordSummary(
        record=display_path or record.source_path or record.record_name,
        record_name=record.record_name,
        source_format=record.source_format,
        fs_hz=record.fs_hz,
        leads=record.lead_names,
        duration_s=round(record.duration_s, 6),
        n_samples=record.n_samples,
        start_time=record.start_time.isoformat() if record.start_time else None,
        patient={"id": p.patient_id, "age_years": p.age_years, "sex": p.sex},
    )


def record_notices(record: Record) -> list[str]:
    """Everything done to or found in the input, in words a clinician reads."""
    notices = [f"{c.kind.replace('_', ' ').capitalize()}: {c.detail}" for c in record.conversions]
    notices += [issue.detail for issue in record.issues]
    if not record.has_standard_12:
        missing = [lead for lead in ("I", "II", "V1", "V6") if lead not in record.lead_names]
        notices.append(
            f"Not a standard 12-lead recording ({record.n_leads} leads"
            + (f"; no {', '.join(missing)}" if missing else "")
            + "): 12-lead analyses cannot run on it."
        )
    return notices


class AnalysisCancelled(Exception):
    """Raised between steps when the caller's ``cancelled()`` says the result is not wanted."""


#: The steps of :func:`run_analysis`, in order, as progress reports name them.
STEPS: tuple[str, ...] = ("Measuring intervals", "Classifier", "Beat labels", "Anomaly model")


def run_analysis(
    request: AnalysisRequest,
    progress: Callable[[str, int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> AnalysisResult:
    """Analyse one record. Pure: same request, same result; never touches files.

    Parameters
    ----------
    progress
        Called before each step with ``(step name, step index, number of steps)``.
    cancelled
        Polled between steps; when it returns True, :class:`AnalysisCancelled` is raised.
    """
    record = request.record

    def step(i: int) -> None:
        if cancelled is not None and cancelled():
            raise AnalysisCancelled(record.record_name)
        if progress is not None:
            progress(STEPS[i], i, len(STEPS))

    step(0)
    measured = run_measurements(record)
    step(1)
    ai = run_classifier(record)
    step(2)
    detail = measured.measurements
    beats = measured.beats
    labelled = run_beat_labels(record, detail.beats.samples if detail is not None else ())
    if labelled.labels and len(labelled.labels) == len(beats):
        labels = labelled.labels
        if "AF" in ai.classes and ai.classes["AF"].flagged and "SVEB" in labels:
            # In atrial fibrillation "supraventricular premature beat" has no meaning: every
            # conducted beat is supraventricular and irregular.
            labels = tuple("N" if lab == "SVEB" else lab for lab in labels)
            labelled = replace(
                labelled,
                labels=labels,
                summary=beat_summary(labels, record.duration_s),
                notices=(
                    *labelled.notices,
                    "Beat labels: no SVEB labels while the classifier flags atrial fibrillation.",
                ),
            )
        beats = tuple({**b, "label": lab} for b, lab in zip(beats, labels, strict=True))
    step(3)
    unusual = run_anomaly(record)
    flagged = {name: c.flagged for name, c in ai.classes.items()}
    notices = (
        record_notices(record)
        + list(measured.notices)
        + list(ai.notices)
        + list(labelled.notices)
        + list(unusual.notices)
        + list(NOT_YET_AVAILABLE)
    )
    return AnalysisResult(
        summary=summarize_record(record, request.display_path),
        notices=tuple(notices),
        measurements=measured.values,
        measurement_notes=measured.notes,
        beats=beats,
        beat_summary=labelled.summary,
        classes=ai.classes,
        anomaly=unusual.finding,
        restoration_error=unusual.error,
        restored_signal=unusual.restored,
        models={**ai.models, **labelled.models, **unusual.models},
        consistency=check_consistency(flagged, measured.values),
        generation=request.generation,
        detail=measured.measurements,
    )
