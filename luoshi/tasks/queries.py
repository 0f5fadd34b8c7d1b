"""Reading tasks back for other stages' pages: the choices and status sets they name, the tasks a plan made."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from luoshi.tasks.models import REPORTING_STATUSES, Cadence, Indicator, Status, Task

if TYPE_CHECKING:
    from luoshi.decomposition.models import Plan

# An indicator's direction (up or down is better): re-exported so forms outside the stage offer its choices.
Direction = Indicator.Direction

# A task's reporting cadence: re-exported so the plan's forms offer the same choices.
ReportingCadence = Cadence

# A task's status (``Status.COMPLETED``…) and the statuses in which its units report (an open task):
# re-exported so pages outside the stage compare and filter a task row's status.
__all__ = [
    "REPORTING_STATUSES",
    "Direction",
    "ReportingCadence",
    "Status",
    "created_from_plan",
    "task_titles",
]


def created_from_plan(*, plan: Plan) -> QuerySet[Task]:
    """The tasks created from ``plan``'s proposed tasks, in the plan's order."""
    return Task.objects.filter(plan_task__plan=plan).order_by("plan_task__order", "id")


def task_titles(ids: Iterable[int]) -> dict[int, str]:
    """The titles of the given tasks, by id (one query)."""
    return dict(Task.objects.filter(pk__in=set(ids)).values_list("pk", "title"))
