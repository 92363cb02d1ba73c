"""Export the selected worklist record as a PDF report that carries its review decisions."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from ecgviewer.worklist import Store, current_decisions


def write_reviewed_report(store: Store, record_id: int, record_path: Path, pdf_path: Path) -> int:
    """Open, analyse and report one record with its current decisions; returns the page count.

    The analysis is run again (it is pure and takes tens of milliseconds) so the report shows
    this installation's findings next to the decisions stored for the record's content.
    """
    from ecgviewer.analysis import AnalysisRequest, run_analysis
    from ecgviewer.io import open_record
    from ecgviewer.report import report_item, write_report

    record = open_record(record_path)
    result = run_analysis(AnalysisRequest(record, display_path=str(record_path)))
    reviews = list(current_decisions(store, record_id).values())
    summary = write_report(pdf_path, [report_item(record, result, reviews=reviews)])
    return int(summary.pages)


def ask_pdf_path(parent: QWidget, start_dir: Path, record_name: str) -> Path | None:
    """The save dialog; ``None`` when the user cancels."""
    path, _ = QFileDialog.getSaveFileName(
        parent, "Export PDF report", str(start_dir / f"{record_name}.pdf"), "PDF (*.pdf)"
    )
    if not path:
        return None
    return Path(path if path.lower().endswith(".pdf") else path + ".pdf")
