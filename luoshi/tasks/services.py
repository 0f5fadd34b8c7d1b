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
from luoshi.lib.bounds import check_date
from luoshi.tasks.bulk import (
    NewIndicator,
    NewMilestone,
    NewTask,
    add_indicators,
    add_milestones,
    cascade_all,
    checked_task,
    create_tasks,
    insert_tasks,
    task_row,
    transition_tasks,
)
from luoshi.tasks.cascade import Share, cascade, is_lower_unit, rolled_up_progress
from luoshi.tasks.errors import TaskError
from luoshi.tasks.lifecycle import ALLOWED, NEEDS_REASON, transition, update_task
from luoshi.tasks.models import Assignment, Indicator, Milestone, Status, Task
from luoshi.tasks.parts import INDICATOR_FIELDS, check_milestone_order, indicator_row, milestone_row
from luoshi.tasks.signals import assignments_created
from luoshi.tasks.validation import (
    check_dates,
    check_horizon,
    check_not_past,
    check_open,
    clean_cadence,
    clean_custom_dates,
)
from luoshi.units.models import Unit

__all__ = [
    "ALLOWED",
    "NEEDS_REASON",
    "NewIndicator",
    "NewMilestone",
    "NewTask",
    "Share",
    "TaskError",
    "add_indicator",
    "add_indicators",
    "add_milestone",
    "add_milestones",
    "cascade",
    "cascade_all",
    "create_task",
    "create_tasks",
    "create_tasks_from_plan",
    "is_lower_unit",
    "remove_milestone",
    "rolled_up_progress",
    "transition",
    "transition_tasks",
    "update_task",
]

ACTIONABLE_KINDS = ("task", "recurring")


@transaction.atomic
def create_tasks_from_plan(
    *,
    plan: Plan,
    start_date: dt.date,
    default_deadline: dt.date,
    cadence: str = "quarterly",
    user: Any = None,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
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
       deadline), and moves draft → assigned by ``user`` (at ``now``, default: now).
    4. Each new assignment gets its reporting obligations at once, so its
       unit sees what is due today rather than after the nightly refresh.
    """
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != Plan.CONFIRMED:
        raise TaskError(
            "plan_not_confirmed",
            f"任务分工方案 #{plan.pk} 尚未确认，不能生成任务。",
            f"Plan #{plan.pk} is not confirmed yet; tasks cannot be created from it.",
        )
    cadence = clean_cadence(cadence)
    check_horizon(start_date=start_date)
    check_date(
        default_deadline,
        error=TaskError,
        field="default_deadline",
        what_zh="默认完成时限",
        what_en="default deadline",
    )
    clean_custom_dates((), cadence=cadence, start_date=start_date, deadline=default_deadline)
    check_dates(start_date=start_date, deadline=default_deadline)
    if today is not None:
        check_not_past(deadline=default_deadline, today=today)
    sources = list(
        plan.tasks.filter(parent=None, kind__in=ACTIONABLE_KINDS, status=PlanTask.ACCEPTED, task__isnull=True)
        .select_related("lead_unit")
        .prefetch_related("co_units")
        .order_by("order", "id")
    )
    checked: list[tuple[PlanTask, Unit, dt.date, str]] = []
    for source in sources:
        deadline = source.deadline or default_deadline
        check_horizon(deadline=deadline)
        check_dates(start_date=start_date, deadline=deadline, title=source.title)
        if today is not None:
            check_not_past(deadline=deadline, today=today)
        if source.lead_unit is None:
            raise TaskError(
                "lead_missing",
                f"任务“{source.title}”尚未确定牵头单位。",
                f"Task '{source.title}' has no lead unit yet.",
            )
        own_cadence = clean_cadence(source.cadence) if source.cadence else cadence
        clean_custom_dates((), cadence=own_cadence, start_date=start_date, deadline=deadline)
        _check_milestones(source, start_date=start_date, deadline=deadline)
        checked.append((source, source.lead_unit, deadline, own_cadence))
    tasks = insert_tasks(
        [
            task_row(
                document=plan.document,
                plan_task=source,
                title=source.title,
                text=source.text,
                spans=source.spans,
                heading_path=source.heading_path,
                section=_section_of(plan.document, source),
                lead_unit=lead_unit,
                co_units=source.co_units.all(),
                start_date=start_date,
                deadline=deadline,
                cadence=own_cadence,
                custom_dates=[],
                weight=Decimal(1),
                user=user,
            )
            for source, lead_unit, deadline, own_cadence in checked
        ],
        user=user,
    )
    add_milestones(
        milestones=[
            NewMilestone(
                task=task,
                date=dt.date.fromisoformat(m["date"]),
                expected_progress=int(m["expected_progress"]),
                title=str(m.get("title") or ""),
            )
            for task, (source, *_rest) in zip(tasks, checked, strict=True)
            for m in source.milestones
        ]
    )
    add_indicators(
        indicators=[
            NewIndicator(
                task=task,
                name=i["name"],
                unit_of_measure=i.get("unit_of_measure", ""),
                baseline=i["baseline"],
                target=i["target"],
                baseline_date=start_date,
                target_date=task.deadline,
                direction=i.get("direction", "increase"),
            )
            for task, (source, *_rest) in zip(tasks, checked, strict=True)
            for i in source.indicators
        ]
    )
    transition_tasks(tasks=tasks, to_status=Status.ASSIGNED, user=user, now=now)
    # The reports stage gives each new assignment its reporting obligations (reports builds on tasks).
    assignments_created.send(
        sender=None,
        assignments=Assignment.objects.filter(task__in=tasks).select_related("task").order_by("pk"),
    )
    return list(Task.objects.filter(plan_task__plan=plan).order_by("plan_task__order", "id"))


def _check_milestones(source: PlanTask, *, start_date: dt.date, deadline: dt.date) -> None:
    """Refuse a milestone set in review that falls outside the task's dates (``add_milestone`` would)."""
    for m in source.milestones:
        date = dt.date.fromisoformat(m["date"])
        if not start_date <= date <= deadline:
            raise TaskError(
                "milestone_outside",
                f"任务“{source.title}”的里程碑日期 {date} 须在 {start_date} 至 {deadline} 之间。",
                f"The milestone date {date} of task '{source.title}' must be within "
                f"{start_date} – {deadline}.",
            )


def _section_of(document: Document, source: PlanTask) -> Section | None:
    """The deepest section of the document that holds the task's first span."""
    first = min((span[0] for span in source.spans), default=source.start)
    return (
        Section.objects.filter(document=document, start__lte=first, end__gt=first)
        .order_by("-level", "-start")
        .first()
    )


@transaction.atomic
def create_task(
    *,
    document: Document,
    title: str,
    text: str,
    lead_unit: Unit,
    co_units: Iterable[Unit] = (),
    start_date: dt.date,
    deadline: dt.date,
    cadence: str = "quarterly",
    custom_dates: Sequence[dt.date | str] = (),
    weight: Decimal | float | int | str = 1,
    user: Any = None,
) -> Task:
    """Create a task by hand, in draft, with its lead and co-unit assignments.

    A lead unit also named among the co-units is dropped from them. The task
    stays a draft until ``transition(..., to_status="assigned")``.
    """
    new = NewTask(
        document=document,
        title=title,
        text=text,
        lead_unit=lead_unit,
        co_units=list(co_units),
        start_date=start_date,
        deadline=deadline,
        cadence=cadence,
        custom_dates=custom_dates,
        weight=weight,
    )
    return insert_tasks([checked_task(new, user=user)], user=user)[0]


@transaction.atomic
def add_milestone(*, task: Task, date: dt.date, expected_progress: int, title: str = "") -> Milestone:
    """Add a milestone: a date within the task's span and the progress expected by then.

    Expected progress is 0..100 and never falls from one milestone to the
    next (by date); one milestone per date.
    """
    task = Task.objects.select_for_update().get(pk=task.pk)
    milestone = milestone_row(task=task, date=date, expected_progress=expected_progress, title=title)
    check_milestone_order(milestone, task.milestones.all())
    milestone.save()
    record(
        action="create",
        obj=milestone,
        changes={
            "task": [None, task.pk],
            "date": [None, date],
            "expected_progress": [None, expected_progress],
        },
    )
    return milestone


@transaction.atomic
def add_indicator(
    *,
    task: Task,
    name: str,
    unit_of_measure: str,
    baseline: Decimal | float | int | str,
    target: Decimal | float | int | str,
    baseline_date: dt.date,
    target_date: dt.date,
    direction: str = "increase",
) -> Indicator:
    """Add a quantified indicator (量化指标): from ``baseline`` on one date to ``target`` on a later one.

    The target must move from the baseline the way ``direction`` says is
    better: above it for "increase", below it for "decrease".
    """
    task = Task.objects.select_for_update().get(pk=task.pk)
    indicator = indicator_row(
        task=task,
        name=name,
        unit_of_measure=unit_of_measure,
        baseline=baseline,
        target=target,
        baseline_date=baseline_date,
        target_date=target_date,
        direction=direction,
    )
    indicator.save()
    record(
        action="create",
        obj=indicator,
        changes={k: [None, v] for k, v in snapshot(indicator, INDICATOR_FIELDS).items()},
    )
    return indicator


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
    record(
        action="delete",
        obj=stored,
        actor=user,
        changes={
            "task": [task.pk, None],
            "date": [stored.date, None],
            "expected_progress": [stored.expected_progress, None],
            "title": [stored.title, None],
        },
    )
    stored.delete()


def completion_outcome(approve: bool) -> str:
    """Where the office's decision on a completion request moves the task: completed, or back in progress."""
    return Status.COMPLETED if approve else Status.IN_PROGRESS
