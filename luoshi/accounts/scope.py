"""Who a user is, for access: role, unit, and the role actions (the foundation every stage's access.py uses).

Supervisors, leaders and administrators see everything.  Liaisons and unit
heads see only their own unit's share (``scoped_unit_id``); each stage's
``access.py`` turns that into its ``visible_<kind>`` querysets and
``get_<kind>_for`` helpers, which fetch through ``fetch_or_404`` so that a
stranger cannot even learn that an object exists.  Users without a profile
(and inactive users) see nothing.  Django superusers count as administrators.
``ACTIONS`` is the role-only table (``can`` / ``require``); the named
predicates with unit conditions live in the stages' tables
(``luoshi.accounts.predicates``).  This module imports no stage's models.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

from luoshi.accounts.models import Profile, Role
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


def scoped_unit_id(user: Any) -> int | None:
    """The unit a unit-scoped user acts for; None when the user has no unit scope."""
    profile = _profile(user)
    if profile is None or profile.role not in UNIT_ROLES or user.is_superuser:
        return None
    return profile.unit_id


M = TypeVar("M", bound=Model)


def unit_scoped(queryset: QuerySet[M], user: Any, unit_field: str) -> QuerySet[M]:
    """``queryset`` as ``user`` sees it: all of it for those who see everything, the rows whose
    ``unit_field`` (e.g. "assignment__unit_id") is the user's unit for a liaison or unit head, else none."""
    if sees_all(user):
        return queryset
    unit_id = scoped_unit_id(user)
    if unit_id is None:
        return queryset.none()
    return queryset.filter(**{unit_field: unit_id})


def fetch_or_404(queryset: QuerySet[M], pk: Any) -> M:
    """The queryset's object with that pk; ``Http404`` when there is none (or the pk is malformed).
    Every ``get_<kind>_for`` (here and in the stages' access modules) fetches through it."""
    try:
        return queryset.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None


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
