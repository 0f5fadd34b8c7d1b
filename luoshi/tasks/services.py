"""Task service functions, shared by the CLI, pages, API and tests.

A confirmed plan becomes tasks, each with one assignment per unit: the lead
unit (牵头单位), the co-operating units (配合单位) and, once the lead divides
it, lower-level shares (see cascade.py). A task moves through its lifecycle
only by ``transition`` and changes only by ``update_task``, both under an
optimistic lock (see lifecycle.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction

from luoshi.audit.services import record, snapshot
from luoshi.decomposition.models import Plan, PlanTask
from luoshi.documents.models import Document, Section
from luoshi.lib.bounds import check_date, xml_safe
from luoshi.tasks.cascade import Share, cascade, is_lower_unit, rolled_up_progress
from luoshi.tasks.errors import TaskError
from luoshi.tasks.lifecycle import ALLOWED, NEEDS_REASON, transition, update_task
from luoshi.tasks.lifecycle import actor as _actor
from luoshi.tasks.models import Assignment, Indicator, Milestone, Status, Task
from luoshi.tasks.signals import inputs_changed
from luoshi.tasks.validation import (
    check_dates,
    check_horizon,
    check_not_past,
    check_open,
    clean_cadence,
    clean_custom_dates,
    clean_task_text,
    clean_title,
    clean_weight,
    to_decimal,
)
from luoshi.units.models import Unit

__all__ = [
    "ALLOWED",
    "NEEDS_REASON",
    "Share",
    "TaskError",
    "add_indicator",
    "add_milestone",
    "cascade",
    "create_task",
    "create_tasks_from_plan",
    "is_lower_unit",
    "remove_milestone",
    "rolled_up_progress",
    "transition",
    "update_task",
]

ACTIONABLE_KINDS = ("task", "recurring")
INDICATOR_LIMIT = Decimal(10) ** 16  # Indicator.baseline/target: 20 digits, 4 of them decimals


@transaction.atomic
def create_tasks_from_plan(
    *, plan: Plan, start_date: dt.date, default_deadline: dt.date, cadence: str = "quarterly",
    user: Any = None, today: dt.date | None = None,
) -> list[Task]:
    """Turn a confirmed plan's accepted top-level tasks into assigned tasks; return all of its tasks.

    1. Refuse a draft plan, a bad cadence, any deadline (the plan task's
       own, else ``default_deadline``) before ``start_date`` or, when
       ``today`` is given, before today, and any milestone of a plan task
       outside its task's dates; nothing is written then.
    2. Skip plan tasks that already became tasks, so running it twice
       creates nothing new.
    3. Each new task keeps the words it came from (text, spans, heading
       path, the deepest section holding its first span), gets one lead and
       one assignment per co-unit, the plan task's cadence (else ``cadence``),
       milestones and indicators (baseline at ``start_date``, target at the
       deadline), and moves draft → assigned by ``user``.
    4. Each new assignment gets its reporting obligations at once, so its
       unit sees what is due today rather than after the nightly refresh.
    """
    from luoshi.reports.services import ensure_obligations  # reports builds on tasks, not the reverse

    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != Plan.CONFIRMED:
        raise TaskError("plan_not_confirmed", f"任务分工方案 #{plan.pk} 尚未确认，不能生成任务。",
                        f"Plan #{plan.pk} is not confirmed yet; tasks cannot be created from it.")
    cadence = clean_cadence(cadence)
    check_horizon(start_date=start_date)
    check_date(default_deadline, error=TaskError, field="default_deadline", what_zh="默认完成时限",
               what_en="default deadline")
    clean_custom_dates((), cadence=cadence, start_date=start_date, deadline=default_deadline)
    check_dates(start_date=start_date, deadline=default_deadline)
    if today is not None:
        check_not_past(deadline=default_deadline, today=today)
    sources = list(
        plan.tasks.filter(parent=None, kind__in=ACTIONABLE_KINDS, status=PlanTask.ACCEPTED, task__isnull=True)
        .select_related("lead_unit").prefetch_related("co_units").order_by("order", "id")
    )
    checked: list[tuple[PlanTask, Unit, dt.date, str]] = []
    for source in sources:
        deadline = source.deadline or default_deadline
        check_horizon(deadline=deadline)
        check_dates(start_date=start_date, deadline=deadline, title=source.title)
        if today is not None:
            check_not_past(deadline=deadline, today=today)
        if source.lead_unit is None:
            raise TaskError("lead_missing", f"任务“{source.title}”尚未确定牵头单位。",
                            f"Task '{source.title}' has no lead unit yet.")
        own_cadence = clean_cadence(source.cadence) if source.cadence else cadence
        clean_custom_dates((), cadence=own_cadence, start_date=start_date, deadline=deadline)
        _check_milestones(source, start_date=start_date, deadline=deadline)
        checked.append((source, source.lead_unit, deadline, own_cadence))
    for source, lead_unit, deadline, own_cadence in checked:
        task = _create(
            document=plan.document, plan_task=source, title=source.title, text=source.text,
            spans=source.spans, heading_path=source.heading_path, section=_section_of(plan.document, source),
            lead_unit=lead_unit, co_units=source.co_units.all(), start_date=start_date, deadline=deadline,
            cadence=own_cadence, custom_dates=[], weight=Decimal(1), user=user,
        )
        for m in source.milestones:
            add_milestone(task=task, date=dt.date.fromisoformat(m["date"]),
                          expected_progress=int(m["expected_progress"]), title=str(m.get("title") or ""))
        for i in source.indicators:
            add_indicator(task=task, name=i["name"], unit_of_measure=i.get("unit_of_measure", ""),
                          baseline=i["baseline"], target=i["target"], baseline_date=start_date,
                          target_date=deadline, direction=i.get("direction", "increase"))
        transition(task=task, to_status=Status.ASSIGNED, user=user)
        for assignment in task.assignments.all():
            ensure_obligations(assignment=assignment)
    return list(Task.objects.filter(plan_task__plan=plan).order_by("plan_task__order", "id"))


def _check_milestones(source: PlanTask, *, start_date: dt.date, deadline: dt.date) -> None:
    """Refuse a milestone set in review that falls outside the task's dates (``add_milestone`` would)."""
    for m in source.milestones:
        date = dt.date.fromisoformat(m["date"])
        if not start_date <= date <= deadline:
            raise TaskError("milestone_outside",
                            f"任务“{source.title}”的里程碑日期 {date} 须在 {start_date} 至 {deadline} 之间。",
                            f"The milestone date {date} of task '{source.title}' must be within "
                            f"{start_date} – {deadline}.")


def _section_of(document: Document, source: PlanTask) -> Section | None:
    """The deepest section of the document that holds the task's first span."""
    first = min((span[0] for span in source.spans), default=source.start)
    return (Section.objects.filter(document=document, start__lte=first, end__gt=first)
            .order_by("-level", "-start").first())


@transaction.atomic
def create_task(
    *, document: Document, title: str, text: str, lead_unit: Unit, co_units: Iterable[Unit] = (),
    start_date: dt.date, deadline: dt.date, cadence: str = "quarterly",
    custom_dates: Sequence[dt.date | str] = (), weight: Decimal | float | int | str = 1, user: Any = None,
) -> Task:
    """Create a task by hand, in draft, with its lead and co-unit assignments.

    A lead unit also named among the co-units is dropped from them. The task
    stays a draft until ``transition(..., to_status="assigned")``.
    """
    title = clean_title(title)
    text = clean_task_text(text)
    check_horizon(start_date=start_date, deadline=deadline)
    check_dates(start_date=start_date, deadline=deadline, title=title)
    cadence = clean_cadence(cadence)
    dates = clean_custom_dates(custom_dates, cadence=cadence, start_date=start_date, deadline=deadline)
    return _create(
        document=document, plan_task=None, title=title, text=text, spans=[], heading_path=[], section=None,
        lead_unit=lead_unit, co_units=co_units, start_date=start_date, deadline=deadline, cadence=cadence,
        custom_dates=dates, weight=clean_weight(weight), user=user,
    )


def _create(
    *, document: Document, plan_task: PlanTask | None, title: str, text: str, spans: list[Any],
    heading_path: list[str], section: Section | None, lead_unit: Unit, co_units: Iterable[Unit],
    start_date: dt.date, deadline: dt.date, cadence: str, custom_dates: list[str], weight: Decimal, user: Any,
) -> Task:
    task = Task.objects.create(
        document=document, plan_task=plan_task, section=section, title=xml_safe(title)[:200], text=xml_safe(text),
        spans=spans,
        heading_path=heading_path, lead_unit=lead_unit, start_date=start_date, deadline=deadline,
        cadence=cadence, custom_dates=custom_dates, weight=weight, status=Status.DRAFT, created_by=_actor(user),
    )
    co = list({u.pk: u for u in co_units if u.pk != lead_unit.pk}.values())
    task.co_units.set(co)
    Assignment.objects.bulk_create(
        [Assignment(task=task, unit=lead_unit, role=Assignment.Role.LEAD, deadline=deadline)]
        + [Assignment(task=task, unit=u, role=Assignment.Role.CO, deadline=deadline) for u in co]
    )
    inputs_changed(task_ids=[task.pk])
    fields = ["title", "lead_unit", "co_units", "start_date", "deadline", "cadence", "weight", "status"]
    record(action="create", obj=task, actor=user, changes={k: [None, v] for k, v in snapshot(task, fields).items()},
           note=f"来自分工方案任务 #{plan_task.pk} / from plan task #{plan_task.pk}" if plan_task else "")
    return task


@transaction.atomic
def add_milestone(*, task: Task, date: dt.date, expected_progress: int, title: str = "") -> Milestone:
    """Add a milestone: a date within the task's span and the progress expected by then.

    Expected progress is 0..100 and never falls from one milestone to the
    next (by date); one milestone per date.
    """
    task = Task.objects.select_for_update().get(pk=task.pk)
    check_open(task)
    check_date(date, error=TaskError, field="date", what_zh="里程碑日期", what_en="milestone date")
    if not task.start_date <= date <= task.deadline:
        raise TaskError("milestone_outside", f"里程碑日期 {date} 须在 {task.start_date} 至 {task.deadline} 之间。",
                        f"The milestone date {date} must be within {task.start_date} – {task.deadline}.")
    if isinstance(expected_progress, bool) or not isinstance(expected_progress, int) \
            or not 0 <= expected_progress <= 100:
        raise TaskError("bad_progress", f"预期进度须为 0 至 100 的整数（现为 {expected_progress}）。",
                        f"The expected progress must be a whole number from 0 to 100 (got {expected_progress}).")
    if task.milestones.filter(date=date).exists():
        raise TaskError("milestone_same_date", f"{date} 已有里程碑。", f"There is already a milestone on {date}.")
    before = task.milestones.filter(date__lt=date, expected_progress__gt=expected_progress).order_by("-date").first()
    after = task.milestones.filter(date__gt=date, expected_progress__lt=expected_progress).order_by("date").first()
    for other in (before, after):
        if other is not None:
            raise TaskError("progress_decreases",
                            f"里程碑进度不能倒退：{other.date} 为 {other.expected_progress}%，"
                            f"{date} 为 {expected_progress}%。",
                            f"Milestone progress cannot go down: {other.expected_progress}% on {other.date}, "
                            f"{expected_progress}% on {date}.")
    milestone = Milestone.objects.create(task=task, date=date, expected_progress=expected_progress,
                                         title=xml_safe(title or "").strip()[:200])
    record(action="create", obj=milestone, changes={
        "task": [None, task.pk], "date": [None, date], "expected_progress": [None, expected_progress]})
    return milestone


@transaction.atomic
def add_indicator(
    *, task: Task, name: str, unit_of_measure: str, baseline: Decimal | float | int | str,
    target: Decimal | float | int | str, baseline_date: dt.date, target_date: dt.date, direction: str = "increase",
) -> Indicator:
    """Add a quantified indicator (量化指标): from ``baseline`` on one date to ``target`` on a later one.

    The target must move from the baseline the way ``direction`` says is
    better: above it for "increase", below it for "decrease".
    """
    task = Task.objects.select_for_update().get(pk=task.pk)
    check_open(task)
    name = xml_safe(name or "").strip()
    unit_of_measure = xml_safe(unit_of_measure or "")
    if not name:
        raise TaskError("empty_name", "指标名称不能为空。", "The indicator name cannot be empty.")
    if direction not in Indicator.Direction.values:
        raise TaskError("bad_direction", f"无效的指标方向：{direction}（应为 increase 或 decrease）。",
                        f"Invalid indicator direction: {direction} (increase or decrease).")
    check_date(baseline_date, error=TaskError, field="baseline_date", what_zh="基期日期", what_en="baseline date")
    check_date(target_date, error=TaskError, field="target_date", what_zh="目标日期", what_en="target date")
    if target_date < baseline_date:
        raise TaskError("target_before_baseline", f"目标日期 {target_date} 早于基期日期 {baseline_date}。",
                        f"The target date {target_date} is before the baseline date {baseline_date}.")
    base = _indicator_number(baseline, what_zh="基期值", what_en="baseline")
    goal = _indicator_number(target, what_zh="目标值", what_en="target")
    shown_base, shown_goal = format(base.normalize(), "f"), format(goal.normalize(), "f")
    if direction == Indicator.Direction.INCREASE and goal <= base:
        raise TaskError("target_not_better", f"指标“{name}”越高越好，目标值 {shown_goal} 须高于基期值 {shown_base}。",
                        f"Higher is better for '{name}': the target {shown_goal} must be above the baseline {shown_base}.")
    if direction == Indicator.Direction.DECREASE and goal >= base:
        raise TaskError("target_not_better", f"指标“{name}”越低越好，目标值 {shown_goal} 须低于基期值 {shown_base}。",
                        f"Lower is better for '{name}': the target {shown_goal} must be below the baseline {shown_base}.")
    indicator = Indicator.objects.create(
        task=task, name=name[:200], unit_of_measure=(unit_of_measure or "").strip()[:40], baseline=base,
        target=goal, baseline_date=baseline_date, target_date=target_date, direction=direction,
    )
    fields = ["task", "name", "baseline", "target", "baseline_date", "target_date", "direction"]
    record(action="create", obj=indicator, changes={k: [None, v] for k, v in snapshot(indicator, fields).items()})
    return indicator


def _indicator_number(value: Any, *, what_zh: str, what_en: str) -> Decimal:
    """A number that fits Indicator's columns: below 10^16, four decimals."""
    number = to_decimal(value, what_zh=what_zh, what_en=what_en)
    if abs(number) >= INDICATOR_LIMIT:
        raise TaskError("bad_number", f"{what_zh}“{value}”过大。", f"The {what_en} '{value}' is too large.")
    return number.quantize(Decimal("0.0001"))


@transaction.atomic
def remove_milestone(*, milestone: Milestone, user: Any = None) -> None:
    """Remove a milestone of an open task; the planned trajectory then runs straight across its date.

    The audit trail keeps what was removed and who removed it.
    """
    task = Task.objects.select_for_update().get(pk=milestone.task_id)
    check_open(task)
    stored = Milestone.objects.filter(pk=milestone.pk, task=task).first()
    if stored is None:
        raise TaskError("milestone_missing", "该里程碑已不存在。", "That milestone no longer exists.")
    record(action="delete", obj=stored, actor=user, changes={
        "task": [task.pk, None], "date": [stored.date, None], "expected_progress": [stored.expected_progress, None],
        "title": [stored.title, None]})
    stored.delete()
