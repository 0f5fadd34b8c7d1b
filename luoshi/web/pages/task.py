"""A task's page: its source words, its plan and lifecycle, its owners and their trajectory (progress and
indicators), its division among lower units, reports, ratings and history, and what the supervision
office does about it: overrides, evaluation, measures, urgings.

Everything is limited to the assignments the user may see: a liaison of a
co-unit sees its own line only, never the other units' reports, ratings,
urgings or measures. The office's forms are offered by role (``may_*``); the
views check again and the services check once more.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from luoshi.accountability.models import Measure
from luoshi.accountability.services import Suggestion, measures_for_task, suggest_measures
from luoshi.accounts.models import Role
from luoshi.accounts.scope import (
    UNIT_ROLES,
    can,
    require_transition,
    role_of,
    sees_all,
    unit_of,
    visible_assignments,
)
from luoshi.audit.models import AuditEntry
from luoshi.audit.services import entries_for
from luoshi.evaluation.models import Evaluation, Evaluator
from luoshi.evaluation.services import can_evaluate, evaluation_history
from luoshi.ratings.models import Rating
from luoshi.ratings.services import rating_history
from luoshi.reports.queries import PeriodReports, reports_for_task
from luoshi.reports.services import REPORTING_STATUSES
from luoshi.supervision.models import ExtensionRequest, Urging, Warning
from luoshi.supervision.services import extension_history, warnings_for
from luoshi.tasks.cascade import is_lower_unit
from luoshi.tasks.lifecycle import ALLOWED
from luoshi.tasks.models import Assignment, Indicator, Milestone, Status, Task, Transition
from luoshi.tasks.validation import FINAL
from luoshi.units.models import Unit
from luoshi.web.pages.ratings import rating_or_none
from luoshi.web.pages.trajectory import IndicatorTrajectory, TaskTrajectory, shown, task_trajectory

ROLE_ORDER: dict[str, int] = {Assignment.Role.LEAD: 0, Assignment.Role.CO: 1, Assignment.Role.SHARE: 2}


@dataclass(frozen=True)
class Run:
    text: str
    marked: bool


@dataclass
class Owner:
    assignment: Assignment
    rating: Rating | None
    history: list[Rating]
    extensions: list[ExtensionRequest]
    may_request_extension: bool


@dataclass
class EvaluationSection:
    """Effect evaluation (跟踪问效): the history, who is designated, and what the user may do."""

    task: Task
    history: list[Evaluation]
    evaluators: list[Evaluator]
    may_designate: bool  # the supervision office
    may_evaluate: bool  # the office or a designated evaluator
    completed: bool  # only a completed task is evaluated

    @property
    def may_record(self) -> bool:
        return self.may_evaluate and self.completed


@dataclass
class AccountabilitySection:
    """Measures (监督问责) naming the task as the user may see them; suggestions for the office."""

    task: Task
    measures: list[Measure]
    suggestions: list[Suggestion]
    may_record: bool


@dataclass
class PlanSection:
    """The task's plan (dates, cadence, milestones, indicators) and lifecycle, with what the user may change."""

    task: Task
    milestones: list[Milestone]
    indicators: list[IndicatorTrajectory]
    transitions: list[Transition]
    steps: list[str]  # the statuses the user may move the task to now
    may_edit: bool  # the "assign" permission, on a task still open


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


@dataclass
class TaskPage:
    task: Task
    source: list[Run]
    plan: PlanSection
    cascade: CascadeSection
    owners: list[Owner]
    trajectory: TaskTrajectory
    periods: list[PeriodReports]
    warnings: list[Warning]
    evaluation: EvaluationSection
    accountability: AccountabilitySection
    urgings: list[Urging]
    may_rate: bool = False
    audit: list[AuditEntry] = field(default_factory=list)
    show_audit: bool = False


def source_runs(task: Task) -> list[Run]:
    """The paragraph(s) of the decision around the task's spans, the spans marked; the task text without spans."""
    spans = sorted((int(s[0]), int(s[1])) for s in task.spans if len(s) >= 2 and s[1] > s[0])
    text = task.document.text
    if not spans or spans[-1][1] > len(text):
        return [Run(task.text, False)]
    begin = text.rfind("\n", 0, spans[0][0]) + 1
    end = text.find("\n", spans[-1][1])
    end = len(text) if end < 0 else end
    runs: list[Run] = []
    pos = begin
    for start, stop in spans:
        if start < pos:
            continue
        if start > pos:
            runs.append(Run(text[pos:start], False))
        runs.append(Run(text[start:stop], True))
        pos = stop
    if pos < end:
        runs.append(Run(text[pos:end], False))
    return runs


def _may_request_extension(user: Any, assignment: Assignment) -> bool:
    return (role_of(user) == Role.LIAISON and unit_of(user) == assignment.unit
            and assignment.task.status in REPORTING_STATUSES)


def owner_for(*, user: Any, assignment: Assignment, today: dt.date) -> Owner:
    """One owner's block: the effective rating, every stored rating (who overrode, why) and extensions."""
    return Owner(assignment, rating_or_none(assignment=assignment, as_of=today), rating_history(assignment=assignment),
                 list(extension_history(assignment=assignment).select_related("requested_by", "decided_by")),
                 _may_request_extension(user, assignment))


def evaluation_section(*, user: Any, task: Task) -> EvaluationSection:
    may_designate = can(user, "rate")
    return EvaluationSection(
        task=task,
        history=evaluation_history(task=task),
        evaluators=list(Evaluator.objects.filter(task=task).select_related("user").order_by("designated_at", "id"))
        if may_designate else [],
        may_designate=may_designate,
        may_evaluate=can_evaluate(user, task),
        completed=task.status == Status.COMPLETED,
    )


def evaluator_candidates(task: Task) -> QuerySet[User]:
    """Whom the office may designate: active people who can open the task and do not evaluate already.

    Leaders see every task; a liaison or unit head only the tasks of the unit,
    so only those of the task's units are offered.
    """
    units = Assignment.objects.filter(task=task).values("unit_id")
    return (User.objects.filter(is_active=True, is_superuser=False)
            .filter(Q(profile__role=Role.LEADER) | Q(profile__role__in=UNIT_ROLES, profile__unit_id__in=units))
            .exclude(pk__in=Evaluator.objects.filter(task=task).values("user_id"))
            .select_related("profile__unit").order_by("username"))


def task_units(task: Task) -> QuerySet[Unit]:
    """The units with an assignment in the task: those a measure on this page may name."""
    return Unit.objects.filter(assignments__task=task).distinct().order_by("name")


def accountability_section(*, user: Any, task: Task, today: dt.date) -> AccountabilitySection:
    """Measures naming the task (a unit's people see those naming their unit); the office also gets
    the suggestions for this task's assignments (``suggest_measures`` looks at every open task, then
    this one's are kept)."""
    measures = measures_for_task(task=task)
    if not sees_all(user):
        unit = unit_of(user)
        measures = [m for m in measures if unit is not None and unit in list(m.units.all())]
    may_record = can(user, "rate")
    suggestions = [s for s in suggest_measures(as_of=today) if s.assignment.task_id == task.pk] if may_record else []
    return AccountabilitySection(task=task, measures=measures, suggestions=suggestions, may_record=may_record)


def urgings_for(*, user: Any, task: Task) -> list[Urging]:
    """The urgings (催办) of the task's assignments the user may see, newest first, with any response."""
    return list(Urging.objects.filter(assignment__in=visible_assignments(user).filter(task=task))
                .select_related("assignment__unit", "obligation", "responded_by", "escalation")
                .order_by("-created_at", "-id"))


# The order in which the lifecycle's steps are offered; cancelling comes last.
STEP_ORDER = (Status.ASSIGNED, Status.IN_PROGRESS, Status.COMPLETION_REQUESTED, Status.COMPLETED, Status.CANCELLED)


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
    """The plan and lifecycle block; ``indicators`` when the caller has them already."""
    if indicators is None:
        indicators = list(task.indicators.all())
    return PlanSection(
        task=task,
        milestones=list(task.milestones.all()),
        indicators=[IndicatorTrajectory(i) for i in indicators],
        transitions=list(task.transitions.select_related("by")),
        steps=allowed_steps(user, task),
        may_edit=can(user, "assign") and task.status not in FINAL,
    )


def may_divide(user: Any, assignment: Assignment) -> bool:
    """Who may divide an assignment among lower units: the office, or the people of the unit holding it.
    (Which assignments can be divided, and when, is the cascade service's business.)"""
    if can(user, "assign"):
        return True
    unit = unit_of(user)
    return role_of(user) in UNIT_ROLES and unit is not None and unit.pk == assignment.unit_id


def cascade_section(*, user: Any, task: Task, assignments: list[Assignment],
                    indicators: list[Indicator] | None = None) -> CascadeSection:
    """The lead and share assignments among ``assignments`` (those the user sees) with their shares;
    a form's units for each one the user may divide while the task is open.

    A unit sees the shares it gave out even though they are other units' assignments: it divided
    the work and answers for it. Three queries, whatever the number of assignments.
    """
    if indicators is None:
        indicators = list(task.indicators.all())
    parents = [a for a in assignments if a.role in (Assignment.Role.LEAD, Assignment.Role.SHARE)]
    children: dict[int, list[Assignment]] = {}
    for share in (Assignment.objects.filter(task=task, parent__in=[p.pk for p in parents])
                  .select_related("unit").order_by("pk")):
        children.setdefault(share.parent_id or 0, []).append(share)
    dividers = {p.pk for p in parents if task.status not in FINAL and may_divide(user, p)}
    units = _units_for_division(task, {p.unit.catalog for p in parents if p.pk in dividers}) if dividers else []
    divisions = []
    for parent in parents:
        shares = [ShareLine(a, shown(a.weight.normalize()), _targets(a, indicators)) for a in children.get(parent.pk, [])]
        if shares or parent.pk in dividers:
            candidates = [u for u in units if _may_take(u, parent)] if parent.pk in dividers else []
            divisions.append(Division(parent, shares, parent.pk in dividers, candidates))
    return CascadeSection(task, divisions, indicators)


def division_units(*, assignment: Assignment) -> list[Unit]:
    """The units that may take a share of the assignment (lower level, same catalog, not yet on the task)."""
    return [u for u in _units_for_division(assignment.task, {assignment.unit.catalog}) if _may_take(u, assignment)]


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


def visible_owners(user: Any, task: Task) -> list[Assignment]:
    """The task's assignments the user sees: lead, co-units, shares."""
    return sorted(visible_assignments(user).filter(task=task).select_related("task", "unit", "parent"),
                  key=lambda a: (ROLE_ORDER.get(a.role, 3), a.pk))


def trajectory_for(*, user: Any, task: Task) -> TaskTrajectory:
    """The trajectory section alone (re-drawn after the plan changes)."""
    return task_trajectory(task_id=task.pk, assignments=visible_owners(user, task),
                           indicators=list(task.indicators.all()))


def task_page(*, user: Any, task: Task, today: dt.date) -> TaskPage:
    """Build the page for a task the user may see (fetched with ``get_task_for``)."""
    assignments = visible_owners(user, task)
    indicators = list(task.indicators.all())
    visible = {a.pk for a in assignments}
    owners = [owner_for(user=user, assignment=a, today=today) for a in assignments]
    periods = []
    for period in reports_for_task(task=task):
        units = [u for u in period.units if u.assignment.pk in visible and u.obligation is not None]
        if units:
            periods.append(PeriodReports(period.key, period.start, period.end, period.due, units))
    show_audit = can(user, "rate")
    return TaskPage(
        task=task,
        source=source_runs(task),
        plan=plan_section(user=user, task=task, indicators=indicators),
        cascade=cascade_section(user=user, task=task, assignments=assignments, indicators=indicators),
        owners=owners,
        trajectory=task_trajectory(task_id=task.pk, assignments=assignments, indicators=indicators),
        periods=periods,
        warnings=[w for w in warnings_for(task=task) if w.assignment_id in visible],
        evaluation=evaluation_section(user=user, task=task),
        accountability=accountability_section(user=user, task=task, today=today),
        urgings=urgings_for(user=user, task=task),
        may_rate=show_audit,
        audit=list(entries_for(task).select_related("actor")) if show_audit else [],
        show_audit=show_audit,
    )
