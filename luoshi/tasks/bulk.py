"""Set-wise task services: many tasks, milestones, indicators, status changes or divisions at once.

Each applies the rules of its single-row twin (``create_task``, ``add_milestone``,
``add_indicator``, ``transition``, ``cascade``) to every row before anything is
written, then writes with a few bulk queries and one audit entry per row, as the
single-row service would; bulk inserts send no ``post_save``, so each tells the
ratings stage what changed (``signals.inputs_changed``). A refusal names the row
(its task's title) and nothing of the set is written. A task decision of hundreds of tasks, and the region
generator (``luoshi demo --region``), use these.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from luoshi.audit.services import Pending, record_many, snapshot
from luoshi.decomposition.models import PlanTask
from luoshi.documents.models import Document, Section
from luoshi.lib.bounds import xml_safe
from luoshi.tasks.access import require_transition
from luoshi.tasks.cascade import Share, check_division, share_row
from luoshi.tasks.errors import TaskError
from luoshi.tasks.lifecycle import actor, check_step, stale
from luoshi.tasks.models import Assignment, Indicator, Milestone, Status, Task, Transition
from luoshi.tasks.parts import INDICATOR_FIELDS, check_milestone_order, indicator_row, milestone_row
from luoshi.tasks.signals import inputs_changed
from luoshi.tasks.validation import (
    check_dates,
    check_horizon,
    clean_cadence,
    clean_custom_dates,
    clean_task_text,
    clean_title,
    clean_weight,
)
from luoshi.units.models import Unit

TASK_FIELDS = ["title", "lead_unit", "co_units", "start_date", "deadline", "cadence", "weight", "status"]
CHUNK = 900  # ids per IN (…) list: below SQLite's 999 parameters


@dataclass
class NewTask:
    """One task for ``create_tasks``: what ``create_task`` takes."""

    document: Document
    title: str
    text: str
    lead_unit: Unit
    start_date: dt.date
    deadline: dt.date
    co_units: Sequence[Unit] = ()
    cadence: str = "quarterly"
    custom_dates: Sequence[dt.date | str] = ()
    weight: Decimal | float | int | str = 1


@dataclass
class TaskRow:
    """A checked task ready to be written, with where its words came from when a plan task made it."""

    task: Task
    co_units: list[Unit]
    note: str = ""
    plan_task: PlanTask | None = None
    spans: list[Any] = field(default_factory=list)


@transaction.atomic
def create_tasks(*, tasks: Sequence[NewTask], user: Any = None) -> list[Task]:
    """``create_task`` for many: every row checked first, then tasks, co-units, assignments and audit in bulk.

    Each task is a draft with one lead and one assignment per co-unit (a lead
    also named among the co-units is dropped from them).
    """
    rows = []
    for new in tasks:
        with _naming(new.title):
            rows.append(checked_task(new, user=user))
    return insert_tasks(rows, user=user)


def checked_task(new: NewTask, *, user: Any) -> TaskRow:
    """``create_task``'s checks of one new task: title, text, dates within the horizon, cadence, weight."""
    title = clean_title(new.title)
    text = clean_task_text(new.text)
    check_horizon(start_date=new.start_date, deadline=new.deadline)
    check_dates(start_date=new.start_date, deadline=new.deadline, title=title)
    cadence = clean_cadence(new.cadence)
    dates = clean_custom_dates(
        new.custom_dates, cadence=cadence, start_date=new.start_date, deadline=new.deadline
    )
    return task_row(
        document=new.document,
        title=title,
        text=text,
        lead_unit=new.lead_unit,
        co_units=new.co_units,
        start_date=new.start_date,
        deadline=new.deadline,
        cadence=cadence,
        custom_dates=dates,
        weight=clean_weight(new.weight),
        user=user,
    )


def task_row(
    *,
    document: Document,
    title: str,
    text: str,
    lead_unit: Unit,
    co_units: Iterable[Unit],
    start_date: dt.date,
    deadline: dt.date,
    cadence: str,
    custom_dates: list[str],
    weight: Decimal,
    user: Any,
    plan_task: PlanTask | None = None,
    spans: list[Any] | None = None,
    heading_path: list[str] | None = None,
    section: Section | None = None,
) -> TaskRow:
    """An unsaved draft task of checked values, and its co-units less the lead."""
    task = Task(
        document=document,
        plan_task=plan_task,
        section=section,
        title=xml_safe(title)[:200],
        text=xml_safe(text),
        spans=spans or [],
        heading_path=heading_path or [],
        lead_unit=lead_unit,
        start_date=start_date,
        deadline=deadline,
        cadence=cadence,
        custom_dates=custom_dates,
        weight=weight,
        status=Status.DRAFT,
        created_by=actor(user),
    )
    co = list({u.pk: u for u in co_units if u.pk != lead_unit.pk}.values())
    note = f"来自分工方案任务 #{plan_task.pk} / from plan task #{plan_task.pk}" if plan_task else ""
    return TaskRow(task=task, co_units=co, note=note, plan_task=plan_task)


def insert_tasks(rows: Sequence[TaskRow], *, user: Any) -> list[Task]:
    """Write checked task rows: the tasks, their co-unit links, lead and co assignments, one audit entry each."""
    tasks = Task.objects.bulk_create([row.task for row in rows])
    through = Task.co_units.through
    through.objects.bulk_create(
        [through(task_id=row.task.pk, unit_id=u.pk) for row in rows for u in row.co_units]
    )
    Assignment.objects.bulk_create(
        [
            Assignment(task=row.task, unit=unit, role=role, deadline=row.task.deadline)
            for row in rows
            for unit, role in [(row.task.lead_unit, Assignment.Role.LEAD)]
            + [(u, Assignment.Role.CO) for u in row.co_units]
        ]
    )
    inputs_changed(task_ids=[t.pk for t in tasks])  # bulk inserts send no post_save: ratings are told here
    plain = [f for f in TASK_FIELDS if f != "co_units"]
    entries = []
    for row in rows:
        values = snapshot(row.task, plain) | {"co_units": sorted(u.pk for u in row.co_units)}
        entries.append(
            Pending(
                action="create",
                obj=row.task,
                actor=user,
                note=row.note,
                changes={k: [None, values[k]] for k in TASK_FIELDS},
            )
        )
    record_many(entries)
    return tasks


@dataclass
class NewMilestone:
    task: Task
    date: dt.date
    expected_progress: int
    title: str = ""


@transaction.atomic
def add_milestones(*, milestones: Sequence[NewMilestone]) -> list[Milestone]:
    """``add_milestone`` for many: each within its task's span, one per date, progress never falling."""
    tasks = _locked_tasks({m.task.pk for m in milestones})
    have: dict[int, list[Milestone]] = defaultdict(list)
    for chunk in _chunks(list(tasks)):
        for existing in Milestone.objects.filter(task_id__in=chunk):
            have[existing.task_id].append(existing)
    rows = []
    for new in milestones:
        task = tasks[new.task.pk]
        with _naming(task.title):
            row = milestone_row(
                task=task, date=new.date, expected_progress=new.expected_progress, title=new.title
            )
            check_milestone_order(row, have[task.pk])
        have[task.pk].append(row)
        rows.append(row)
    made = Milestone.objects.bulk_create(rows)
    inputs_changed(task_ids=list(tasks))
    record_many(
        Pending(
            action="create",
            obj=m,
            changes={
                "task": [None, m.task_id],
                "date": [None, m.date],
                "expected_progress": [None, m.expected_progress],
            },
        )
        for m in made
    )
    return made


@dataclass
class NewIndicator:
    task: Task
    name: str
    unit_of_measure: str
    baseline: Decimal | float | int | str
    target: Decimal | float | int | str
    baseline_date: dt.date
    target_date: dt.date
    direction: str = "increase"


@transaction.atomic
def add_indicators(*, indicators: Sequence[NewIndicator]) -> list[Indicator]:
    """``add_indicator`` for many: each target beyond its baseline the way its direction says."""
    tasks = _locked_tasks({i.task.pk for i in indicators})
    rows = []
    for i in indicators:
        with _naming(tasks[i.task.pk].title):
            rows.append(
                indicator_row(
                    task=tasks[i.task.pk],
                    name=i.name,
                    unit_of_measure=i.unit_of_measure,
                    baseline=i.baseline,
                    target=i.target,
                    baseline_date=i.baseline_date,
                    target_date=i.target_date,
                    direction=i.direction,
                )
            )
    made = Indicator.objects.bulk_create(rows)
    inputs_changed(task_ids=list(tasks))
    record_many(
        Pending(
            action="create", obj=i, changes={k: [None, v] for k, v in snapshot(i, INDICATOR_FIELDS).items()}
        )
        for i in made
    )
    return made


@transaction.atomic
def transition_tasks(
    *, tasks: Sequence[Task], to_status: str, user: Any, reason: str = "", now: dt.datetime | None = None
) -> list[Task]:
    """``transition`` for many tasks to one status: the ``user`` may take every step
    (``access.require_transition`` on each task as loaded: PermissionDenied; ``user=None`` is the system)
    and every step is allowed (and explained where it must be) before any is taken; one conditional
    UPDATE per status the tasks come from; the tasks passed in get their new status and version."""
    ids = [t.pk for t in tasks]
    if len(set(ids)) != len(ids):
        raise TaskError(
            "task_twice", "同一任务在一批中出现了多次。", "A task appears more than once in one batch."
        )
    current: dict[int, Task] = {}
    for chunk in _chunks(ids):
        current.update((t.pk, t) for t in Task.objects.filter(pk__in=chunk))
    by_status: dict[str, list[Task]] = defaultdict(list)
    for pk in ids:
        task = current[pk]
        if user is not None:
            require_transition(user, task, to_status)
        with _naming(task.title):
            reason = check_step(from_status=task.status, to_status=to_status, reason=reason)
        by_status[task.status].append(task)
    for from_status, group in by_status.items():
        for version in {t.version for t in group}:
            same = [t.pk for t in group if t.version == version]
            for chunk in _chunks(same):
                changed = Task.objects.filter(pk__in=chunk, version=version, status=from_status).update(
                    status=to_status, version=F("version") + 1
                )
                if changed != len(chunk):
                    raise stale(current[chunk[0]])
    inputs_changed(task_ids=ids)
    at = now or timezone.now()
    steps = Transition.objects.bulk_create(
        [
            Transition(
                task_id=pk,
                from_status=current[pk].status,
                to_status=to_status,
                by=actor(user),
                at=at,
                reason=reason,
            )
            for pk in ids
        ]
    )
    for task in tasks:
        task.status, task.version = to_status, current[task.pk].version + 1
    record_many(
        Pending(
            action="transition",
            obj=task,
            actor=user,
            at=step.at,
            note=reason,
            changes={"status": [step.from_status, to_status]},
        )
        for task, step in zip(tasks, steps, strict=True)
    )
    return list(tasks)


@transaction.atomic
def cascade_all(*, divisions: Sequence[tuple[Assignment, list[Share]]]) -> list[Assignment]:
    """``cascade`` for many assignments: each division checked against its task as it stands plus the
    shares of the divisions before it in the list, then every share written in one bulk insert."""
    task_ids = {a.task_id for a, _shares in divisions}
    on_task: dict[int, dict[int, str]] = defaultdict(dict)
    indicators: dict[int, set[int]] = defaultdict(set)
    for chunk in _chunks(list(task_ids)):
        for task_id, unit_id, role in Assignment.objects.filter(task_id__in=chunk).values_list(
            "task_id", "unit_id", "role"
        ):
            on_task[task_id][unit_id] = role
        for task_id, pk in Indicator.objects.filter(task_id__in=chunk).values_list("task_id", "pk"):
            indicators[task_id].add(pk)
    units = _unit_tree(
        {a.unit_id for a, _s in divisions} | {s.unit.pk for _a, shares in divisions for s in shares}
    )
    rows: list[Assignment] = []
    notes: list[str] = []
    for assignment, shares in divisions:
        with _naming(assignment.task.title):
            check_division(assignment, shares)
        for share in shares:
            with _naming(assignment.task.title):
                row = share_row(
                    assignment,
                    share,
                    on_task=on_task[assignment.task_id],
                    indicators=indicators[assignment.task_id],
                    units=units,
                )
            on_task[assignment.task_id][row.unit_id] = row.role
            rows.append(row)
            notes.append(
                f"分解自 #{assignment.pk}（{units[assignment.unit_id]}） / cascaded from #{assignment.pk}"
            )
    made = Assignment.objects.bulk_create(rows)
    inputs_changed(task_ids={row.task_id for row in made})  # the shares and the parts they roll up into
    record_many(
        Pending(
            action="create",
            obj=row,
            changes={
                "task": [None, row.task_id],
                "unit": [None, row.unit_id],
                "parent": [None, row.parent_id],
                "weight": [None, row.weight],
                "deadline": [None, row.deadline],
                "indicator_targets": [None, row.indicator_targets],
            },
            note=note,
        )
        for row, note in zip(made, notes, strict=True)
    )
    return made


@contextmanager
def _naming(title: str) -> Iterator[None]:
    """A refusal of one row of a set names the task it concerns (unless its message does already)."""
    try:
        yield
    except TaskError as exc:
        if not title or title in exc.message_zh:
            raise
        raise TaskError(
            exc.code, f"任务“{title}”：{exc.message_zh}", f"Task '{title}': {exc.message_en}", field=exc.field
        ) from exc


def _locked_tasks(ids: set[int]) -> dict[int, Task]:
    out: dict[int, Task] = {}
    for chunk in _chunks(sorted(ids)):
        out.update((t.pk, t) for t in Task.objects.select_for_update().filter(pk__in=chunk))
    return out


def _unit_tree(ids: set[int]) -> dict[int, Unit]:
    """The units and all their ancestors, each linked to its loaded parent (no query per step up)."""
    units: dict[int, Unit] = {}
    wanted = set(ids)
    while wanted:
        found = list(Unit.objects.filter(pk__in=list(wanted)))
        units.update((u.pk, u) for u in found)
        wanted = {u.parent_id for u in found if u.parent_id is not None} - set(units)
    for unit in units.values():
        if unit.parent_id is not None:
            unit.parent = units[unit.parent_id]
    return units


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    return (ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK))
