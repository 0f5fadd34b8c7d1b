"""The liaison's (and unit head's) home: the unit's assignments, what is due next, ratings, history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from luoshi.accounts.scope import unit_of, visible_assignments, visible_reports
from luoshi.notifications.services import unread_count
from luoshi.ratings.models import Rating
from luoshi.reports.models import Obligation, Report
from luoshi.reports.services import REPORTING_STATUSES
from luoshi.tasks.models import Assignment
from luoshi.units.models import Unit
from luoshi.web.pages.ratings import rating_or_none

OPEN_STATES = (Obligation.State.PENDING, Obligation.State.MISSING)
HISTORY_LIMIT = 30


@dataclass
class Due:
    obligation: Obligation
    overdue_days: int  # > 0: the due date has passed with nothing submitted

    @property
    def overdue(self) -> bool:
        return self.overdue_days > 0


@dataclass
class AssignmentLine:
    assignment: Assignment
    rating: Rating | None
    due: list[Due] = field(default_factory=list)  # open obligations, overdue first, then by due date

    @property
    def next_due(self) -> Due | None:
        return self.due[0] if self.due else None


@dataclass
class MyHome:
    unit: Unit | None
    lines: list[AssignmentLine]
    history: list[Report]
    unread: int


def _sort_key(line: AssignmentLine) -> tuple[int, int, dt.date]:
    nxt = line.next_due
    if nxt is None:
        return (2, 0, dt.date.max)
    return (0 if nxt.overdue else 1, -nxt.overdue_days, nxt.obligation.due_date)


def my_home(*, user: Any, today: dt.date) -> MyHome:
    """1. The unit's assignments on open tasks; 2. their open obligations (overdue first);
    3. each one's effective rating today; 4. the latest reports; 5. unread notices."""
    assignments = list(
        visible_assignments(user).filter(task__status__in=REPORTING_STATUSES)
        .select_related("task", "unit", "parent").order_by("deadline", "pk")
    )
    open_obligations = Obligation.objects.filter(
        assignment__in=assignments, state__in=OPEN_STATES, period_start__lte=today
    ).order_by("due_date")
    by_assignment: dict[int, list[Due]] = {}
    for obligation in open_obligations:
        late = (today - obligation.due_date).days
        by_assignment.setdefault(obligation.assignment_id, []).append(Due(obligation, max(late, 0)))
    lines = []
    for assignment in assignments:
        due = sorted(by_assignment.get(assignment.pk, []),
                     key=lambda d: (not d.overdue, d.obligation.due_date))
        lines.append(AssignmentLine(assignment, rating_or_none(assignment=assignment, as_of=today), due))
    lines.sort(key=_sort_key)
    history = list(
        visible_reports(user).select_related("obligation__assignment__task", "submitted_by")
        .order_by("-submitted_at", "-pk")[:HISTORY_LIMIT]
    )
    return MyHome(unit=unit_of(user), lines=lines, history=history, unread=unread_count(user))
