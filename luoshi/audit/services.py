"""The audit trail: one ``record`` call per tracked operation; reading per object and by search.

Services call ``record`` inside their own transaction, so an operation and
its entry are written (or rolled back) together. The actor is the ``actor``
passed in (the user the service was given), else whoever the request context
says (``luoshi.audit.context``), else nobody with the label "cli".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from luoshi.accounts.scope import require
from luoshi.audit import context
from luoshi.audit.models import Action, AuditEntry, AuditImmutable

__all__ = [
    "Action",
    "AuditEntry",
    "AuditImmutable",
    "Pending",
    "diff",
    "entries_for",
    "jsonable",
    "object_type",
    "record",
    "record_many",
    "search",
    "snapshot",
]


def record(
    *,
    action: str,
    obj: Model,
    changes: Mapping[str, Any] | None = None,
    note: str = "",
    actor: Any = None,
    at: dt.datetime | None = None,
) -> AuditEntry:
    """Append one entry for ``obj``; ``changes`` is {field: [before, after]} (made JSON-safe here)."""
    if action not in Action.values:
        raise ValueError(f"unknown audit action {action!r}")
    user, label, ip = context.current()
    if getattr(actor, "is_authenticated", False):
        user, label = actor, str(actor.get_username())
    return AuditEntry.objects.create(
        at=at or timezone.now(),
        actor=user,
        actor_label=label[:150],
        ip=ip,
        action=action,
        object_type=object_type(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        changes={str(k): jsonable(v) for k, v in (changes or {}).items()},
        note=note,
    )


@dataclass(frozen=True)
class Pending:
    """One entry for ``record_many``: the same arguments ``record`` takes."""

    action: str
    obj: Model
    changes: Mapping[str, Any] | None = None
    note: str = ""
    actor: Any = None
    at: dt.datetime | None = None


def record_many(entries: Iterable[Pending], *, batch_size: int = 2000) -> int:
    """Append many entries at once (a set-wise service's trail); the same fields ``record`` writes.

    Returns how many entries were written. Like ``record``, call it inside
    the caller's transaction so the operation and its trail commit together.
    """
    user, label, ip = context.current()
    now = timezone.now()
    actions = set(Action.values)  # built on each access: once, not per entry
    rows = []
    for e in entries:
        if e.action not in actions:
            raise ValueError(f"unknown audit action {e.action!r}")
        who, who_label = (
            (e.actor, str(e.actor.get_username()))
            if getattr(e.actor, "is_authenticated", False)
            else (user, label)
        )
        rows.append(
            AuditEntry(
                at=e.at or now,
                actor=who,
                actor_label=who_label[:150],
                ip=ip,
                action=e.action,
                object_type=object_type(e.obj),
                object_id=str(e.obj.pk),
                object_repr=str(e.obj)[:200],
                changes={str(k): jsonable(v) for k, v in (e.changes or {}).items()},
                note=e.note,
            )
        )
    AuditEntry.objects.bulk_create(rows, batch_size=batch_size)
    return len(rows)


def object_type(obj: Model | type[Model]) -> str:
    return obj._meta.label_lower


def snapshot(obj: Model, fields: Iterable[str]) -> dict[str, Any]:
    """The JSON-safe values of ``fields`` (a foreign key as its id, a many-to-many as sorted ids)."""
    out: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        if field.many_to_many:
            out[name] = sorted(getattr(obj, name).values_list("pk", flat=True)) if obj.pk else []
        elif field.is_relation:
            out[name] = getattr(obj, f"{name}_id")
        else:
            out[name] = jsonable(getattr(obj, name))
    return out


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """{field: [before, after]} for the fields whose JSON-safe value changed."""
    out: dict[str, list[Any]] = {}
    for key in dict.fromkeys([*before, *after]):
        old, new = jsonable(before.get(key)), jsonable(after.get(key))
        if old != new:
            out[key] = [old, new]
    return out


def jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value.is_finite() else str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, Iterable):
        return [jsonable(v) for v in value]
    return str(value)


def entries_for(obj: Model) -> QuerySet[AuditEntry]:
    """Every entry about ``obj``, oldest first."""
    return AuditEntry.objects.filter(object_type=object_type(obj), object_id=str(obj.pk)).order_by("at", "id")


def search(
    *,
    user: Any,
    text: str | None = None,
    action: str | None = None,
    actor: Any = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    object_type: str | type[Model] | None = None,
) -> QuerySet[AuditEntry]:
    """Entries matching every filter given, newest first; for supervisors and administrators only.

    ``text`` matches the object's description, the note and the actor's label;
    ``actor`` is a user or a label ("cli"); dates are inclusive, local time.
    Anyone else gets PermissionDenied (accounts.scope "rate").
    """
    require(user, "rate")
    qs = AuditEntry.objects.select_related("actor")
    if text:
        qs = qs.filter(
            Q(object_repr__icontains=text) | Q(note__icontains=text) | Q(actor_label__icontains=text)
        )
    if action:
        qs = qs.filter(action=action)
    if actor is not None:
        qs = qs.filter(actor_id=actor.pk) if isinstance(actor, Model) else qs.filter(actor_label=str(actor))
    if date_from is not None:
        qs = qs.filter(at__gte=_start_of(date_from))
    if date_to is not None:
        qs = qs.filter(at__lt=_start_of(date_to + dt.timedelta(days=1)))
    if object_type is not None:
        label = object_type if isinstance(object_type, str) else object_type._meta.label_lower
        qs = qs.filter(object_type=label.lower())
    return qs.order_by("-at", "-id")


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
