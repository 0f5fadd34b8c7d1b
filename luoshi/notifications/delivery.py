"""Sending pending deliveries: claim, send, record; retry with back-off; take over after a crash.

Semantics (see docs/supervision.md, "Delivery"):
- A delivery is sent by the process that claims it: one conditional UPDATE
  pending → sending (WHERE status = 'pending'); only the process that changed
  exactly one row sends. Two passes at once never send the same row twice.
- A row marked sent is never sent again (the one acknowledged copy is final).
- A process that dies between claiming and recording leaves the row
  "sending". After LUOSHI_DELIVERY_CLAIM_TIMEOUT_MINUTES it goes back to
  pending and is sent again: at-least-once for copies that were never
  acknowledged. A duplicate is possible only when the process died after
  the channel accepted the message and before the row was marked sent.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import F

from luoshi.lib.outbound import OutboundResult
from luoshi.notifications import channels
from luoshi.notifications.models import Delivery

log = logging.getLogger(__name__)


@dataclass
class DeliveryStats:
    sent: Counter[str] = field(default_factory=Counter)  # per channel kind
    failures: int = 0  # failed attempts in this pass (to be retried or given up)
    gave_up: int = 0  # deliveries marked failed for good in this pass
    reclaimed: int = 0  # "sending" rows of a crashed pass taken up again
    taken: int = 0  # rows another process claimed first


def backoff(attempts: int) -> dt.timedelta:
    """How long to wait after the ``attempts``-th failed attempt."""
    steps = settings.DELIVERY_BACKOFF_MINUTES
    return dt.timedelta(minutes=steps[min(max(attempts, 1), len(steps)) - 1])


def reclaim_stale(*, now: dt.datetime) -> int:
    """Put deliveries left "sending" by a crashed pass back to pending (or failed, when out of attempts)."""
    cutoff = now - dt.timedelta(minutes=settings.DELIVERY_CLAIM_TIMEOUT_MINUTES)
    stale = Delivery.objects.filter(status=Delivery.Status.SENDING, claimed_at__lt=cutoff)
    stale.filter(attempts__gte=settings.DELIVERY_MAX_ATTEMPTS).update(
        status=Delivery.Status.FAILED, last_error="the sending process stopped before recording the result"
    )
    return stale.update(status=Delivery.Status.PENDING, claimed_at=None, next_attempt_at=now)


def claim(pk: int, *, now: dt.datetime) -> bool:
    """Claim one due pending delivery for this process; True only if this process changed the row."""
    changed = Delivery.objects.filter(pk=pk, status=Delivery.Status.PENDING, next_attempt_at__lte=now).update(
        status=Delivery.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    return changed == 1


def deliver_pending(*, now: dt.datetime, limit: int | None = None) -> DeliveryStats:
    """Send every delivery due by ``now``; one failing channel never stops the others."""
    stats = DeliveryStats()
    stats.reclaimed = reclaim_stale(now=now)
    due = (
        Delivery.objects.filter(status=Delivery.Status.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)
    )
    for pk in list(due[:limit] if limit else due):
        if not claim(pk, now=now):
            stats.taken += 1
            continue
        delivery = Delivery.objects.select_related("notice__recipient", "unit_message", "channel").get(pk=pk)
        try:
            result = channels.send(delivery)
        except Exception as exc:  # a bug in one channel must not stop the pass
            log.exception("delivery %s failed", pk)
            result = OutboundResult(ok=False, error=f"{type(exc).__name__}: {exc}"[:500])
        record(delivery, result, now=now, stats=stats)
    return stats


def record(delivery: Delivery, result: OutboundResult, *, now: dt.datetime, stats: DeliveryStats) -> None:
    """Store the outcome of one attempt on the claimed row."""
    if result.ok:
        # Whatever happened to the row meanwhile, the channel has it now: never send it again.
        Delivery.objects.filter(pk=delivery.pk).exclude(status=Delivery.Status.SENT).update(
            status=Delivery.Status.SENT,
            sent_at=now,
            last_error="",
            sent_to=channels.shown_destination(delivery)[:500],
        )
        stats.sent[delivery.kind] += 1
        return
    stats.failures += 1
    mine = Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.SENDING, attempts=delivery.attempts)
    error = (result.error or "failed")[:2000]
    if delivery.attempts >= settings.DELIVERY_MAX_ATTEMPTS:
        if mine.update(status=Delivery.Status.FAILED, last_error=error):
            stats.gave_up += 1
    else:
        mine.update(
            status=Delivery.Status.PENDING, last_error=error, next_attempt_at=now + backoff(delivery.attempts)
        )
