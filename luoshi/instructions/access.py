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
from luoshi.accounts.predicates import Predicate, table
from luoshi.accounts.scope import UNIT_ROLES, fetch_or_404, role_of, sees_all, unit_of
from luoshi.instructions.models import Handling, Instruction, Watch

OFFICE_ROLES = frozenset({Role.SUPERVISOR, Role.ADMIN})
LEADERS = frozenset({Role.LEADER})


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


def open_handlings(user: Any) -> QuerySet[Handling]:
    """The handlings the user sees that are not done yet."""
    return visible_handlings(user).exclude(state=Handling.State.DONE)


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


def _responds(user: Any, handling: Handling) -> bool:
    """The owning unit's people; the office for its own handling (no unit)."""
    if handling.unit_id is None:
        return role_of(user) in OFFICE_ROLES
    return role_of(user) in UNIT_ROLES and _own_unit_id(user) == handling.unit_id


def _approves(user: Any, handling: Handling) -> bool:
    return handling.unit_id is not None and _own_unit_id(user) == handling.unit_id


INSTRUCTIONS = table(
    Predicate(
        "instructions.instruct",
        LEADERS,
        message_zh="只有领导可以作出批示。",
        message_en="Only a leader writes instructions.",
    ),
    Predicate(
        "instructions.watch",
        LEADERS,
        "own watch list",
        "本人的关注事项",
        message_zh="只有领导可以设置关注事项。",
        message_en="Only a leader keeps a watch list.",
    ),
    Predicate(
        "instructions.cite",
        OFFICE_ROLES,
        message_zh="只有督查室可以决定通报是否引用批示。",
        message_en="Only the supervision office decides whether a bulletin cites an instruction.",
    ),
    Predicate(
        "instructions.respond",
        OFFICE_ROLES | UNIT_ROLES,
        "a unit: the handling it owns; the office: its own handling (no unit)",
        "单位：本单位承办的批示；督查室：由督查室承办的批示",
        _responds,
        "只有承办单位的联络员或负责人可以办复该批示。",
        "Only the owning unit's liaison or head answers this instruction.",
    ),
    Predicate(
        "instructions.approve",
        frozenset({Role.UNIT_HEAD}),
        "the handling its unit owns",
        "本单位承办的批示",
        _approves,
        "只有承办单位负责人可以审核办理情况。",
        "Only the head of the owning unit approves the answer.",
    ),
)


def may_instruct(user: Any) -> bool:
    return INSTRUCTIONS["instruct"](user)


def may_watch(user: Any) -> bool:
    return INSTRUCTIONS["watch"](user)


def may_cite(user: Any) -> bool:
    """Citing an instruction in the bulletins is the office's choice (supervisors, administrators)."""
    return INSTRUCTIONS["cite"](user)


def may_respond(user: Any, handling: Handling) -> bool:
    """The owning unit's liaison or head; for the office's own handling, a supervisor or administrator."""
    return INSTRUCTIONS["respond"](user, handling)


def may_approve(user: Any, handling: Handling) -> bool:
    """The owning unit's head approves (or returns) the drafted answer."""
    return INSTRUCTIONS["approve"](user, handling)


def require_instruct(user: Any) -> None:
    INSTRUCTIONS["instruct"].require(user)


def require_watch(user: Any) -> None:
    INSTRUCTIONS["watch"].require(user)


def require_cite(user: Any) -> None:
    INSTRUCTIONS["cite"].require(user)


def require_respond(user: Any, handling: Handling) -> None:
    INSTRUCTIONS["respond"].require(user, handling)


def require_approve(user: Any, handling: Handling) -> None:
    INSTRUCTIONS["approve"].require(user, handling)
