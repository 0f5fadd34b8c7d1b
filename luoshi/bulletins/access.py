"""Who may shape bulletins (通报) and issue numbered notices: the bulletins table.

The supervision office and leaders read bulletins; the office (supervisors, administrators) selects
good practice, issues bulletins and issues the numbered urging notices (催办单). Units read only the
urging notices sent to them (supervision's urgings).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from luoshi.accounts.models import Role
from luoshi.accounts.predicates import Predicate, table
from luoshi.accounts.scope import SEE_ALL, fetch_or_404
from luoshi.bulletins.errors import BulletinError
from luoshi.bulletins.models import Bulletin

EDITORS = frozenset({Role.SUPERVISOR, Role.ADMIN})

BULLETINS = table(
    Predicate(
        "bulletins.read",
        SEE_ALL,
        message_zh="只有督查室人员和领导可以查看通报。",
        message_en="Only the supervision office and leaders may read bulletins.",
    ),
    Predicate(
        "bulletins.edit",
        EDITORS,
        message_zh="只有督查室人员可以进行此操作。",
        message_en="Only the supervision office can do this.",
    ),
    Predicate(
        "bulletins.issue_urging_notice",
        EDITORS,
        message_zh="只有督查办可以签发催办单。",
        message_en="Only the supervision office issues urging notices.",
    ),
)


def require_reader(user: Any) -> None:
    """Raise PermissionDenied (RoleRequired, bilingual) unless ``user`` reads bulletins."""
    BULLETINS["read"].require(user)


def visible_bulletins(user: Any) -> QuerySet[Bulletin]:
    """Issued bulletins for those who read them, without the heavy data snapshot and DOCX."""
    if not BULLETINS["read"](user):
        return Bulletin.objects.none()
    return Bulletin.objects.defer("data", "docx")


def get_bulletin_for(user: Any, pk: Any) -> Bulletin:
    return fetch_or_404(visible_bulletins(user), pk)


def may_edit(user: Any) -> bool:
    """Select good practice and issue bulletins."""
    return BULLETINS["edit"](user)


def may_issue_urging_notice(user: Any) -> bool:
    """Numbered notices are issued by the supervision office (and the administrator), not by readers."""
    return BULLETINS["issue_urging_notice"](user)


def require_editor(user: Any) -> None:
    rule = BULLETINS["edit"]
    if not rule(user):
        raise BulletinError("not_allowed", rule.message_zh, rule.message_en)
