"""The task division (任务分工方案) as an Excel workbook: export, and import after editing.

Writing lives in excel_export, reading the file in excel_read and applying
it to the plan in excel_import; this module is the one place callers import.
"""

from luoshi.decomposition.excel_export import COLUMNS, export_plan_xlsx
from luoshi.decomposition.excel_import import ImportReport, PlanLocked, RowError, import_plan_xlsx
from luoshi.decomposition.excel_read import ExcelImportError, parse_date

__all__ = [
    "COLUMNS",
    "ExcelImportError",
    "ImportReport",
    "PlanLocked",
    "RowError",
    "export_plan_xlsx",
    "import_plan_xlsx",
    "parse_date",
]
