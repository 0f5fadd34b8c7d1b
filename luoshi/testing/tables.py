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
from docx.oxml.ns import qn
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


def cell_is_merged_below(data: bytes, table: int, row: int, column: int) -> bool:
    """Whether the cell at (row, column) of the ``table``-th table continues the cell above (w:vMerge)."""
    document = docx.Document(io.BytesIO(data))
    tc = document.tables[table].rows[row]._tr.findall(qn("w:tc"))[column]
    merge = tc.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}")
    return merge is not None and merge.get(qn("w:val")) in (None, "continue")
