"""Reminder policies: which days before a due date reminders go out.

The rows are created from LUOSHI_REPORT_REMINDER_DAYS and
LUOSHI_DEADLINE_REMINDER_DAYS the first time they are needed (when the
table is empty) and are edited in the admin afterwards; switch a row off
with ``active`` rather than deleting every row, or the defaults come back.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings

from luoshi.supervision.models import ReminderPolicy, Subject


@dataclass(frozen=True)
class Offsets:
    report: dict[str, list[int]]  # cadence -> days before the due date, ascending
    deadline: list[int]  # days before the deadline, ascending


def ensure_default_policies() -> None:
    if ReminderPolicy.objects.exists():
        return
    rows = [
        ReminderPolicy(subject=Subject.REPORT, cadence=cadence, days_before=days)
        for cadence, days in settings.REPORT_REMINDER_DAYS.items()
    ]
    rows += [
        ReminderPolicy(subject=Subject.DEADLINE, cadence="", days_before=days)
        for days in settings.DEADLINE_REMINDER_DAYS
    ]
    ReminderPolicy.objects.bulk_create(rows, ignore_conflicts=True)  # another process may do the same


def offsets() -> Offsets:
    ensure_default_policies()
    report: dict[str, list[int]] = defaultdict(list)
    deadline: list[int] = []
    for policy in ReminderPolicy.objects.filter(active=True):
        if policy.subject == Subject.REPORT:
            report[policy.cadence].append(policy.days_before)
        else:
            deadline.append(policy.days_before)
    return Offsets(report={k: sorted(set(v)) for k, v in report.items()}, deadline=sorted(set(deadline)))


def stage(days_left: int, days: list[int]) -> int | None:
    """The reminder stage for ``days_left``: the smallest offset not below it.

    With offsets 30 and 7: 30..8 days left is stage 30, 7..0 is stage 7.
    A pass that comes late sends the current stage only, never a stale one.
    """
    if days_left < 0:
        return None
    return next((d for d in days if d >= days_left), None)
