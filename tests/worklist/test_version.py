"""The analysis version: one string, changed by a new app, schema or model."""

from __future__ import annotations

from pathlib import Path

import ecgviewer
from ecgviewer.worklist import analysis_version, current_analysis_version
from ecgviewer.worklist.worker import analyse_file
from tests.io.wfdb_helpers import write_record


def test_version_names_the_app_and_every_model() -> None:
    base = analysis_version({})
    assert base == f"ecgviewer {ecgviewer.__version__}; json 1"
    one = analysis_version({"classifier": {"version": "1.0", "sha256": "ab" * 32}})
    retrained = analysis_version({"classifier": {"version": "1.0", "sha256": "cd" * 32}})
    assert len({base, one, retrained}) == 3 and one.startswith(base)
    both = {"a": {"version": "1", "sha256": "0" * 64}, "b": {"version": "2", "sha256": "1" * 64}}
    assert analysis_version(both) == analysis_version(dict(reversed(both.items())))


def test_current_version_is_what_run_analysis_reports(tmp_path: Path) -> None:
    """Fails when a model is bundled but ``worklist.version.bundled_models`` is not updated."""
    header, _ = write_record(tmp_path, "v")
    data = analyse_file(header, "v.hea")
    assert data["error"] is None
    assert analysis_version(data["models"]) == current_analysis_version()
