"""Who may see and do what with extension requests (延期申请) and urgings (催办): the supervision table.

Both are reached through their assignment: outside the user's scope
(``luoshi.tasks.access.visible_assignments``) they answer 404.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from luoshi.accounts.models import Role
from luoshi.accounts.predicates import Predicate, table
from luoshi.accounts.scope import UNIT_ROLES, fetch_or_404, scoped_unit_id, sees_all
from luoshi.notifications.models import Notice
from luoshi.supervision.models import ExtensionRequest, Urging
from luoshi.tasks.access import visible_assignments
from luoshi.tasks.models import Assignment

DECIDERS = frozenset({Role.SUPERVISOR, Role.ADMIN})


def _own_assignment(user: Any, assignment: Assignment) -> bool:
    return scoped_unit_id(user) == assignment.unit_id


def _urged_unit(user: Any, urging: Urging) -> bool:
    return scoped_unit_id(user) == urging.assignment.unit_id


SUPERVISION = table(
    Predicate(
        "supervision.request_extension",
        frozenset({Role.LIAISON}),
        "own unit's assignment",
        "本单位的分工",
        _own_assignment,
    ),
    Predicate("supervision.decide_extension", DECIDERS),
    Predicate(
        "supervision.respond_to_urging", UNIT_ROLES, "the urged unit only", "仅被催办单位", _urged_unit
    ),
)


def may_request_extension(user: Any, assignment: Assignment) -> bool:
    """A liaison of the assignment's unit (whether the task takes requests now is the service's business)."""
    return SUPERVISION["request_extension"](user, assignment)


def _in_scope(found: QuerySet[Any], user: Any) -> QuerySet[Any]:
    return found if sees_all(user) else found.filter(assignment__in=visible_assignments(user))


def visible_urgings(user: Any) -> QuerySet[Urging]:
    """Urgings about the assignments the user may see."""
    return _in_scope(Urging.objects.all(), user).select_related(
        "assignment__task", "assignment__unit", "obligation", "responded_by"
    )


def visible_extensions(user: Any) -> QuerySet[ExtensionRequest]:
    """Extension requests of the assignments the user may see."""
    return _in_scope(ExtensionRequest.objects.all(), user).select_related(
        "assignment__unit", "requested_by", "decided_by"
    )


def get_urging_for(user: Any, pk: Any) -> Urging:
    return fetch_or_404(visible_urgings(user), pk)


def get_extension_for(user: Any, pk: Any) -> ExtensionRequest:
    return fetch_or_404(visible_extensions(user), pk)


def pending_extensions(user: Any) -> QuerySet[ExtensionRequest]:
    """The extension requests waiting for a decision on the assignments the user may see, oldest first."""
    return (
        ExtensionRequest.objects.filter(
            status=ExtensionRequest.Status.PENDING, assignment__in=visible_assignments(user)
        )
        .select_related("assignment__task", "assignment__unit", "requested_by")
        .order_by("requested_at", "pk")
    )


def get_pending_extension_for(user: Any, pk: Any) -> ExtensionRequest:
    """A pending extension request within the user's scope (else 404)."""
    return fetch_or_404(pending_extensions(user), pk)


def urgings_for_notices(*, user: Any, notices: list[Notice]) -> dict[int, Urging]:
    """The urging each urging or escalation notice is about, by notice id (one query).

    A notice's ``dedupe_key`` is the record's key plus the recipient; an
    escalation's key is "escalation:" plus its urging's key.
    """
    keys: dict[int, str] = {}
    for notice in notices:
        if notice.kind in {"urging", "escalation"}:
            key = notice.dedupe_key.rsplit("|user=", 1)[0]
            keys[notice.pk] = key.removeprefix("escalation:")
    if not keys:
        return {}
    by_key = {u.key: u for u in visible_urgings(user).filter(key__in=set(keys.values()))}
    return {pk: by_key[key] for pk, key in keys.items() if key in by_key}
