"""The flowing text of a report (AI findings, review, notes, recording) and its pagination.

Paragraphs and tables are reportlab platypus flowables; they are placed into boxes (in mm on
the sheet) by :func:`flow`, which wraps and splits them but draws nothing, so the page count
of a record is known before its first page is drawn ("page 1 of 3").
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from ecgviewer.report import content
from ecgviewer.report.fonts import Fonts
from ecgviewer.report.measured import MeasurementLine
from ecgviewer.report.options import ReportItem
from ecgviewer.report.vector import PT_PER_MM

#: Most continuation sheets one record may take (a runaway note must not print a book).
MAX_TEXT_PAGES = 20


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle on a sheet (mm from the top-left) that text flows into."""

    x_mm: float
    y_mm: float
    width_mm: float
    height_mm: float


@dataclass(frozen=True, slots=True)
class Placed:
    flowable: Any
    box: Box
    top_mm: float
    height_mm: float


def _styles(fonts: Fonts) -> dict[str, Any]:
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle

    body = ParagraphStyle(
        "body", fontName=fonts.regular, fontSize=8, leading=10, bulletFontName=fonts.regular
    )  # never the unembedded Helvetica
    return {
        "h": ParagraphStyle(
            "h", parent=body, fontName=fonts.bold, fontSize=9.5, leading=12, keepWithNext=1
        ),
        "body": body,
        "bullet": ParagraphStyle("bullet", parent=body, leftIndent=8, bulletIndent=1),
        "small": ParagraphStyle("small", parent=body, fontSize=7, leading=8.6),
        "cell": ParagraphStyle("cell", parent=body, fontSize=7.5, leading=9),
        "cellb": ParagraphStyle("cellb", parent=body, fontName=fonts.bold, fontSize=7.5, leading=9),
        "statement": ParagraphStyle(
            "statement",
            parent=body,
            fontName=fonts.bold,
            fontSize=8.5,
            leading=11,
            leftIndent=3,
            rightIndent=3,  # the border padding stays inside the text box
            backColor=colors.Color(1.0, 0.96, 0.8),
            borderPadding=(2.5, 3, 2.5, 3),
            borderColor=colors.Color(0.85, 0.65, 0.2),
            borderWidth=0.5,
        ),
    }


class FitTable:
    """A table whose columns are fractions of whatever width it is wrapped in.

    reportlab fixes a table's column widths at its first wrap; text here may be tried in a
    narrow box beside the median beats and then flow into a wide one, so the table is rebuilt
    for each width, and split by whole rows (the header repeated) with public calls only.
    """

    def __init__(
        self,
        rows: list[list[str]],
        fractions: Sequence[float],
        st: dict[str, Any],
        bold_rows: Sequence[int] = (),
        header: bool = True,
    ) -> None:
        self.rows, self.fractions, self.st = rows, tuple(fractions), st
        self.bold = set(bold_rows) | ({0} if header else set())
        self.header = header
        self._table: Any = None

    def _build(self, rows: list[list[str]], bold: set[int], width_pt: float) -> Any:
        from reportlab.lib import colors
        from reportlab.platypus import Paragraph, Table, TableStyle

        st = self.st
        data = [
            [Paragraph(escape(c), st["cellb"] if i in bold else st["cell"]) for c in row]
            for i, row in enumerate(rows)
        ]
        table = Table(data, colWidths=[f * width_pt for f in self.fractions], hAlign="LEFT")
        grey = colors.Color(0.75, 0.75, 0.75)
        table.setStyle(
            TableStyle(
                [
                    ("LINEBELOW", (0, 0), (-1, -1), 0.25, grey),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("FONTNAME", (0, 0), (-1, -1), st["cell"].fontName),  # not Helvetica
                    ("LEFTPADDING", (0, 0), (-1, -1), 2),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                    ("TOPPADDING", (0, 0), (-1, -1), 1.2),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1.2),
                ]
                + (
                    [("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.Color(0.3, 0.3, 0.3))]
                    if self.header
                    else []
                )
            )
        )
        return table

    def wrap(self, width_pt: float, height_pt: float) -> tuple[float, float]:
        self._table = self._build(self.rows, self.bold, width_pt)
        w, h = self._table.wrap(width_pt, height_pt)
        return float(w), float(h)

    def split(self, width_pt: float, height_pt: float) -> list[FitTable]:
        head = 1 if self.header else 0
        fits = 0
        for k in range(head + 1, len(self.rows)):  # the most rows that fit, at least one
            _, h = self._build(self.rows[:k], self.bold, width_pt).wrap(width_pt, height_pt)
            if h > height_pt:
                break
            fits = k
        if fits <= head:
            return []
        shift = {i - fits + head for i in self.bold if i >= fits} | ({0} if self.header else set())
        first = FitTable(self.rows[:fits], self.fractions, self.st, sorted(self.bold), self.header)
        rest = FitTable(
            self.rows[:head] + self.rows[fits:], self.fractions, self.st, sorted(shift), self.header
        )
        return [first, rest]

    def drawOn(self, canvas: Any, x: float, y: float) -> None:  # reportlab's name
        self._table.drawOn(canvas, x, y)


def build_story(
    item: ReportItem, lines: Sequence[MeasurementLine], quality: Sequence[str], fonts: Fonts
) -> list[Any]:
    """AI findings, review, notes and recording details of one record, as flowables."""
    from reportlab.platypus import Paragraph, Spacer

    st = _styles(fonts)
    result, reviews = item.result, item.reviews

    def para(text: str, style: str = "body") -> Any:
        return Paragraph(escape(text), st[style])

    def gap(mm: float = 2.5) -> Any:
        return Spacer(0, mm * PT_PER_MM)

    story: list[Any] = [para("AI findings", "h")]
    if not content.has_ai(result):
        story.append(para(content.NO_MODEL_STATEMENT))
    else:
        rows = content.finding_rows(result, reviews)
        if rows:
            story.append(
                FitTable(
                    [["Finding", "Probability", "Threshold", "Result", "Review"]]
                    + [
                        [
                            r.name,
                            f"{r.probability:.2f}",
                            f"{r.threshold:.2f}",
                            r.result_text,
                            r.decision or "not reviewed",
                        ]
                        for r in rows
                    ],
                    [0.27, 0.12, 0.12, 0.14, 0.35],
                    st,
                    bold_rows=[i + 1 for i, r in enumerate(rows) if r.flagged],
                )
            )
            story.append(gap(1.5))
        else:
            story.append(para("The classifier returned no findings."))
    story.append(para(content.anomaly_text(result)))
    models = content.model_lines(result)
    story.append(para("Models: " + ("; ".join(models) if models else "none bundled.")))
    story += [gap(2.0), para(content.CONFIRMATION_STATEMENT, "statement"), gap(4.0)]

    story.append(para("Review", "h"))
    review_rows = content.review_rows(reviews)
    if review_rows:
        story.append(
            FitTable(
                [["Finding", "Decision", "Reviewer", "Time", "Comment"]]
                + [list(r) for r in review_rows],
                [0.22, 0.11, 0.17, 0.17, 0.33],
                st,
            )
        )
    else:
        story.append(para(content.NOT_REVIEWED))
    story.append(gap())

    story.append(para("Consistency notes", "h"))
    notices = [f"⚠ {c.message}" for c in result.consistency] if result else []
    notices += list(result.notices) if result else []
    if notices:
        story += [Paragraph(escape(n), st["bullet"], bulletText="•") for n in notices]
    else:
        story.append(para("None."))
    # Reasons for missing measurements, unless the notices already say them.
    said = " ".join(notices)
    extra = [
        f"{ln.label}{' (' + ln.formula + ')' if ln.formula else ''} not measured: {ln.note}"
        for ln in lines
        if ln.note and ln.note not in said
    ]
    extra += [q for q in quality if q not in said]
    if extra:
        story += [gap(1.5), para("Measurements", "h")]
        story += [Paragraph(escape(n), st["bullet"], bulletText="•") for n in extra]
    story.append(gap())

    story.append(para("Recording", "h"))
    details = "   ·   ".join(
        f"<b>{escape(k)}</b> {escape(v)}" for k, v in content.record_details(item.record)
    )
    story.append(Paragraph(details, st["small"]))
    return story


def flow(story: list[Any], boxes: Iterator[tuple[int, Box]]) -> list[tuple[int, list[Placed]]]:
    """Place ``story`` into ``boxes`` (``(sheet index, box)``, in order); draws nothing.

    Returns the placements grouped by sheet index. A flowable too tall for an empty box and
    impossible to split is placed anyway (clipped by the paper) rather than lost.
    """
    from reportlab.platypus import Spacer

    pending = list(story)
    pages: dict[int, list[Placed]] = {}
    for sheet, box in boxes:
        if not pending:
            break
        w_pt, y = box.width_mm * PT_PER_MM, 0.0
        placed: list[Placed] = []
        while pending:
            f = pending[0]
            if isinstance(f, Spacer) and not placed:
                pending.pop(0)  # no gap at the top of a box
                continue
            room = (box.height_mm - y) * PT_PER_MM
            _, h = f.wrap(w_pt, room)
            if placed and len(pending) > 1 and _keeps_with_next(f):
                # A heading moves on with its first line rather than end a box alone.
                nxt = pending[1]
                _, h_next = nxt.wrap(w_pt, room - h)
                if h + h_next > room and len(nxt.split(w_pt, room - h) or []) < 2:
                    break
                f.wrap(w_pt, room)
            if h <= room + 0.01:
                placed.append(Placed(f, box, y, h / PT_PER_MM))
                y += h / PT_PER_MM
                pending.pop(0)
                continue
            parts = f.split(w_pt, room) if room > 12 else []
            if len(parts) > 1:
                pending[0:1] = parts
                continue
            if not placed and box.height_mm > 100:  # cannot fit anywhere: print, clipped
                placed.append(Placed(f, box, y, h / PT_PER_MM))
                pending.pop(0)
            break
        if placed:
            pages.setdefault(sheet, []).extend(placed)
    return sorted(pages.items())


def _keeps_with_next(f: Any) -> bool:
    style = getattr(f, "style", None)
    return bool(getattr(style, "keepWithNext", 0))


def draw_placed(canvas: Any, sheet_height_mm: float, placed: Sequence[Placed]) -> None:
    """Draw flowables where :func:`flow` put them."""
    for p in placed:
        bottom_mm = p.box.y_mm + p.top_mm + p.height_mm
        p.flowable.drawOn(canvas, p.box.x_mm * PT_PER_MM, (sheet_height_mm - bottom_mm) * PT_PER_MM)
