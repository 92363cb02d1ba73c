"""Records shared by the report tests: synthetic, so the truth of every beat is known."""

from __future__ import annotations

import pytest

from ecgviewer.analysis import AnalysisRequest, AnalysisResult, run_analysis
from ecgviewer.synth import SyntheticEcg, SynthSpec, synthesize


@pytest.fixture(scope="session")
def ecg() -> SyntheticEcg:
    """10 s of sinus rhythm at 60 bpm, 500 Hz, no noise: R peaks are where the truth says."""
    return synthesize(SynthSpec(hr_bpm=60.0, seed=1), record_name="synthetic_60")


@pytest.fixture(scope="session")
def result(ecg: SyntheticEcg) -> AnalysisResult:
    return run_analysis(AnalysisRequest(ecg.record))
