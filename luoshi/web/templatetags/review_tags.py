"""The coverage map (条条落实) on other stages' pages: the decision's page and the dashboard."""

from __future__ import annotations

from typing import Any

from django import template

from luoshi.accounts.scope import sees_all
from luoshi.review.access import may_keep_rules, may_see_reviews
from luoshi.web.review.views import coverage_for

register = template.Library()


@register.simple_tag
def may_keep_premise_rules(user: Any) -> bool:
    return may_keep_rules(user)


@register.simple_tag
def review_coverage(document: Any, user: Any) -> Any:
    """The map for those who review or see everything; None for everyone else (the section is left out)."""
    if document is None or not (sees_all(user) or may_see_reviews(user)):
        return None
    return coverage_for(user, document)
