"""Who may do what after a task is completed: evaluate it (跟踪问效) and close it (销号).

The named predicates pages, the API and the CLI ask; the services ask them once more.
"""

from __future__ import annotations

from typing import Any

from luoshi.accounts.scope import RoleRequired, can


def may_close(user: Any) -> bool:
    """Closing a task (销号) is the supervision office's decision: supervisors and administrators."""
    return can(user, "approve_completion")


def require_close(user: Any) -> None:
    if not may_close(user):
        raise RoleRequired("close", "只有督查室可以对任务销号。", "Only the supervision office closes a task.")
