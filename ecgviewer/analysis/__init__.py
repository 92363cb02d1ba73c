"""Pure, synchronous analysis of a record: ``run_analysis(request) -> AnalysisResult``."""

from ecgviewer.analysis.consistency import RULES, ConsistencyNote, check_consistency
from ecgviewer.analysis.result import (
    BEAT_KEYS,
    MEASUREMENT_KEYS,
    SCHEMA_VERSION,
    AnalysisResult,
    AnomalyFinding,
    ClassFinding,
    ModelInfo,
    RecordSummary,
    error_json_dict,
    json_safe,
)
from ecgviewer.analysis.run import STEPS, AnalysisCancelled, AnalysisRequest, run_analysis

__all__ = [
    "BEAT_KEYS",
    "MEASUREMENT_KEYS",
    "RULES",
    "SCHEMA_VERSION",
    "STEPS",
    "AnalysisCancelled",
    "AnalysisRequest",
    "AnalysisResult",
    "AnomalyFinding",
    "ClassFinding",
    "ConsistencyNote",
    "ModelInfo",
    "RecordSummary",
    "check_consistency",
    "error_json_dict",
    "json_safe",
    "run_analysis",
]
