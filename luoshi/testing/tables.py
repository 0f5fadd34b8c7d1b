"""Word documents holding a task-division table, built with python-docx (tests and bench/table_eval.py).

A cell value may hold several lines ("财政部\\n教育部": one paragraph each).  ``vmerge`` lists the grid
columns whose runs of equal values (one row under another) become one vertically merged cell;
``hspan`` maps a header cell (row, column) to how many grid columns it spans.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import docx
from docx.oxml import OxmlElement
from docx.table import _Cell


def _fill(cell: _Cell, value: str) -> None:
    lines = value.split("\n")
    cell.text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)


def make_division_docx(
    paragraphs: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    header_rows: int = 1,
    vmerge: Sequence[int] = (),
    hspan: dict[tuple[int, int], int] | None = None,
    repeat_header_flag: bool = False,
    after: Sequence[str] = (),
) -> bytes:
    """A .docx: the paragraphs, then one table of ``rows`` (the first ``header_rows`` are its header), then
    the ``after`` paragraphs.

    1. Header cells listed in ``hspan`` are merged across columns; an empty header cell under a header
       cell is merged into it (序号 over two header rows).
    2. In the data rows, each column of ``vmerge`` merges runs of equal non-empty values.
    3. ``repeat_header_flag`` marks the header rows as repeated at the top of every page (w:tblHeader).
    """
    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    width = max(len(r) for r in rows)
    table = document.add_table(rows=len(rows), cols=width)
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            if value:
                _fill(table.cell(r, c), value)
    for (r, c), span in (hspan or {}).items():
        table.cell(r, c).merge(table.cell(r, c + span - 1))
    for c in range(width):
        for r in range(1, header_rows):
            if not rows[r][c] and rows[r - 1][c]:
                table.cell(r - 1, c).merge(table.cell(r, c))
    for c in vmerge:
        r = header_rows
        while r < len(rows):
            end = r
            while end + 1 < len(rows) and rows[end + 1][c] == rows[r][c] and rows[r][c]:
                end += 1
            if end > r:
                merged = table.cell(r, c).merge(table.cell(end, c))
                _fill(merged, rows[r][c])
            r = end + 1
    if repeat_header_flag:
        for r in range(header_rows):
            row_pr = table.rows[r]._tr.get_or_add_trPr()
            row_pr.append(OxmlElement("w:tblHeader"))
    for p in after:
        document.add_paragraph(p)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- PDF ----------------------------------------------------------------------------------------

PDF_FONT = 9  # points
_PAGE_W, _PAGE_H, _MARGIN = 595, 842, 40


def _text(x: float, y: float, line: str) -> str:
    return f"BT /F1 {PDF_FONT} Tf {x:.1f} {y:.1f} Td <{line.encode('utf-16-be').hex().upper()}> Tj ET"


def _wrap(text: str, width: float) -> list[str]:
    per_line = max(1, int((width - 4) // PDF_FONT))
    out: list[str] = []
    for part in text.split("\n"):
        out.extend(part[i : i + per_line] for i in range(0, len(part), per_line) or [0])
    return [line for line in out if line] or [""]


def make_division_pdf(
    paragraphs: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    widths: Sequence[float],
    header_rows: int = 1,
    vmerge: Sequence[int] = (),
    rows_per_page: int = 12,
) -> bytes:
    """A text PDF: the paragraphs, then a ruled table of ``rows`` (column ``widths`` in points), as many
    pages as it takes, the header printed again at the top of each page.

    A cell's text is wrapped to its column; in the data rows, each column of ``vmerge`` merges runs of
    equal values (drawn once, no rule between them), as a printed merged cell looks.
    """
    from luoshi.testing.fixtures import _pdf

    header, body = list(rows[:header_rows]), list(rows[header_rows:])
    pages: list[list[str]] = []
    commands: list[str] = ["0.5 w"]
    y = _PAGE_H - _MARGIN
    for p in paragraphs:
        for line in _wrap(p, _PAGE_W - 2 * _MARGIN):
            if y < _MARGIN:
                pages.append(commands)
                commands, y = ["0.5 w"], _PAGE_H - _MARGIN
            commands.append(_text(_MARGIN, y, line))
            y -= PDF_FONT + 4
    pages.append(commands)  # the table starts on a page of its own
    commands, y = ["0.5 w"], _PAGE_H - _MARGIN
    chunks = [body[i : i + rows_per_page] for i in range(0, len(body), rows_per_page)] or [[]]
    previous: list[str] | None = None
    for n, chunk in enumerate(chunks):
        if n:
            pages.append(commands)
            commands, y = ["0.5 w"], _PAGE_H - _MARGIN
            previous = None
        lines_of = [[_wrap(v, w) for v, w in zip(r, widths, strict=True)] for r in header + chunk]
        heights = [max(len(c) for c in cells) * (PDF_FONT + 3) + 6 for cells in lines_of]
        top = y - 10
        xs: list[float] = [_MARGIN]
        for w in widths:
            xs.append(xs[-1] + w)
        for i, (row, cells, height) in enumerate(zip(header + chunk, lines_of, heights, strict=True)):
            bottom = top - height
            data = i >= len(header)
            for c, lines in enumerate(cells):
                merged = data and c in vmerge and previous is not None and row[c] and row[c] == previous[c]
                if not merged:
                    commands.append(f"{xs[c]:.1f} {top:.1f} m {xs[c + 1]:.1f} {top:.1f} l S")
                    for k, line in enumerate(lines):
                        commands.append(_text(xs[c] + 2, top - 3 - PDF_FONT - k * (PDF_FONT + 3), line))
            for x in xs:
                commands.append(f"{x:.1f} {top:.1f} m {x:.1f} {bottom:.1f} l S")
            previous = list(row) if data else None
            top = bottom
        commands.append(f"{xs[0]:.1f} {top:.1f} m {xs[-1]:.1f} {top:.1f} l S")
    pages.append(commands)
    return _pdf(["\n".join(c).encode("ascii") for c in pages])
