"""Reporting periods from each cadence: keys, calendar ends, due dates, the cut at the deadline."""

from __future__ import annotations

import datetime as dt

import pytest

from luoshi.reports.periods import Period, periods_between
from luoshi.reports.services import periods_for
from luoshi.reports.tests.conftest import World
from luoshi.tasks.models import Cadence

D = dt.date.fromisoformat


def _rows(periods: list[Period]) -> list[tuple[str, str, str, str]]:
    return [(p.key, p.start.isoformat(), p.end.isoformat(), p.due.isoformat()) for p in periods]


def test_it_cuts_monthly_periods_at_month_ends_including_february_of_a_leap_year() -> None:
    periods = periods_between(start=D("2024-01-15"), deadline=D("2024-04-10"), cadence=Cadence.MONTHLY)
    assert _rows(periods) == [
        ("2024-01", "2024-01-15", "2024-01-31", "2024-01-31"),
        ("2024-02", "2024-02-01", "2024-02-29", "2024-02-29"),
        ("2024-03", "2024-03-01", "2024-03-31", "2024-03-31"),
        ("2024-04", "2024-04-01", "2024-04-10", "2024-04-10"),
    ]


def test_it_keys_quarters_and_adds_the_report_day_after_each_end() -> None:
    periods = periods_between(
        start=D("2024-02-01"), deadline=D("2025-01-31"), cadence=Cadence.QUARTERLY, report_day=10
    )
    assert _rows(periods) == [
        ("2024-Q1", "2024-02-01", "2024-03-31", "2024-04-10"),
        ("2024-Q2", "2024-04-01", "2024-06-30", "2024-07-10"),
        ("2024-Q3", "2024-07-01", "2024-09-30", "2024-10-10"),
        ("2024-Q4", "2024-10-01", "2024-12-31", "2025-01-10"),
        ("2025-Q1", "2025-01-01", "2025-01-31", "2025-02-10"),
    ]


def test_it_keys_half_years_and_years() -> None:
    halves = periods_between(start=D("2023-07-05"), deadline=D("2024-12-31"), cadence=Cadence.HALF_YEARLY)
    assert _rows(halves) == [
        ("2023-H2", "2023-07-05", "2023-12-31", "2023-12-31"),
        ("2024-H1", "2024-01-01", "2024-06-30", "2024-06-30"),
        ("2024-H2", "2024-07-01", "2024-12-31", "2024-12-31"),
    ]
    years = periods_between(
        start=D("2023-07-05"), deadline=D("2025-06-30"), cadence=Cadence.YEARLY, report_day=15
    )
    assert _rows(years) == [
        ("2023", "2023-07-05", "2023-12-31", "2024-01-15"),
        ("2024", "2024-01-01", "2024-12-31", "2025-01-15"),
        ("2025", "2025-01-01", "2025-06-30", "2025-07-15"),
    ]


def test_custom_dates_are_the_due_dates_and_dates_outside_the_task_are_ignored() -> None:
    periods = periods_between(
        start=D("2024-03-01"),
        deadline=D("2024-11-30"),
        cadence=Cadence.CUSTOM,
        report_day=10,  # not added: a custom date is the due date itself
        custom_dates=["2024-09-15", "2024-02-01", "2024-05-20", "2025-01-10", "2024-05-20"],
    )
    assert _rows(periods) == [
        ("2024-05-20", "2024-03-01", "2024-05-20", "2024-05-20"),
        ("2024-09-15", "2024-05-21", "2024-09-15", "2024-09-15"),
    ]


def test_a_deadline_before_the_start_gives_no_period_and_a_one_day_task_one() -> None:
    assert periods_between(start=D("2024-05-01"), deadline=D("2024-04-30"), cadence=Cadence.MONTHLY) == []
    assert _rows(
        periods_between(start=D("2024-05-31"), deadline=D("2024-05-31"), cadence=Cadence.QUARTERLY)
    ) == [("2024-Q2", "2024-05-31", "2024-05-31", "2024-05-31")]


@pytest.mark.django_db
def test_a_share_reports_until_its_own_deadline(world: World) -> None:
    assert [p.key for p in periods_for(assignment=world.lead)] == ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"]
    share = periods_for(assignment=world.share)
    assert _rows(share)[-1] == ("2024-Q3", "2024-07-01", "2024-08-20", "2024-08-30")
    assert len(share) == 3
