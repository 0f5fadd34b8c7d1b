"""The bulletin's tables as a workbook: one sheet per table, same rows as the DOCX and HTML."""

from __future__ import annotations

from luoshi.bulletins.data import BulletinData
from luoshi.bulletins.renderers.outline import Masthead, tables
from luoshi.lib.tabular import new_workbook, workbook_bytes, write_sheet


def render_xlsx(data: BulletinData, *, head: Masthead) -> bytes:
    workbook, first = new_workbook()
    for i, table in enumerate(tables(data)):
        ws = first if i == 0 else workbook.create_sheet()
        ws.title = table.name
        title = f"{head.title}（{head.number}）" if head.number else head.title
        write_sheet(
            ws,
            headers=[c.header for c in table.columns],
            rows=table.rows,
            widths=[max(8, round(c.weight * 6)) for c in table.columns],
            title=title,
        )
    workbook.properties.title = head.title
    return workbook_bytes(workbook)
