"""Stored rating snapshots: each assignment's computed rating as of a date, kept while its inputs are unchanged.

The roll-ups read snapshots instead of rating every assignment on every request. A snapshot is valid
while it carries its assignment's current stamp token; anything a rating reads (the assignment, its
task, milestones, indicators, transitions, obligations, reports, indicator values) changes the token:
model signals for single saves and deletes, ``luoshi.tasks.signals.rating_inputs_changed`` for the
set-wise services and queryset updates. A missing or stale snapshot is computed with the same rule as
``services.rate`` (``facts.build_inputs`` → ``rules.evaluate``) and stored.

Why the order below is safe under concurrency: the token is read *before* the inputs; a change that
commits after that read also changes the token, so the snapshot written with the old token is never
read as valid.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from django.db import DatabaseError, transaction
from django.db.models import F, QuerySet

from luoshi.ratings import facts, rules, trajectory
from luoshi.ratings.facts import ObligationLike, build_inputs, load_facts, submitted_on, with_plan
from luoshi.ratings.models import RatingSnapshot, RatingStamp, TrendPoint
from luoshi.ratings.rules import evaluate
from luoshi.tasks.models import Assignment

log = logging.getLogger(__name__)

# The code a rating depends on, as a number: snapshots made by other code are not read.
RULE = int.from_bytes(
    hashlib.sha256(
        b"".join(Path(module.__file__ or "").read_bytes() for module in (facts, rules, trajectory))
    ).digest()[:7],
    "big",
)

CHUNK = 2000  # ids per IN list (SQLite's limit on parameters is far above; PostgreSQL's too)
COMPUTE_CHUNK = 500  # assignments rated per batch when computing (bounds memory on a cold date)
KEEP_DAYS = 40  # `prune` keeps every date this recent, and month ends for ever
POINT_DAYS = 7  # and trend points stored this recently (``ratings.trend``)

FIELDS = (
    "assignment_id",
    "rag",
    "confidence",
    "planned",
    "actual",
    "reasons",
    "reasons_en",
    "reports_due",
    "reports_on_time",
    "reports_late",
    "reports_missing",
)


class Snapshot(NamedTuple):
    """What a roll-up needs of one assignment's rating as of a date (a tuple: a region's roll-up makes
    30,000 of them, and a frozen dataclass costs several times as much to create)."""

    assignment_id: int
    rag: str
    confidence: int
    planned: float
    actual: float
    reasons: list[str]
    reasons_en: list[str]
    reports_due: int
    reports_on_time: int
    reports_late: int
    reports_missing: int


def chunks(ids: Sequence[int], size: int = CHUNK) -> Iterator[list[int]]:
    for i in range(0, len(ids), size):
        yield list(ids[i : i + size])


def _token() -> int:
    return secrets.randbits(62)


def touch(*, assignment_ids: Iterable[int] = (), task_ids: Iterable[int] = (), create: bool = True) -> None:
    """Give the assignments (and every assignment of the tasks) a new token: their snapshots go stale.

    ``create``: also stamp assignments that have no stamp yet (False while rows are being deleted,
    when the assignment itself may already be gone).
    """
    token = _token()
    own = sorted(set(assignment_ids))
    tasks = sorted(set(task_ids))
    for chunk in chunks(own):
        RatingStamp.objects.filter(assignment_id__in=chunk).update(token=token)
    for chunk in chunks(tasks):
        RatingStamp.objects.filter(assignment__task_id__in=chunk).update(token=token)
    if create and (own or tasks):
        _stamp_missing(own, tasks)


def _stamp_missing(own: list[int], tasks: list[int]) -> None:
    candidates: set[int] = set()
    for chunk in chunks(own):
        candidates |= set(Assignment.objects.filter(pk__in=chunk).values_list("pk", flat=True))
    for chunk in chunks(tasks):
        candidates |= set(Assignment.objects.filter(task_id__in=chunk).values_list("pk", flat=True))
    tokens(sorted(candidates))


def tokens(ids: Sequence[int]) -> dict[int, int]:
    """The current token of each assignment, stamping those without one."""
    found: dict[int, int] = {}
    for chunk in chunks(ids):
        found.update(
            RatingStamp.objects.filter(assignment_id__in=chunk).values_list("assignment_id", "token")
        )
    missing = [i for i in ids if i not in found]
    if missing:
        RatingStamp.objects.bulk_create(
            [RatingStamp(assignment_id=i, token=_token()) for i in missing],
            batch_size=500,
            ignore_conflicts=True,
        )
        for chunk in chunks(missing):
            found.update(
                RatingStamp.objects.filter(assignment_id__in=chunk).values_list("assignment_id", "token")
            )
    return found


# Read when the reasons are not wanted (a trend's past dates): decoding two JSON lists per assignment
# was a third of the dashboard's time at a region's size.
BRIEF = tuple(f for f in FIELDS if f not in ("reasons", "reasons_en"))


def _brief(row: tuple[Any, ...]) -> Snapshot:
    pk, rag, confidence, planned, actual, *reports = row
    return Snapshot(pk, rag, confidence, planned, actual, [], [], *reports)


def snapshots(
    ids: Iterable[int], as_of: dt.date, *, scope: QuerySet[Assignment] | None = None, reasons: bool = True
) -> dict[int, Snapshot]:
    """The rating of each assignment as of the date: valid stored snapshots, the rest computed and stored.

    ``scope``: assignments that include ``ids``, read as a subquery instead of long lists of ids.
    ``reasons``: False leaves the stored snapshots' reasons unread (empty lists).
    """
    wanted = sorted(set(ids))
    found: dict[int, Snapshot] = {}
    valid = RatingSnapshot.objects.filter(as_of=as_of, rule=RULE, token=F("assignment__rating_stamp__token"))
    fields, make = (FIELDS, lambda row: Snapshot(*row)) if reasons else (BRIEF, _brief)
    if scope is not None:
        keep = set(wanted)
        found.update(
            (row[0], make(row))
            for row in valid.filter(assignment__in=scope.values("pk")).values_list(*fields)
            if row[0] in keep
        )
    else:
        for chunk in chunks(wanted):
            found.update(
                (row[0], make(row)) for row in valid.filter(assignment_id__in=chunk).values_list(*fields)
            )
    missing = [i for i in wanted if i not in found]
    for chunk in chunks(missing, COMPUTE_CHUNK):
        found.update(compute(chunk, as_of))
    return found


def reasons(ids: Iterable[int], as_of: dt.date) -> dict[int, tuple[list[str], list[str]]]:
    """The stored reasons (Chinese, English) of the assignments' snapshots of the date, for rows that were
    read without them (``snapshots(…, reasons=False)``) and are now shown: one query per CHUNK ids."""
    found: dict[int, tuple[list[str], list[str]]] = {}
    for chunk in chunks(sorted(set(ids))):
        found.update(
            (pk, (zh, en))
            for pk, zh, en in RatingSnapshot.objects.filter(
                as_of=as_of, rule=RULE, assignment_id__in=chunk
            ).values_list("assignment_id", "reasons", "reasons_en")
        )
    return found


def compute(ids: Sequence[int], as_of: dt.date, *, store: bool = True) -> dict[int, Snapshot]:
    """Rate the assignments as of the date from the recorded data (a fixed number of queries) and store it."""
    stamp = tokens(ids) if store else {}
    assignments = list(with_plan(Assignment.objects.filter(pk__in=list(ids))))
    obligations = load_facts(assignments=list(ids), as_of=as_of)
    out: dict[int, Snapshot] = {}
    for a in assignments:
        mine = obligations.get(a.pk, [])
        result = evaluate(build_inputs(assignment=a, obligations=mine, as_of=as_of))
        due, on_time, late, missing = reporting_record(mine, as_of)
        out[a.pk] = Snapshot(
            a.pk,
            result.rag,
            result.confidence,
            result.planned,
            result.actual,
            list(result.reasons_zh),
            list(result.reasons_en),
            due,
            on_time,
            late,
            missing,
        )
    if store:
        _store(out, stamp, as_of)
    return out


def reporting_record(obligations: Sequence[ObligationLike], as_of: dt.date) -> tuple[int, int, int, int]:
    """(due, on time, late, missing) as of the date: an obligation counts once due or submitted."""
    due = on_time = late = missing = 0
    for ob in obligations:
        day = submitted_on(ob, as_of)
        if day is None and ob.due_date >= as_of:
            continue  # not yet due and not yet submitted
        due += 1
        if day is None:
            missing += 1
        elif day <= ob.due_date:
            on_time += 1
        else:
            late += 1
    return due, on_time, late, missing


def _store(computed: dict[int, Snapshot], stamp: dict[int, int], as_of: dt.date) -> None:
    """Upsert the snapshots; a failure to store (a busy or read-only database) only costs the next reader time."""
    rows = [
        RatingSnapshot(
            as_of=as_of, token=stamp[s.assignment_id], rule=RULE, **{f: getattr(s, f) for f in FIELDS}
        )
        for s in computed.values()
        if s.assignment_id in stamp
    ]
    try:
        with transaction.atomic():
            RatingSnapshot.objects.bulk_create(
                rows,
                batch_size=500,
                update_conflicts=True,
                unique_fields=["as_of", "assignment"],
                update_fields=["token", "rule", *FIELDS[1:]],
            )
    except DatabaseError:  # pragma: no cover - depends on another writer holding the database
        log.warning("rating snapshots for %s not stored", as_of, exc_info=True)


def warm(*, dates: Sequence[dt.date]) -> int:
    """Compute the missing or stale snapshots of every assignment for each date; returns how many are valid
    for the first. Tick does it for today and the dashboard trend's quarter ends, so a day's first look at
    the dashboard reads stored ratings; a past date's snapshots stay valid until an assignment's inputs
    change, so later passes rate only what changed."""
    ids = list(Assignment.objects.order_by("pk").values_list("pk", flat=True))
    counts = [len(snapshots(ids, as_of, reasons=False)) for as_of in dates]
    return counts[0] if counts else 0


def prune(*, today: dt.date) -> int:
    """Drop snapshots of old dates except month ends (the dates bulletins and trends ask for again), and
    trend points stored more than POINT_DAYS ago (a point still wanted is computed again from snapshots)."""
    old = RatingSnapshot.objects.filter(as_of__lt=today - dt.timedelta(days=KEEP_DAYS))
    keep = [d for d in old.values_list("as_of", flat=True).distinct() if (d + dt.timedelta(days=1)).day == 1]
    deleted, _ = old.exclude(as_of__in=keep).delete()
    points, _ = TrendPoint.objects.filter(
        created_at__lt=facts.day_start(today - dt.timedelta(days=POINT_DAYS))
    ).delete()
    return deleted + points
