"""Suggested measures (建议措施): never recorded automatically, only shown to the supervision office.

For each assignment (unit + task) of a task still open today, two triggers
are checked as of a date, counting only what happened *after* the last
measure already taken for that unit and task (so a measure is followed by a
fresh run of evidence before the next rung is suggested):

1. Red for ``ACCOUNTABILITY_RED_PERIODS`` consecutive recorded rating periods.
   A rating period is ``Rating.period`` when the row has one, else the
   assignment's reporting period (reports.periods) holding the rating's date.
   A period's colour is that of its latest rating date; a date's colour is
   the effective one (an override for that date wins over computed rows,
   as in ratings.current_rating). Periods without a stored rating are skipped.
2. Overdue by at least ``ACCOUNTABILITY_OVERDUE_DAYS`` days: past the
   assignment's deadline (counted from the last measure when that is later)
   and the latest counting report is below 100% (or there is none).

A suggestion names the next rung of the ladder after the last measure taken
for that unit and task (the first rung when there was none); above the top
(问责) nothing more is suggested. Thresholds are Django settings with the
defaults below.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q

from luoshi.accountability.models import LADDER, NAMES, Measure
from luoshi.ratings.models import Rag, Rating
from luoshi.reports.periods import Period, periods_for
from luoshi.reports.queries import latest_counting_progress
from luoshi.tasks.models import REPORTING_STATUSES, Assignment, Task

RED_PERIODS = 2  # settings.ACCOUNTABILITY_RED_PERIODS
OVERDUE_DAYS = 30  # settings.ACCOUNTABILITY_OVERDUE_DAYS
HEAVY = (
    "task__text",
    "task__spans",
    "task__heading_path",
    "unit__functions",
)  # a suggestion shows none of them


@dataclass(frozen=True)
class Suggestion:
    assignment: Assignment
    kind: str  # the suggested next measure (a Kind value)
    red_periods: int  # consecutive red periods since the last measure (0 when not triggered)
    red_period_keys: list[str]
    overdue_days: int  # days overdue counted from the later of deadline and last measure (0 when not)
    last_measure: Measure | None
    reason_zh: str
    reason_en: str

    @property
    def unit(self) -> object:
        return self.assignment.unit

    @property
    def task(self) -> object:
        return self.assignment.task


def thresholds() -> tuple[int, int]:
    """(red periods, overdue days) in force."""
    return (
        int(getattr(settings, "ACCOUNTABILITY_RED_PERIODS", RED_PERIODS)),
        int(getattr(settings, "ACCOUNTABILITY_OVERDUE_DAYS", OVERDUE_DAYS)),
    )


def suggest_measures(*, as_of: dt.date, task: Task | None = None) -> list[Suggestion]:
    """Suggestions as of the date, one per unit and task at most, by task then unit; only ``task``'s when given."""
    red_needed, overdue_needed = thresholds()
    open_assignments = Assignment.objects.filter(
        task__status__in=REPORTING_STATUSES, task__start_date__lte=as_of
    )
    if task is not None:
        open_assignments = open_assignments.filter(task=task)
    # Only those either trigger can fire for: overdue by the threshold at least (counting from a later
    # measure only shortens it), or rated red at least once (a red run needs one red period).
    candidates = open_assignments.filter(
        Q(deadline__lte=as_of - dt.timedelta(days=overdue_needed))
        | Q(pk__in=Rating.objects.filter(rag=Rag.RED, as_of__lte=as_of).values("assignment_id"))
    )
    assignments = list(candidates.select_related("task", "unit").defer(*HEAVY).order_by("task_id", "unit_id"))
    ratings: dict[int, list[Rating]] = defaultdict(list)
    for row in Rating.objects.filter(assignment__in=assignments, as_of__lte=as_of).order_by("as_of", "id"):
        ratings[row.assignment_id].append(row)
    last = _last_measures(assignments, as_of=as_of)
    overdue_ones = [a for a in assignments if as_of > a.deadline]
    progress = latest_counting_progress(assignments=overdue_ones, as_of=as_of) if overdue_ones else {}
    out = []
    for a in assignments:
        previous = last.get((a.unit_id, a.task_id))
        kind = LADDER[0] if previous is None else _next(previous.kind)
        if kind is None:
            continue
        since = previous.date if previous is not None else None
        red_keys = _red_run(a, ratings.get(a.pk, []), since=since)
        red = len(red_keys) if len(red_keys) >= red_needed else 0
        overdue = _overdue_days(a, as_of=as_of, since=since)
        overdue = overdue if overdue >= overdue_needed and progress.get(a.pk, 0) < 100 else 0
        if red or overdue:
            zh, en = _reason(kind, red_keys if red else [], overdue, previous)
            out.append(
                Suggestion(
                    assignment=a,
                    kind=kind,
                    red_periods=red,
                    red_period_keys=red_keys if red else [],
                    overdue_days=overdue,
                    last_measure=previous,
                    reason_zh=zh,
                    reason_en=en,
                )
            )
    return out


def _next(kind: str) -> str | None:
    index = LADDER.index(kind) + 1
    return LADDER[index] if index < len(LADDER) else None


def _last_measures(assignments: list[Assignment], *, as_of: dt.date) -> dict[tuple[int, int], Measure]:
    """The latest measure (by date, then id) per (unit, task), among measures dated up to ``as_of``."""
    tasks = {a.task_id for a in assignments}
    units = {a.unit_id for a in assignments}
    through_units = Measure.units.through.objects.filter(unit_id__in=units, measure__date__lte=as_of)
    units_of: dict[int, set[int]] = defaultdict(set)
    for measure_id, unit_id in through_units.values_list("measure_id", "unit_id"):
        units_of[measure_id].add(unit_id)
    through_tasks = Measure.tasks.through.objects.filter(task_id__in=tasks, measure_id__in=list(units_of))
    tasks_of: dict[int, set[int]] = defaultdict(set)
    for measure_id, task_id in through_tasks.values_list("measure_id", "task_id"):
        tasks_of[measure_id].add(task_id)
    out: dict[tuple[int, int], Measure] = {}
    for measure in Measure.objects.filter(pk__in=list(tasks_of)).order_by("date", "id"):
        for unit_id in units_of[measure.pk]:
            for task_id in tasks_of[measure.pk]:
                out[(unit_id, task_id)] = measure
    return out


def _red_run(a: Assignment, rows: list[Rating], *, since: dt.date | None) -> list[str]:
    """Keys of the consecutive red periods ending with the latest rated one (oldest first)."""
    by_date: dict[dt.date, list[Rating]] = defaultdict(list)
    for row in rows:
        if since is None or row.as_of > since:
            by_date[row.as_of].append(row)
    periods = periods_for(assignment=a) if any(not r.period for r in rows) else []
    colour_of_period: dict[str, tuple[dt.date, str]] = {}
    for day in sorted(by_date):
        day_rows = by_date[day]
        overrides = [r for r in day_rows if r.overridden]
        effective = (overrides or day_rows)[-1]
        key = effective.period or _period_key(periods, day)
        colour_of_period[key] = (day, effective.rag)  # later dates replace earlier ones
    run: list[str] = []
    for key, (_, rag) in sorted(colour_of_period.items(), key=lambda item: item[1][0], reverse=True):
        if rag != Rag.RED:
            break
        run.append(key)
    return list(reversed(run))


def _period_key(periods: list[Period], day: dt.date) -> str:
    for p in periods:
        if p.start <= day <= p.end:
            return str(p.key)
    return day.isoformat()


def _overdue_days(a: Assignment, *, as_of: dt.date, since: dt.date | None) -> int:
    start = max(a.deadline, since) if since is not None else a.deadline
    return max((as_of - start).days, 0) if as_of > a.deadline else 0


def _reason(kind: str, red_keys: list[str], overdue: int, previous: Measure | None) -> tuple[str, str]:
    zh: list[str] = []
    en: list[str] = []
    if red_keys:
        zh.append(f"连续{len(red_keys)}期评价为红灯（{'、'.join(red_keys)}）")
        en.append(f"red for {len(red_keys)} consecutive rating periods ({', '.join(red_keys)})")
    if overdue:
        zh.append(f"已逾期{overdue}天仍未完成")
        en.append(f"{overdue} day{'s' if overdue != 1 else ''} overdue and not finished")
    if previous is not None:
        done_zh, done_en = NAMES[previous.kind]
        zh.append(f"此前已采取“{done_zh}”（{previous.date}）")
        en.append(f"after a {done_en} on {previous.date}")
    kind_zh, kind_en = NAMES[kind]
    english = "; ".join(en)
    return (
        f"{'，'.join(zh)}，建议采取“{kind_zh}”。",
        f"{english[:1].upper()}{english[1:]}: suggested next measure: {kind_en}.",
    )
