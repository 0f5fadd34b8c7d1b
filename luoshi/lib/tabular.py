"""The one writer of tables for download: CSV (UTF-8 with a BOM) and XLSX sheets, with one cell guard.

Every export goes through ``guard_cell``: a text that a spreadsheet would read as a formula (it starts
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is neutralised, so that a value typed by
anyone (an anonymous visitor's login name lands in the audit trail) never runs as a formula
(``=HYPERLINK(...)``, DDE) when an officer opens the file. Real numbers stay numbers: ``-5`` and
``-2.5`` as int/float/Decimal, or as a text that is exactly a number, are not touched.

- CSV: the text gets a leading apostrophe (Excel and WPS show it as text; OWASP's advice).
- XLSX: the cell is typed text with Excel's "quote prefix" (the cell shows the text unchanged,
  is never evaluated, and stays text when edited), so a workbook imported again (the task
  division's round trip) reads the same text back.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

# Excel on Chinese Windows reads a CSV as GBK unless it starts with the UTF-8 byte order mark.
UTF8_BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")

DATE_FORMAT = "yyyy-mm-dd"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill(fill_type="solid", start_color="FFD9E1F2", end_color="FFD9E1F2")
_THIN = Side(style="thin", color="FF999999")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
HEADER_ALIGN = Alignment(wrap_text=True, horizontal="center", vertical="center")
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
SHEET_NAME_CHARS = 31


def is_formula_like(value: str) -> bool:
    """Would a spreadsheet read this text as a formula? (A text that is exactly a number is a number.)"""
    return value.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(value)


def guard_cell(value: object) -> object:
    """The CSV cell for a value: numbers as they are, formula-like texts with a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    return "'" + text if is_formula_like(text) else text


# --- CSV ---


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(headers: Sequence[object], rows: Iterable[Sequence[object]]) -> Iterator[str]:
    """The CSV one line at a time (for streaming), every cell guarded (the headers too)."""
    writer = csv.writer(_Echo())
    yield writer.writerow([guard_cell(h) for h in headers])
    for row in rows:
        yield writer.writerow([guard_cell(v) for v in row])


def csv_text(headers: Sequence[object], rows: Iterable[Sequence[object]]) -> str:
    """The whole CSV as text, without the BOM (``csv_response`` adds it)."""
    return "".join(csv_lines(headers, rows))


def _attachment(response: HttpResponse | StreamingHttpResponse, filename: str) -> None:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'


def csv_response(
    headers: Sequence[object], rows: Iterable[Sequence[object]], *, filename: str
) -> HttpResponse:
    """A CSV download that Excel opens with the Chinese intact: UTF-8 with a BOM, as an attachment."""
    response = HttpResponse(UTF8_BOM + csv_text(headers, rows), content_type="text/csv; charset=utf-8")
    _attachment(response, filename)
    return response


def csv_stream(
    headers: Sequence[object], rows: Iterable[Sequence[object]], *, filename: str
) -> StreamingHttpResponse:
    """The same, streamed line by line (large exports such as the audit trail)."""
    response = StreamingHttpResponse(
        itertools.chain([UTF8_BOM], csv_lines(headers, rows)), content_type="text/csv; charset=utf-8"
    )
    _attachment(response, filename)
    return response


# --- XLSX ---


def new_workbook() -> tuple[Workbook, Worksheet]:
    """A workbook and its first sheet."""
    workbook = Workbook()
    first = workbook.active
    assert isinstance(first, Worksheet)
    return workbook, first


def sheet_name(title: str, *, taken: set[str], fallback: str = "其他") -> str:
    """A valid, unused sheet name: no []:*?/\\, at most 31 characters, not quoted (``fallback`` when nothing is left)."""
    base = _SHEET_NAME_FORBIDDEN.sub("", title).strip().strip("'") or fallback
    name = base[:SHEET_NAME_CHARS]
    n = 2
    while name in taken:
        suffix = f"({n})"
        name = base[: SHEET_NAME_CHARS - len(suffix)] + suffix
        n += 1
    return name


def workbook_bytes(workbook: Workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def set_cell(
    ws: Worksheet, row: int, column: int, value: object, *, styles: dict[str, Any] | None = None
) -> None:
    """Write one body cell: illegal XML characters dropped, formula-like texts kept as quoted text.

    ``styles`` (one dict per sheet, filled as it goes) keeps each kind of cell's finished style, so
    that later cells of the kind copy it instead of registering alignment and border again (openpyxl
    hashes every style object on each assignment: most of the time of a large sheet).
    """
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = ws.cell(row=row, column=column)
    cell.value = value
    quoted = isinstance(value, str) and is_formula_like(value)
    kind = "quoted" if quoted else "date" if isinstance(value, dt.date) else "plain"
    known = styles.get(kind) if styles is not None else None
    if known is not None:
        cell._style = copy.copy(known)
    else:
        cell.alignment, cell.border = WRAP_TOP, BORDER
        if quoted:
            cell.quotePrefix = True  # it stays text when someone edits the cell
        elif kind == "date":
            cell.number_format = DATE_FORMAT
        if styles is not None:
            styles[kind] = copy.copy(cell._style)
    if quoted:
        cell.data_type = "s"  # text, never a formula


def write_sheet(
    ws: Worksheet,
    *,
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    widths: Sequence[int],
    title: str = "",
    hide_last_column: bool = False,
) -> int:
    """Header in row 1 (frozen, filtered, repeated when printed), wrapped cells, landscape A4.

    Returns the number of body rows written.
    """
    for col, (header, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = ws.cell(row=1, column=col, value=header)
        cell.font, cell.fill, cell.alignment, cell.border = HEADER_FONT, HEADER_FILL, HEADER_ALIGN, BORDER
        ws.column_dimensions[get_column_letter(col)].width = width
    count = 0
    styles: dict[str, Any] = {}
    for r, values in enumerate(rows, start=2):
        for col, value in enumerate(values, start=1):
            set_cell(ws, r, col, value, styles=styles)
        count += 1
    last = get_column_letter(len(headers))
    if hide_last_column:
        ws.column_dimensions[last].hidden = True
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{last}{max(count, 1) + 1}"
    ws.print_title_rows = "1:1"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if title:
        ws.oddHeader.center.text = title.replace("&", "&&")
    return count
