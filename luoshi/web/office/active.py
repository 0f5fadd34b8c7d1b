"""What the office home adds for leaders' instructions and closing (销号), kept apart from the page's own
lists: the home includes one template (``office/_office_followup.html``) fed by ``office_followup``, and
filters its own queries with ``evaluation.services.not_closed``. The unit's home and the dashboard have
theirs in ``web.my.pages.my_instructions`` and ``web.dashboard.pages.active_counts``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max

from luoshi.evaluation.services import ClosureCandidate, closure_queue
from luoshi.instructions.access import open_handlings, visible_instructions
from luoshi.instructions.services import with_handlings
from luoshi.tasks.access import visible_tasks
from luoshi.web.instructions.pages import InstructionView, instruction_view

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
    open_ids = open_handlings(user).values("instruction_id")
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
