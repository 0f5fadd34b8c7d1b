"""Confirmed task divisions as training data for new suggestions (catalogs/history.py).

Every kept top-level task of a confirmed plan (accepted or merged, with a lead unit) is a past task: its
words, its heading path, its lead and co-units.  ``office_history(catalog)`` returns them as a
``History`` for the plans made with that catalog, rebuilt when a plan is confirmed since (the newest
confirmation time and the number of confirmed plans are its key).
"""

from __future__ import annotations

import threading
from typing import Any

from django.db.models import Count, Max

from luoshi.catalogs.history import History, PastTask
from luoshi.decomposition.builder import ACTIONABLE
from luoshi.decomposition.models import Plan, PlanTask

_cache: dict[str, tuple[Any, History]] = {}
_lock = threading.Lock()


def past_tasks(catalog: str) -> list[PastTask]:
    """The kept tasks of the confirmed plans made with ``catalog``, oldest plan first."""
    rows = (
        PlanTask.objects.filter(
            plan__status=Plan.CONFIRMED,
            plan__catalog=catalog,
            parent=None,
            kind__in=ACTIONABLE,
            lead_unit__isnull=False,
        )
        .exclude(status=PlanTask.REJECTED)
        .select_related("lead_unit")
        .prefetch_related("co_units")
        .order_by("plan__confirmed_at", "order")
    )
    out = []
    for t in rows:
        assert t.lead_unit is not None
        co = tuple(u.code for u in t.co_units.all() if u.pk != t.lead_unit_id)
        out.append(
            PastTask(
                text=t.text, lead=t.lead_unit.code, co=co, context=" ".join(t.heading_path), label=t.title
            )
        )
    return out


def office_history(catalog: str) -> History:
    """What the office assigned before with this catalog (cached until another plan is confirmed)."""
    key = Plan.objects.filter(status=Plan.CONFIRMED, catalog=catalog).aggregate(
        n=Count("id"), at=Max("confirmed_at")
    )
    stamp = (key["n"], key["at"])
    with _lock:
        cached = _cache.get(catalog)
        if cached is not None and cached[0] == stamp:
            return cached[1]
    history = History(past_tasks(catalog))
    with _lock:
        _cache[catalog] = (stamp, history)
    return history
