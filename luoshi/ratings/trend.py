"""A trend: one point per date (tasks by rating, average progress, average plan), stored while its inputs hold.

The dashboard shows the region at its date and at the four quarter ends before it. A past point needs
every assignment's rating of that date; read from stored snapshots that is still about 150 ms a date at a
region's size (6,000 assignments). A point depends only on:

- the tasks in scope and what decides whether a task counts on the date (status, start, creation, its
  completing and cancelling transitions, its section for a part) — hashed from the roll-up's own plain rows;
- each assignment's place in its task (role, parent, weight) and its rating stamp, which changes whenever
  anything its rating reads changes (``ratings.snapshots``);
- the overrides of that date, the rule's version, and the scope (document, unit, part, a unit's own view).

So a point is stored under a hash of all of these; any change makes a new key and the point is computed
again, by the roll-up itself. Reading the inputs is two queries beside the tasks (stamps, overrides), and
the stored points one more.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db import DatabaseError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from luoshi.documents.models import Document, Section
from luoshi.ratings.facts import TaskFacts, load_tasks
from luoshi.ratings.models import Rating, RatingStamp, TrendPoint
from luoshi.ratings.rollup import Counts, Rollup, mean, rollups, task_scope
from luoshi.ratings.snapshots import RULE, tokens
from luoshi.tasks.models import Task
from luoshi.units.models import Unit


@dataclass(frozen=True)
class Point:
    as_of: dt.date
    counts: Counts
    progress: float | None  # average of the tasks' progress
    planned: float | None  # average of the tasks' planned progress


def point_of(data: Rollup) -> Point:
    """The point of a roll-up (its tasks as the viewer may see them)."""
    return Point(
        data.as_of, data.counts, mean([t.progress for t in data.tasks]), mean([t.planned for t in data.tasks])
    )


def points(
    *,
    dates: Sequence[dt.date],
    document: Document | None = None,
    unit: Unit | None = None,
    part: Section | None = None,
    narrow: Callable[[Rollup], Rollup] | None = None,
    viewer: str = "",
) -> list[Point]:
    """The trend at the dates: stored points where their inputs are unchanged, the rest rolled up and stored.

    ``narrow`` and ``viewer``: what a unit's own view keeps of a roll-up, and a name for that view (part of
    the key: two views of one scope have their own points).
    """
    if not dates:
        return []
    scope = task_scope(document=document, unit=unit)
    base = _base(
        load_tasks(scope),
        scope,
        scope_key=(
            document.pk if document else None,
            unit.pk if unit else None,
            part.pk if part else None,
            viewer,
        ),
    )
    overrides: dict[dt.date, list[tuple[int, int, str, int | None]]] = {d: [] for d in dates}
    for as_of, assignment_id, pk, rag, confidence in (
        Rating.objects.filter(assignment__task__in=scope, as_of__in=list(dates), overridden=True)
        .order_by("as_of", "id")
        .values_list("as_of", "assignment_id", "pk", "rag", "confidence")
    ):
        overrides[as_of].append((assignment_id, pk, rag, confidence))
    keys = {d: hashlib.sha256(f"{base}|{d.isoformat()}|{overrides[d]!r}".encode()).hexdigest() for d in dates}
    stored = {p.key: p for p in TrendPoint.objects.filter(key__in=list(keys.values()))}
    found = {
        d: Point(d, Counts(p.green, p.amber, p.red, p.total), p.progress, p.planned)
        for d, key in keys.items()
        if (p := stored.get(key)) is not None
    }
    missing = [d for d in dates if d not in found]
    if missing:
        computed = rollups(dates=missing, document=document, unit=unit, part=part, reasons_on=())
        for as_of, data in zip(missing, computed, strict=True):
            found[as_of] = point_of(narrow(data) if narrow else data)
        _store([(keys[d], found[d]) for d in missing])
    return [found[d] for d in dates]


def _base(loaded: list[TaskFacts], scope: QuerySet[Task], *, scope_key: tuple[object, ...]) -> str:
    """A hash of every input of the points but the date's overrides (see the module docstring)."""
    stamps = dict(
        RatingStamp.objects.filter(assignment__task__in=scope).values_list("assignment_id", "token")
    )
    if missing := [a.pk for t in loaded for a in t.assignments.all() if a.pk not in stamps]:
        stamps |= tokens(missing)
    h = hashlib.sha256(f"{RULE}|{scope_key!r}".encode())
    for t in loaded:
        h.update(
            repr(
                (
                    t.pk,
                    t.status,
                    t.start_date,
                    t.created_at,
                    t.section_id,
                    t.heading_path[:1],
                    [(x.to_status, x.at) for x in t.transitions.all()],
                    [(a.pk, a.role, a.parent_id, str(a.weight), stamps[a.pk]) for a in t.assignments.all()],
                )
            ).encode()
        )
    return h.hexdigest()


def _store(rows: list[tuple[str, Point]]) -> None:
    now = timezone.now()
    try:
        with transaction.atomic():
            TrendPoint.objects.bulk_create(
                [
                    TrendPoint(
                        key=key,
                        as_of=p.as_of,
                        green=p.counts.green,
                        amber=p.counts.amber,
                        red=p.counts.red,
                        total=p.counts.total,
                        progress=p.progress,
                        planned=p.planned,
                        created_at=now,
                    )
                    for key, p in rows
                ],
                ignore_conflicts=True,
            )
    except DatabaseError:  # pragma: no cover - a busy or read-only database only costs the next reader time
        pass
