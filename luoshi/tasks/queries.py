"""Reading tasks back for other stages' pages: the choices and status sets they name."""

from __future__ import annotations

from collections.abc import Iterable

from luoshi.tasks.models import Status, Task

# A task's status (``Status.COMPLETED``…): re-exported so pages outside the stage compare a task row's status.
__all__ = ["Status", "task_titles"]


def task_titles(ids: Iterable[int]) -> dict[int, str]:
    """The titles of the given tasks, by id (one query)."""
    return dict(Task.objects.filter(pk__in=set(ids)).values_list("pk", "title"))
