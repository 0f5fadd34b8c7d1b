"""Navigation helpers for the base template: role-aware links and the unread count."""

from __future__ import annotations

from typing import Any

from django import template

from luoshi.accounts.scope import UNIT_ROLES, can, role_of, sees_all
from luoshi.accounts.services import may_manage_accounts
from luoshi.lib.bilingual import one_language
from luoshi.notifications.services import unread_count
from luoshi.web.pages.plan import CATALOGS, catalog_name

register = template.Library()


@register.simple_tag
def nav_for(user: Any) -> dict[str, Any]:
    return {"unit": role_of(user) in UNIT_ROLES, "office": sees_all(user), "unread": unread_count(user),
            "dashboard": sees_all(user) or role_of(user) in UNIT_ROLES,
            "bulletins": sees_all(user),
            "plans": sees_all(user), "plan": can(user, "plan"),
            "people": may_manage_accounts(user), "audit": can(user, "rate")}


register.filter("catalog_name", catalog_name)


@register.filter(name="one_language")
def one_language_filter(text: str | None) -> str:
    """A stored "中文 / English" text (a notice) in the page's language."""
    return one_language(text or "")


@register.simple_tag
def plan_catalogs() -> list[tuple[str, str]]:
    """The unit catalogs a task division may be proposed with."""
    return list(CATALOGS.items())
