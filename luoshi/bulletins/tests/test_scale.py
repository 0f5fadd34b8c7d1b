"""Issue 12: the ledger and a bulletin's data read a fixed number of queries whatever the number of tasks,
and their set-wise reads give what a straightforward per-row computation gives."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from luoshi.bulletins.query import ReportTally
from luoshi.bulletins.services import bulletin_data, ledger_rows
from luoshi.bulletins.tests.conftest import PERIOD, TODAY
from luoshi.evaluation.services import evaluation_history
from luoshi.ratings.facts import latest_counting_report, load_obligations, local_day, submitted_on
from luoshi.ratings.services import rollup
from luoshi.reports.models import Evidence, Obligation
from luoshi.reports.services import latest_counting
from luoshi.site.demo import DemoSummary
from luoshi.tasks.models import Assignment, Task
from luoshi.testing.grow import grow

START, DEADLINE = dt.date(2024, 1, 1), dt.date(2024, 12, 31)


def _grow(demo: DemoSummary, supervisor: Any, count: int, prefix: str) -> None:
    grow(
        document=demo.document,
        count=count,
        start=START,
        deadline=DEADLINE,
        today=TODAY,
        supervisor=supervisor,
        prefix=prefix,
    )


def test_the_ledger_reads_as_many_queries_for_five_times_the_tasks(
    demo: DemoSummary, supervisor: Any
) -> None:
    _grow(demo, supervisor, 3, "a")
    with CaptureQueriesContext(connection) as small:
        fewer = ledger_rows(as_of=TODAY)
    _grow(demo, supervisor, 12, "b")
    with CaptureQueriesContext(connection) as large:
        more = ledger_rows(as_of=TODAY)
    assert len(more) - len(fewer) == 12 * 3  # lead, share and co-unit of each new task
    assert (
        len(large) == len(small) <= 32
    )  # the roll-up's own (about 20 when it computes the date's snapshots) and the ledger's


def test_a_bulletins_data_reads_as_many_queries_for_five_times_the_tasks(
    demo: DemoSummary, supervisor: Any
) -> None:
    _grow(demo, supervisor, 3, "a")
    with CaptureQueriesContext(connection) as small:
        fewer = bulletin_data(period=PERIOD, as_of=TODAY)
    _grow(demo, supervisor, 12, "b")
    with CaptureQueriesContext(connection) as large:
        more = bulletin_data(period=PERIOD, as_of=TODAY)
    assert more.summary.tasks - fewer.summary.tasks == 12
    assert len(more.good_practices) > len(fewer.good_practices) and more.measures
    assert len(large) == len(small) <= 32  # as above: the roll-up computes the date's snapshots


@pytest.fixture
def grown(demo: DemoSummary, supervisor: Any) -> None:
    _grow(demo, supervisor, 6, "g")


def test_each_ledger_row_shows_the_report_evaluation_and_evidence_a_row_by_row_reading_finds(
    grown: None,
) -> None:
    rows = ledger_rows(as_of=TODAY)
    assert sum(bool(r.report_evidence) for r in rows) > 10 and sum(bool(r.evaluation) for r in rows) > 3
    for row in rows:
        obligations = load_obligations(assignments=[row.assignment_id], as_of=TODAY).get(
            row.assignment_id, []
        )
        report = latest_counting_report(obligations, TODAY)
        history = [
            e
            for e in evaluation_history(task=Task.objects.get(pk=row.task_id))
            if local_day(e.evaluated_at) <= TODAY
        ]
        assert (row.report_period, row.report_progress, row.report_date) == (
            (report.obligation.period, report.progress, local_day(report.submitted_at))
            if report
            else ("", None, None)
        )
        names = list(
            Evidence.objects.filter(report=report).order_by("pk").values_list("original_name", flat=True)
        )
        assert row.report_evidence == ("、".join(names) if report else "")
        assert row.evaluation == (str(history[-1].get_effect_display()) if history else "")


def test_the_standing_report_of_every_assignment_is_the_per_assignment_ones(grown: None) -> None:
    from luoshi.reports.services import latest_counting_report as standing_report

    for day in (dt.date(2024, 2, 15), TODAY):
        annotated = dict(
            Assignment.objects.annotate(report_id=latest_counting(as_of=day)).values_list("pk", "report_id")
        )
        assert sum(v is not None for v in annotated.values()) > 20
        for assignment in Assignment.objects.all():
            report = standing_report(assignment=assignment, as_of=day)
            assert annotated[assignment.pk] == (report.pk if report else None)


def test_each_units_report_counts_are_a_row_by_row_tally(grown: None) -> None:
    data = bulletin_data(period=PERIOD, as_of=TODAY)
    start, end = dt.date(2024, 1, 1), dt.date(2024, 3, 31)
    rolled = rollup(as_of=TODAY)
    expected: dict[int, ReportTally] = {}
    for a in rolled.assignments:
        tally = expected.setdefault(a.unit_id, ReportTally())
        ob: Obligation
        for ob in load_obligations(assignments=[a.assignment_id], as_of=TODAY).get(a.assignment_id, []):
            day = submitted_on(ob, TODAY)
            if not start <= ob.due_date <= end or (day is None and ob.due_date >= TODAY):
                continue
            tally.due += 1
            tally.missing += day is None
            tally.on_time += day is not None and day <= ob.due_date
            tally.late += day is not None and day > ob.due_date
    assert sum(t.late for t in expected.values()) > 0 and sum(t.missing for t in expected.values()) > 0
    for unit in data.units:
        t = expected[unit.unit_id]
        assert (unit.reports_due, unit.reports_on_time, unit.reports_late, unit.reports_missing) == (
            t.due,
            t.on_time,
            t.late,
            t.missing,
        )
