"""Navigation helpers for the base template: role-aware links and the unread count."""

from __future__ import annotations

from typing import Any

from django import template

from luoshi.accounts.scope import UNIT_ROLES, role_of, sees_all
from luoshi.notifications.services import unread_count

register = template.Library()


@register.simple_tag
def nav_for(user: Any) -> dict[str, Any]:
    return {"unit": role_of(user) in UNIT_ROLES, "office": sees_all(user), "unread": unread_count(user)}
