"""Who may manage accounts, and the role-only actions: the accounts table of named predicates.

Administrators manage every account; the supervision office manages the accounts of units' people
(liaisons and unit heads) and nobody else's. Accounts are deactivated, never deleted: the audit
trail refers to them. ``roles.<action>`` are the role-only actions of ``scope.ACTIONS`` (what
``can`` / ``require`` and the API's ``actions`` list read), shown in the same table.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import Http404

from luoshi.accounts.models import Profile, Role
from luoshi.accounts.predicates import Predicate, table
from luoshi.accounts.scope import ACTIONS, role_of

OFFICE_MANAGED_ROLES = frozenset({Role.LIAISON, Role.UNIT_HEAD})
MANAGERS = frozenset({Role.SUPERVISOR, Role.ADMIN})


def account_role(user: Any) -> str | None:
    """The role an account holds, whether active or not: "admin" for superusers, None without a profile."""
    if user.is_superuser:
        return Role.ADMIN
    try:
        return str(user.profile.role)
    except Profile.DoesNotExist:
        return None


def _may_manage(actor: Any, user: Any) -> bool:
    return role_of(actor) == Role.ADMIN or account_role(user) in OFFICE_MANAGED_ROLES


ACCOUNTS = table(
    Predicate(
        "accounts.manage_accounts",
        MANAGERS,
        message_zh="只有督查室和系统管理员可以管理账号。",
        message_en="Only the supervision office and administrators manage accounts.",
    ),
    Predicate(
        "accounts.manage_account",
        MANAGERS,
        "administrators: every account; the office: liaisons' and unit heads' accounts only",
        "系统管理员：所有账号；督查室：仅联络员和单位负责人的账号",
        _may_manage,
        "督查室只能管理联络员和单位负责人的账号。",
        "The supervision office manages the accounts of liaisons and unit heads only.",
    ),
)
ROLE_ACTIONS = table(*(Predicate(f"roles.{action}", roles) for action, roles in ACTIONS.items()))


def manageable_roles(actor: Any) -> list[str]:
    """The roles ``actor`` may give and whose accounts ``actor`` may manage, in Role order."""
    role = role_of(actor)
    if role == Role.ADMIN:
        return list(Role.values)
    if role == Role.SUPERVISOR:
        return [r for r in Role.values if r in OFFICE_MANAGED_ROLES]
    return []


def may_manage_accounts(actor: Any) -> bool:
    return ACCOUNTS["manage_accounts"](actor)


def manageable_users(actor: Any) -> QuerySet[Any]:
    """The accounts ``actor`` may manage (active or not): ``accounts.manage_account`` as a query."""
    User = get_user_model()
    role = role_of(actor)
    if role == Role.ADMIN:
        return User.objects.all()
    if role == Role.SUPERVISOR:
        return User.objects.filter(is_superuser=False, profile__role__in=OFFICE_MANAGED_ROLES)
    return User.objects.none()


def require_account_manager(actor: Any) -> None:
    """Raise PermissionDenied (RoleRequired) unless ``actor`` manages some accounts."""
    ACCOUNTS["manage_accounts"].require(actor)


def get_account_for(actor: Any, pk: Any) -> Any:
    """The one way the user pages fetch an account: 403 for non-managers, 404 outside ``actor``'s reach."""
    require_account_manager(actor)
    try:
        return manageable_users(actor).select_related("profile__unit").get(pk=pk)
    except (get_user_model().DoesNotExist, ValueError, TypeError):
        raise Http404 from None
