"""Dividing an assignment among lower-level units (任务分解), and rolling progress back up."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction

from luoshi.audit.services import record
from luoshi.tasks.access import TASKS
from luoshi.tasks.errors import TaskError
from luoshi.tasks.models import Assignment, Indicator
from luoshi.tasks.signals import inputs_changed
from luoshi.tasks.validation import check_open, clean_weight, to_decimal
from luoshi.units.models import Unit

# Higher number, lower level.
LEVEL_RANK = {"central": 0, "region": 1, "league_city": 2, "county": 3}
# A catalog's stand-in for "all leagues and cities" (各盟市): one unit of their level, not above them.
COLLECTIVE_KIND = "local_government"


@dataclass
class Share:
    """One lower-level unit's part of an assignment.

    ``weight`` is relative to the other shares of the same assignment (they
    need not add up to 1 or 100). ``indicator_targets`` maps an indicator id
    of the task to this unit's target for it.
    """

    unit: Unit
    weight: Decimal | float | int | str
    deadline: dt.date
    indicator_targets: dict[int, Any] = field(default_factory=dict)


def is_lower_unit(unit: Unit, *, above: Unit) -> bool:
    """Whether ``unit`` may take a share of work assigned to ``above``.

    1. A unit below ``above`` in the hierarchy (a county of its city) may.
    2. Under a region (or central) body, any unit of a lower level may: a
       region department's task is divided among the leagues and cities
       (盟市) and counties, which are not its children.
    3. Under the collective "all leagues/cities" unit (各盟市), each league
       or city (and anything below it) may.
    A league or city never takes work from a sibling league or city, nor a
    county from another city.
    """
    if unit.pk == above.pk:
        return False
    if _is_descendant(unit, of=above):
        return True
    unit_rank, above_rank = LEVEL_RANK.get(unit.level, -1), LEVEL_RANK.get(above.level, -1)
    if above.level in {"central", "region"}:
        return unit_rank > above_rank
    if above.kind == COLLECTIVE_KIND:
        return unit.kind != COLLECTIVE_KIND and unit_rank >= above_rank
    return False


def _is_descendant(unit: Unit, *, of: Unit) -> bool:
    seen: set[int] = set()
    current = unit.parent
    while current is not None and current.pk not in seen:
        if current.pk == of.pk:
            return True
        seen.add(current.pk)
        current = current.parent
    return False


@transaction.atomic
def cascade(*, assignment: Assignment, shares: list[Share], by: Any = None) -> list[Assignment]:
    """Divide a lead assignment (or a share, again) among lower-level units.

    0. Refuse (403) ``by`` unless it may divide the assignment (``tasks.divide``: the office, or
       the unit holding it); ``by=None`` is the system itself (a script, the tests' setup).
    1. Refuse co-unit assignments, final tasks, an empty list and a unit named twice.
    2. Each share: a lower-level unit (``is_lower_unit``) not yet on the task,
       a positive weight, a deadline within [task start, the assignment's
       deadline], targets only for the task's own indicators.
    3. Create one Assignment(role "share", parent=assignment) per share, in the given order.
    """
    if by is not None:
        TASKS["divide"].require(by, assignment)
    task = assignment.task
    check_division(assignment, shares)
    on_task = dict(task.assignments.values_list("unit_id", "role"))
    indicators = set(Indicator.objects.filter(task=task).values_list("pk", flat=True))
    rows = [
        _share_row(assignment, share, index, on_task=on_task, indicators=indicators)
        for index, share in enumerate(shares)
    ]
    created = Assignment.objects.bulk_create(rows)
    inputs_changed(task_ids=[task.pk])  # the new shares, and the lead whose progress rolls up from them
    for row in created:
        record(
            action="create",
            obj=row,
            changes={
                "task": [None, task.pk],
                "unit": [None, row.unit_id],
                "parent": [None, assignment.pk],
                "weight": [None, row.weight],
                "deadline": [None, row.deadline],
                "indicator_targets": [None, row.indicator_targets],
            },
            note=f"分解自 #{assignment.pk}（{assignment.unit}） / cascaded from #{assignment.pk}",
        )
    return created


def check_division(assignment: Assignment, shares: list[Share]) -> None:
    """Refuse dividing a co-unit's part or a final task's, an empty division and a unit named twice."""
    check_open(assignment.task)
    if assignment.role == Assignment.Role.CO:
        raise TaskError(
            "cascade_needs_lead",
            "只有牵头单位（或其下级承担单位）可以分解任务。",
            "Only the lead unit (or a unit holding a share) can divide a task.",
        )
    if not shares:
        raise TaskError(
            "no_shares", "请至少指定一个承担分解任务的单位。", "Name at least one unit to share the task."
        )
    names = [s.unit.pk for s in shares]
    if len(set(names)) != len(names):
        raise TaskError(
            "unit_twice", "同一单位在分解中出现了多次。", "A unit appears more than once in the division."
        )


def _share_row(
    parent: Assignment, share: Share, index: int, *, on_task: dict[int, str], indicators: set[int]
) -> Assignment:
    """``share_row``, its refusal naming the share's argument as "shares.<index>.<argument>"."""
    try:
        return share_row(parent, share, on_task=on_task, indicators=indicators)
    except TaskError as exc:
        if exc.field is not None:
            exc.field = f"shares.{index}.{exc.field}"
        raise


def share_row(
    parent: Assignment,
    share: Share,
    *,
    on_task: dict[int, str],
    indicators: set[int],
    units: Mapping[int, Unit] | None = None,
) -> Assignment:
    """An unsaved share of ``parent`` for one lower-level unit, checked (``units``: loaded with parents)."""
    task = parent.task
    unit = units.get(share.unit.pk, share.unit) if units else share.unit
    above = units.get(parent.unit_id, parent.unit) if units else parent.unit
    if above.catalog and unit.catalog and unit.catalog != above.catalog:
        raise TaskError(
            "other_catalog",
            f"{unit}与{above}不属于同一单位目录。",
            f"{unit} and {above} belong to different unit catalogs.",
        )
    if not is_lower_unit(unit, above=above):
        raise TaskError(
            "not_lower_level",
            f"{unit}不是{above}的下级单位，不能承担其分解任务。",
            f"{unit} is not below {above}, so it cannot take a share of its task.",
        )
    if unit.pk in on_task:
        raise TaskError(
            "unit_already_assigned",
            f"{unit}已承担本任务。",
            f"{unit} already has a part in this task.",
            field="unit",
        )
    if not task.start_date <= share.deadline <= parent.deadline:
        raise TaskError(
            "share_deadline",
            f"{unit}的时限 {share.deadline} 须在 {task.start_date} 至 {parent.deadline} 之间。",
            f"The deadline {share.deadline} of {unit} must be within {task.start_date} – {parent.deadline}.",
        )
    targets: dict[str, float] = {}
    for indicator_id, target in share.indicator_targets.items():
        if int(indicator_id) not in indicators:
            raise TaskError(
                "unknown_indicator",
                f"指标 #{indicator_id} 不属于本任务。",
                f"Indicator #{indicator_id} does not belong to this task.",
            )
        targets[str(int(indicator_id))] = float(
            to_decimal(target, what_zh="指标目标值", what_en="indicator target")
        )
    return Assignment(
        task=task,
        unit=unit,
        role=Assignment.Role.SHARE,
        parent=parent,
        weight=clean_weight(share.weight),
        deadline=share.deadline,
        indicator_targets=targets,
    )


def rolled_up_progress(*, assignment: Assignment, values: Mapping[int, float]) -> float:
    """The progress (0..100) of an assignment, rolled up from its shares by weight.

    ``values`` maps an assignment id to that assignment's own reported
    progress (0..100), e.g. from each one's latest counting report.

    1. An assignment without shares: its own value; 0 when it has none.
    2. An assignment with shares: the weighted mean of its shares' rolled-up
       progress, sum(weight × progress) / sum(weight); its own value is not
       used, since the work is done by the units it was divided among. A share
       that has not reported counts as 0.
    Nested shares (a city's share divided among its counties) roll up the
    same way, level by level. One query loads the task's assignments.
    """
    rows = Assignment.objects.filter(task_id=assignment.task_id).values_list("pk", "parent_id", "weight")
    children: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
    for pk, parent_id, weight in rows:
        if parent_id is not None:
            children[parent_id].append((pk, weight))
    return _roll_up(assignment.pk, children, values, seen=set())


def _roll_up(
    pk: int, children: dict[int, list[tuple[int, Decimal]]], values: Mapping[int, float], *, seen: set[int]
) -> float:
    shares = children.get(pk)
    if not shares or pk in seen:
        return float(values.get(pk, 0.0))
    seen.add(pk)
    total = sum(float(w) for _, w in shares)
    return sum(float(w) * _roll_up(child, children, values, seen=seen) for child, w in shares) / total
