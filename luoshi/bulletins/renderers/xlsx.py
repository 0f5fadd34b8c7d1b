"""The bulletin's tables as a workbook: one sheet per table, same rows as the DOCX and HTML."""

from __future__ import annotations

import io

from openpyxl import Workbook

from luoshi.bulletins.data import BulletinData
from luoshi.bulletins.renderers.outline import Masthead, tables
from luoshi.bulletins.renderers.sheets import write_table


def render_xlsx(data: BulletinData, *, head: Masthead) -> bytes:
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    for i, table in enumerate(tables(data)):
        ws = first if i == 0 else workbook.create_sheet()
        ws.title = table.name
        title = f"{head.title}（{head.number}）" if head.number else head.title
        write_table(ws, headers=[c.header for c in table.columns], rows=table.rows,
                    widths=[max(8, round(c.weight * 6)) for c in table.columns], title=title)
    workbook.properties.title = head.title
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
