"""The liaison's (and unit head's) home: the unit's assignments, what is due next, ratings, history,
the urgings to answer and, for a unit head, the reports awaiting approval."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from luoshi.accounts.scope import can, unit_of
from luoshi.evaluation.services import not_closed
from luoshi.notifications.services import unread_count
from luoshi.ratings.models import Rating
from luoshi.ratings.services import ratings_or_none
from luoshi.reports.access import pending_approvals, visible_reports
from luoshi.reports.models import Obligation, Report
from luoshi.reports.services import due_obligations, needs_head_approval, reporting_assignments
from luoshi.supervision.access import visible_urgings
from luoshi.supervision.models import Urging
from luoshi.tasks.models import Assignment
from luoshi.units.models import Unit
from luoshi.web.instructions.pages import InstructionView, unit_handlings

LINES_PER_PAGE = 30  # assignments a page shows (a 盟市 may have 150 on open tasks), overdue first
HISTORY_LIMIT = 30
ANSWERED_URGINGS_LIMIT = 10


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
class Approval:
    """A report awaiting the unit head; ``error`` and ``comment`` when a decision was refused."""

    report: Report
    error: str = ""
    comment: str = ""


@dataclass
class UrgingItem:
    """An urging addressed to the unit; ``error`` and ``response`` when an answer was refused."""

    urging: Urging
    error: str = ""
    response: str = ""


@dataclass
class MyHome:
    unit: Unit | None
    lines: list[AssignmentLine]
    history: list[Report]
    unread: int
    may_approve: bool = False  # a unit head: the approvals section is shown, even when empty
    approval_step: bool = False  # the unit's reports wait for its head (else the empty list says why)
    approvals: list[Approval] = field(default_factory=list)
    urgings: list[UrgingItem] = field(default_factory=list)
    total: int = 0  # assignments on open tasks; ``lines`` is one page of them
    page: int = 1
    pages: int = 1

    @property
    def first(self) -> int:
        return (self.page - 1) * LINES_PER_PAGE + 1 if self.lines else 0

    @property
    def last(self) -> int:
        return (self.page - 1) * LINES_PER_PAGE + len(self.lines)


def _sort_key(line: AssignmentLine) -> tuple[int, int, dt.date]:
    nxt = line.next_due
    if nxt is None:
        return (2, 0, dt.date.max)
    return (0 if nxt.overdue else 1, -nxt.overdue_days, nxt.obligation.due_date)


def my_home(*, user: Any, today: dt.date, page: int = 1) -> MyHome:
    """1. The unit's assignments on open tasks; 2. their open obligations (overdue first), one page of
    LINES_PER_PAGE (the last page when asked beyond it); 3. each shown one's effective rating today;
    4. the latest reports; 5. unread notices; 6. for a unit head, the reports awaiting approval; 7. the
    unit's urgings, unanswered first."""
    assignments = list(not_closed(reporting_assignments(user), task="task"))
    open_obligations = due_obligations(assignments=assignments, today=today)
    by_assignment: dict[int, list[Due]] = {}
    for obligation in open_obligations:
        late = (today - obligation.due_date).days
        by_assignment.setdefault(obligation.assignment_id, []).append(Due(obligation, max(late, 0)))
    lines = []
    for assignment in assignments:
        due = sorted(
            by_assignment.get(assignment.pk, []), key=lambda d: (not d.overdue, d.obligation.due_date)
        )
        lines.append(AssignmentLine(assignment, None, due))
    lines.sort(key=_sort_key)
    pages = max(1, -(-len(lines) // LINES_PER_PAGE))
    page = min(max(page, 1), pages)
    shown = lines[(page - 1) * LINES_PER_PAGE : page * LINES_PER_PAGE]
    ratings = ratings_or_none(assignments=[line.assignment for line in shown], as_of=today)
    for line in shown:
        line.rating = ratings[line.assignment.pk]
    history = list(
        visible_reports(user)
        .select_related("obligation__assignment__task", "submitted_by", "approved_by")
        .prefetch_related("evidence", "indicator_values__indicator")
        .order_by("-submitted_at", "-pk")[:HISTORY_LIMIT]
    )
    unit = unit_of(user)
    return MyHome(
        unit=unit,
        lines=shown,
        total=len(lines),
        page=page,
        pages=pages,
        history=history,
        unread=unread_count(user),
        may_approve=can(user, "approve_report"),
        approval_step=unit is not None and needs_head_approval(unit_id=unit.pk),
        approvals=[Approval(r) for r in pending_approvals(user)],
        urgings=[UrgingItem(u) for u in unit_urgings(user)],
    )


def unit_urgings(user: Any) -> list[Urging]:
    """Every unanswered urging of the unit (oldest response date first), then the latest answered ones."""
    found = visible_urgings(user)
    open_ = list(
        not_closed(found, task="assignment__task").filter(responded_at=None).order_by("respond_by", "pk")
    )
    answered = list(
        found.exclude(responded_at=None).order_by("-responded_at", "-pk")[:ANSWERED_URGINGS_LIMIT]
    )
    return open_ + answered


def my_instructions(*, user: Any, today: dt.date) -> list[InstructionView]:
    """For a unit's home: the instructions it handles, those to answer first."""
    return unit_handlings(user=user, today=today)
