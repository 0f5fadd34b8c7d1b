"""Who may shape bulletins (通报) and issue numbered notices: the bulletins table.

The supervision office (supervisors, administrators) selects good practice, issues bulletins and
issues the numbered urging notices (催办单); everybody else only reads what they may see.
"""

from __future__ import annotations

from typing import Any

from luoshi.accounts.models import Role
from luoshi.accounts.predicates import Predicate, table
from luoshi.bulletins.errors import BulletinError

EDITORS = frozenset({Role.SUPERVISOR, Role.ADMIN})

BULLETINS = table(
    Predicate("bulletins.edit", EDITORS, message_zh="只有督查室人员可以进行此操作。",
              message_en="Only the supervision office can do this."),
    Predicate("bulletins.issue_urging_notice", EDITORS, message_zh="只有督查办可以签发催办单。",
              message_en="Only the supervision office issues urging notices."),
)


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
