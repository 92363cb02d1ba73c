"""Pure, synchronous analysis of a record: ``run_analysis(request) -> AnalysisResult``."""

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
from ecgviewer.analysis.run import AnalysisRequest, run_analysis

__all__ = [
    "BEAT_KEYS",
    "MEASUREMENT_KEYS",
    "SCHEMA_VERSION",
    "AnalysisRequest",
    "AnalysisResult",
    "AnomalyFinding",
    "ClassFinding",
    "ModelInfo",
    "RecordSummary",
    "error_json_dict",
    "json_safe",
    "run_analysis",
]
