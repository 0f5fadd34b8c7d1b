"""The roll-up a user may see: the one place the API and the dashboard narrow it to the user's unit."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django.http import Http404

from luoshi.accounts.scope import sees_all, unit_of
from luoshi.documents.models import Document, Section
from luoshi.ratings.rollup import Counts, Rollup, rollups
from luoshi.ratings.trend import Point, points
from luoshi.units.models import Unit


def rollup_for(
    *,
    user: Any,
    as_of: dt.date,
    document: Document | None = None,
    unit_id: int | None = None,
    part: Section | None = None,
) -> Rollup:
    """``rollups_for`` at one date."""
    return rollups_for(user=user, dates=[as_of], document=document, unit_id=unit_id, part=part)[0]


def rollups_for(
    *,
    user: Any,
    dates: list[dt.date],
    document: Document | None = None,
    unit_id: int | None = None,
    part: Section | None = None,
) -> list[Rollup]:
    """The roll-up as ``user`` may see it; Http404 for a unit outside the user's scope.

    1. Supervisors, leaders and administrators see everything, optionally
       narrowed to any existing unit.
    2. A liaison or unit head sees their own unit only (asking for another unit
       is 404): their assignments, their unit row and the tasks their unit
       leads (see ``own_unit_only``).
    The caller fetches ``document`` and ``part`` through the user's scope.
    """
    unit, own = _view(user, unit_id)
    found = rollups(dates=dates, document=document, unit=unit, part=part)
    return found if own is None else [own_unit_only(r, own) for r in found]


def trend_for(
    *,
    user: Any,
    dates: list[dt.date],
    document: Document | None = None,
    unit_id: int | None = None,
    part: Section | None = None,
) -> list[Point]:
    """``trend.points`` as ``user`` may see them: the same scope rule as ``rollups_for``."""
    unit, own = _view(user, unit_id)
    if own is None:
        return points(dates=dates, document=document, unit=unit, part=part)
    return points(
        dates=dates,
        document=document,
        unit=unit,
        part=part,
        narrow=lambda data: own_unit_only(data, own),
        viewer=f"unit {own}",
    )


def _view(user: Any, unit_id: int | None) -> tuple[Unit | None, int | None]:
    """The unit a roll-up is narrowed to, and the unit whose own view it is (None: the whole picture)."""
    if sees_all(user):
        if unit_id is None:
            return None, None
        scope_unit = Unit.objects.filter(pk=unit_id).first()
        if scope_unit is None:
            raise Http404
        return scope_unit, None
    own = unit_of(user)
    if own is None or (unit_id is not None and unit_id != own.pk):
        raise Http404
    return own, own.pk


def own_unit_only(data: Rollup, unit_id: int) -> Rollup:
    """Keep what a unit may see: its assignments, its unit row, the tasks it leads.

    Section and document rows are dropped: their averages include other units' ratings.
    """
    mine = {row.assignment_id for row in data.assignments}
    tasks = [
        dataclasses.replace(t, assignment_ids=[a for a in t.assignment_ids if a in mine])
        for t in data.tasks
        if t.lead_unit_id == unit_id
    ]
    counts = Counts()
    for task in tasks:
        counts.add(task.rag)
    return dataclasses.replace(
        data, counts=counts, tasks=tasks, documents=[], units=[u for u in data.units if u.unit_id == unit_id]
    )
