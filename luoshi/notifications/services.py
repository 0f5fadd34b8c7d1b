"""Notifications: the in-app inbox, messages to units' group channels, and sending them.

``notify`` and ``post_to_unit`` are idempotent by key: calling them twice (or
from two processes at once) creates each notice, message and delivery once,
because every row has a unique key and a losing insert is skipped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from luoshi.notifications.delivery import DeliveryStats, deliver_pending, reclaim_stale
from luoshi.notifications.models import ChannelKind, Delivery, Notice, UnitChannel, UnitMessage
from luoshi.units.models import Unit

__all__ = [
    "DeliveryStats",
    "absolute_url",
    "deliver_pending",
    "inbox",
    "mark_read",
    "notify",
    "post_to_unit",
    "reclaim_stale",
    "unread_count",
]


def absolute_url(path: str) -> str:
    """The link users follow: LUOSHI_BASE_URL + path."""
    return f"{settings.BASE_URL}/{path.lstrip('/')}"


def notify(
    *,
    recipients: Iterable[Any],
    kind: str,
    title: str,
    body: str,
    link: str,
    key: str,
    now: dt.datetime | None = None,
) -> list[Notice]:
    """Put a notice in each recipient's inbox, once per (key, recipient); return the ones created now.

    A recipient with a mail address also gets a mail delivery when mail is
    configured (LUOSHI_SMTP_HOST). Inactive users are skipped. All the notices
    are inserted at once; when one of them exists already (an earlier call,
    another process just now) they are inserted one by one, skipping those.
    """
    now = now or timezone.now()
    users: dict[int, Any] = {}
    for user in recipients:
        if user is not None and user.is_active:
            users.setdefault(user.pk, user)
    if not users:
        return []
    try:
        with transaction.atomic():
            return _insert(
                [
                    _notice(user, kind=kind, title=title, body=body, link=link, key=key, now=now)
                    for user in users.values()
                ],
                now=now,
            )
    except IntegrityError:
        pass
    created: list[Notice] = []
    for user in users.values():
        try:
            with transaction.atomic():
                created += _insert(
                    [_notice(user, kind=kind, title=title, body=body, link=link, key=key, now=now)], now=now
                )
        except IntegrityError:
            continue  # created before, or by another process just now
    return created


def _notice(user: Any, *, kind: str, title: str, body: str, link: str, key: str, now: dt.datetime) -> Notice:
    return Notice(
        recipient=user,
        kind=kind,
        title=title[:200],
        body=body,
        link=link[:500],
        created_at=now,
        dedupe_key=f"{key}|user={user.pk}"[:200],
    )


def _insert(notices: list[Notice], *, now: dt.datetime) -> list[Notice]:
    """The notices (ids set: RETURNING on SQLite and PostgreSQL) and their mail deliveries."""
    Notice.objects.bulk_create(notices)
    if settings.EMAIL_ENABLED:
        Delivery.objects.bulk_create(
            [
                Delivery(notice=n, kind=ChannelKind.EMAIL, next_attempt_at=now, created_at=now)
                for n in notices
                if (n.recipient.email or "").strip()
            ]
        )
    return notices


def post_to_unit(
    *,
    unit: Unit,
    kind: str,
    title: str,
    body: str,
    link: str,
    key: str,
    now: dt.datetime | None = None,
    channels: Sequence[UnitChannel] | None = None,
) -> UnitMessage | None:
    """Queue a message to every active group channel of the unit, once per (key, unit).

    Returns the message when it was created now; None when it existed
    already or the unit has no active channel (mail channels count only
    when mail is configured). ``channels``: the unit's active channels when
    the caller read them already (a sweep reads every unit's at once).
    """
    now = now or timezone.now()
    active = UnitChannel.objects.filter(unit=unit, active=True) if channels is None else channels
    targets = [c for c in active if c.kind != ChannelKind.EMAIL or settings.EMAIL_ENABLED]
    if not targets:
        return None
    try:
        with transaction.atomic():
            message = UnitMessage.objects.create(
                unit=unit,
                kind=kind,
                title=title[:200],
                body=body,
                link=link[:500],
                created_at=now,
                dedupe_key=f"{key}|unit={unit.pk}"[:200],
            )
            Delivery.objects.bulk_create(
                [
                    Delivery(
                        unit_message=message, channel=c, kind=c.kind, next_attempt_at=now, created_at=now
                    )
                    for c in targets
                ]
            )
    except IntegrityError:
        return None
    return message


def inbox(user: Any, *, unread_only: bool = False) -> QuerySet[Notice]:
    """The user's notices, newest first."""
    notices = Notice.objects.filter(recipient_id=getattr(user, "pk", None))
    return notices.filter(read_at=None) if unread_only else notices


def unread_count(user: Any) -> int:
    return inbox(user, unread_only=True).count()


def mark_read(*, user: Any, notice_ids: Sequence[int], now: dt.datetime | None = None) -> int:
    """Mark the user's own notices read (others' ids are ignored); return how many changed."""
    return inbox(user, unread_only=True).filter(pk__in=list(notice_ids)).update(read_at=now or timezone.now())
