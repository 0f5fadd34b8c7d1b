"""Reporting periods (报告期) of an assignment, from its task's cadence.

Calendar cadences cut the calendar into months, quarters, halves or years;
the first period starts on the task's start date and the last is cut at the
assignment's deadline (a share may end before its task). A report for a
period is due ``task.report_day`` days after the period's end: 0 means on the
period's last day, 10 means ten days later (the 10th of the next month for a
monthly cadence).

A custom cadence lists its due dates in ``task.custom_dates``: each date ends a
period and is its due date (``report_day`` is not added); the period runs from
the day after the previous date (or from the start date). Dates before the
start date or after the deadline are ignored, and no extra period is added
after the last date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from luoshi.lib.bounds import horizon
from luoshi.tasks.models import Assignment, Cadence

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Period:
    key: str  # 2024-03, 2024-Q1, 2024-H1, 2024, or the custom ISO date
    start: dt.date
    end: dt.date
    due: dt.date


def periods_for(*, assignment: Assignment, horizon_end: dt.date | None = None) -> list[Period]:
    """The periods an assignment reports on, in date order.

    They never run past the planning horizon (``luoshi.lib.bounds``): a deadline
    stored beyond it (an old row, a date written past the services) yields the
    periods up to the horizon, not tens of thousands, and no date overflow.
    ``horizon_end``: the horizon's last day when the caller read it already
    (reading the setting for each of a region's assignments was a fifth of a refresh).
    """
    task = assignment.task
    return periods_between(
        start=task.start_date,
        deadline=min(assignment.deadline, horizon_end or horizon()[1]),
        cadence=task.cadence,
        report_day=task.report_day,
        custom_dates=task.custom_dates,
    )


def periods_between(
    *,
    start: dt.date,
    deadline: dt.date,
    cadence: str,
    report_day: int = 0,
    custom_dates: Iterable[str | dt.date] = (),
) -> list[Period]:
    if deadline < start:
        return []
    if cadence == Cadence.CUSTOM:
        return _custom_periods(start, deadline, custom_dates)
    months = _MONTHS_PER_PERIOD.get(cadence)
    if months is None:
        raise ValueError(f"unknown cadence {cadence!r}")
    lag = dt.timedelta(days=report_day)
    periods = []
    first = _calendar_start(start, months)
    while first <= deadline:
        last = _add_months(first, months) - ONE_DAY
        end = min(last, deadline)
        periods.append(Period(_key(first, months), max(first, start), end, end + lag))
        first = last + ONE_DAY
    return periods


_MONTHS_PER_PERIOD: dict[str, int] = {
    Cadence.MONTHLY: 1,
    Cadence.QUARTERLY: 3,
    Cadence.HALF_YEARLY: 6,
    Cadence.YEARLY: 12,
}


def _calendar_start(day: dt.date, months: int) -> dt.date:
    """The first day of the calendar period (of ``months`` months) holding ``day``."""
    month = (day.month - 1) // months * months + 1
    return dt.date(day.year, month, 1)


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _key(first: dt.date, months: int) -> str:
    if months == 1:
        return f"{first.year}-{first.month:02d}"
    if months == 3:
        return f"{first.year}-Q{(first.month - 1) // 3 + 1}"
    if months == 6:
        return f"{first.year}-H{(first.month - 1) // 6 + 1}"
    return str(first.year)


def _custom_periods(start: dt.date, deadline: dt.date, dates: Iterable[str | dt.date]) -> list[Period]:
    days = sorted({d if isinstance(d, dt.date) else dt.date.fromisoformat(d) for d in dates})
    periods = []
    begin = start
    for day in days:
        if day < start or day > deadline:
            continue
        periods.append(Period(day.isoformat(), begin, day, day))
        begin = day + ONE_DAY
    return periods
