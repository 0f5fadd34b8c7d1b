"""The ledger workbook: "台账" with every row, and on request one sheet per unit; RAG cells filled by rule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from luoshi.bulletins.data import LedgerInstruction, LedgerRow
from luoshi.bulletins.renderers.outline import RAG_ZH
from luoshi.lib.tabular import new_workbook, sheet_name, workbook_bytes, write_sheet

ALL_SHEET = "台账"
# (header, width, value); the rating column is the one the fills apply to.
COLUMNS: list[tuple[str, int]] = [
    ("序号", 6),
    ("任务编号", 8),
    ("所属部分", 10),
    ("任务名称", 30),
    ("责任单位", 22),
    ("角色", 6),
    ("配合单位", 22),
    ("完成时限", 12),
    ("最近报告日期", 12),
    ("报告期", 10),
    ("报告进度(%)", 10),
    ("报告摘要", 40),
    ("佐证材料", 24),
    ("认定进度(%)", 10),
    ("计划进度(%)", 10),
    ("评价", 6),
    ("评价原因", 40),
    ("完成信心", 8),
    ("成效评估", 10),
    ("问责情况", 24),
    ("销号日期", 12),
    ("销号说明", 24),
]
INSTRUCTIONS_SHEET = "领导批示"
INSTRUCTION_COLUMNS: list[tuple[str, int]] = [
    ("序号", 6),
    ("批示日期", 12),
    ("批示领导", 14),
    ("批示对象", 30),
    ("批示内容", 40),
    ("办理时限", 12),
    ("承办单位", 22),
    ("办理状态", 14),
    ("办复日期", 12),
    ("办理情况", 40),
    ("审核人", 14),
]
RAG_HEADER = "评价"
FILLS = {
    "绿": PatternFill(fill_type="solid", start_color="FFC6EFCE", end_color="FFC6EFCE"),
    "黄": PatternFill(fill_type="solid", start_color="FFFFEB9C", end_color="FFFFEB9C"),
    "红": PatternFill(fill_type="solid", start_color="FFFFC7CE", end_color="FFFFC7CE"),
}


def _values(seq: int, r: LedgerRow, *, evaluation: bool, accountability: bool) -> list[object]:
    rag = RAG_ZH.get(r.rag, r.rag) + ("（调整）" if r.overridden else "")
    return [
        seq,
        r.number,
        r.part,
        r.task_title,
        r.unit,
        r.role,
        r.co_units if r.role == "牵头" else "",
        r.deadline,
        r.report_date,
        r.report_period,
        r.report_progress,
        r.report_excerpt,
        r.report_evidence,
        r.progress,
        r.planned,
        rag,
        r.reasons,
        r.confidence,
        r.evaluation if evaluation else "",
        r.accountability if accountability else "",
        r.closed_on,
        r.closure_note,
    ]


def _sheet(
    ws: Worksheet, rows: Sequence[LedgerRow], *, title: str, evaluation: bool, accountability: bool
) -> None:
    write_sheet(
        ws,
        headers=[c[0] for c in COLUMNS],
        widths=[c[1] for c in COLUMNS],
        title=title,
        rows=[
            _values(i, r, evaluation=evaluation, accountability=accountability) for i, r in enumerate(rows, 1)
        ],
    )
    column = get_column_letter([c[0] for c in COLUMNS].index(RAG_HEADER) + 1)
    cells = f"{column}2:{column}{max(len(rows), 1) + 1}"
    for word, fill in FILLS.items():
        # BEGINSWITH-like: the cell may read "红（调整）" for an override.
        ws.conditional_formatting.add(cells, CellIsRule(operator="equal", formula=[f'"{word}"'], fill=fill))
        ws.conditional_formatting.add(
            cells, CellIsRule(operator="equal", formula=[f'"{word}（调整）"'], fill=fill)
        )


def write_ledger(
    rows: list[LedgerRow],
    *,
    as_of: dt.date,
    per_unit_sheets: bool = False,
    evaluation: bool = True,
    accountability: bool = True,
    instructions: list[LedgerInstruction] | None = None,
) -> bytes:
    workbook, first = new_workbook()
    first.title = ALL_SHEET
    title = f"重点任务落实台账（截至{as_of.year}年{as_of.month}月{as_of.day}日）"
    _sheet(first, rows, title=title, evaluation=evaluation, accountability=accountability)
    if per_unit_sheets:
        taken = {ALL_SHEET}
        units: dict[int, list[LedgerRow]] = {}
        for r in rows:
            units.setdefault(r.unit_id, []).append(r)
        for mine in sorted(units.values(), key=lambda rs: rs[0].unit):
            name = sheet_name(mine[0].unit, taken=taken)
            taken.add(name)
            _sheet(
                workbook.create_sheet(name),
                mine,
                title=f"{mine[0].unit} {title}",
                evaluation=evaluation,
                accountability=accountability,
            )
    if instructions is not None:
        write_sheet(
            workbook.create_sheet(INSTRUCTIONS_SHEET),
            headers=[c[0] for c in INSTRUCTION_COLUMNS],
            widths=[c[1] for c in INSTRUCTION_COLUMNS],
            title=f"领导批示办理台账（截至{as_of.year}年{as_of.month}月{as_of.day}日）",
            rows=[
                [
                    n,
                    i.date,
                    i.leader,
                    i.subject,
                    i.text,
                    i.due_date,
                    i.owner,
                    i.state,
                    i.answered_on,
                    i.response,
                    i.approved_by,
                ]
                for n, i in enumerate(instructions, 1)
            ],
        )
    workbook.properties.title = title
    return workbook_bytes(workbook)
