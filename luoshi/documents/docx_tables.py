"""The tables of a Word (.docx) file as grids: merged cells, header rows, lines of each cell.

No Django here.  ``docx_reader`` writes each table row into the document's
text as one line (cells joined by ``TABLE_CELL_SEPARATOR``); this module reads
the same tables again with what that line loses: which grid columns a cell
covers (``w:gridSpan``), whether it continues the cell above (``w:vMerge``),
whether a row is a header row repeated on every page (``w:tblHeader``), and the
separate lines (paragraphs) of a cell.  ``SourceTable.row_line`` renders a row
exactly as ``docx_reader`` does, so that callers can find it in the text.

Only tables of the body are read (also inside content controls); a table nested
in a cell is part of that cell's text, as in ``docx_reader``.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import docx
from docx.oxml.ns import qn
from lxml import etree

from luoshi.documents.docx_numbering import Numbering
from luoshi.documents.docx_reader import TABLE_CELL_SEPARATOR, _DocxBodyReader
from luoshi.documents.errors import corrupt_error
from luoshi.lib.package_limits import check_time

_W_TBL, _W_TR, _W_TC, _W_P = qn("w:tbl"), qn("w:tr"), qn("w:tc"), qn("w:p")
_W_TCPR, _W_TRPR, _W_GRIDSPAN, _W_VMERGE = qn("w:tcPr"), qn("w:trPr"), qn("w:gridSpan"), qn("w:vMerge")
_W_TBLHEADER, _W_VAL, _W_GRIDBEFORE = qn("w:tblHeader"), qn("w:val"), qn("w:gridBefore")
_W_CONTAINERS = frozenset({qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")})
_OFF = ("0", "false", "off")


@dataclass
class SourceCell:
    """One cell as written: its lines, the grid columns it covers, and whether it continues the cell above."""

    text: str  # as ``docx_reader`` writes it: the cell's paragraphs joined by a space
    column: int
    span: int = 1
    continues_above: bool = False

    @property
    def lines(self) -> list[str]:
        """The cell's paragraphs and manual line breaks, stripped, without blank ones."""
        return [line.strip() for line in self.paragraphs if line.strip()]

    paragraphs: list[str] = field(default_factory=list)


@dataclass
class SourceRow:
    cells: list[SourceCell]
    repeated_header: bool = False  # w:tblHeader: Word repeats it at the top of every page

    def cell_at(self, column: int) -> SourceCell | None:
        """The cell covering grid column ``column``."""
        for cell in self.cells:
            if cell.column <= column < cell.column + cell.span:
                return cell
        return None


@dataclass
class SourceTable:
    rows: list[SourceRow] = field(default_factory=list)
    # Word tables are written into the text one row a line (``row_line``); a PDF's text has the cells
    # wherever its layout put them, so each cell is looked for on its own.
    rows_are_lines: bool = True

    @property
    def columns(self) -> int:
        return max((c.column + c.span for r in self.rows for c in r.cells), default=0)

    @staticmethod
    def row_line(row: SourceRow) -> str:
        """The line ``docx_reader`` writes for ``row``."""
        return TABLE_CELL_SEPARATOR.join(c.text for c in row.cells)


def read_docx_tables(data: bytes) -> list[SourceTable]:
    """The body tables of a .docx (already accepted by ``read_docx``), in document order."""
    try:
        document = docx.Document(io.BytesIO(data))
        body = document.element.body
        numbering = Numbering(document.part.numbering_part.element, document.styles.element)
    except Exception as exc:  # python-docx raises many kinds of errors on a damaged package
        raise corrupt_error("Word 文档（.docx）", "Word document (.docx)") from exc
    reader = _TableReader(numbering)
    reader.visit(body)
    return reader.tables


class _TableReader:
    """Walk the body as ``docx_reader`` does (numbering state included) and keep the tables."""

    def __init__(self, numbering: Numbering) -> None:
        self.text_reader = _DocxBodyReader(numbering)
        self.tables: list[SourceTable] = []

    def visit(self, parent: etree._Element) -> None:
        for child in parent.iterchildren():
            check_time()
            if child.tag == _W_P:
                self.text_reader.paragraph_text(child)  # keeps list numbering in step with the text
            elif child.tag == _W_TBL:
                self.tables.append(self.table(child))
            elif child.tag in _W_CONTAINERS:
                self.visit(child)

    def table(self, element: etree._Element) -> SourceTable:
        table = SourceTable()
        for tr in element.iterchildren(_W_TR):
            row_pr = tr.find(_W_TRPR)
            header = row_pr is not None and _on(row_pr.find(_W_TBLHEADER))
            column = _int_val(row_pr.find(_W_GRIDBEFORE), 0) if row_pr is not None else 0
            cells: list[SourceCell] = []
            for tc in tr.iterchildren(_W_TC):
                props = tc.find(_W_TCPR)
                span = _int_val(props.find(_W_GRIDSPAN), 1) if props is not None else 1
                merge = props.find(_W_VMERGE) if props is not None else None
                # <w:vMerge/> without a value (or val="continue") continues the cell above; "restart" starts one.
                continues = merge is not None and merge.get(_W_VAL) in (None, "continue")
                paragraphs = self._paragraphs(tc)
                text = " ".join(paragraphs)
                lines = [part for p in paragraphs for part in p.split("\n")]
                cells.append(SourceCell(text, column, max(1, span), continues, lines))
                column += max(1, span)
            table.rows.append(SourceRow(cells, header))
        return table

    def _paragraphs(self, tc: etree._Element) -> list[str]:
        """The cell's non-blank lines, read once (as ``docx_reader.cell_text`` does: numbering advances)."""
        inner = _DocxBodyReader(self.text_reader.numbering)
        inner.read_blocks(tc)
        return [line.strip() for line in inner.lines if line.strip()]


def _on(element: etree._Element | None) -> bool:
    return element is not None and element.get(_W_VAL) not in _OFF


def _int_val(element: etree._Element | None, default: int) -> int:
    if element is None:
        return default
    try:
        return int(element.get(_W_VAL) or default)
    except ValueError:
        return default
