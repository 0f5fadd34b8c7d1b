"""The demo data as the web and backup tests load it: its day, and where its tasks and reports are."""

from __future__ import annotations

import datetime as dt

import pytest

from luoshi.reports.models import Obligation
from luoshi.tasks.models import Assignment

TODAY = dt.date(2026, 11, 26)


def lead_assignment(unit_code: str) -> Assignment:
    """The first task led by the demo unit."""
    return (
        Assignment.objects.filter(unit__code=unit_code, role=Assignment.Role.LEAD)
        .select_related("task", "unit")
        .order_by("pk")
        .first()
    ) or pytest.fail(f"no task led by {unit_code}")


def open_obligation(assignment: Assignment) -> Obligation:
    """The obligation for the current period (started, not yet due)."""
    found = Obligation.objects.filter(
        assignment=assignment, period_start__lte=TODAY, due_date__gte=TODAY
    ).first()
    return found or pytest.fail("no current obligation")
