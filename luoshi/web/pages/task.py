"""A task's page: its source words, its owners and their trajectory, reports, ratings and history.

Everything is limited to the assignments the user may see: a liaison of a
co-unit sees its own line only, never the other units' reports or ratings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from luoshi.accountability.models import Measure
from luoshi.accountability.services import measures_for_task
from luoshi.accounts.models import Role
from luoshi.accounts.scope import can, role_of, sees_all, unit_of, visible_assignments
from luoshi.audit.models import AuditEntry
from luoshi.audit.services import entries_for
from luoshi.ratings.models import Rating
from luoshi.ratings.services import rating_history
from luoshi.reports.queries import PeriodReports, reports_for_task
from luoshi.reports.services import REPORTING_STATUSES
from luoshi.supervision.models import ExtensionRequest, Warning
from luoshi.supervision.services import extension_history, warnings_for
from luoshi.tasks.models import Assignment, Task
from luoshi.web.pages.ratings import rating_or_none
from luoshi.web.pages.trajectory import Point, chart_data, trajectory

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
class TaskPage:
    task: Task
    source: list[Run]
    owners: list[Owner]
    points: list[Point]
    chart: dict[str, Any]
    periods: list[PeriodReports]
    warnings: list[Warning]
    measures: list[Measure]
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


def task_page(*, user: Any, task: Task, today: dt.date) -> TaskPage:
    """Build the page for a task the user may see (fetched with ``get_task_for``)."""
    assignments = sorted(visible_assignments(user).filter(task=task).select_related("task", "unit", "parent"),
                         key=lambda a: (ROLE_ORDER.get(a.role, 3), a.pk))
    visible = {a.pk for a in assignments}
    owners = [Owner(a, rating_or_none(assignment=a, as_of=today), rating_history(assignment=a),
                    list(extension_history(assignment=a).select_related("requested_by", "decided_by")),
                    _may_request_extension(user, a))
              for a in assignments]
    periods = []
    for period in reports_for_task(task=task):
        units = [u for u in period.units if u.assignment.pk in visible and u.obligation is not None]
        if units:
            periods.append(PeriodReports(period.key, period.start, period.end, period.due, units))
    measures = measures_for_task(task=task)
    if not sees_all(user):
        unit = unit_of(user)
        measures = [m for m in measures if unit is not None and unit in list(m.units.all())]
    points = trajectory(assignments=assignments)
    show_audit = can(user, "rate")
    return TaskPage(
        task=task,
        source=source_runs(task),
        owners=owners,
        points=points,
        chart=chart_data(points),
        periods=periods,
        warnings=[w for w in warnings_for(task=task) if w.assignment_id in visible],
        measures=measures,
        audit=list(entries_for(task).select_related("actor")) if show_audit else [],
        show_audit=show_audit,
    )
