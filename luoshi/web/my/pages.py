"""The liaison's (and unit head's) home: the unit's assignments, what is due next, ratings, history,
the urgings to answer and, for a unit head, the reports awaiting approval."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from luoshi.accounts.scope import can, unit_of
from luoshi.documents.models import without_heavy
from luoshi.evaluation.services import not_closed
from luoshi.notifications.models import Notice
from luoshi.notifications.services import unread_count
from luoshi.ratings.models import Rating
from luoshi.ratings.services import ratings_or_none
from luoshi.reports.access import visible_reports
from luoshi.reports.models import Obligation, Report
from luoshi.reports.services import REPORTING_STATUSES, needs_head_approval
from luoshi.supervision.access import visible_urgings
from luoshi.supervision.models import Urging
from luoshi.tasks.access import visible_assignments
from luoshi.tasks.models import Assignment
from luoshi.units.models import Unit

OPEN_STATES = (Obligation.State.PENDING, Obligation.State.MISSING)
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
    assignments = list(
        not_closed(visible_assignments(user), task="task")
        .filter(task__status__in=REPORTING_STATUSES)
        .select_related("task", "unit", "parent", "task__document")
        .defer(*without_heavy("task__document__"))
        .order_by("deadline", "pk")
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


def pending_approvals(user: Any) -> QuerySet[Report]:
    """The reports of the user's unit awaiting a unit head, latest versions only, oldest first; none for others."""
    if not can(user, "approve_report"):
        return Report.objects.none()
    return (
        visible_reports(user)
        .filter(approval=Report.Approval.PENDING, superseded_by__isnull=True)
        .select_related("obligation__assignment__task", "submitted_by")
        .prefetch_related("evidence")
        .order_by("submitted_at", "pk")
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


def urgings_for_notices(*, user: Any, notices: list[Notice]) -> dict[int, Urging]:
    """The urging each urging or escalation notice is about, by notice id (one query).

    A notice's ``dedupe_key`` is the record's key plus the recipient; an
    escalation's key is "escalation:" plus its urging's key.
    """
    keys: dict[int, str] = {}
    for notice in notices:
        if notice.kind in {"urging", "escalation"}:
            key = notice.dedupe_key.rsplit("|user=", 1)[0]
            keys[notice.pk] = key.removeprefix("escalation:")
    if not keys:
        return {}
    by_key = {u.key: u for u in visible_urgings(user).filter(key__in=set(keys.values()))}
    return {pk: by_key[key] for pk, key in keys.items() if key in by_key}
