"""The queries behind the units and users administration pages, and the one way their views fetch a row."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from luoshi.accounts.access import account_role, manageable_users
from luoshi.accounts.models import Role
from luoshi.people.access import require_unit_manager
from luoshi.people.services import locked_out, locked_out_among
from luoshi.tasks.queries import REPORTING_STATUSES
from luoshi.units.models import Unit
from luoshi.web.plan.pages import CATALOGS

PAGE_SIZE = 50


def unit_catalogs() -> list[str]:
    """The catalogs with units loaded, then the built-in ones not loaded yet."""
    loaded = list(
        Unit.objects.exclude(catalog="").order_by("catalog").values_list("catalog", flat=True).distinct()
    )
    return loaded + [c for c in CATALOGS if c not in loaded]


def units_with_counts() -> QuerySet[Unit]:
    """Units with ``user_count`` (active accounts), ``liaison_count`` and ``open_count`` (open assignments)."""
    active = Q(members__user__is_active=True)
    return Unit.objects.select_related("parent").annotate(
        user_count=Count("members", filter=active, distinct=True),
        liaison_count=Count("members", filter=active & Q(members__role=Role.LIAISON), distinct=True),
        open_count=Count(
            "assignments", filter=Q(assignments__task__status__in=REPORTING_STATUSES), distinct=True
        ),
    )


def _matching_aliases(units: QuerySet[Unit], text: str) -> list[int]:
    # Aliases are a JSON list; matching them in Python reads the same on SQLite and PostgreSQL.
    return [u.pk for u in units.only("id", "aliases") if any(text in alias for alias in u.aliases)]


def search_units(*, catalog: str = "", level: str = "", status: str = "", text: str = "") -> QuerySet[Unit]:
    units = Unit.objects.all()
    if catalog:
        units = units.filter(catalog=catalog)
    if level:
        units = units.filter(level=level)
    if status:
        units = units.filter(active=status == "active")
    text = text.strip()
    if text:
        units = units.filter(
            Q(name__icontains=text) | Q(code__icontains=text) | Q(pk__in=_matching_aliases(units, text))
        )
    return units_with_counts().filter(pk__in=units.values("pk")).order_by("catalog", "id")


def unit_row(pk: int) -> Unit:
    """One unit with its counts, to draw its row again after a change."""
    return units_with_counts().get(pk=pk)


def get_unit_for_admin(user: Any, pk: Any) -> Unit:
    """The one way the unit pages fetch a unit: 403 for those who may not manage units, else 404 if unknown."""
    require_unit_manager(user)
    try:
        return units_with_counts().get(pk=pk)
    except (Unit.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@dataclass
class AccountRow:
    user: Any
    role: str | None
    role_label: str
    unit: Unit | None
    locked: bool = False  # after too many failed logins


def account_rows(users: Iterable[Any]) -> list[AccountRow]:
    """The rows of a page of accounts (their lockouts found in one query)."""
    users = list(users)
    locked = locked_out_among(users)
    return [account_row(u, locked=u.get_username() in locked) for u in users]


def account_row(user: Any, *, locked: bool | None = None) -> AccountRow:
    role = account_role(user)
    profile = getattr(user, "profile", None)
    label = str(Role(role).label) if role in Role.values else "—"
    return AccountRow(
        user=user,
        role=role,
        role_label=label,
        unit=profile.unit if profile else None,
        locked=locked_out(user) if locked is None else locked,
    )


def search_accounts(
    actor: Any, *, role: str = "", unit: Unit | None = None, status: str = "", text: str = ""
) -> QuerySet[Any]:
    """The accounts ``actor`` manages that match every filter given, by username."""
    users = manageable_users(actor).select_related("profile__unit")
    if role == Role.ADMIN:
        users = users.filter(Q(is_superuser=True) | Q(profile__role=Role.ADMIN))
    elif role:
        users = users.filter(profile__role=role, is_superuser=False)
    if unit is not None:
        users = users.filter(profile__unit=unit)
    if status:
        users = users.filter(is_active=status == "active")
    text = text.strip()
    if text:
        users = users.filter(
            Q(username__icontains=text)
            | Q(first_name__icontains=text)
            | Q(last_name__icontains=text)
            | Q(email__icontains=text)
        )
    return users.order_by("username")


def page_of(items: QuerySet[Any], number: Any) -> Page[Any]:
    return Paginator(items, PAGE_SIZE).get_page(number)
