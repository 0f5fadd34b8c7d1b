"""Who may see and do what: the one place pages, the API and the CLI ask.

Supervisors, leaders and administrators see everything.  Liaisons and unit
heads see only their own unit's assignments, and through them the tasks,
obligations, reports and evidence of those assignments: on a task shared by
units A and B, a liaison of B never sees A's assignment, reports or evidence.
Users without a profile (and inactive users) see nothing.  Django superusers
count as administrators.

Every object a user reaches is fetched through one ``get_<kind>_for`` helper,
which raises ``Http404`` outside the user's scope, so that a stranger cannot
even learn that the object exists.  ``require`` checks what the user's role
may do and raises ``PermissionDenied``.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

from luoshi.accounts.models import Profile, Role
from luoshi.documents.models import Document
from luoshi.reports.models import Evidence, Obligation, Report
from luoshi.tasks.models import Assignment, Task
from luoshi.units.models import Unit

# Roles that see every task; the others see their unit's share only.
SEE_ALL = frozenset({Role.SUPERVISOR, Role.LEADER, Role.ADMIN})
UNIT_ROLES = frozenset({Role.LIAISON, Role.UNIT_HEAD})
# Reviewers (luoshi/review) read every decision, to compare drafts with it, but no tasks or reports.
REVIEW_ROLES = frozenset({Role.REVIEWER, Role.REVIEW_HEAD})

# action -> roles allowed to do it
ACTIONS: dict[str, frozenset[str]] = {
    "plan": frozenset({Role.SUPERVISOR, Role.ADMIN}),
    "assign": frozenset({Role.SUPERVISOR, Role.ADMIN}),
    "rate": frozenset({Role.SUPERVISOR, Role.ADMIN}),
    "approve_completion": frozenset({Role.SUPERVISOR, Role.ADMIN}),
    "report": frozenset({Role.LIAISON, Role.UNIT_HEAD}),
    "approve_report": frozenset({Role.UNIT_HEAD}),
    "admin": frozenset({Role.ADMIN}),
}

# Task lifecycle steps a unit takes itself (签收, 申请办结): its liaison or head, lead unit only.
UNIT_STEPS: frozenset[tuple[str, str]] = frozenset(
    {("assigned", "in_progress"), ("in_progress", "completion_requested")}
)


def _profile(user: Any) -> Profile | None:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    try:
        profile: Profile = user.profile
    except Profile.DoesNotExist:
        return None
    return profile


def role_of(user: Any) -> str | None:
    """The user's role, "admin" for superusers, None for anonymous, inactive or profile-less users."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.is_superuser:
        return Role.ADMIN
    profile = _profile(user)
    return profile.role if profile else None


def unit_of(user: Any) -> Unit | None:
    profile = _profile(user)
    return profile.unit if profile else None


def sees_all(user: Any) -> bool:
    return role_of(user) in SEE_ALL


def _unit_id(user: Any) -> int | None:
    """The unit a unit-scoped user acts for; None when the user has no unit scope."""
    profile = _profile(user)
    if profile is None or profile.role not in UNIT_ROLES or user.is_superuser:
        return None
    return profile.unit_id


def visible_assignments(user: Any) -> QuerySet[Assignment]:
    if sees_all(user):
        return Assignment.objects.all()
    unit_id = _unit_id(user)
    if unit_id is None:
        return Assignment.objects.none()
    return Assignment.objects.filter(unit_id=unit_id)


def visible_tasks(user: Any) -> QuerySet[Task]:
    if sees_all(user):
        return Task.objects.all()
    unit_id = _unit_id(user)
    if unit_id is None:
        return Task.objects.none()
    return Task.objects.filter(pk__in=Assignment.objects.filter(unit_id=unit_id).values("task_id"))


def visible_obligations(user: Any) -> QuerySet[Obligation]:
    if sees_all(user):
        return Obligation.objects.all()
    unit_id = _unit_id(user)
    if unit_id is None:
        return Obligation.objects.none()
    return Obligation.objects.filter(assignment__unit_id=unit_id)


def visible_reports(user: Any) -> QuerySet[Report]:
    if sees_all(user):
        return Report.objects.all()
    unit_id = _unit_id(user)
    if unit_id is None:
        return Report.objects.none()
    return Report.objects.filter(obligation__assignment__unit_id=unit_id)


def visible_evidence(user: Any) -> QuerySet[Evidence]:
    if sees_all(user):
        return Evidence.objects.all()
    unit_id = _unit_id(user)
    if unit_id is None:
        return Evidence.objects.none()
    return Evidence.objects.filter(report__obligation__assignment__unit_id=unit_id)


def visible_documents(user: Any) -> QuerySet[Document]:
    """All documents for those who see everything and reviewers; for a unit, the documents of its tasks."""
    if sees_all(user) or role_of(user) in REVIEW_ROLES:
        return Document.objects.all()
    unit_id = _unit_id(user)
    if unit_id is None:
        return Document.objects.none()
    return Document.objects.filter(tasks__in=visible_tasks(user)).distinct()


M = TypeVar("M", bound=Model)


def fetch_or_404(queryset: QuerySet[M], pk: Any) -> M:
    """The queryset's object with that pk; ``Http404`` when there is none (or the pk is malformed).
    Every ``get_<kind>_for`` (here and in the stages' access modules) fetches through it."""
    try:
        return queryset.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_task_for(user: Any, pk: Any) -> Task:
    return fetch_or_404(visible_tasks(user), pk)


def get_assignment_for(user: Any, pk: Any) -> Assignment:
    return fetch_or_404(visible_assignments(user), pk)


def get_obligation_for(user: Any, pk: Any) -> Obligation:
    return fetch_or_404(visible_obligations(user), pk)


def get_report_for(user: Any, pk: Any) -> Report:
    return fetch_or_404(visible_reports(user), pk)


def get_evidence_for(user: Any, pk: Any) -> Evidence:
    return fetch_or_404(visible_evidence(user), pk)


def get_document_for(user: Any, pk: Any) -> Document:
    return fetch_or_404(visible_documents(user), pk)


def can(user: Any, action: str) -> bool:
    """Whether the user's role allows ``action`` (one of ACTIONS); for templates and menus."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}; known: {', '.join(ACTIONS)}")
    return role_of(user) in ACTIONS[action]


class RoleRequired(PermissionDenied):
    """The user's role may not do ``action``; messages in Chinese and English."""

    def __init__(self, action: str, message_zh: str = "", message_en: str = "") -> None:
        self.code = "forbidden"
        self.action = action
        self.message_zh = message_zh or f"您的角色无权执行此操作（{action}）。"
        self.message_en = message_en or f"Your role may not do this ({action})."
        super().__init__(f"{self.message_zh} / {self.message_en}")


def require(user: Any, action: str) -> None:
    """Raise PermissionDenied (RoleRequired) unless the user's role allows ``action``."""
    if not can(user, action):
        raise RoleRequired(action)


def require_transition(user: Any, task: Task, to_status: str) -> None:
    """Raise PermissionDenied unless the user may move ``task`` to ``to_status``.

    1. Supervisors and administrators take every step: completing a task or
       returning a completion request needs "approve_completion", the rest "assign".
    2. A liaison or unit head of the task's lead unit takes the unit's own
       steps (UNIT_STEPS): accepting the task and requesting completion.
    Whether the step is allowed from the task's status is the lifecycle's
    business (luoshi.tasks.services.transition).
    """
    if (task.status, to_status) in UNIT_STEPS and role_of(user) in UNIT_ROLES:
        if _unit_id(user) != task.lead_unit_id:
            raise RoleRequired(
                "report", "只有牵头单位可以签收任务或申请办结。", "Only the lead unit accepts a task or requests completion."
            )
        return
    if to_status == "completed" or (task.status, to_status) == ("completion_requested", "in_progress"):
        require(user, "approve_completion")
    else:
        require(user, "assign")
