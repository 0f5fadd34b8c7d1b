"""Who may see and do what with leaders' instructions (领导批示) and watch lists (关注事项).

- A leader writes instructions and keeps a watch list (``may_instruct``, ``may_watch``).
- Those who see everything (the office, leaders, administrators) see every instruction; a unit's
  liaison or head sees the instructions its unit handles, and nothing of the others.
- A handling is answered by the owning unit's liaison or head (the office's own handling: a
  supervisor or administrator); a drafted answer is approved by the unit's head.
- The office chooses which instructions its bulletins cite (``may_cite``).

Pages, the API and the CLI fetch through ``get_instruction_for`` / ``get_handling_for`` (404 outside
the user's scope) and ask these predicates; the services ask them again.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from luoshi.accounts.models import Role
from luoshi.accounts.scope import UNIT_ROLES, RoleRequired, fetch_or_404, role_of, sees_all, unit_of
from luoshi.instructions.models import Handling, Instruction, Watch

OFFICE_ROLES = frozenset({Role.SUPERVISOR, Role.ADMIN})


def may_instruct(user: Any) -> bool:
    return role_of(user) == Role.LEADER


def may_watch(user: Any) -> bool:
    return role_of(user) == Role.LEADER


def may_cite(user: Any) -> bool:
    """Citing an instruction in the bulletins is the office's choice (supervisors, administrators)."""
    return role_of(user) in OFFICE_ROLES


def _own_unit_id(user: Any) -> int | None:
    """The unit a liaison or unit head acts for; None for everyone else."""
    unit = unit_of(user) if role_of(user) in UNIT_ROLES else None
    return unit.pk if unit is not None else None


def visible_handlings(user: Any) -> QuerySet[Handling]:
    """The handlings the user sees: all for those who see everything, the unit's own for its people."""
    if sees_all(user):
        return Handling.objects.all()
    unit_id = _own_unit_id(user)
    return Handling.objects.none() if unit_id is None else Handling.objects.filter(unit_id=unit_id)


def visible_instructions(user: Any) -> QuerySet[Instruction]:
    if sees_all(user):
        return Instruction.objects.all()
    return Instruction.objects.filter(pk__in=visible_handlings(user).values("instruction_id"))


def sees_handling(user: Any, handling: Handling) -> bool:
    """``visible_handlings`` for one handling at hand, without a query."""
    if sees_all(user):
        return True
    unit_id = _own_unit_id(user)
    return unit_id is not None and handling.unit_id == unit_id


def get_instruction_for(user: Any, pk: Any) -> Instruction:
    return fetch_or_404(visible_instructions(user), pk)


def get_handling_for(user: Any, pk: Any) -> Handling:
    return fetch_or_404(visible_handlings(user), pk)


def get_watch_for(user: Any, pk: Any) -> Watch:
    """One of the user's own watched items (404 for anyone else's)."""
    own = Watch.objects.filter(leader_id=user.pk) if may_watch(user) else Watch.objects.none()
    return fetch_or_404(own, pk)


def may_respond(user: Any, handling: Handling) -> bool:
    """The owning unit's liaison or head; for the office's own handling, a supervisor or administrator."""
    role = role_of(user)
    if handling.unit_id is None:
        return role in OFFICE_ROLES
    unit = unit_of(user)
    return role in UNIT_ROLES and unit is not None and unit.pk == handling.unit_id


def may_approve(user: Any, handling: Handling) -> bool:
    """The owning unit's head approves (or returns) the drafted answer."""
    unit = unit_of(user)
    return (handling.unit_id is not None and role_of(user) == Role.UNIT_HEAD and unit is not None
            and unit.pk == handling.unit_id)


def require_instruct(user: Any) -> None:
    if not may_instruct(user):
        raise RoleRequired("instruct", "只有领导可以作出批示。", "Only a leader writes instructions.")


def require_watch(user: Any) -> None:
    if not may_watch(user):
        raise RoleRequired("watch", "只有领导可以设置关注事项。", "Only a leader keeps a watch list.")


def require_cite(user: Any) -> None:
    if not may_cite(user):
        raise RoleRequired("cite", "只有督查室可以决定通报是否引用批示。",
                           "Only the supervision office decides whether a bulletin cites an instruction.")


def require_respond(user: Any, handling: Handling) -> None:
    if not may_respond(user, handling):
        raise RoleRequired("respond", "只有承办单位的联络员或负责人可以办复该批示。",
                           "Only the owning unit's liaison or head answers this instruction.")


def require_approve(user: Any, handling: Handling) -> None:
    if not may_approve(user, handling):
        raise RoleRequired("approve_response", "只有承办单位负责人可以审核办理情况。",
                           "Only the head of the owning unit approves the answer.")
