"""A leader's watch list (关注事项): tasks and units, and what changed since the leader last looked.

"Since the last visit" is since the leader last marked the list as seen (``mark_seen``, a POST:
a page that is only read never writes), and for an item watched later, since it was added.

``watch_list`` is computed set-wise: a fixed number of queries for the whole list, whatever the number
of items (the watched items, their assignments, reports, urgings and obligations at once; the ratings
of the earlier days are computed from the same facts, read as of today).
What counts as a change:

- a new report (version) submitted on a watched task or by a watched unit;
- a rating change: an assignment's effective rating now differs from its rating on that day
  (computed by the rating rule, an office's override for the day winning);
- an urging (催办) issued;
- something that fell overdue: a report whose due date passed with nothing submitted, or an
  assignment's deadline passed with the work below 100%.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from luoshi.audit.services import record
from luoshi.instructions.access import require_watch
from luoshi.instructions.errors import InstructionError
from luoshi.instructions.models import Watch, WatchVisit
from luoshi.lib.errors import pick
from luoshi.ratings.facts import build_inputs, load_obligations, local_day, task_state, with_plan
from luoshi.ratings.models import Rating
from luoshi.ratings.rules import TaskState, evaluate
from luoshi.reports.models import Obligation, Report
from luoshi.supervision.models import Urging
from luoshi.supervision.scan import DEADLINE_STATUSES
from luoshi.tasks.models import REPORTING_STATUSES, Assignment, Task
from luoshi.units.models import Unit

RAG_ZH = {"green": "绿灯", "amber": "黄灯", "red": "红灯"}
RAG_EN = {"green": "green", "amber": "amber", "red": "red"}


@transaction.atomic
def watch(
    *, user: Any, task: Task | None = None, unit: Unit | None = None, now: dt.datetime | None = None
) -> Watch:
    """Put a task or a unit on the leader's watch list; watching it again is harmless."""
    require_watch(user)
    if (task is None) == (unit is None):
        raise InstructionError(
            "watch_subject_required", "请指定一项任务或一个单位。", "Name one task or one unit."
        )
    found = Watch.objects.filter(leader=user, task=task, unit=unit).first()
    if found is not None:
        return found
    now = now or timezone.now()
    try:
        with transaction.atomic():
            created = Watch.objects.create(leader=user, task=task, unit=unit, created_at=now)
    except IntegrityError:  # added a moment ago (two tabs)
        return Watch.objects.get(leader=user, task=task, unit=unit)
    record(
        action="create",
        obj=created,
        actor=user,
        at=now,
        changes={"task": [None, task.pk if task else None], "unit": [None, unit.pk if unit else None]},
    )
    return created


@transaction.atomic
def unwatch(*, user: Any, watched: Watch) -> None:
    """Take an item off the leader's own watch list."""
    require_watch(user)
    if watched.leader_id != user.pk:
        raise InstructionError("not_yours", "这不是您的关注事项。", "This is not on your watch list.")
    record(
        action="delete",
        obj=watched,
        actor=user,
        changes={"task": [watched.task_id, None], "unit": [watched.unit_id, None]},
    )
    watched.delete()


def mark_seen(*, user: Any, now: dt.datetime | None = None) -> WatchVisit:
    """The leader has seen the list: from now on, changes are counted from this moment."""
    require_watch(user)
    now = now or timezone.now()
    visit, _ = WatchVisit.objects.update_or_create(leader=user, defaults={"seen_at": now})
    return visit


@dataclass(frozen=True)
class Change:
    kind: str  # report, rating, urging, overdue
    at: dt.datetime
    zh: str
    en: str
    task_id: int
    assignment_id: int

    def text(self, language: str | None = None) -> str:
        return pick(self.zh, self.en, language)


@dataclass
class WatchedItem:
    watch: Watch
    since: dt.datetime
    changes: list[Change] = field(default_factory=list)

    @property
    def label(self) -> str:
        return (
            self.watch.task.title
            if self.watch.task is not None
            else self.watch.unit.name
            if self.watch.unit
            else ""
        )

    def count(self, kind: str) -> int:
        return sum(1 for c in self.changes if c.kind == kind)


@dataclass
class WatchList:
    items: list[WatchedItem]
    seen_at: dt.datetime | None  # the last visit; None before the first

    @property
    def changes(self) -> int:
        return sum(len(i.changes) for i in self.items)


def _mine(item: WatchedItem, assignment: Assignment) -> bool:
    w = item.watch
    return assignment.task_id == w.task_id if w.task_id is not None else assignment.unit_id == w.unit_id


def watch_list(*, user: Any, now: dt.datetime | None = None) -> WatchList:
    """The leader's watched items, each with its changes since the last visit (newest first)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    visit = WatchVisit.objects.filter(leader_id=user.pk).first()
    seen_at = visit.seen_at if visit is not None else None
    watches = list(
        Watch.objects.filter(leader_id=user.pk).select_related("task", "unit").order_by("created_at", "pk")
    )
    items = [WatchedItem(w, max(seen_at, w.created_at) if seen_at else w.created_at) for w in watches]
    if not items:
        return WatchList(items, seen_at)
    start = min(i.since for i in items)
    scope = Q(task_id__in=[w.task_id for w in watches if w.task_id]) | Q(
        unit_id__in=[w.unit_id for w in watches if w.unit_id]
    )
    assignments = {a.pk: a for a in with_plan(Assignment.objects.filter(scope).order_by("pk"))}
    # Read as of today once: the rating rule reads every fact as of its date from recorded dates, so the
    # same obligations (with every report submitted by today) give the ratings of the earlier days too.
    obligations = load_obligations(assignments=list(assignments), as_of=today)
    events = [
        *_reports(assignments, start),
        *_urgings(assignments, start),
        *_overdue(assignments, obligations, start, today),
    ]
    ratings = _ratings(assignments, obligations, items, today)  # by the day compared with
    by_key: dict[tuple[str, int], list[Change]] = defaultdict(list)  # ("task", id) / ("unit", id) -> events
    for a, change in events:
        by_key[("task", a.task_id)].append(change)
        by_key[("unit", a.unit_id)].append(change)
    for item in items:
        key = (
            ("task", item.watch.task_id)
            if item.watch.task_id is not None
            else ("unit", item.watch.unit_id or 0)
        )
        found = [c for c in by_key[key] if c.at > item.since]
        found += [c for a, c in ratings.get(local_day(item.since), []) if _mine(item, a)]
        item.changes = sorted(found, key=lambda c: (c.at, c.kind), reverse=True)
    return WatchList(items, seen_at)


def _reports(assignments: dict[int, Assignment], start: dt.datetime) -> list[tuple[Assignment, Change]]:
    found = (
        Report.objects.filter(obligation__assignment_id__in=list(assignments), submitted_at__gt=start)
        .select_related("obligation")
        .only("pk", "version", "progress", "submitted_at", "obligation__period", "obligation__assignment_id")
        .order_by("submitted_at", "pk")
    )
    out = []
    for r in found:
        a = assignments[r.obligation.assignment_id]
        again_zh, again_en = ("（更正版本）", " (a corrected version)") if r.version > 1 else ("", "")
        out.append(
            (
                a,
                Change(
                    "report",
                    r.submitted_at,
                    f"{a.unit.name}报送了{r.obligation.period}期报告{again_zh}，进度{r.progress}%",
                    f"{a.unit.name} submitted the {r.obligation.period} report{again_en}, progress {r.progress}%",
                    a.task_id,
                    a.pk,
                ),
            )
        )
    return out


def _urgings(assignments: dict[int, Assignment], start: dt.datetime) -> list[tuple[Assignment, Change]]:
    found = (
        Urging.objects.filter(assignment_id__in=list(assignments), created_at__gt=start)
        .select_related("obligation")
        .order_by("created_at", "pk")
    )
    out = []
    for u in found:
        a = assignments[u.assignment_id]
        if u.obligation is not None:
            what_zh, what_en = (
                f"{u.obligation.period}期报告未报送",
                f"the {u.obligation.period} report is missing",
            )
        else:
            what_zh, what_en = "任务超过完成时限", "the task is past its deadline"
        out.append(
            (
                a,
                Change(
                    "urging",
                    u.created_at,
                    f"对{a.unit.name}催办：{what_zh}",
                    f"{a.unit.name} urged: {what_en}",
                    a.task_id,
                    a.pk,
                ),
            )
        )
    return out


def _moment(day: dt.date) -> dt.datetime:
    """The first moment of the day after ``day``: when something due on ``day`` became overdue."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def _overdue(
    assignments: dict[int, Assignment],
    obligations: dict[int, list[Obligation]],
    start: dt.datetime,
    today: dt.date,
) -> list[tuple[Assignment, Change]]:
    first = local_day(start)
    missing = Obligation.objects.filter(
        assignment_id__in=list(assignments),
        due_date__gte=first,
        due_date__lt=today,
        first_submitted_at__isnull=True,
        assignment__task__status__in=REPORTING_STATUSES,
    ).order_by("due_date", "pk")
    out = []
    for ob in missing:
        a = assignments[ob.assignment_id]
        out.append(
            (
                a,
                Change(
                    "overdue",
                    _moment(ob.due_date),
                    f"{a.unit.name}的{ob.period}期报告逾期未报送（应于{ob.due_date}报送）",
                    f"{a.unit.name}'s {ob.period} report is overdue (due {ob.due_date})",
                    a.task_id,
                    a.pk,
                ),
            )
        )
    past = [
        a for a in assignments.values() if first <= a.deadline < today and a.task.status in DEADLINE_STATUSES
    ]
    if past:
        for a in past:
            if (
                evaluate(
                    build_inputs(assignment=a, obligations=obligations.get(a.pk, []), as_of=today)
                ).actual
                >= 100
            ):
                continue
            out.append(
                (
                    a,
                    Change(
                        "overdue",
                        _moment(a.deadline),
                        f"{a.unit.name}超过完成时限（{a.deadline}）尚未完成",
                        f"{a.unit.name} is past its deadline ({a.deadline}) and not done",
                        a.task_id,
                        a.pk,
                    ),
                )
            )
    return out


def _rags(
    assignments: list[Assignment],
    day: dt.date,
    obligations: dict[int, list[Obligation]],
    overrides: dict[tuple[int, dt.date], str],
) -> dict[int, str]:
    """Each assignment's effective rating on the day (cancelled or not yet started ones are left out)."""
    rated = [
        a for a in assignments if task_state(a.task, day) != TaskState.CANCELLED and a.task.start_date <= day
    ]
    return {
        a.pk: overrides.get((a.pk, day))
        or evaluate(build_inputs(assignment=a, obligations=obligations.get(a.pk, []), as_of=day)).rag
        for a in rated
    }


def _ratings(
    assignments: dict[int, Assignment],
    obligations: dict[int, list[Obligation]],
    items: list[WatchedItem],
    today: dt.date,
) -> dict[dt.date, list[tuple[Assignment, Change]]]:
    """Rating changes, by the day the rating now is compared with (each item's day of "since")."""
    by_day: dict[dt.date, set[int]] = defaultdict(set)
    for item in items:
        day = local_day(item.since)
        if day < today:
            by_day[day] |= {a.pk for a in assignments.values() if _mine(item, a)}
    if not by_day:
        return {}
    overrides = {
        (r.assignment_id, r.as_of): r.rag
        for r in Rating.objects.filter(
            assignment_id__in=list(assignments), as_of__in=[today, *by_day], overridden=True
        ).order_by("id")
    }
    now_rags = _rags(list(assignments.values()), today, obligations, overrides)
    moment = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    out: dict[dt.date, list[tuple[Assignment, Change]]] = {}
    for day, ids in sorted(by_day.items()):
        then = _rags([assignments[pk] for pk in sorted(ids)], day, obligations, overrides)
        for pk, before in then.items():
            after = now_rags.get(pk)
            if after is None or after == before:
                continue
            a = assignments[pk]
            out.setdefault(day, []).append(
                (
                    a,
                    Change(
                        "rating",
                        moment,
                        f"{a.unit.name}的评价由{RAG_ZH[before]}变为{RAG_ZH[after]}",
                        f"{a.unit.name}'s rating changed from {RAG_EN[before]} to {RAG_EN[after]}",
                        a.task_id,
                        a.pk,
                    ),
                )
            )
    return out
