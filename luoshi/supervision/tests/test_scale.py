"""Issue 12: a supervision pass over a region reads a fixed number of queries when nothing is new, creates
what is due exactly once, and still isolates a failing row while it writes many rows to a transaction."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from functools import partial
from typing import Any

import pytest
from django.db import OperationalError, connection, transaction
from django.test.utils import CaptureQueriesContext

from luoshi.documents.models import Document
from luoshi.notifications.models import Notice
from luoshi.reports import isolation, services
from luoshi.reports.isolation import Failures, run_batched
from luoshi.reports.models import Obligation
from luoshi.reports.periods import periods_for
from luoshi.reports.services import refresh_states
from luoshi.site.tick import run_pass
from luoshi.supervision.models import Escalation, Reminder, Urging, Warning
from luoshi.supervision.tests.conftest import World
from luoshi.tasks.models import Assignment
from luoshi.testing.grow import grow
from luoshi.testing.world import at
from luoshi.units.models import Unit

pytestmark = pytest.mark.django_db

TODAY = dt.date(2024, 6, 20)  # deadlines of June 30 near, May's reports missing or late, June's due soon
NOW = at("2024-06-20")


def _grow(document: Document, world: World, count: int, prefix: str) -> None:
    grow(
        document=document,
        count=count,
        start=dt.date(2024, 1, 1),
        deadline=dt.date(2024, 6, 30),
        today=TODAY,
        supervisor=world.supervisor,
        prefix=prefix,
    )
    refresh_states(today=TODAY)  # the pass before: what is due is recorded, what is missing marked


def _records() -> tuple[int, int, int, int, int]:
    return (
        Reminder.objects.count(),
        Urging.objects.count(),
        Escalation.objects.count(),
        Warning.objects.count(),
        Notice.objects.count(),
    )


def test_a_pass_with_nothing_new_reads_as_many_queries_for_five_times_the_tasks(
    world: World, document: Document
) -> None:
    _grow(document, world, 3, "a")
    first = run_pass(now=NOW)
    assert first.urgings and first.escalations and first.warnings and first.reminders
    with CaptureQueriesContext(connection) as small:
        again = run_pass(now=NOW)
    assert (again.reminders, again.urgings, again.escalations, again.warnings, again.notices) == (
        0,
        0,
        0,
        0,
        0,
    )

    _grow(document, world, 12, "b")
    before = _records()
    with CaptureQueriesContext(connection) as writing:
        grown = run_pass(now=NOW)
    counted = (grown.reminders, grown.urgings, grown.escalations, grown.warnings, grown.notices)
    assert len(writing) <= len(small) + 5 * sum(counted)  # savepoints and inserts; no lookup per record
    assert grown.urgings >= 3 * first.urgings and grown.warnings >= 3 * first.warnings
    after = tuple(b + n for b, n in zip(before, counted, strict=True))
    assert _records() == after
    with CaptureQueriesContext(connection) as large:
        run_pass(now=NOW)
    # The sweep's reads, one stored-rating read per date the pass keeps rated (today and the dashboard
    # trend's four quarter ends) and, on SQLite, two statements for the planner's statistics.
    assert len(large) == len(small) <= 34
    assert _records() == after


def test_refresh_states_reads_four_queries_when_nothing_is_new(world: World, document: Document) -> None:
    _grow(document, world, 2, "a")
    with CaptureQueriesContext(connection) as small:
        assert refresh_states(today=TODAY) == {"created": 0, "missing": 0}
    _grow(document, world, 10, "b")
    with CaptureQueriesContext(connection) as large:
        assert refresh_states(today=TODAY) == {"created": 0, "missing": 0}
    assert len(large) == len(small) == 4


def test_refresh_states_creates_what_ensure_obligations_would(world: World, document: Document) -> None:
    counts = refresh_states(today=TODAY)
    assert counts["created"] == sum(len(periods_for(assignment=a)) for a in (world.lead, world.co)) == 4
    assert counts["missing"] == 2  # Q1 of both units
    assert refresh_states(today=TODAY)["created"] == 0


def test_a_batch_that_cannot_be_written_is_written_again_one_assignment_at_a_time(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(plans: Any, **kwargs: Any) -> int:
        raise OperationalError("database is locked")

    monkeypatch.setattr(services, "apply_plans", refuse)
    failures = Failures()
    assert refresh_states(today=TODAY, failures=failures)["created"] == 4
    assert Obligation.objects.filter(assignment__in=[world.lead, world.co]).count() == 4
    assert failures.lines == []


@contextlib.contextmanager
def _commit_fails_once(calls: list[int]) -> Iterator[None]:
    """A batch transaction whose first commit fails (as SQLite's "database is locked" at COMMIT would)."""
    with transaction.atomic():
        yield
        calls.append(1)
        if len(calls) == 1:
            transaction.set_rollback(True)
    if len(calls) == 1:
        raise OperationalError("database is locked")


def test_a_batch_whose_commit_fails_runs_again_row_by_row_and_reports_each_failure_once(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    monkeypatch.setattr(isolation, "_batch", lambda: _commit_fails_once(calls))
    units = [
        Unit.objects.create(code=f"b{n}", name=f"批量单位{n}", level="county", catalog="test")
        for n in range(5)
    ]

    def rename(unit: Unit) -> int:
        if unit.code == "b2":
            raise ValueError("a broken row")
        return Unit.objects.filter(pk=unit.pk).update(name=f"{unit.name}（已处理）")

    failures = Failures()
    done = run_batched(
        [(u, partial(rename, u)) for u in units], step="test_step", failures=failures, batch_size=10
    )
    assert done == [1, 1, 1, 1]  # the four good rows, once each, from the second (row-by-row) run
    assert [line.split(":")[0] for line in failures.lines] == ["test_step"]
    names = dict(Unit.objects.filter(code__startswith="b").values_list("code", "name"))
    assert names["b0"] == "批量单位0（已处理）" and names["b2"] == "批量单位2"
    assert Notice.objects.filter(recipient=world.supervisor, kind="pass_failure").count() == 1


def test_a_failing_row_in_a_batch_is_rolled_back_alone(world: World) -> None:
    assignments = list(Assignment.objects.order_by("pk"))

    def touch(a: Assignment) -> str:
        Assignment.objects.filter(pk=a.pk).update(weight=7)
        if a.pk == world.lead.pk:
            raise RuntimeError("a broken row")
        return a.role

    done = run_batched([(a, partial(touch, a)) for a in assignments], step="touch", batch_size=1)
    assert done == ["co"]
    weights = dict(Assignment.objects.values_list("pk", "weight"))
    assert (weights[world.lead.pk], weights[world.co.pk]) == (1, 7)
