"""Import an edited task-division workbook (任务分工方案) back into its draft plan.

Every row is checked completely before anything is written, so a row is
applied whole or not at all; rows with errors are reported with the sheet,
row number and column a person sees, and do not stop the valid rows.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from luoshi.audit.services import diff, record
from luoshi.decomposition.excel_export import COLUMNS, HEADING_SEPARATOR, deadline_text
from luoshi.decomposition.excel_read import SheetRow, cell_text, parse_date, read_rows
from luoshi.decomposition.models import Plan, PlanTask
from luoshi.decomposition.services import PlanError
from luoshi.lib.errors import pick
from luoshi.units.models import Unit
from luoshi.units.services import resolve_unit

_UNIT_SPLIT = re.compile(r"[、,，;；/／\s]+")
_TARGET_SPLIT = re.compile(r"[；;\n]+")
_HEADING_SPLIT = re.compile(r" / |／")
_CLAUSE_END = re.compile(r"[。；;！？!?\n]")
_TITLE_MAX = PlanTask._meta.get_field("title").max_length or 200
_DERIVED_TITLE_MAX = 40
_ABSENT = object()  # the sheet has no such column: keep what the task has
_HEADER = {c.key: c.header for c in COLUMNS}
_Fail = Callable[[str, str, str], None]  # (column key, message_zh, message_en)


class PlanLocked(PlanError):
    """The plan is confirmed; its task division can no longer be changed by import."""

    def __init__(self, plan: Plan) -> None:
        super().__init__(
            "locked",
            f"任务分工方案 #{plan.pk} 已确认，不能再导入修改。",
            f"Plan #{plan.pk} is confirmed and can no longer be changed by import.",
        )


@dataclass
class RowError:
    sheet: str
    row_number: int
    column: str
    message_zh: str
    message_en: str

    @property
    def message(self) -> str:
        """The reason in the active language, for the page."""
        return pick(self.message_zh, self.message_en)


@dataclass
class ImportReport:
    updated: int = 0
    created: int = 0
    unchanged: int = 0
    rejected: int = 0  # exported tasks whose rows were deleted from the workbook
    errors: list[RowError] = field(default_factory=list)


@dataclass(frozen=True)
class _Values:
    """A task's editable content, comparable between a row and the database."""

    title: str
    text: str
    heading_path: tuple[str, ...]
    lead_id: int | None
    co_ids: tuple[int, ...]
    deadline: dt.date | None
    targets: tuple[str, ...]


@dataclass
class _Checked:
    row: SheetRow
    task: PlanTask | None
    values: _Values


def import_plan_xlsx(
    *, plan: Plan, data: bytes, user: Any = None, today: dt.date | None = None
) -> ImportReport:
    """Apply an edited workbook to a draft plan.

    1. Lock the plan; refuse a confirmed one (PlanLocked) and a file that is
       not a usable workbook (ExcelImportError) before anything changes.
    2. Check each row: task number, content, units, deadline.
    3. Apply the valid rows: changed tasks are updated (accepted, version
       bumped), rows without a task number become new tasks, exported tasks
       whose rows were deleted are rejected.

    ``user`` is who imports; it is accepted for the audit trail.
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = Plan.objects.select_for_update().get(pk=plan.pk)
        if not locked.is_draft:
            raise PlanLocked(locked)
        rows = read_rows(data)
        report = ImportReport()
        checker = _RowChecker(plan=locked, today=today)
        checked: list[_Checked] = []
        for row in rows:
            item, errors = checker.check(row)
            report.errors.extend(errors)
            if item is not None:
                checked.append(item)
        _apply(plan=locked, checked=checked, checker=checker, report=report)
        if report.updated or report.created or report.rejected:
            Plan.objects.filter(pk=locked.pk).update(version=F("version") + 1)
        record(
            action="import",
            obj=locked,
            actor=user,
            note=(
                f"xlsx：更新 {report.updated}、新增 {report.created}、未变 {report.unchanged}、删除 {report.rejected}、"
                f"错误 {len(report.errors)} / xlsx: {report.updated} updated, {report.created} created, "
                f"{report.unchanged} unchanged, {report.rejected} rejected, {len(report.errors)} errors"
            ),
        )
    sheets = list(dict.fromkeys(r.sheet for r in rows))
    report.errors.sort(key=lambda e: (sheets.index(e.sheet) if e.sheet in sheets else 0, e.row_number))
    plan.refresh_from_db(fields=["version"])
    return report


def current_values(task: PlanTask) -> _Values:
    return _Values(
        title=cell_text(task.title),
        text=cell_text(task.text),
        heading_path=tuple(task.heading_path),
        lead_id=task.lead_unit_id,
        co_ids=tuple(sorted(u.pk for u in task.co_units.all())),
        deadline=task.deadline,
        targets=tuple(str(t["text"]) for t in task.targets if t.get("text")),
    )


class _RowChecker:
    """Check rows against one plan, caching its tasks and the units looked up."""

    def __init__(self, *, plan: Plan, today: dt.date) -> None:
        self.today = today
        self.catalog = plan.catalog
        self.tasks = {t.pk: t for t in plan.tasks.prefetch_related("co_units")}
        self.seen_ids: set[int] = set()
        self.has_id_column = False
        self._units: dict[str, Unit | None] = {}

    def check(self, row: SheetRow) -> tuple[_Checked | None, list[RowError]]:
        errors: list[RowError] = []

        def fail(key: str, zh: str, en: str) -> None:
            errors.append(RowError(row.sheet, row.number, row.headers.get(key, _HEADER[key]), zh, en))

        task = self._task(row, fail)
        current = current_values(task) if task else None
        title, text = self._content(row, task, fail)
        lead_id, co_ids = self._units_of(row, current, fail)
        deadline = self._deadline(row, task, fail)
        if errors:
            return None, errors
        values = _Values(
            title=title,
            text=text,
            heading_path=self._heading_path(row, task),
            lead_id=lead_id,
            co_ids=co_ids,
            deadline=deadline,
            targets=self._targets(row, current),
        )
        return _Checked(row, task, values), []

    def _task(self, row: SheetRow, fail: _Fail) -> PlanTask | None:
        if "task_id" not in row.cells:
            return None
        self.has_id_column = True
        raw = cell_text(row.cells["task_id"])
        if not raw:
            return None
        if not raw.isdigit():
            fail("task_id", f"任务编号无效：{raw}", f"Invalid task number: {raw}")
            return None
        self.seen_ids.add(int(raw))
        task = self.tasks.get(int(raw))
        if task is None:
            fail("task_id", f"任务编号不属于本方案：{raw}", f"Task number {raw} does not belong to this plan")
        return task

    def _content(self, row: SheetRow, task: PlanTask | None, fail: _Fail) -> tuple[str, str]:
        title = cell_text(row.cells.get("title"))
        raw_text = row.cells.get("text", _ABSENT)
        text = cell_text(task.text if task else "") if raw_text is _ABSENT else cell_text(raw_text)
        if not title and not text:
            fail("title", "任务内容为空", "The task has neither a name nor a content")
        elif len(title) > _TITLE_MAX:
            fail(
                "title",
                f"任务名称过长（最多{_TITLE_MAX}字）",
                f"The task name is longer than {_TITLE_MAX} characters",
            )
        return title or _title_from(text), text or title

    def _units_of(
        self, row: SheetRow, current: _Values | None, fail: _Fail
    ) -> tuple[int | None, tuple[int, ...]]:
        lead_names = [n for n in _UNIT_SPLIT.split(cell_text(row.cells.get("lead"))) if n]
        if len(lead_names) > 1:
            fail(
                "lead",
                f"牵头单位只能填写一个：{'、'.join(lead_names)}（其余请填入配合单位）",
                f"Only one lead unit is allowed: {', '.join(lead_names)} (put the others under 配合单位)",
            )
        lead = self._unit(lead_names[0], "lead", fail) if len(lead_names) == 1 else None
        lead_id = lead.pk if lead else None
        raw_co = row.cells.get("co", _ABSENT)
        if raw_co is _ABSENT:
            return lead_id, current.co_ids if current else ()
        co_ids: set[int] = set()
        for name in _UNIT_SPLIT.split(cell_text(raw_co)):
            unit = self._unit(name, "co", fail) if name else None
            if unit is not None and unit.pk != lead_id:
                co_ids.add(unit.pk)
        return lead_id, tuple(sorted(co_ids))

    def _unit(self, name: str, key: str, fail: _Fail) -> Unit | None:
        if name not in self._units:
            self._units[name] = resolve_unit(name, catalog=self.catalog)
        unit = self._units[name]
        if unit is None:
            fail(key, f"单位不存在：{name}", f"Unknown unit: {name}")
        return unit

    def _deadline(self, row: SheetRow, task: PlanTask | None, fail: _Fail) -> dt.date | None:
        raw = row.cells.get("deadline", _ABSENT)
        if raw is _ABSENT:
            return task.deadline if task else None
        shown = cell_text(raw)
        if not shown:
            return None
        if task is not None and task.deadline is None and shown == deadline_text(task):
            return None  # the extracted words, shown because no date was set: left as they were
        value = parse_date(raw)
        if value is None:
            fail(
                "deadline",
                f"完成时限无法识别：{shown}（请填写如 2025-06-30、2025年6月底）",
                f"Cannot read the deadline: {shown} (write e.g. 2025-06-30 or 2025年6月底)",
            )
        elif value < self.today and (task is None or value != task.deadline):
            fail(
                "deadline",
                f"完成时限早于今天：{value.isoformat()}",
                f"The deadline is before today: {value.isoformat()}",
            )
        return value

    def _heading_path(self, row: SheetRow, task: PlanTask | None) -> tuple[str, ...]:
        raw = row.cells.get("source", _ABSENT)
        if raw is _ABSENT or (
            task is not None and cell_text(raw) == HEADING_SEPARATOR.join(task.heading_path)
        ):
            return tuple(task.heading_path) if task else ()
        return tuple(p.strip() for p in _HEADING_SPLIT.split(cell_text(raw)) if p.strip())

    def _targets(self, row: SheetRow, current: _Values | None) -> tuple[str, ...]:
        raw = row.cells.get("targets", _ABSENT)
        if raw is _ABSENT:
            return current.targets if current else ()
        return tuple(t.strip() for t in _TARGET_SPLIT.split(cell_text(raw)) if t.strip())


def _title_from(text: str) -> str:
    return _CLAUSE_END.split(text, maxsplit=1)[0][:_DERIVED_TITLE_MAX]


def _apply(*, plan: Plan, checked: list[_Checked], checker: _RowChecker, report: ImportReport) -> None:
    """Write the checked rows: one change per task, new rows, deleted rows."""
    changes: dict[int, _Checked] = {}
    unchanged: set[int] = set()
    next_order = (plan.tasks.aggregate(m=Max("order"))["m"] or 0) + 1
    for item in checked:
        if item.task is None:
            _create(plan=plan, values=item.values, order=next_order)
            next_order += 1
            report.created += 1
        elif item.values == current_values(item.task):
            unchanged.add(item.task.pk)
        elif item.task.pk not in changes:
            changes[item.task.pk] = item
        elif changes[item.task.pk].values != item.values:
            first = changes[item.task.pk].row
            report.errors.append(
                RowError(
                    item.row.sheet,
                    item.row.number,
                    item.row.headers.get("task_id", _HEADER["task_id"]),
                    f"同一任务已在“{first.sheet}”第{first.number}行改成不同内容，本行未导入",
                    f"The same task was changed differently in “{first.sheet}” row {first.number}; this row was skipped",
                )
            )
    for item in changes.values():
        assert item.task is not None
        if _update(task=item.task, values=item.values):
            report.updated += 1
        else:
            report.errors.append(
                RowError(
                    item.row.sheet,
                    item.row.number,
                    item.row.headers.get("task_id", _HEADER["task_id"]),
                    "任务已被他人修改，本行未导入，请重新导出后再修改",
                    "The task was changed by someone else meanwhile; this row was skipped, please export again",
                )
            )
    report.unchanged = len(unchanged - changes.keys())
    # A damaged 任务编号 cell hides which task its row was: then reject nothing.
    id_trouble = any(e.column == _HEADER["task_id"] for e in report.errors)
    if checker.has_id_column and checker.seen_ids & checker.tasks.keys() and not id_trouble:
        report.rejected = _reject_deleted(checker=checker)


def _update(*, task: PlanTask, values: _Values) -> bool:
    """Write a changed row unless the task changed since it was read (optimistic lock)."""
    before = asdict(current_values(task))
    done = PlanTask.objects.filter(pk=task.pk, version=task.version).update(
        title=values.title,
        text=values.text,
        heading_path=list(values.heading_path),
        lead_unit_id=values.lead_id,
        deadline=values.deadline,
        targets=_merge_targets(task.targets, values.targets),
        status=PlanTask.ACCEPTED,
        version=F("version") + 1,
    )
    if done:
        task.co_units.set(values.co_ids)
        record(
            action="update", obj=task, changes=diff(before, asdict(values)), note="Excel 导入 / Excel import"
        )
    return bool(done)


def _merge_targets(old: list[dict[str, Any]], texts: tuple[str, ...]) -> list[dict[str, Any]]:
    """Targets in the row's order, keeping what was extracted for each unchanged text."""
    by_text = {str(t.get("text")): t for t in old}
    return [by_text.get(text, {"text": text}) for text in texts]


def _create(*, plan: Plan, values: _Values, order: int) -> None:
    task = PlanTask.objects.create(
        plan=plan,
        order=order,
        kind="task",
        status=PlanTask.ACCEPTED,
        origin="imported",
        title=values.title,
        text=values.text,
        heading_path=list(values.heading_path),
        lead_unit_id=values.lead_id,
        deadline=values.deadline,
        targets=[{"text": t} for t in values.targets],
    )
    task.co_units.set(values.co_ids)
    record(action="create", obj=task, changes=diff({}, asdict(values)), note="Excel 导入 / Excel import")


def _reject_deleted(*, checker: _RowChecker) -> int:
    """Reject exported tasks whose rows are in no sheet (the person deleted them)."""
    rejected = 0
    for task in checker.tasks.values():
        exported = task.parent_id is None and task.is_actionable and task.status != PlanTask.REJECTED
        if exported and task.pk not in checker.seen_ids:
            done = PlanTask.objects.filter(pk=task.pk, version=task.version).update(
                status=PlanTask.REJECTED, version=F("version") + 1
            )
            if done:
                record(
                    action="update",
                    obj=task,
                    changes={"status": [task.status, PlanTask.REJECTED]},
                    note="Excel 导入：行已删除 / Excel import: row deleted",
                )
            rejected += done
    return rejected
