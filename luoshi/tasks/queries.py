"""Reading tasks back for other stages' pages: the choices and status sets they name, the tasks a plan made."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from luoshi.tasks.models import Cadence, Indicator, Status, Task

if TYPE_CHECKING:
    from luoshi.decomposition.models import Plan

# An indicator's direction (up or down is better): re-exported so forms outside the stage offer its choices.
Direction = Indicator.Direction

# An assignment is open while its task is: assigned, in progress, or waiting for the office to close it.
OPEN_STATUSES = (Status.ASSIGNED, Status.IN_PROGRESS, Status.COMPLETION_REQUESTED)

# A task's reporting cadence: re-exported so the plan's forms offer the same choices.
ReportingCadence = Cadence


def created_from_plan(*, plan: Plan) -> QuerySet[Task]:
    """The tasks created from ``plan``'s proposed tasks, in the plan's order."""
    return Task.objects.filter(plan_task__plan=plan).order_by("plan_task__order", "id")
