"""Who may see and do what with tasks and assignments: the tasks table of named predicates.

Those who see everything see every task; a liaison or unit head sees the
tasks of its unit's assignments and only its own unit's assignments (on a
task shared by units A and B, B never sees A's assignment). Every task and
assignment is fetched through ``get_task_for`` / ``get_assignment_for``
(404 outside the user's scope).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from luoshi.accounts.models import Role
from luoshi.accounts.predicates import Predicate, table
from luoshi.accounts.scope import (
    UNIT_ROLES,
    fetch_or_404,
    require,
    role_of,
    scoped_unit_id,
    sees_all,
    unit_scoped,
)
from luoshi.tasks.models import Assignment, Task

OFFICE = frozenset({Role.SUPERVISOR, Role.ADMIN})

# Task lifecycle steps a unit takes itself (签收, 申请办结): its liaison or head, lead unit only.
UNIT_STEPS: frozenset[tuple[str, str]] = frozenset(
    {("assigned", "in_progress"), ("in_progress", "completion_requested")}
)


def _is_lead_unit(user: Any, task: Task) -> bool:
    return scoped_unit_id(user) == task.lead_unit_id


def _holds_assignment(user: Any, assignment: Assignment) -> bool:
    return role_of(user) in OFFICE or scoped_unit_id(user) == assignment.unit_id


TASKS = table(
    Predicate(
        "tasks.unit_step",
        UNIT_ROLES,
        "lead unit only",
        "仅牵头单位",
        _is_lead_unit,
        "只有牵头单位可以签收任务或申请办结。",
        "Only the lead unit accepts a task or requests completion.",
    ),
    Predicate(
        "tasks.divide",
        OFFICE | UNIT_ROLES,
        "the office: any; a unit: the assignment it holds",
        "督查室不限；单位：本单位承担的分工",
        _holds_assignment,
        "只有督查室或承担该分工的单位可以分解任务。",
        "Only the office or the unit holding the assignment divides it.",
    ),
)


def may_divide(user: Any, assignment: Assignment) -> bool:
    """Who may divide an assignment among lower units: the office, or the people of the unit holding it.
    (Which assignments can be divided, and when, is the cascade service's business.)"""
    return TASKS["divide"](user, assignment)


def visible_assignments(user: Any) -> QuerySet[Assignment]:
    return unit_scoped(Assignment.objects.all(), user, "unit_id")


def visible_tasks(user: Any) -> QuerySet[Task]:
    if sees_all(user):
        return Task.objects.all()
    return Task.objects.filter(pk__in=visible_assignments(user).values("task_id"))


def get_task_for(user: Any, pk: Any) -> Task:
    return fetch_or_404(visible_tasks(user), pk)


def get_assignment_for(user: Any, pk: Any) -> Assignment:
    return fetch_or_404(visible_assignments(user), pk)


def require_transition(user: Any, task: Task, to_status: str) -> None:
    """Raise PermissionDenied unless the user may move ``task`` to ``to_status``.

    1. Supervisors and administrators take every step: completing a task or
       returning a completion request needs "approve_completion", the rest "assign".
    2. A liaison or unit head of the task's lead unit takes the unit's own
       steps (UNIT_STEPS): accepting the task and requesting completion
       (``tasks.unit_step``).
    Whether the step is allowed from the task's status is the lifecycle's
    business (luoshi.tasks.services.transition).
    """
    if (task.status, to_status) in UNIT_STEPS and role_of(user) in UNIT_ROLES:
        TASKS["unit_step"].require(user, task)
        return
    if to_status == "completed" or (task.status, to_status) == ("completion_requested", "in_progress"):
        require(user, "approve_completion")
    else:
        require(user, "assign")
