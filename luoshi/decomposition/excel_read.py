"""Read an edited task-division workbook into plain rows, and parse its cells.

Nothing here touches the database: the workbook is checked (is it an .xlsx
at all, does a sheet carry the expected header) and its rows are returned
with the row numbers a person sees in Excel or WPS.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from openpyxl import load_workbook
from openpyxl.utils.datetime import from_excel

from luoshi.decomposition.excel_export import COLUMNS
from luoshi.lib.errors import BilingualError
from luoshi.lib.package_limits import check_package

# Other names people give these columns in hand-made tables.
HEADER_ALIASES: dict[str, set[str]] = {
    "title": {"任务", "任务名"},
    "text": {"具体任务", "工作任务", "主要任务", "任务描述"},
    "source": {"原文出处/条目", "出处", "条目", "原文条目"},
    "lead": {"牵头部门", "责任单位", "牵头责任单位"},
    "co": {"配合部门", "协办单位", "参与单位"},
    "deadline": {"完成时间", "时限", "时间节点"},
    "targets": {"指标", "量化目标"},
    "task_id": {"编号", "ID", "id"},
}
REQUIRED = ("title", "lead")
HEADER_SEARCH_ROWS = 10
MAX_ROWS_PER_SHEET = 5000
MAX_BLANK_RUN = 1000  # sheets formatted down to row 1048576 end long before that
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and password-protected .xlsx
_HEADERS = {c.header: c.key for c in COLUMNS} | {a: k for k, names in HEADER_ALIASES.items() for a in names}


class ExcelImportError(BilingualError):
    """A workbook that cannot be imported at all.

    code: "empty", "too_large", "xls", "not_xlsx", "corrupt", "no_header" or "too_many_rows"; and the
    package limits' "too_many_parts", "zip_bomb", "xml_entities", "too_complex" (luoshi.lib.package_limits).
    """


@dataclass
class SheetRow:
    sheet: str
    number: int  # the Excel row number (header row = 1 in our exports)
    cells: dict[str, Any]  # by column key; columns absent from the sheet are absent here
    headers: dict[str, str]  # column key -> header as written in this sheet


_SAVE_AS_ZH = "请用 Excel 或 WPS 打开后“另存为” .xlsx 格式（不设密码）再导入。"
_SAVE_AS_EN = "Please open it in Excel or WPS, save it as .xlsx (without a password) and import again."


def read_rows(data: bytes) -> list[SheetRow]:
    """Every non-empty data row of every sheet that has the expected header."""
    _check_bytes(data)
    # Before openpyxl unpacks it: bounded unpacked size, ratio, parts, elements; no DTD.
    check_package(data, kind_zh="Excel 工作簿", kind_en="Excel workbook", error=ExcelImportError)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file; all mean the same here
        raise _corrupt() from exc
    try:
        rows: list[SheetRow] = []
        header_found = False
        best: set[str] = set()  # the most complete header seen, to name what is missing
        for ws in workbook.worksheets:
            ws.reset_dimensions()  # do not trust the stored size: some writers store "A1"
            found, sheet_rows = _read_sheet(ws.title, ws.iter_rows(values_only=True))
            rows.extend(sheet_rows)
            header_found = header_found or set(REQUIRED) <= found
            best = max(best, found, key=len)
    except ExcelImportError:
        raise
    except Exception as exc:
        raise _corrupt() from exc
    finally:
        workbook.close()
    if not header_found:
        missing = "、".join(c.header for c in COLUMNS if c.key in REQUIRED and c.key not in best)
        raise ExcelImportError(
            "no_header",
            f"表格中找不到表头，缺少列：{missing}。请使用导出的任务分工方案表格。",
            f"No header row found; missing columns: {missing}. Please use the exported task-division workbook.",
        )
    return rows


def _check_bytes(data: bytes) -> None:
    if not data:
        raise ExcelImportError("empty", "文件是空的。", "The file is empty.")
    if len(data) > settings.MAX_UPLOAD_BYTES:
        mb = settings.MAX_UPLOAD_BYTES // (1024 * 1024)
        raise ExcelImportError("too_large", f"文件超过 {mb} MB。", f"The file is larger than {mb} MB.")
    if data.startswith(_OLE2_MAGIC):
        raise ExcelImportError(
            "xls",
            "这是旧版 .xls 文件或加了密码的表格。" + _SAVE_AS_ZH,
            "This is an old .xls file or a password-protected workbook. " + _SAVE_AS_EN,
        )
    if not data.startswith(b"PK"):
        raise ExcelImportError(
            "not_xlsx",
            "这不是 Excel 工作簿（.xlsx）文件。" + _SAVE_AS_ZH,
            "This is not an Excel workbook (.xlsx). " + _SAVE_AS_EN,
        )


def _corrupt() -> ExcelImportError:
    return ExcelImportError(
        "corrupt",
        "无法读取这个文件：它已损坏或不是 Excel 工作簿（.xlsx）。" + _SAVE_AS_ZH,
        "The file cannot be read: it is damaged or not an Excel workbook (.xlsx). " + _SAVE_AS_EN,
    )


def _read_sheet(title: str, values: Any) -> tuple[set[str], list[SheetRow]]:
    """Find the header among the first rows, then collect the data rows below it."""
    positions: dict[str, int] = {}
    headers: dict[str, str] = {}
    best: set[str] = set()
    rows: list[SheetRow] = []
    blank_run = 0
    for number, row in enumerate(values, start=1):
        if not positions:
            if number > HEADER_SEARCH_ROWS:
                break
            positions, headers = _header(row)
            best = max(best, set(positions), key=len)
            if not set(REQUIRED) <= set(positions):
                positions = {}
            continue
        cells = {key: row[i] if i < len(row) else None for key, i in positions.items()}
        if all(_blank(v) for k, v in cells.items() if k != "seq"):
            blank_run += 1
            if blank_run >= MAX_BLANK_RUN:
                break
            continue
        blank_run = 0
        rows.append(SheetRow(title, number, cells, headers))
        if len(rows) > MAX_ROWS_PER_SHEET:
            raise ExcelImportError(
                "too_many_rows",
                f"工作表“{title}”超过 {MAX_ROWS_PER_SHEET} 行。",
                f"Sheet “{title}” has more than {MAX_ROWS_PER_SHEET} rows.",
            )
    return (set(positions) if positions else best), rows


def _header(row: tuple[Any, ...]) -> tuple[dict[str, int], dict[str, str]]:
    positions: dict[str, int] = {}
    headers: dict[str, str] = {}
    for i, value in enumerate(row):
        if value is None:
            continue
        name = "".join(str(value).split()).strip("*＊")
        key = _HEADERS.get(name)
        if key is not None and key not in positions:
            positions[key] = i
            headers[key] = str(value).strip()
    return positions, headers


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value: Any) -> str:
    """A cell as text: stripped, Windows line ends made plain, 12.0 written 12."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


# ------------------------------------------------------------------ dates
_BEFORE = re.compile(r"(?:以前|之前|前|为止)$")
_YMD = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:T?\d{1,2}:\d{2}(?::\d{2})?)?")
_YM = re.compile(r"(\d{4})[-/.](\d{1,2})")
_CN_YMD = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})[日号]?")
_CN_YM = re.compile(r"(\d{4})年(\d{1,2})月(?:底|末|份)?")
_CN_Y = re.compile(r"(\d{4})年?(?:底|末|年底|年末)?")


def parse_date(value: Any) -> dt.date | None:
    """A deadline typed or picked by a person, or None when it cannot be read.

    Dates, datetimes and Excel serial numbers; "2025-06-30", "2025/6/30",
    "2025年6月30日"; a month ("2025年6月底", "2025-06") means its last day, a
    year ("2025年底", "2025") its 31 December. A trailing 前/以前 is ignored.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _from_number(value)
    if not isinstance(value, str):
        return None
    text = _BEFORE.sub("", "".join(unicodedata.normalize("NFKC", value).split()))
    try:
        if m := _YMD.fullmatch(text) or _CN_YMD.fullmatch(text):
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        if m := _YM.fullmatch(text) or _CN_YM.fullmatch(text):
            return _month_end(int(m[1]), int(m[2]))
        if m := _CN_Y.fullmatch(text):
            return dt.date(int(m[1]), 12, 31)
    except ValueError:
        return None
    return None


def _from_number(value: float) -> dt.date | None:
    if float(value).is_integer() and 1900 <= value <= 2100:
        return dt.date(int(value), 12, 31)  # a year typed into a General cell
    if 20000 <= value <= 2958465:
        result = from_excel(value)
        return result.date() if isinstance(result, dt.datetime) else None
    return None


def _month_end(year: int, month: int) -> dt.date:
    if not 1 <= month <= 12:
        raise ValueError(f"month {month}")
    first_of_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return first_of_next - dt.timedelta(days=1)
