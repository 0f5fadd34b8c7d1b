"""Who may maintain units (单位) on the people pages and the command line: the people table of named predicates.

Who may manage accounts is the accounts table (``luoshi.accounts.access``); the services that do both
are ``luoshi.people.services`` (accounts) and ``luoshi.people.units`` (units)."""

from __future__ import annotations

from typing import Any

from luoshi.accounts.models import Role
from luoshi.accounts.predicates import Predicate, table

UNIT_MANAGERS = frozenset({Role.SUPERVISOR, Role.ADMIN})

PEOPLE = table(
    Predicate(
        "people.manage_units",
        UNIT_MANAGERS,
        message_zh="只有督查室和系统管理员可以维护单位。",
        message_en="Only the supervision office and administrators maintain units.",
    ),
)


def may_manage_units(user: Any) -> bool:
    return PEOPLE["manage_units"](user)


def require_unit_manager(user: Any) -> None:
    """Raise PermissionDenied (RoleRequired) unless ``user`` may create and edit units."""
    PEOPLE["manage_units"].require(user)
