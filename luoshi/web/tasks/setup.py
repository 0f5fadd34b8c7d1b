"""The task's setup on its page: the plan (dates, cadence, milestones, indicators), the lifecycle
steps the user may take, the division among lower units (分解下达), and the indicators the
decision's own words suggest.

As on the rest of the page, the forms are offered by role (``may_*``); the
views check again and the services check once more.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from luoshi.accounts.scope import can
from luoshi.decomposition.schedule import SuggestedIndicator, suggest_indicators
from luoshi.tasks.access import may_divide, require_transition
from luoshi.tasks.cascade import is_lower_unit
from luoshi.tasks.lifecycle import ALLOWED
from luoshi.tasks.models import Assignment, Indicator, Milestone, Status, Task, Transition
from luoshi.tasks.validation import FINAL
from luoshi.units.models import Unit
from luoshi.web.tasks.trajectory import IndicatorTrajectory, shown


@dataclass
class PlanSection:
    """The task's plan (dates, cadence, milestones, indicators) and lifecycle, with what the user may change."""

    task: Task
    milestones: list[Milestone]
    indicators: list[IndicatorTrajectory]
    transitions: list[Transition]
    steps: list[str]  # the statuses the user may move the task to now
    may_edit: bool  # the "assign" permission, on a task still open
    suggestions: list[SuggestedIndicator] = field(default_factory=list)  # for those who may edit


@dataclass
class ShareLine:
    """A lower unit's share: its assignment and its indicator targets as the page shows them."""

    assignment: Assignment
    weight: str
    targets: list[tuple[Indicator, str]]


@dataclass
class Division:
    """An assignment divided (分解下达) or divisible by the user: its shares, and the units that may take one."""

    assignment: Assignment
    shares: list[ShareLine]
    may_divide: bool
    candidates: list[Unit]


@dataclass
class CascadeSection:
    task: Task
    divisions: list[Division]
    indicators: list[Indicator]


# The order in which the lifecycle's steps are offered; cancelling comes last.
STEP_ORDER = (
    Status.ASSIGNED,
    Status.IN_PROGRESS,
    Status.COMPLETION_REQUESTED,
    Status.COMPLETED,
    Status.CANCELLED,
)


def allowed_steps(user: Any, task: Task) -> list[str]:
    """The statuses the user may move the task to from its current one (lifecycle and role both allow)."""
    steps: list[str] = []
    for to_status in STEP_ORDER:
        if to_status not in ALLOWED.get(task.status, frozenset()):
            continue
        try:
            require_transition(user, task, to_status)
        except PermissionDenied:
            continue
        steps.append(to_status)
    return steps


def plan_section(*, user: Any, task: Task, indicators: list[Indicator] | None = None) -> PlanSection:
    """The plan and lifecycle block, with the indicators the task's words suggest to those who may
    edit it; ``indicators`` when the caller has them already."""
    if indicators is None:
        indicators = list(task.indicators.all())
    may_edit = can(user, "assign") and task.status not in FINAL
    return PlanSection(
        task=task,
        milestones=list(task.milestones.all()),
        indicators=[IndicatorTrajectory(i) for i in indicators],
        transitions=list(task.transitions.select_related("by")),
        steps=allowed_steps(user, task),
        may_edit=may_edit,
        suggestions=suggested_indicators(task, indicators=indicators) if may_edit else [],
    )


def cascade_section(
    *, user: Any, task: Task, assignments: list[Assignment], indicators: list[Indicator] | None = None
) -> CascadeSection:
    """The lead and share assignments among ``assignments`` (those the user sees) with their shares;
    a form's units for each one the user may divide while the task is open.

    A unit sees the shares it gave out even though they are other units' assignments: it divided
    the work and answers for it. Three queries, whatever the number of assignments.
    """
    if indicators is None:
        indicators = list(task.indicators.all())
    parents = [a for a in assignments if a.role in (Assignment.Role.LEAD, Assignment.Role.SHARE)]
    children: dict[int, list[Assignment]] = {}
    for share in (
        Assignment.objects.filter(task=task, parent__in=[p.pk for p in parents])
        .select_related("unit")
        .order_by("pk")
    ):
        children.setdefault(share.parent_id or 0, []).append(share)
    dividers = {p.pk for p in parents if task.status not in FINAL and may_divide(user, p)}
    units = (
        _units_for_division(task, {p.unit.catalog for p in parents if p.pk in dividers}) if dividers else []
    )
    divisions = []
    for parent in parents:
        shares = [
            ShareLine(a, shown(a.weight.normalize()), _targets(a, indicators))
            for a in children.get(parent.pk, [])
        ]
        if shares or parent.pk in dividers:
            candidates = [u for u in units if _may_take(u, parent)] if parent.pk in dividers else []
            divisions.append(Division(parent, shares, parent.pk in dividers, candidates))
    return CascadeSection(task, divisions, indicators)


def division_units(*, assignment: Assignment) -> list[Unit]:
    """The units that may take a share of the assignment (lower level, same catalog, not yet on the task)."""
    return [
        u for u in _units_for_division(assignment.task, {assignment.unit.catalog}) if _may_take(u, assignment)
    ]


def _units_for_division(task: Task, catalogs: set[str]) -> list[Unit]:
    """Active units of the catalogs not yet on the task, each with its chain of parents loaded
    (``is_lower_unit`` walks it)."""
    every = {u.pk: u for u in Unit.objects.filter(Q(catalog__in=catalogs) | Q(catalog=""))}
    for unit in every.values():
        if unit.parent_id is not None and unit.parent_id in every:
            unit.parent = every[unit.parent_id]
    taken = set(Assignment.objects.filter(task=task).values_list("unit_id", flat=True))
    return [u for u in every.values() if u.active and u.pk not in taken]


def _may_take(unit: Unit, parent: Assignment) -> bool:
    above = parent.unit
    if above.catalog and unit.catalog and unit.catalog != above.catalog:
        return False
    return is_lower_unit(unit, above=above)


def _targets(share: Assignment, indicators: list[Indicator]) -> list[tuple[Indicator, str]]:
    out = []
    for indicator in indicators:
        raw = share.indicator_targets.get(str(indicator.pk))
        if isinstance(raw, dict):
            raw = raw.get("target")
        try:
            out.append((indicator, shown(Decimal(str(raw)).normalize())))
        except (InvalidOperation, ValueError):
            continue  # none set for this indicator
    return out


def suggested_indicators(
    task: Task, *, indicators: Sequence[Indicator] | None = None
) -> list[SuggestedIndicator]:
    """The indicators the task's source words suggest (``suggest_indicators`` over its plan task's
    targets) whose name is not yet that of one of ``indicators`` (the task's, when not given)."""
    source = task.plan_task
    if source is None:
        return []
    if indicators is None:
        indicators = list(task.indicators.all())
    return suggest_indicators(source.targets, taken=[i.name for i in indicators])
