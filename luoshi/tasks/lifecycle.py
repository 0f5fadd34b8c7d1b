"""A task's lifecycle and edits, under an optimistic lock.

Every change to a task row bumps ``Task.version`` with one conditional
UPDATE (… WHERE version = the version the editor saw); when no row changes,
someone else saved first and the change is refused as stale instead of
silently overwriting theirs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import F, ProtectedError
from django.utils import timezone

from luoshi.audit.services import diff, record, snapshot
from luoshi.lib.bounds import clean_text, xml_safe
from luoshi.tasks.access import require_transition
from luoshi.tasks.errors import TaskError
from luoshi.tasks.models import Assignment, Status, Task, Transition
from luoshi.tasks.signals import inputs_changed
from luoshi.tasks.validation import (
    FINAL,
    check_dates,
    check_horizon,
    check_not_past,
    check_open,
    clean_cadence,
    clean_custom_dates,
    clean_task_text,
    clean_title,
    clean_weight,
    status_names,
)
from luoshi.units.models import Unit

# The lifecycle: from each status, where a task may go. Completed and cancelled are final.
ALLOWED: dict[str, frozenset[str]] = {
    Status.DRAFT: frozenset({Status.ASSIGNED, Status.CANCELLED}),
    Status.ASSIGNED: frozenset({Status.IN_PROGRESS, Status.CANCELLED}),
    Status.IN_PROGRESS: frozenset({Status.COMPLETION_REQUESTED, Status.CANCELLED}),
    Status.COMPLETION_REQUESTED: frozenset({Status.COMPLETED, Status.IN_PROGRESS, Status.CANCELLED}),
    Status.COMPLETED: frozenset(),
    Status.CANCELLED: frozenset(),
}

# Steps that must say why: a rejected completion request (退回办结申请) and a cancellation.
NEEDS_REASON: frozenset[tuple[str, str]] = frozenset(
    {(Status.COMPLETION_REQUESTED, Status.IN_PROGRESS)} | {(s, Status.CANCELLED) for s in ALLOWED}
)

EDITABLE = frozenset(
    {
        "title",
        "text",
        "number",
        "start_date",
        "deadline",
        "cadence",
        "custom_dates",
        "report_day",
        "weight",
        "lead_unit",
        "co_units",
    }
)


def stale(task: Task) -> TaskError:
    return TaskError(
        "stale",
        "任务已被他人修改，请刷新后重试。",
        f"Task '{task.title}' was changed by someone else; reload and try again.",
    )


def actor(user: Any) -> Any:
    """The user to record, or None for an anonymous or missing one."""
    return user if getattr(user, "is_authenticated", False) else None


def save_locked(task: Task, *, version: int, **values: Any) -> None:
    """Write ``values`` and bump the version, only if the row is still at ``version``."""
    changed = Task.objects.filter(pk=task.pk, version=version).update(version=F("version") + 1, **values)
    if changed != 1:
        raise stale(task)
    inputs_changed(task_ids=[task.pk])


@transaction.atomic
def transition(
    *,
    task: Task,
    to_status: str,
    user: Any,
    reason: str = "",
    version: int | None = None,
    now: dt.datetime | None = None,
) -> Task:
    """Move a task to ``to_status`` and record who did it, when and why.

    1. Refuse a ``user`` who may not take the step from the task's current status
       (``access.require_transition``: PermissionDenied). ``user=None`` is the system
       (the demo loader, data migrations), which the lifecycle alone governs.
    2. Refuse when ``version`` is given and the task was saved since (stale).
    3. Refuse a step the lifecycle does not allow (ALLOWED), or one of
       NEEDS_REASON without a reason.
    4. Change status and version in one conditional UPDATE; record the Transition.
    The ``task`` object passed in is refreshed and returned.
    """
    current = Task.objects.get(pk=task.pk)
    if user is not None:
        require_transition(user, current, to_status)
    if version is not None and version != current.version:
        raise stale(current)
    from_status = current.status
    reason = check_step(from_status=from_status, to_status=to_status, reason=reason)
    changed = Task.objects.filter(pk=current.pk, version=current.version, status=from_status).update(
        status=to_status, version=F("version") + 1
    )
    if changed != 1:
        raise stale(current)
    inputs_changed(task_ids=[current.pk])
    step = Transition.objects.create(
        task=current,
        from_status=from_status,
        to_status=to_status,
        by=actor(user),
        at=now or timezone.now(),
        reason=reason,
    )
    task.refresh_from_db()
    record(
        action="transition",
        obj=task,
        actor=user,
        at=step.at,
        changes={"status": [from_status, to_status]},
        note=reason,
    )
    return task


def check_step(*, from_status: str, to_status: str, reason: str) -> str:
    """The cleaned reason, if the lifecycle allows the step (ALLOWED) and it is explained where it must be."""
    if to_status not in ALLOWED.get(from_status, frozenset()):
        (from_zh, from_en), (to_zh, to_en) = status_names(from_status), status_names(to_status)
        if from_status in FINAL:
            hint_zh, hint_en = f"“{from_zh}”是最终状态。", f" '{from_en}' is final."
        else:
            allowed = sorted(ALLOWED[from_status])
            hint_zh = f"可转为：{'、'.join(status_names(s)[0] for s in allowed)}。"
            hint_en = f" Allowed: {', '.join(status_names(s)[1] for s in allowed)}."
        raise TaskError(
            "bad_transition",
            f"任务不能从“{from_zh}”转为“{to_zh}”。{hint_zh}",
            f"A task cannot go from '{from_en}' to '{to_en}'.{hint_en}",
        )
    reason = clean_text(reason, error=TaskError, field="reason", what_zh="理由", what_en="reason").strip()
    if (from_status, to_status) in NEEDS_REASON and not reason:
        to_zh, to_en = status_names(to_status)
        raise TaskError(
            "reason_required", f"转为“{to_zh}”须说明理由。", f"Moving a task to '{to_en}' needs a reason."
        )
    return reason


@transaction.atomic
def update_task(*, task: Task, version: int, user: Any, today: dt.date | None = None, **fields: Any) -> Task:
    """Edit a task's fields (EDITABLE) as seen at ``version``; refuse a stale edit.

    1. Refuse unknown fields (the status changes only through ``transition``),
       a final task, a stale version, and values that break the rules of
       creation; a changed deadline may not lie before ``today``.
    2. Keep what hangs on the dates valid: milestones stay inside
       [start_date, deadline], shares end by the deadline; the lead and
       co-unit assignments follow the task's deadline.
    3. Save with one conditional UPDATE, then bring the assignments in line
       with a changed lead unit or co-units.
    The ``task`` object passed in is refreshed and returned. ``user`` is who
    asks; the before/after of the changed fields goes to the audit trail.
    """
    unknown = sorted(set(fields) - EDITABLE)
    if unknown:
        raise TaskError(
            "unknown_field",
            f"不能修改：{'、'.join(unknown)}（状态请通过流转修改）。",
            f"These cannot be edited: {', '.join(unknown)} (change the status by a transition).",
        )
    current = Task.objects.get(pk=task.pk)
    if version != current.version:
        raise stale(current)
    check_open(current)
    audited = sorted(set(fields) | {"version"})
    before = snapshot(current, audited)
    values = _clean_fields(current, fields, today=today or timezone.localdate())
    co_units = values.pop("co_units", None)
    save_locked(current, version=version, **values)
    current.refresh_from_db()
    if "deadline" in values:
        current.assignments.filter(role__in=[Assignment.Role.LEAD, Assignment.Role.CO]).update(
            deadline=current.deadline
        )
        inputs_changed(task_ids=[current.pk])
    if "lead_unit" in values:
        _replace_lead(current)
    if co_units is not None:
        _set_co_units(current, co_units)
    task.refresh_from_db()
    record(action="update", obj=task, actor=user, changes=diff(before, snapshot(task, audited)))
    return task


def _clean_fields(current: Task, fields: dict[str, Any], *, today: dt.date) -> dict[str, Any]:
    """The validated new values of the given fields."""
    values: dict[str, Any] = {}
    if "text" in fields:
        values["text"] = clean_task_text(str(fields["text"] or ""))
    if "number" in fields:
        values["number"] = xml_safe(str(fields["number"] or "")).strip()[:20]
    if "title" in fields:
        values["title"] = clean_title(fields["title"])
    if "weight" in fields:
        values["weight"] = clean_weight(fields["weight"])
    if "report_day" in fields:
        report_day = fields["report_day"]
        if not isinstance(report_day, int) or isinstance(report_day, bool) or not 0 <= report_day <= 366:
            raise TaskError(
                "bad_report_day",
                f"报送期限天数须为 0 至 366 的整数（现为 {report_day}）。",
                f"The report day must be a whole number from 0 to 366 (got {report_day}).",
            )
        values["report_day"] = report_day
    start_date = fields.get("start_date", current.start_date)
    deadline = fields.get("deadline", current.deadline)
    check_horizon(
        start_date=start_date if start_date != current.start_date else None,
        deadline=deadline if deadline != current.deadline else None,
    )
    if deadline != current.deadline:
        check_not_past(deadline=deadline, today=today)
    moved = "deadline" if "deadline" in fields else "start_date"  # the date a conflict is reported against
    check_dates(start_date=start_date, deadline=deadline, title=current.title, field=moved)
    if start_date != current.start_date or deadline != current.deadline:
        _check_dated_parts(current, start_date=start_date, deadline=deadline, moved=moved)
        values.update(start_date=start_date, deadline=deadline)
    cadence = clean_cadence(fields.get("cadence", current.cadence))
    if {"cadence", "custom_dates"} & set(fields) or "start_date" in values:
        dates = fields.get("custom_dates", current.custom_dates if cadence == current.cadence else ())
        values["custom_dates"] = clean_custom_dates(
            dates, cadence=cadence, start_date=start_date, deadline=deadline
        )
        values["cadence"] = cadence
    if "lead_unit" in fields and fields["lead_unit"] != current.lead_unit:
        values["lead_unit"] = _new_lead(current, fields["lead_unit"])
    if "co_units" in fields:
        values["co_units"] = list(fields["co_units"] or ())
    return values


def _check_dated_parts(task: Task, *, start_date: dt.date, deadline: dt.date, moved: str) -> None:
    outside = task.milestones.exclude(date__gte=start_date, date__lte=deadline).order_by("date").first()
    if outside is not None:
        raise TaskError(
            "milestone_outside",
            f"里程碑 {outside.date} 将不在 {start_date} 至 {deadline} 之内，请先调整里程碑。",
            f"The milestone of {outside.date} would fall outside {start_date} – {deadline}; move it first.",
            field=moved,
        )
    late = task.assignments.filter(role=Assignment.Role.SHARE, deadline__gt=deadline).first()
    if late is not None:
        raise TaskError(
            "share_after_deadline",
            f"{late.unit}的分解任务时限 {late.deadline} 晚于新的完成时限 {deadline}。",
            f"The share of {late.unit} ends {late.deadline}, after the new deadline {deadline}.",
        )


def _new_lead(task: Task, unit: Unit) -> Unit:
    """Check that the lead unit can change: the old lead has not divided the task yet."""
    if not isinstance(unit, Unit):
        raise TaskError("lead_missing", "必须指定牵头单位。", "A lead unit is required.")
    if task.assignments.filter(role=Assignment.Role.SHARE, unit=unit).exists():
        raise TaskError(
            "unit_already_assigned",
            f"{unit}已承担本任务的分解任务，不能再任牵头单位。",
            f"{unit} already holds a share of this task and cannot also lead it.",
            field="lead_unit",
        )
    if Assignment.objects.filter(parent__task=task, parent__role=Assignment.Role.LEAD).exists():
        raise TaskError(
            "lead_has_shares",
            "原牵头单位已将任务分解到下级，不能更换牵头单位。",
            "The lead unit has already divided the task among lower levels; it cannot be replaced.",
        )
    return unit


def _replace_lead(task: Task) -> None:
    """Give the lead assignment to the task's (new) lead unit; it is no longer a co-unit."""
    task.co_units.remove(task.lead_unit)
    _delete_assignments(task, task.assignments.filter(role=Assignment.Role.LEAD), field="lead_unit")
    _delete_assignments(
        task, task.assignments.filter(role=Assignment.Role.CO, unit=task.lead_unit), field="lead_unit"
    )
    Assignment.objects.create(
        task=task, unit=task.lead_unit, role=Assignment.Role.LEAD, deadline=task.deadline
    )


def _set_co_units(task: Task, units: Iterable[Unit]) -> None:
    """Make the co-units (and their assignments) exactly ``units``, less the lead unit."""
    wanted = {u.pk: u for u in units if u.pk != task.lead_unit_id}
    taken = task.assignments.filter(role=Assignment.Role.SHARE, unit_id__in=list(wanted)).first()
    if taken is not None:
        raise TaskError(
            "unit_already_assigned",
            f"{taken.unit}已承担本任务的分解任务，不能再任配合单位。",
            f"{taken.unit} already holds a share of this task and cannot also be a co-unit.",
            field="co_units",
        )
    _delete_assignments(
        task,
        task.assignments.filter(role=Assignment.Role.CO).exclude(unit_id__in=list(wanted)),
        field="co_units",
    )
    have = set(task.assignments.filter(role=Assignment.Role.CO).values_list("unit_id", flat=True))
    Assignment.objects.bulk_create(
        [
            Assignment(task=task, unit=u, role=Assignment.Role.CO, deadline=task.deadline)
            for pk, u in wanted.items()
            if pk not in have
        ]
    )
    inputs_changed(task_ids=[task.pk])
    task.co_units.set(list(wanted.values()))


def _delete_assignments(task: Task, assignments: Any, *, field: str) -> None:
    try:
        assignments.delete()
    except ProtectedError:
        raise TaskError(
            "assignment_has_reports",
            "该单位已报送进展，不能从任务中移除。",
            "That unit has already reported on the task and cannot be removed from it.",
            field=field,
        ) from None
