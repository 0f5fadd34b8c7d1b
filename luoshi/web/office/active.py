"""What the active lists add for leaders' instructions and closing (销号), kept apart from the pages
being redesigned (office home, liaison home, dashboard): each of those pages includes one template
fed by one function here, and filters its own queries with ``evaluation.services.not_closed``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max

from luoshi.evaluation.services import ClosureCandidate, closed_on, closure_queue
from luoshi.instructions.access import visible_handlings, visible_instructions
from luoshi.instructions.models import Handling
from luoshi.instructions.services import with_handlings
from luoshi.ratings.rollup import Rollup
from luoshi.tasks.access import visible_tasks
from luoshi.tasks.models import Status
from luoshi.web.instructions.pages import InstructionView, instruction_view, unit_handlings

OFFICE_SHOWN = 20
ANSWERED_DAYS = 30


@dataclass
class OfficeFollowup:
    """For the office home: instructions still being handled (overdue first), answered lately, and the
    completed tasks waiting to be closed."""

    pending: list[InstructionView]
    overdue: int
    answered: list[InstructionView]
    closures: list[ClosureCandidate] = field(default_factory=list)


def office_followup(*, user: Any, today: dt.date) -> OfficeFollowup:
    found = visible_instructions(user)
    open_ids = visible_handlings(user).exclude(state=Handling.State.DONE).values("instruction_id")
    pending = with_handlings(found.filter(pk__in=open_ids)).order_by("due_date", "pk")
    since = today - dt.timedelta(days=ANSWERED_DAYS)
    answered = (
        with_handlings(found.exclude(pk__in=open_ids))
        .annotate(last=Max("handlings__responded_at"))
        .filter(last__date__gte=since)
        .order_by("-last", "-pk")
    )
    return OfficeFollowup(
        pending=[instruction_view(user=user, instruction=i, today=today) for i in pending[:OFFICE_SHOWN]],
        overdue=pending.filter(due_date__lt=today).count(),
        answered=[instruction_view(user=user, instruction=i, today=today) for i in answered[:OFFICE_SHOWN]],
        closures=closure_queue(tasks=visible_tasks(user)),
    )


def my_instructions(*, user: Any, today: dt.date) -> list[InstructionView]:
    """For a unit's home: the instructions it handles, those to answer first."""
    return unit_handlings(user=user, today=today)


@dataclass
class ActiveCounts:
    """The dashboard's tasks split by closing: still active, completed awaiting closure, closed (销号)."""

    active: int
    awaiting_closure: int
    closed: int


def active_counts(data: Rollup) -> ActiveCounts:
    """From the tasks of the dashboard's own roll-up (so the same filters): one query for the closures
    recorded by its date."""
    closed = closed_on([t.task_id for t in data.tasks], as_of=data.as_of)
    awaiting = sum(1 for t in data.tasks if t.status == Status.COMPLETED and t.task_id not in closed)
    return ActiveCounts(active=len(data.tasks) - len(closed), awaiting_closure=awaiting, closed=len(closed))
