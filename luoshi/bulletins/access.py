"""Who may shape bulletins: the supervision office selects good practice and issues."""

from __future__ import annotations

from typing import Any

from luoshi.accounts.models import Role
from luoshi.accounts.scope import role_of
from luoshi.bulletins.errors import BulletinError

EDITORS = frozenset({Role.SUPERVISOR, Role.ADMIN})


def require_editor(user: Any) -> None:
    if role_of(user) not in EDITORS:
        raise BulletinError("not_allowed", "只有督查室人员可以进行此操作。",
                            "Only the supervision office can do this.")
