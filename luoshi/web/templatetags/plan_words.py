"""Words for the task division review: suggestion strength instead of raw scores, kinds of programme."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

register = template.Library()

STRONG, MEDIUM = 0.6, 0.4  # suggestion scores from luoshi.catalogs.suggest, 0..1
_MECHANISM = ("机制", "制度", "体制", "体系")


@register.filter
def strength(score: Any) -> str:
    """强 / 中 / 弱 for a unit suggestion's score (the reason goes in the title attribute)."""
    try:
        value = float(score)
    except (TypeError, ValueError):
        return ""
    return _("strong") if value >= STRONG else _("medium") if value >= MEDIUM else _("weak")


@register.filter
def programme_kind(programme: Any) -> str:
    """The tag before a named programme: a mechanism (…机制/制度) or a project (…工程/行动/计划)."""
    keyword = str(programme.get("keyword", "") if isinstance(programme, dict) else "")
    return _("mechanism") if keyword.endswith(_MECHANISM) else _("programme")
