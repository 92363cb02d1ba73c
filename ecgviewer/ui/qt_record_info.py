"""``QtRecordInfo``: the panel that says what the record is and what was done to it."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QTextBrowser, QWidget

from ecgviewer.controllers.record_info import RecordSummary

_EMPTY_HTML = (
    "<p><b>No recording open.</b></p>"
    "<p>Use File → Open (Ctrl+O), or drop a file onto the window.</p>"
)


def _list(items: tuple[str, ...], empty: str, colour: str = "") -> str:
    if not items:
        return f"<p>{escape(empty)}</p>"
    style = f' style="color:{colour}"' if colour else ""
    rows = "".join(f"<li{style}>{escape(item)}</li>" for item in items)
    return f'<ul style="margin-left:-20px">{rows}</ul>'


def summary_html(summary: RecordSummary | None, display: tuple[str, ...] = ()) -> str:
    """The panel's rich text; every conversion, issue and display change is a list item."""
    if summary is None:
        return _EMPTY_HTML
    rows = "".join(
        f'<tr><td style="padding-right:8px"><b>{escape(label)}</b></td>'
        f"<td>{escape(value)}</td></tr>"
        for label, value in summary.fields
    )
    parts = [
        f"<table>{rows}</table>",
        f"<h4>Conversions made when reading ({len(summary.conversions)})</h4>",
        _list(summary.conversions, "None: the values are shown as stored in the file."),
        f"<h4>Signal problems ({len(summary.issues)})</h4>",
        _list(summary.issues, "None found.", colour="#a00000"),
    ]
    if display:
        parts.append("<h4>On screen only (the recording is unchanged)</h4>")
        parts.append(_list(display, ""))
    if summary.notes:
        parts.append("<h4>Notes in the file</h4>")
        parts.append(_list(tuple(f"{k}: {v}" for k, v in summary.notes), ""))
    return "".join(parts)


class QtRecordInfo(QTextBrowser):
    """Read-only, selectable text (a clinician may copy a value into a report)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setAcceptDrops(False)
        self.viewport().setAcceptDrops(False)
        self.set_summary(None)

    def set_summary(self, summary: RecordSummary | None, display: tuple[str, ...] = ()) -> None:
        self.setHtml(summary_html(summary, display))
