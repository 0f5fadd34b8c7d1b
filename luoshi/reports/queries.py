"""Reading reports back: what counts for an assignment, and the lead unit's overview."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from luoshi.reports.models import IndicatorValue, Obligation, Report
from luoshi.tasks.models import Assignment, Indicator, Task


def _counting_at(moment: dt.datetime) -> QuerySet[Report]:
    """Reports submitted by ``moment`` that counted then, the one that stands first (latest period, version)."""
    return (
        Report.objects.filter(submitted_at__lte=moment)
        .filter(
            Q(approval=Report.Approval.NOT_REQUIRED)
            | Q(approval=Report.Approval.APPROVED, approved_at__lte=moment)
            | Q(approval=Report.Approval.APPROVED, approved_at__isnull=True)
        )
        .order_by("-obligation__period_end", "-version")
    )


def latest_counting_report(*, assignment: Assignment, as_of: dt.date | dt.datetime) -> Report | None:
    """The report that stands for the assignment at ``as_of``.

    That is, among reports submitted on or before ``as_of`` (a date means the
    end of that local day) that counted then (no approval needed, or approved
    on or before ``as_of``): the latest version of the latest period.
    """
    return (
        _counting_at(_moment(as_of))
        .filter(obligation__assignment=assignment)
        .select_related("obligation")
        .first()
    )


def latest_counting_progress(
    *, assignments: Iterable[Assignment], as_of: dt.date | dt.datetime
) -> dict[int, int]:
    """The progress of ``latest_counting_report`` for each assignment that has one, by assignment id:
    one query for all of them (a correlated subquery per assignment row)."""
    standing = (
        _counting_at(_moment(as_of)).filter(obligation__assignment=OuterRef("pk")).values("progress")[:1]
    )
    found = (
        Assignment.objects.filter(pk__in=[a.pk for a in assignments])
        .annotate(progress=Subquery(standing))
        .values_list("pk", "progress")
    )
    return {pk: progress for pk, progress in found if progress is not None}


def latest_counting(*, as_of: dt.date | dt.datetime, field: str = "pk") -> Subquery:
    """``latest_counting_report`` for many assignments at once: a subquery to annotate Assignment rows with.

    ``Assignment.objects.annotate(report_id=latest_counting(as_of=day))`` gives each assignment the id
    (or with ``field`` another column, e.g. "progress") of the report that stands for it, None when none
    does: one query for any number of assignments. Ties within a period end are broken by due date,
    then obligation, as ``ratings.facts.counting_reports`` does.
    """
    moment = _moment(as_of)
    standing = (
        Report.objects.filter(obligation__assignment=OuterRef("pk"), submitted_at__lte=moment)
        .filter(
            Q(approval=Report.Approval.NOT_REQUIRED)
            | Q(approval=Report.Approval.APPROVED, approved_at__lte=moment)
            | Q(approval=Report.Approval.APPROVED, approved_at__isnull=True)
        )
        .order_by("-obligation__period_end", "-obligation__due_date", "-obligation_id", "-version")
    )
    return Subquery(standing.values(field)[:1])


@dataclass(frozen=True)
class UnitReport:
    """One unit's line in a period: its obligation, its latest report and the one that counts."""

    assignment: Assignment
    obligation: Obligation | None  # None: this unit owes no report for the period
    latest: Report | None  # latest version, whatever its approval
    counting: Report | None  # latest version that counts


@dataclass(frozen=True)
class PeriodReports:
    key: str
    start: dt.date
    end: dt.date
    due: dt.date
    units: list[UnitReport]  # lead first, then co-units, then shares; each in assignment order


def reports_for_task(*, task: Task) -> list[PeriodReports]:
    """The lead unit's view: every assignment's reports side by side, period by period.

    Built from stored obligations (run ``ensure_obligations`` first, as the
    refresh does); periods in date order. A period's dates are the lead's
    when the lead owes a report for it, else the widest of the others'.
    """
    role_order: dict[str, int] = {Assignment.Role.LEAD: 0, Assignment.Role.CO: 1, Assignment.Role.SHARE: 2}
    assignments = sorted(
        task.assignments.select_related("unit", "parent"), key=lambda a: (role_order.get(a.role, 3), a.pk)
    )
    obligations = list(Obligation.objects.filter(assignment__task=task).order_by("period_end"))
    reports: dict[int, list[Report]] = {}
    found = (
        Report.objects.filter(obligation__assignment__task=task)
        .select_related("submitted_by", "approved_by")
        .prefetch_related("evidence", "indicator_values__indicator")
        .order_by("version")
    )
    for report in found:
        reports.setdefault(report.obligation_id, []).append(report)

    by_key: dict[str, dict[int, Obligation]] = {}
    for obligation in obligations:
        by_key.setdefault(obligation.period, {})[obligation.assignment_id] = obligation
    lead_ids = {a.pk for a in assignments if a.role == Assignment.Role.LEAD}
    result = []
    for key, owed in by_key.items():
        lead = next((o for a, o in owed.items() if a in lead_ids), None)
        start = lead.period_start if lead else min(o.period_start for o in owed.values())
        end = lead.period_end if lead else max(o.period_end for o in owed.values())
        due = lead.due_date if lead else max(o.due_date for o in owed.values())
        units = []
        for assignment in assignments:
            owed_here = owed.get(assignment.pk)
            versions = reports.get(owed_here.pk, []) if owed_here else []
            counting = [r for r in versions if r.counts]
            units.append(
                UnitReport(
                    assignment=assignment,
                    obligation=owed_here,
                    latest=versions[-1] if versions else None,
                    counting=counting[-1] if counting else None,
                )
            )
        result.append(PeriodReports(key=key, start=start, end=end, due=due, units=units))
    result.sort(key=lambda p: (p.end, p.key))
    return result


def _moment(as_of: dt.date | dt.datetime) -> dt.datetime:
    if isinstance(as_of, dt.datetime):
        return as_of if timezone.is_aware(as_of) else timezone.make_aware(as_of)
    next_day = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time.min)
    return timezone.make_aware(next_day) - dt.timedelta(microseconds=1)


def report_for_candidate(*, report: Report) -> Report:
    """The report read again with what its good-practice row shows: task, unit and kept excerpts."""
    return (
        Report.objects.select_related("obligation__assignment__task", "obligation__assignment__unit")
        .prefetch_related("good_practices")
        .get(pk=report.pk)
    )


# A report's approval state: re-exported so pages outside the stage can tell an approval from a send-back.
Approval = Report.Approval


def overdue_obligations(obligations: QuerySet[Obligation], *, today: dt.date) -> QuerySet[Obligation]:
    """Of ``obligations``, those whose report is missing, or still pending past its due date."""
    return obligations.filter(
        Q(state=Obligation.State.MISSING) | Q(state=Obligation.State.PENDING, due_date__lt=today)
    )


def reached_full_progress() -> Exists:
    """For Assignment rows: a report that counts without waiting (no approval needed, or approved) reached 100%."""
    return Exists(
        Report.objects.filter(
            obligation__assignment=OuterRef("pk"),
            progress__gte=100,
            approval__in=[Report.Approval.NOT_REQUIRED, Report.Approval.APPROVED],
        )
    )


def obligations_in_period_order(*, assignments: Iterable[Assignment]) -> QuerySet[Obligation]:
    """The assignments' obligations in period order, each with its assignment, task and milestones loaded."""
    return (
        Obligation.objects.filter(assignment__in=assignments)
        .select_related("assignment__unit", "assignment__task")
        .prefetch_related("assignment__task__milestones")
        .order_by("period_end", "assignment_id")
    )


def reports_in_version_order(*, assignments: Iterable[Assignment]) -> QuerySet[Report]:
    """Every report of the assignments, earliest version first (a later counting version replaces one)."""
    return Report.objects.filter(obligation__assignment__in=assignments).order_by("version")


def indicator_values_in_version_order(
    *, assignments: Iterable[Assignment], indicators: Iterable[Indicator]
) -> QuerySet[IndicatorValue]:
    """The values reported for ``indicators`` on the assignments, each with its report, earliest version first."""
    return (
        IndicatorValue.objects.filter(
            report__obligation__assignment__in=assignments, indicator__in=indicators
        )
        .select_related("report")
        .order_by("report__version", "pk")
    )
