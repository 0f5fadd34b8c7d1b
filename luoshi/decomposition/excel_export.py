"""Write a plan's task division (任务分工方案) as an Excel workbook.

The header sits in row 1 and the last, hidden column carries the task id,
so the same workbook can be edited in Excel or WPS and imported again
(see excel_import).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from openpyxl.worksheet.worksheet import Worksheet

from luoshi.audit.services import record
from luoshi.decomposition.models import Plan, PlanTask
from luoshi.lib.tabular import new_workbook, sheet_name, workbook_bytes, write_sheet


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: int


COLUMNS: tuple[Column, ...] = (
    Column("seq", "序号", 6),
    Column("title", "任务名称", 28),
    Column("text", "任务内容", 60),
    Column("source", "原文出处", 30),
    Column("lead", "牵头单位", 22),
    Column("co", "配合单位", 30),
    Column("deadline", "完成时限", 14),
    Column("targets", "量化指标", 30),
    Column("task_id", "任务编号", 10),
)
ALL_TASKS_SHEET = "全部任务"
NO_PART = "其他"
HEADING_SEPARATOR = " / "
CO_UNIT_SEPARATOR = "、"
TARGET_SEPARATOR = "；"


def export_plan_xlsx(*, plan: Plan, sheet_per_part: bool = False, include_all_kinds: bool = False) -> bytes:
    """Render the plan's top-level, not rejected tasks as an .xlsx file.

    1. "全部任务" holds every exported task.
    2. With ``sheet_per_part`` each top-level part of the document
       (heading_path[0]) also gets a sheet of its own, in document order.
    """
    tasks = exported_tasks(plan=plan, include_all_kinds=include_all_kinds)
    workbook, first = new_workbook()
    first.title = ALL_TASKS_SHEET
    _write_sheet(first, tasks)
    if sheet_per_part:
        taken = {ALL_TASKS_SHEET}
        for part, part_tasks in _group_by_part(tasks).items():
            name = sheet_name(part, taken=taken, fallback=NO_PART)
            taken.add(name)
            _write_sheet(workbook.create_sheet(name), part_tasks)
    data = workbook_bytes(workbook)
    record(action="export", obj=plan, note=f"xlsx：任务 {len(tasks)} 项 / xlsx: {len(tasks)} tasks")
    return data


def exported_tasks(*, plan: Plan, include_all_kinds: bool = False) -> list[PlanTask]:
    """The tasks one row each: top-level, not rejected, actionable unless ``include_all_kinds``."""
    qs = (
        plan.tasks.filter(parent__isnull=True)
        .exclude(status=PlanTask.REJECTED)
        .select_related("lead_unit")
        .prefetch_related("co_units")
        .order_by("order", "id")
    )
    if not include_all_kinds:
        qs = qs.filter(kind__in=["task", "recurring"])
    return list(qs)


def task_cells(task: PlanTask) -> dict[str, object]:
    """The cell values of one task's row, by column key (序号 excluded)."""
    return {
        "title": task.title,
        "text": task.text,
        "source": HEADING_SEPARATOR.join(task.heading_path),
        "lead": task.lead_unit.name if task.lead_unit else "",
        "co": CO_UNIT_SEPARATOR.join(u.name for u in sorted(task.co_units.all(), key=lambda u: u.pk)),
        "deadline": task.deadline or deadline_text(task),
        "targets": TARGET_SEPARATOR.join(str(t.get("text", "")) for t in task.targets if t.get("text")),
        "task_id": task.pk,
    }


def deadline_text(task: PlanTask) -> str:
    """The first deadline's words as found in the text, shown when no date is set."""
    for item in task.deadlines:
        if item.get("text"):
            return str(item["text"])
    return ""


def _group_by_part(tasks: Iterable[PlanTask]) -> dict[str, list[PlanTask]]:
    parts: dict[str, list[PlanTask]] = {}
    for task in tasks:
        part = task.heading_path[0] if task.heading_path else NO_PART
        parts.setdefault(part, []).append(task)
    return parts


def _write_sheet(ws: Worksheet, tasks: list[PlanTask]) -> None:
    """The hidden last column carries the task id for the import's round trip."""
    rows = (
        [values[c.key] for c in COLUMNS]
        for values in ({"seq": seq, **task_cells(task)} for seq, task in enumerate(tasks, start=1))
    )
    write_sheet(
        ws,
        headers=[c.header for c in COLUMNS],
        rows=rows,
        widths=[c.width for c in COLUMNS],
        hide_last_column=True,
    )
