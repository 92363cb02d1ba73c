"""Worklists: index a folder of recordings, analyse them in batch, keep every review.

Qt-free. A worklist is one SQLite database per folder (:func:`open_worklist`):

* :func:`index_folder` finds the recordings and notices new, modified and removed ones;
* :func:`run_batch` analyses those without a result for the current analysis version, in
  worker processes, with progress and pause/resume/cancel (:class:`BatchControl`);
* :func:`list_records`, :func:`count_records`, :func:`neighbour` and :func:`summarize` answer
  the worklist screen; :func:`record_findings` and :func:`record_result` open one record;
* :func:`add_review` and :func:`review_history` keep every decision (append-only);
* :func:`export_results_csv` and :func:`export_reviews_csv` write CSV.
"""

from ecgviewer.worklist.batch import BatchReport, pending_tasks, run_batch
from ecgviewer.worklist.export import export_results_csv, export_reviews_csv
from ecgviewer.worklist.index import IndexReport, index_folder
from ecgviewer.worklist.migrations import SCHEMA_VERSION, WorklistError
from ecgviewer.worklist.progress import BatchControl, BatchProgress
from ecgviewer.worklist.query import (
    SORT_KEYS,
    WorklistFilter,
    WorklistQuery,
    WorklistRow,
    WorklistSummary,
    count_records,
    list_records,
    neighbour,
    summarize,
)
from ecgviewer.worklist.review import (
    Finding,
    Review,
    add_review,
    current_decisions,
    record_findings,
    record_result,
    review_history,
)
from ecgviewer.worklist.store import Store, beside_db_path, default_db_path, open_worklist
from ecgviewer.worklist.version import analysis_version, current_analysis_version

__all__ = [
    "SCHEMA_VERSION",
    "SORT_KEYS",
    "BatchControl",
    "BatchProgress",
    "BatchReport",
    "Finding",
    "IndexReport",
    "Review",
    "Store",
    "WorklistError",
    "WorklistFilter",
    "WorklistQuery",
    "WorklistRow",
    "WorklistSummary",
    "add_review",
    "analysis_version",
    "beside_db_path",
    "count_records",
    "current_analysis_version",
    "current_decisions",
    "default_db_path",
    "export_results_csv",
    "export_reviews_csv",
    "index_folder",
    "list_records",
    "neighbour",
    "open_worklist",
    "pending_tasks",
    "record_findings",
    "record_result",
    "review_history",
    "run_batch",
    "summarize",
]
