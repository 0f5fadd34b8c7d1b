"""A bulletin's 截至 date: its numbers are the dashboard's for the same date, on the demo's generated data
(several tasks, on-time, late and missing reports) plus a task recorded after the date."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from luoshi.bulletins.periods import as_of_warning, default_as_of, parse_period
from luoshi.bulletins.services import bulletin_data
from luoshi.bulletins.tests.conftest import PERIOD, TODAY
from luoshi.ratings.facts import submitted_on
from luoshi.reports.models import Obligation
from luoshi.site.demo import DemoSummary
from luoshi.tasks.models import Assignment, Task
from luoshi.web.dashboard.pages import Filters, dashboard

pytestmark = pytest.mark.django_db


def _late_task() -> Task:
    """A task recorded now for work starting after the period's end: it did not exist on 2024-03-31."""
    model = Task.objects.filter(status="in_progress").order_by("pk").first()
    assert model is not None
    task = Task.objects.create(
        document=model.document,
        title="期末后新增的任务",
        text="期末后新增。",
        lead_unit=model.lead_unit,
        start_date=dt.date(2024, 4, 2),
        deadline=model.deadline,
        status="in_progress",
    )
    Assignment.objects.create(
        task=task, unit=model.lead_unit, role=Assignment.Role.LEAD, deadline=model.deadline
    )
    return task


def _board(as_of: dt.date) -> Any:
    leader = get_user_model().objects.get(username="lingdao")
    return dashboard(user=leader, filters=Filters(as_of=as_of), today=TODAY).rollup


@pytest.mark.parametrize("as_of", [dt.date(2024, 2, 15), dt.date(2024, 3, 31), TODAY])
def test_the_bulletin_counts_what_the_dashboard_shows_on_its_date(demo: DemoSummary, as_of: dt.date) -> None:
    late_task = _late_task()
    data = bulletin_data(period=PERIOD, as_of=as_of)
    board = _board(as_of)
    assert data.as_of == as_of
    counts = board.counts
    assert (data.summary.tasks, data.summary.green, data.summary.amber, data.summary.red) == (
        counts.total,
        counts.green,
        counts.amber,
        counts.red,
    )
    assert (late_task.pk in {t.task_id for t in board.tasks}) == (as_of >= late_task.start_date)
    rows = {u.unit_id: u for u in board.units}
    for unit in data.units:
        assert unit.total_reports_due == rows[unit.unit_id].reports_due
        assert unit.total_on_time_rate == rows[unit.unit_id].on_time_rate
    # The period's reports as they stood on the date: due in the period, and either due before the
    # date or submitted by it; on time when first submitted by the due date.
    span = parse_period(PERIOD)
    due = on_time = missing = 0
    for ob in Obligation.objects.filter(
        assignment__task__in=[t.task_id for t in board.tasks],
        due_date__range=(span.start, span.end),
        period_start__lte=as_of,
    ):
        day = submitted_on(ob, as_of)
        if day is None and ob.due_date >= as_of:
            continue
        due += 1
        missing += day is None
        on_time += day is not None and day <= ob.due_date
    assert (data.summary.reports_due, data.summary.reports_on_time, data.summary.reports_missing) == (
        due,
        on_time,
        missing,
    )
    if as_of == TODAY:  # past every Q1 due date: the crossing compares real numbers
        assert data.summary.reports_due > 0 and data.summary.reports_missing > 0


def test_the_date_defaults_to_the_periods_end_and_warns_before_it() -> None:
    span = parse_period("2024-Q3")
    assert default_as_of(span, today=dt.date(2024, 12, 6)) == dt.date(2024, 9, 30)
    assert default_as_of(span, today=dt.date(2024, 8, 1)) == dt.date(2024, 8, 1)
    assert as_of_warning(span, as_of=dt.date(2024, 9, 30), today=dt.date(2024, 12, 6)) is None
    early = as_of_warning(span, as_of=dt.date(2024, 9, 1), today=dt.date(2024, 12, 6))
    running = as_of_warning(span, as_of=dt.date(2024, 8, 1), today=dt.date(2024, 8, 1))
    assert early is not None and "早于通报期末" in early[0] and "before the period's end" in early[1]
    assert running is not None and "尚未结束" in running[0] and "not ended" in running[1]


def test_the_cli_says_its_date_and_warns_before_the_periods_end(demo: DemoSummary, tmp_path: Any) -> None:
    from io import StringIO

    from django.core.management import call_command

    err = StringIO()
    call_command(
        "bulletin",
        "--period",
        PERIOD,
        "--as-of",
        "2024-03-01",
        "--format",
        "html",
        "-o",
        str(tmp_path / "b.html"),
        stdout=StringIO(),
        stderr=err,
    )
    assert "早于通报期末" in err.getvalue() and "as of 2024-03-01" in err.getvalue()
    assert "截至2024年3月1日" in (tmp_path / "b.html").read_text(encoding="utf-8")
    err = StringIO()
    call_command(
        "bulletin",
        "--period",
        PERIOD,
        "--format",
        "html",
        "-o",
        str(tmp_path / "c.html"),
        stdout=StringIO(),
        stderr=err,
    )
    assert "as of 2024-03-31" in err.getvalue() and "早于" not in err.getvalue()
