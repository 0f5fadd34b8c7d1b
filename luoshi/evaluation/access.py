"""Who may do what after a task is completed: evaluate it (跟踪问效) and close it (销号); the evaluation table.

Designating evaluators is the supervision office's decision. Who may be designated: an active
person who can open the task and does not evaluate it by role already, that is a leader (who sees
every task) or a liaison or unit head of one of the task's units. Supervisors and administrators
evaluate every task without being designated, so they are never designated (the web page never
offered them; the API now refuses them as well, 400 ``bad_evaluator``).

Pages, the API and the CLI ask these predicates; the services ask them once more.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from luoshi.accounts.models import Role
from luoshi.accounts.predicates import Predicate, table
from luoshi.accounts.scope import UNIT_ROLES, role_of
from luoshi.evaluation.models import Evaluator
from luoshi.tasks.access import visible_tasks
from luoshi.tasks.models import Assignment, Task

OFFICE = frozenset({Role.SUPERVISOR, Role.ADMIN})
DESIGNABLE = frozenset({Role.LEADER}) | UNIT_ROLES


def _opens_task(user: Any, task: Task) -> bool:
    return visible_tasks(user).filter(pk=task.pk).exists()


def _office_or_designated(user: Any, task: Task) -> bool:
    return role_of(user) in OFFICE or Evaluator.objects.filter(task=task, user=user).exists()


EVALUATION = table(
    Predicate(
        "evaluation.designate_evaluator",
        OFFICE,
        message_zh="只有督查室可以指定评估人。",
        message_en="Only the supervision office designates evaluators.",
    ),
    # Who may be designated: the same people the page offers (evaluator_candidates) and the API accepts.
    Predicate(
        "evaluation.be_designated",
        DESIGNABLE,
        check=_opens_task,
        unit_en="a leader: any task; a liaison or unit head: one of the task's units "
        "(the office evaluates by role and is never designated)",
        unit_zh="领导：不限；联络员、单位负责人：任务的承办单位之一（督查室凭角色评估，不被指定）",
    ),
    Predicate(
        "evaluation.evaluate",
        OFFICE | DESIGNABLE,
        check=_office_or_designated,
        unit_en="the office: any; others: when designated for the task",
        unit_zh="督查室不限；其他人：被指定评估该任务",
        message_zh="您不是督查室人员，也未被指定评估该任务。",
        message_en="You are not in the supervision office nor designated to evaluate this task.",
    ),
    Predicate(
        "evaluation.close",
        OFFICE,
        message_zh="只有督查室可以对任务销号。",
        message_en="Only the supervision office closes a task.",
    ),
)


def can_evaluate(user: Any, task: Task) -> bool:
    """The supervision office, or a person designated to evaluate this task."""
    return EVALUATION["evaluate"](user, task)


def may_designate(user: Any) -> bool:
    return EVALUATION["designate_evaluator"](user)


def may_be_designated(user: Any, task: Task) -> bool:
    return EVALUATION["be_designated"](user, task)


def evaluator_candidates(task: Task) -> QuerySet[Any]:
    """Whom the office may designate for ``task`` (``evaluation.be_designated`` as a query), minus those
    designated already."""
    units = Assignment.objects.filter(task=task).values("unit_id")
    return (
        get_user_model()
        .objects.filter(is_active=True, is_superuser=False)
        .filter(Q(profile__role=Role.LEADER) | Q(profile__role__in=UNIT_ROLES, profile__unit_id__in=units))
        .exclude(pk__in=Evaluator.objects.filter(task=task).values("user_id"))
        .select_related("profile__unit")
        .order_by("username")
    )


def may_close(user: Any) -> bool:
    """Closing a task (销号) is the supervision office's decision: supervisors and administrators."""
    return EVALUATION["close"](user)


def require_close(user: Any) -> None:
    EVALUATION["close"].require(user)
