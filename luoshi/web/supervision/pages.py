"""The supervision office's "Units with overdue work" and who may open a unit's urging notice (催办单).

The notice itself, its number and its audit record are ``bulletins.unit_notice.issue_unit_urging_notice``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Min
from django.http import Http404
from django.shortcuts import get_object_or_404

from luoshi.accounts.scope import UNIT_ROLES, role_of, sees_all, unit_of
from luoshi.reports.access import visible_obligations
from luoshi.reports.queries import overdue_obligations, reached_full_progress
from luoshi.reports.services import REPORTING_STATUSES
from luoshi.tasks.access import visible_assignments
from luoshi.units.models import Unit


@dataclass(frozen=True)
class OverdueUnit:
    """A row of "Units with overdue work": how many reports are missing, how many deadlines passed, since when."""

    unit_id: int
    unit_name: str
    missing_reports: int
    missed_deadlines: int
    since: dt.date
    days_overdue: int


def units_with_overdue_work(*, user: Any, today: dt.date) -> list[OverdueUnit]:
    """The units the user sees with a report missing or a deadline passed on an open task, most overdue first.

    Two queries. A deadline counts as missed unless a counting report reached
    100%; the notice applies the rating's own rule, so a unit listed here whose
    work turns out done gets "nothing overdue" rather than a notice.
    """
    reports = (
        overdue_obligations(
            visible_obligations(user).filter(assignment__task__status__in=REPORTING_STATUSES), today=today
        )
        .order_by()
        .values("assignment__unit_id", "assignment__unit__name")
        .annotate(n=Count("pk"), since=Min("due_date"))
    )
    deadlines = (
        visible_assignments(user)
        .filter(task__status__in=REPORTING_STATUSES, deadline__lt=today)
        .exclude(reached_full_progress())
        .order_by()
        .values("unit_id", "unit__name")
        .annotate(n=Count("pk"), since=Min("deadline"))
    )
    found: dict[int, dict[str, Any]] = {}
    for row in reports:
        found[row["assignment__unit_id"]] = {
            "name": row["assignment__unit__name"],
            "missing": row["n"],
            "deadlines": 0,
            "since": row["since"],
        }
    for row in deadlines:
        entry = found.setdefault(
            row["unit_id"], {"name": row["unit__name"], "missing": 0, "deadlines": 0, "since": row["since"]}
        )
        entry["deadlines"] = row["n"]
        entry["since"] = min(entry["since"], row["since"])
    rows = [
        OverdueUnit(pk, e["name"], e["missing"], e["deadlines"], e["since"], (today - e["since"]).days)
        for pk, e in found.items()
    ]
    return sorted(rows, key=lambda r: (-r.days_overdue, r.unit_name))


def get_unit_for_urging(user: Any, pk: int) -> Unit:
    """The one way the notice is reached: any unit for the office, their own unit for a liaison or head; else 404."""
    if sees_all(user):
        return get_object_or_404(Unit, pk=pk)
    own = unit_of(user)
    if role_of(user) in UNIT_ROLES and own is not None and own.pk == pk:
        return own
    raise Http404
