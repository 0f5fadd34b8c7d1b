"""Reading tasks back for other stages' pages: the choices and status sets they name."""

from __future__ import annotations

from collections.abc import Iterable

from luoshi.tasks.models import Indicator, Status, Task

# An indicator's direction (up or down is better): re-exported so forms outside the stage offer its choices.
Direction = Indicator.Direction

# An assignment is open while its task is: assigned, in progress, or waiting for the office to close it.
OPEN_STATUSES = (Status.ASSIGNED, Status.IN_PROGRESS, Status.COMPLETION_REQUESTED)

# A task's status (``Status.COMPLETED``…): re-exported so pages outside the stage compare a task row's status.
__all__ = ["OPEN_STATUSES", "Direction", "Status", "task_titles"]


def task_titles(ids: Iterable[int]) -> dict[int, str]:
    """The titles of the given tasks, by id (one query)."""
    return dict(Task.objects.filter(pk__in=set(ids)).values_list("pk", "title"))
