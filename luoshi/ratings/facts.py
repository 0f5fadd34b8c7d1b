"""Gather the rule's inputs from the database: for one assignment or many, in a fixed number of queries.

Everything is read *as of* the rating date, from recorded dates rather than
current states, so a rating for a past date can be recomputed and gives the
same answer: a report counts from the day it was submitted (and, when it
needs approval, from the day it was approved); an obligation is missing on a
date when its due date has passed and nothing was submitted by then; a task
is completed (or cancelled) from the day of that transition.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from luoshi.ratings.rules import IndicatorInput, RatingInputs, TaskState
from luoshi.ratings.trajectory import indicator_expected, indicator_span, planned_progress
from luoshi.reports.models import IndicatorValue, Obligation, Report
from luoshi.tasks.models import Assignment, Status, Task, Transition


def with_plan(assignments: QuerySet[Assignment]) -> QuerySet[Assignment]:
    """Assignments with what their trajectory needs: task, unit, milestones, indicators, transitions."""
    return assignments.select_related("task", "unit").prefetch_related(
        "task__milestones", "task__indicators", "task__transitions"
    )


def day_start(on: dt.date) -> dt.datetime:
    """The first moment of the date in the configured time zone: compared as a moment, an index on the
    column serves (a __date cast is computed row by row)."""
    return timezone.make_aware(dt.datetime.combine(on, dt.time.min))


def day_end(on: dt.date) -> dt.datetime:
    """The first moment after the date, in the configured time zone."""
    return day_start(on + dt.timedelta(days=1))


def local_day(moment: dt.datetime) -> dt.date:
    """The moment's date in the configured time zone (luoshi never activates another one)."""
    if moment.tzinfo is None:
        return moment.date()
    return moment.astimezone(timezone.get_default_timezone()).date()


class Rows(list[Any]):
    """A list read like a prefetched relation (``.all()``), so the rules below take either."""

    def all(self) -> Rows:
        return self


@dataclass(slots=True)
class ValueFacts:
    indicator_id: int
    value: Decimal


@dataclass(slots=True)
class ReportFacts:
    pk: int
    version: int
    submitted_at: dt.datetime
    approval: str
    approved_at: dt.datetime | None
    progress: int
    indicator_values: Rows = field(default_factory=Rows)


@dataclass(slots=True)
class ObligationFacts:
    pk: int
    assignment_id: int
    due_date: dt.date
    period_end: dt.date
    first_submitted_at: dt.datetime | None
    reports: Rows = field(default_factory=Rows)


@dataclass(slots=True)
class TransitionFacts:
    to_status: str
    at: dt.datetime


@dataclass(slots=True)
class AssignmentFacts:
    pk: int
    task_id: int
    unit_id: int
    unit_name: str
    role: str
    parent_id: int | None
    weight: Decimal
    deadline: dt.date


@dataclass(slots=True)
class TaskFacts:
    """A task as the roll-up reads it (plain values; its completing or cancelling transitions only)."""

    pk: int
    number: str
    title: str
    document_id: int
    document_title: str
    section_id: int | None
    heading_path: list[Any]
    status: str
    deadline: dt.date
    start_date: dt.date
    created_at: dt.datetime
    lead_unit_id: int
    lead_unit_name: str
    transitions: Rows = field(default_factory=Rows)
    assignments: Rows = field(default_factory=Rows)


TASK_FIELDS = (
    "pk",
    "number",
    "title",
    "document_id",
    "document__title",
    "section_id",
    "heading_path",
    "status",
    "deadline",
    "start_date",
    "created_at",
    "lead_unit_id",
    "lead_unit__name",
)
ASSIGNMENT_FIELDS = ("pk", "task_id", "unit_id", "unit__name", "role", "parent_id", "weight", "deadline")


def load_tasks(tasks: QuerySet[Task]) -> list[TaskFacts]:
    """The tasks with their assignments (in id order) and end transitions: three queries, no model instances."""
    found = {row[0]: TaskFacts(*row) for row in tasks.order_by("document_id", "id").values_list(*TASK_FIELDS)}
    for row in Assignment.objects.filter(task__in=tasks).order_by("id").values_list(*ASSIGNMENT_FIELDS):
        found[row[1]].assignments.append(AssignmentFacts(*row))
    ends = (
        Transition.objects.filter(task__in=tasks, to_status__in=[Status.COMPLETED, Status.CANCELLED])
        .order_by("at", "id")
        .values_list("task_id", "to_status", "at")
    )
    for task_id, to_status, at in ends:
        found[task_id].transitions.append(TransitionFacts(to_status, at))
    return list(found.values())


ObligationLike = Obligation | ObligationFacts
ReportLike = Report | ReportFacts


def load_facts(*, assignments: Sequence[int], as_of: dt.date) -> dict[int, list[ObligationFacts]]:
    """What ``load_obligations`` gives, as plain rows in three queries: the fast loader for many assignments.

    The same obligations (period started by the date, in due-date order), reports submitted by the date
    (in version order) and their values; nothing else of them is read.
    """
    ids = list(assignments)
    end = day_end(as_of)
    grouped: dict[int, list[ObligationFacts]] = defaultdict(list)
    obligations: dict[int, ObligationFacts] = {}
    rows = (
        Obligation.objects.filter(assignment_id__in=ids, period_start__lte=as_of)
        .order_by("assignment_id", "due_date", "id")
        .values_list("pk", "assignment_id", "due_date", "period_end", "first_submitted_at")
    )
    for pk, assignment_id, due, period_end, first in rows:
        obligations[pk] = ob = ObligationFacts(pk, assignment_id, due, period_end, first)
        grouped[assignment_id].append(ob)
    reports: dict[int, ReportFacts] = {}
    scope = {
        "obligation__assignment_id__in": ids,
        "obligation__period_start__lte": as_of,
        "submitted_at__lt": end,
    }
    for pk, ob_id, version, at, approval, approved_at, progress in (
        Report.objects.filter(**scope)
        .order_by("version", "id")
        .values_list("pk", "obligation_id", "version", "submitted_at", "approval", "approved_at", "progress")
    ):
        reports[pk] = report = ReportFacts(pk, version, at, approval, approved_at, progress)
        obligations[ob_id].reports.append(report)
    values = IndicatorValue.objects.filter(**{f"report__{k}": v for k, v in scope.items()}).order_by("id")
    for report_id, indicator_id, value in values.values_list("report_id", "indicator_id", "value"):
        reports[report_id].indicator_values.append(ValueFacts(indicator_id, value))
    return grouped


def load_obligations(
    *, assignments: Iterable[int] | QuerySet[Assignment], as_of: dt.date
) -> dict[int, list[Obligation]]:
    """Obligations (by assignment id, in due-date order) whose period has started, with the
    reports submitted by the date and their indicator values: three queries."""
    reports = Report.objects.filter(submitted_at__lt=day_end(as_of)).prefetch_related("indicator_values")
    rows = (
        Obligation.objects.filter(assignment__in=assignments, period_start__lte=as_of)
        .prefetch_related(Prefetch("reports", queryset=reports.order_by("version")))
        .order_by("assignment_id", "due_date", "id")
    )
    grouped: dict[int, list[Obligation]] = defaultdict(list)
    for obligation in rows:
        grouped[obligation.assignment_id].append(obligation)
    return grouped


def submitted_on(obligation: ObligationLike, as_of: dt.date) -> dt.date | None:
    """The day the first report for the obligation was submitted, if that was by the date."""
    days = [local_day(r.submitted_at) for r in obligation.reports.all()]
    if obligation.first_submitted_at is not None:
        days.append(local_day(obligation.first_submitted_at))
    days = [d for d in days if d <= as_of]
    return min(days) if days else None


def counts_on(report: ReportLike, as_of: dt.date) -> bool:
    """A report counts when it needs no approval, or once approved (from the approval day)."""
    if local_day(report.submitted_at) > as_of:
        return False
    if report.approval == Report.Approval.NOT_REQUIRED:
        return True
    if report.approval == Report.Approval.APPROVED:
        return report.approved_at is None or local_day(report.approved_at) <= as_of
    return False


def counting_reports(obligations: Sequence[ObligationLike], as_of: dt.date) -> list[ReportLike]:
    """Per obligation the highest counting version, latest period first.

    "Latest" is by period (period end, then due date), not by submission
    time: a late correction of an old period must not hide a newer period.
    """
    out = []
    for obligation in sorted(obligations, key=lambda o: (o.period_end, o.due_date, o.pk), reverse=True):
        versions = [r for r in obligation.reports.all() if counts_on(r, as_of)]
        if versions:
            out.append(max(versions, key=lambda r: r.version))
    return out


def latest_counting_report(obligations: Sequence[Obligation], as_of: dt.date) -> Report | None:
    reports = counting_reports(obligations, as_of)
    return cast(Report, reports[0]) if reports else None


def missed_run(obligations: Sequence[ObligationLike], as_of: dt.date) -> int:
    """Consecutive missing reports counted back from the latest obligation due before the date.

    An obligation is missing when its due date is before the date and nothing
    was submitted by the date; a late submission is not missing and ends the run.
    """
    run = 0
    for obligation in sorted(obligations, key=lambda o: (o.due_date, o.pk), reverse=True):
        if obligation.due_date >= as_of:
            continue  # not yet due (submitting on the due date is on time)
        if submitted_on(obligation, as_of) is not None:
            break
        run += 1
    return run


def task_state(task: Task | TaskFacts, as_of: dt.date) -> str:
    """Completed or cancelled only from the day of that transition (no transition recorded: always)."""
    if task.status not in (Status.COMPLETED, Status.CANCELLED):
        return TaskState.OPEN
    moves = [t.at for t in task.transitions.all() if t.to_status == task.status]
    if moves and local_day(max(moves)) > as_of:
        return TaskState.OPEN
    return TaskState.COMPLETED if task.status == Status.COMPLETED else TaskState.CANCELLED


def build_inputs(
    *, assignment: Assignment, obligations: Sequence[ObligationLike], as_of: dt.date
) -> RatingInputs:
    """The rule's inputs for one assignment from its prefetched plan and obligations."""
    reports = counting_reports(obligations, as_of)
    latest_values: dict[int, Decimal] = {}
    for report in reports:  # latest period first: the first value seen is the latest
        for value in report.indicator_values.all():
            latest_values.setdefault(value.indicator_id, value.value)
    indicators = []
    for indicator in assignment.task.indicators.all():
        baseline, target = indicator_span(indicator=indicator, assignment=assignment)
        indicators.append(
            IndicatorInput(
                indicator_id=indicator.pk,
                name=indicator.name,
                unit_of_measure=indicator.unit_of_measure,
                direction=indicator.direction,
                baseline=baseline,
                target=target,
                expected=indicator_expected(indicator=indicator, on=as_of, assignment=assignment),
                actual=latest_values.get(indicator.pk),
                started=as_of > indicator.baseline_date,
            )
        )
    return RatingInputs(
        as_of=as_of,
        deadline=assignment.deadline,
        state=task_state(assignment.task, as_of),
        planned=planned_progress(assignment=assignment, on=as_of),
        actual=reports[0].progress if reports else None,
        missed_reports=missed_run(obligations, as_of),
        indicators=tuple(indicators),
    )
