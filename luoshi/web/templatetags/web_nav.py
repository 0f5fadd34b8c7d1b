"""Navigation helpers for the base template: role-aware links and the unread count."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from luoshi.accounts.access import may_manage_accounts
from luoshi.accounts.scope import UNIT_ROLES, can, role_of, sees_all
from luoshi.instructions.access import may_watch
from luoshi.lib.bilingual import CJK, one_language
from luoshi.notifications.services import unread_count
from luoshi.review.access import may_see_reviews
from luoshi.web.plan.pages import CATALOGS, catalog_name

register = template.Library()


@register.simple_tag
def nav_for(user: Any) -> dict[str, Any]:
    return {
        "unit": role_of(user) in UNIT_ROLES,
        "office": sees_all(user),
        "unread": unread_count(user),
        "dashboard": sees_all(user) or role_of(user) in UNIT_ROLES,
        "bulletins": sees_all(user),
        "plans": sees_all(user),
        "plan": can(user, "plan"),
        "people": may_manage_accounts(user),
        "audit": can(user, "rate"),
        "review": may_see_reviews(user),
        "leader": may_watch(user),
    }


register.filter("catalog_name", catalog_name)


@register.filter(name="one_language")
def one_language_filter(text: str | None) -> str:
    """A stored "中文 / English" text (a notice) in the page's language."""
    return one_language(text or "")


@register.filter(name="data")
def data_filter(text: Any) -> SafeString:
    """User-typed text (a response, a comment, a title) marked as such: in its own language (``lang="zh"``
    when it is Chinese), so that a page in the other language shows it as it was typed."""
    value = "" if text is None else str(text)
    if CJK.search(value):
        return format_html('<span class="data" lang="zh">{}</span>', value)
    return format_html('<span class="data">{}</span>', value)


@register.simple_tag
def plan_catalogs() -> list[tuple[str, str]]:
    """The unit catalogs a task division may be proposed with."""
    return list(CATALOGS.items())
