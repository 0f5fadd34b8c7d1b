"""The ruled tables of a text PDF as grids, like ``docx_tables`` reads Word tables.

No Django here.  A table in a PDF is text drawn between ruling lines.  For each page (pdfminer.six's
layout analysis):

1. The ruling lines are the thin rectangles and line segments of the page; their x positions (of the
   vertical ones) and y positions (of the horizontal ones), merged within ``_SNAP`` points, are the
   grid's column and row boundaries, when there are at least three of each.
2. Each character goes to the grid cell holding its centre; a cell's lines are its characters grouped by
   baseline, left to right.
3. Between two cells side by side with no vertical rule between them, the cell spans both columns; a
   cell under another with no horizontal rule between them continues it (a vertically merged cell).

A table running onto the next page is another table with the same columns; ``decomposition/tables.py``
reads it as the continuation.  Tables without ruling lines are not found (their text stays text).
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass

from pdfminer.layout import LAParams, LTChar, LTComponent, LTCurve, LTLine, LTPage, LTRect
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser

from luoshi.documents.docx_tables import SourceCell, SourceRow, SourceTable
from luoshi.lib.package_limits import check_time

_SNAP = 2.0  # points: rules this close are one
_THIN = 2.0  # points: a rectangle thinner than this is a rule


@dataclass(frozen=True)
class _Rule:
    horizontal: bool
    at: float  # y of a horizontal rule, x of a vertical one
    start: float
    end: float


def read_pdf_tables(data: bytes) -> list[SourceTable]:
    """The ruled tables of a PDF that ``read_pdf`` accepted, page after page."""
    from pdfminer.converter import PDFPageAggregator

    document = PDFDocument(PDFParser(io.BytesIO(data)))
    resources = PDFResourceManager(caching=True)
    device = PDFPageAggregator(resources, laparams=LAParams())
    interpreter = PDFPageInterpreter(resources, device)
    tables: list[SourceTable] = []
    for page in PDFPage.create_pages(document):
        check_time()
        interpreter.process_page(page)
        layout = device.get_result()
        table = _page_table(layout)
        if table is not None:
            tables.append(table)
    return tables


def _walk(items: Iterable[LTComponent]) -> Iterable[LTComponent]:
    for item in items:
        yield item
        if hasattr(item, "__iter__") and not isinstance(item, LTChar):
            yield from _walk(item)


def _rules(layout: LTPage) -> list[_Rule]:
    rules: list[_Rule] = []
    for item in _walk(layout):
        if not isinstance(item, (LTLine, LTRect, LTCurve)):
            continue
        x0, y0, x1, y1 = item.bbox
        width, height = x1 - x0, y1 - y0
        if height <= _THIN and width > _THIN:
            rules.append(_Rule(True, (y0 + y1) / 2, x0, x1))
        elif width <= _THIN and height > _THIN:
            rules.append(_Rule(False, (x0 + x1) / 2, y0, y1))
        elif isinstance(item, LTRect):  # a cell drawn as a box: its four sides
            rules += [
                _Rule(True, y0, x0, x1),
                _Rule(True, y1, x0, x1),
                _Rule(False, x0, y0, y1),
                _Rule(False, x1, y0, y1),
            ]
    return rules


def _snap(values: Iterable[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > _SNAP:
            out.append(v)
    return out


def _covered(rules: list[_Rule], horizontal: bool, at: float, start: float, end: float) -> bool:
    """Whether a rule runs along ``at`` over the middle of [start, end]."""
    middle = (start + end) / 2
    return any(
        r.horizontal == horizontal and abs(r.at - at) <= _SNAP and r.start - _SNAP <= middle <= r.end + _SNAP
        for r in rules
    )


def _page_table(layout: LTPage) -> SourceTable | None:
    rules = _rules(layout)
    vertical = [r for r in rules if not r.horizontal]
    if not vertical:
        return None
    # The table is where the vertical rules are: a rule elsewhere on the page (under a letterhead) is not
    # one of its row boundaries.
    low, high = min(r.start for r in vertical) - _SNAP, max(r.end for r in vertical) + _SNAP
    rules = [r for r in rules if not r.horizontal or low <= r.at <= high]
    xs = _snap(r.at for r in rules if not r.horizontal)
    ys = _snap(r.at for r in rules if r.horizontal)
    if len(xs) < 3 or len(ys) < 3:
        return None
    columns, rows = len(xs) - 1, len(ys) - 1
    chars: dict[tuple[int, int], list[LTChar]] = {}
    for item in _walk(layout):
        if isinstance(item, LTChar) and item.get_text().strip():
            cx, cy = (item.x0 + item.x1) / 2, (item.y0 + item.y1) / 2
            col = next((c for c in range(columns) if xs[c] <= cx < xs[c + 1]), None)
            row = next(
                (r for r in range(rows) if ys[rows - r - 1] <= cy < ys[rows - r]), None
            )  # top row first
            if col is not None and row is not None:
                chars.setdefault((row, col), []).append(item)
    table = SourceTable(rows_are_lines=False)
    for r in range(rows):
        top, bottom = ys[rows - r], ys[rows - r - 1]
        cells: list[SourceCell] = []
        c = 0
        while c < columns:
            span = 1
            while c + span < columns and not _covered(rules, False, xs[c + span], bottom, top):
                span += 1
            continues = r > 0 and not _covered(rules, True, top, xs[c], xs[c + span])
            # Lines of a printed cell are where the text wrapped, not paragraphs: one text.
            text = _join(_lines([ch for k in range(c, c + span) for ch in chars.get((r, k), [])]))
            cells.append(SourceCell(text, c, span, continues, [text] if text else []))
            c += span
        table.rows.append(SourceRow(cells))
    return table


def _lines(chars: list[LTChar]) -> list[str]:
    """The characters of a cell as lines: grouped by baseline (top first), each left to right."""
    by_line: list[list[LTChar]] = []
    for ch in sorted(chars, key=lambda ch: (-ch.y0, ch.x0)):
        if by_line and abs(by_line[-1][0].y0 - ch.y0) <= _SNAP:
            by_line[-1].append(ch)
        else:
            by_line.append([ch])
    return ["".join(ch.get_text() for ch in sorted(line, key=lambda ch: ch.x0)) for line in by_line]


def _join(lines: list[str]) -> str:
    """Wrapped lines as one text: no space where Chinese wraps, one between Latin words."""
    out = ""
    for line in lines:
        if out and out[-1].isascii() and out[-1].isalnum() and line[:1].isascii() and line[:1].isalnum():
            out += " "
        out += line
    return out
