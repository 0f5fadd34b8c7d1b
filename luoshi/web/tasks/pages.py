"""A task's page: its source words, its owners and their trajectory (progress and indicators), reports,
ratings and history, and what the supervision office does about it: overrides, evaluation, measures,
urgings. The plan, the lifecycle steps and the division among lower units are in ``setup``.

Everything is limited to the assignments the user may see: a liaison of a
co-unit sees its own line only, never the other units' reports, ratings,
urgings or measures. The office's forms are offered by role (``may_*``); the
views check again and the services check once more.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from luoshi.accountability.models import Measure
from luoshi.accountability.services import Suggestion, measures_for_task, suggest_measures
from luoshi.accounts.scope import can, sees_all, unit_of
from luoshi.audit.services import entries_for
from luoshi.documents.runs import Run, text_runs
from luoshi.evaluation.access import can_evaluate, may_designate
from luoshi.evaluation.models import Evaluation, Evaluator
from luoshi.evaluation.services import evaluation_history
from luoshi.ratings.models import Rating
from luoshi.ratings.services import rating_histories, ratings_or_none
from luoshi.reports.queries import PeriodReports, reports_for_task
from luoshi.reports.services import REPORTING_STATUSES
from luoshi.supervision.access import may_request_extension
from luoshi.supervision.models import ExtensionRequest, Urging, Warning
from luoshi.supervision.services import extension_histories, warnings_for
from luoshi.tasks.access import visible_assignments
from luoshi.tasks.models import Assignment, Status, Task
from luoshi.units.models import Unit
from luoshi.web.audit.pages import AuditRow, audit_row
from luoshi.web.audit.words import Words
from luoshi.web.tasks.setup import CascadeSection, PlanSection, cascade_section, plan_section
from luoshi.web.tasks.trajectory import TaskTrajectory, task_trajectory

ROLE_ORDER: dict[str, int] = {Assignment.Role.LEAD: 0, Assignment.Role.CO: 1, Assignment.Role.SHARE: 2}


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
class TaskPage:
    task: Task
    source: list[Run[bool]]
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
    audit: list[AuditRow] = field(default_factory=list)
    show_audit: bool = False
    periods_hidden: int = 0  # earlier periods left out (?periods=all shows them)


PERIODS_SHOWN = 6


def source_runs(task: Task) -> list[Run[bool]]:
    """The paragraph(s) of the decision around the task's spans, the spans marked; the task text without spans."""
    spans = sorted((int(s[0]), int(s[1])) for s in task.spans if len(s) >= 2 and s[1] > s[0])
    text = task.document.text
    if not spans or spans[-1][1] > len(text):
        return [Run(task.text, 0)]
    begin = text.rfind("\n", 0, spans[0][0]) + 1
    end = text.find("\n", spans[-1][1])
    end = len(text) if end < 0 else end
    return text_runs(text, [(start, stop, True) for start, stop in spans], begin=begin, end=end)


def _may_request_extension(user: Any, assignment: Assignment) -> bool:
    return may_request_extension(user, assignment) and assignment.task.status in REPORTING_STATUSES


def owner_for(*, user: Any, assignment: Assignment, today: dt.date) -> Owner:
    """One owner's block: the effective rating, every stored rating (who overrode, why) and extensions."""
    return owners_for(user=user, assignments=[assignment], today=today)[0]


def owners_for(*, user: Any, assignments: list[Assignment], today: dt.date) -> list[Owner]:
    """Every owner's block of a task in a fixed number of queries (ratings, histories, extensions set-wise)."""
    ratings = ratings_or_none(assignments=assignments, as_of=today)
    history = rating_histories(assignments=assignments)
    extensions = extension_histories(assignments=assignments)
    return [
        Owner(a, ratings[a.pk], history[a.pk], extensions[a.pk], _may_request_extension(user, a))
        for a in assignments
    ]


def evaluation_section(*, user: Any, task: Task) -> EvaluationSection:
    designates = may_designate(user)
    return EvaluationSection(
        task=task,
        history=evaluation_history(task=task),
        evaluators=list(
            Evaluator.objects.filter(task=task).select_related("user").order_by("designated_at", "id")
        )
        if designates
        else [],
        may_designate=designates,
        may_evaluate=can_evaluate(user, task),
        completed=task.status == Status.COMPLETED,
    )


def task_units(task: Task) -> QuerySet[Unit]:
    """The units with an assignment in the task: those a measure on this page may name."""
    return Unit.objects.filter(assignments__task=task).distinct().order_by("name")


def accountability_section(*, user: Any, task: Task, today: dt.date) -> AccountabilitySection:
    """Measures naming the task (a unit's people see those naming their unit); the office also gets
    the suggestions for this task's assignments."""
    measures = measures_for_task(task=task)
    if not sees_all(user):
        unit = unit_of(user)
        measures = [m for m in measures if unit is not None and unit in list(m.units.all())]
    may_record = can(user, "rate")
    suggestions = suggest_measures(as_of=today, task=task) if may_record else []
    return AccountabilitySection(task=task, measures=measures, suggestions=suggestions, may_record=may_record)


def urgings_for(*, user: Any, task: Task) -> list[Urging]:
    """The urgings (催办) of the task's assignments the user may see, newest first, with any response."""
    return list(
        Urging.objects.filter(assignment__in=visible_assignments(user).filter(task=task))
        .select_related("assignment__unit", "obligation", "responded_by", "escalation")
        .order_by("-created_at", "-id")
    )


def visible_owners(user: Any, task: Task) -> list[Assignment]:
    """The task's assignments the user sees: lead, co-units, shares."""
    return sorted(
        visible_assignments(user).filter(task=task).select_related("task", "unit", "parent"),
        key=lambda a: (ROLE_ORDER.get(a.role, 3), a.pk),
    )


def trajectory_for(*, user: Any, task: Task) -> TaskTrajectory:
    """The trajectory section alone (re-drawn after the plan changes)."""
    return task_trajectory(
        task_id=task.pk, assignments=visible_owners(user, task), indicators=list(task.indicators.all())
    )


def task_page(*, user: Any, task: Task, today: dt.date, all_periods: bool = False) -> TaskPage:
    """Build the page for a task the user may see (fetched with ``get_task_for``).

    Reports by period: the latest PERIODS_SHOWN periods that have begun (and any not yet begun) unless
    ``all_periods``; a task reported monthly for years would otherwise list hundreds of rows.
    """
    assignments = visible_owners(user, task)
    indicators = list(task.indicators.all())
    visible = {a.pk for a in assignments}
    owners = owners_for(user=user, assignments=assignments, today=today)
    periods = []
    for period in reports_for_task(task=task):
        units = [u for u in period.units if u.assignment.pk in visible and u.obligation is not None]
        if units:
            periods.append(PeriodReports(period.key, period.start, period.end, period.due, units))
    begun = [p for p in periods if p.start <= today]
    hidden = 0 if all_periods else max(0, len(begun) - PERIODS_SHOWN)
    periods = periods[hidden:]
    show_audit = can(user, "rate")
    words = Words()  # one lookup per related object for the whole history
    return TaskPage(
        task=task,
        source=source_runs(task),
        plan=plan_section(user=user, task=task, indicators=indicators),
        cascade=cascade_section(user=user, task=task, assignments=assignments, indicators=indicators),
        owners=owners,
        trajectory=task_trajectory(task_id=task.pk, assignments=assignments, indicators=indicators),
        periods=periods,
        periods_hidden=hidden,
        warnings=[w for w in warnings_for(task=task) if w.assignment_id in visible],
        evaluation=evaluation_section(user=user, task=task),
        accountability=accountability_section(user=user, task=task, today=today),
        urgings=urgings_for(user=user, task=task),
        may_rate=show_audit,
        audit=[audit_row(e, words) for e in entries_for(task).select_related("actor")] if show_audit else [],
        show_audit=show_audit,
    )
