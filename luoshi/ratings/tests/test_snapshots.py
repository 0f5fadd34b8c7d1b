"""Stored rating snapshots: the roll-up read from them equals a straightforward computation, before and after
every kind of change to what a rating reads, on generated data."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from luoshi.accounts.models import Profile, Role
from luoshi.documents.models import Document
from luoshi.ratings import snapshots, trend
from luoshi.ratings.errors import RatingError
from luoshi.ratings.facts import day_end, local_day
from luoshi.ratings.models import RatingSnapshot, TrendPoint
from luoshi.ratings.rollup import Rollup, existed_on, rollups
from luoshi.ratings.services import override_rating, rate, rollup
from luoshi.ratings.tests.builders import D, indicator, monthly, share, submit, task, unit
from luoshi.reports.models import Obligation, Report
from luoshi.reports.services import approve_report
from luoshi.supervision.services import decide_extension, request_extension
from luoshi.tasks.lifecycle import transition, update_task
from luoshi.tasks.models import Assignment, Milestone, Status, Task
from luoshi.tasks.services import add_milestone
from luoshi.tasks.signals import inputs_changed
from luoshi.testing.world import at
from luoshi.units.models import Unit

pytestmark = pytest.mark.django_db

DATES = (D(2024, 3, 31), D(2024, 5, 15), D(2024, 6, 30))


@dataclass
class World:
    units: list[Unit]
    tasks: list[Task]
    liaison: Any
    head: Any
    supervisor: Any


def generated(document: Document, drc: Unit, liaison: Any, supervisor: Any, seed: int) -> World:
    """A small random decision's work: tasks with milestones, shares, an indicator, monthly reports that come
    on time, late, corrected, waiting for approval or never; one task completed, one cancelled."""
    rng = random.Random(seed)
    units = [drc, *(unit(f"u{i}", f"测试单位{i}") for i in range(4))]
    head = type(liaison).objects.create_user(username="head", password="x")
    Profile.objects.create(user=head, unit=drc, role=Role.UNIT_HEAD)
    sections = list(document.sections.filter(parent__isnull=True).order_by("order"))
    tasks = []
    for n in range(8):
        deadline = D(2024, rng.randint(4, 12), rng.randint(1, 28))
        milestones = [(D(2024, 3, 1), rng.randint(10, 60))] if rng.random() < 0.5 else []
        t, lead = task(
            document,
            units[n % len(units)],
            title=f"生成任务{n}",
            deadline=deadline,
            section=rng.choice(sections),
            milestones=milestones,
        )
        assignments = [lead] + [
            share(lead, u, weight=rng.randint(1, 3)) for u in rng.sample(units[1:], 2) if u.pk != lead.unit_id
        ]
        target = (
            indicator(
                t,
                name="完成率",
                uom="%",
                baseline="0",
                target="100",
                baseline_date=D(2024, 1, 1),
                target_date=deadline,
            )
            if n % 3 == 0
            else None
        )
        for a in assignments:
            for ob in monthly(a, *range(1, 7)):
                roll = rng.random()
                if roll < 0.15:
                    continue  # never reported
                on = ob.due_date + dt.timedelta(days=rng.choice([-3, 0, 0, 2, 9]))
                approval = Report.Approval.PENDING if roll > 0.9 else Report.Approval.NOT_REQUIRED
                report = submit(
                    ob,
                    liaison,
                    progress=rng.randint(0, 100),
                    on=on,
                    approval=approval,
                    values={target: str(rng.randint(0, 100))} if target else None,
                )
                if rng.random() < 0.2:
                    submit(
                        ob,
                        liaison,
                        progress=min(100, report.progress + 5),
                        on=on + dt.timedelta(days=4),
                        version=2,
                    )
        tasks.append(t)
    complete(tasks[6], supervisor, D(2024, 5, 1))
    transition(
        task=tasks[7], to_status=Status.CANCELLED, user=supervisor, reason="调整", now=at(D(2024, 4, 1), 10)
    )
    return World(units, tasks, liaison, head, supervisor)


def complete(t: Task, user: Any, on: dt.date) -> None:
    transition(task=t, to_status=Status.COMPLETION_REQUESTED, user=user, now=at(on, 9))
    transition(task=t, to_status=Status.COMPLETED, user=user, now=at(on, 10))


@pytest.fixture
def world(document: Document, drc: Unit, liaison: Any, supervisor: Any) -> World:
    return generated(document, drc, liaison, supervisor, seed=7)


def reference(as_of: dt.date) -> tuple[dict[int, tuple[Any, ...]], dict[int, tuple[int, int, int, int]]]:
    """Per assignment its rating by ``services.rate`` (one at a time, its own loader); per unit its
    reporting record counted from the obligations and reports one by one."""
    ratings: dict[int, tuple[Any, ...]] = {}
    record: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for t in Task.objects.all():
        if not existed_on(t, as_of):
            continue
        for a in t.assignments.all():
            try:
                r = rate(assignment=a, as_of=as_of)
            except RatingError:
                break  # cancelled by the date: not in the roll-up
            ratings[a.pk] = (r.rag, r.confidence, r.planned, r.actual, r.reasons_zh, r.reasons_en)
            for ob in Obligation.objects.filter(assignment=a, period_start__lte=as_of):
                days = [local_day(x.submitted_at) for x in ob.reports.filter(submitted_at__lt=day_end(as_of))]
                if ob.first_submitted_at and local_day(ob.first_submitted_at) <= as_of:
                    days.append(local_day(ob.first_submitted_at))
                first = min(days) if days else None
                if first is None and ob.due_date >= as_of:
                    continue
                counts = record[a.unit_id]
                counts[0] += 1
                counts[
                    1 if first is not None and first <= ob.due_date else 2 if first is not None else 3
                ] += 1
    return ratings, {u: (c[0], c[1], c[2], c[3]) for u, c in record.items()}


def fast(result: Rollup) -> tuple[dict[int, tuple[Any, ...]], dict[int, tuple[int, int, int, int]]]:
    ratings = {
        a.assignment_id: (a.rag, a.confidence, a.planned, a.actual, a.reasons, a.reasons_en)
        for a in result.assignments
    }
    units = {
        u.unit_id: (u.reports_due, u.reports_on_time, u.reports_late, u.reports_missing) for u in result.units
    }
    return ratings, {u: c for u, c in units.items() if c[0]}


def assert_agrees(as_of: dt.date) -> None:
    expected = reference(as_of)
    assert fast(rollup(as_of=as_of)) == expected
    assert fast(rollup(as_of=as_of)) == expected, "read again from the stored snapshots"


@pytest.mark.parametrize("seed", [7, 11])
def test_the_rollup_equals_the_reference_computation_on_generated_data(
    document: Document, drc: Unit, liaison: Any, supervisor: Any, seed: int
) -> None:
    generated(document, drc, liaison, supervisor, seed=seed)
    for as_of in DATES:
        assert_agrees(as_of)
    ratings, units = reference(DATES[-1])
    assert {r[0] for r in ratings.values()} >= {"green", "red"} and len(units) >= 3, "the data has variety"
    assert RatingSnapshot.objects.filter(as_of=DATES[-1]).count() == len(ratings)


@pytest.mark.parametrize("seed", [7, 11])
def test_a_trend_read_together_and_without_reasons_has_each_dates_numbers(
    document: Document, drc: Unit, liaison: Any, supervisor: Any, seed: int
) -> None:
    """The dashboard's trend: the dates read in one call, only the last with the reasons."""
    generated(document, drc, liaison, supervisor, seed=seed)
    rollups(dates=list(DATES), reasons_on={DATES[-1]})  # rates and stores every date (with the reasons)
    together = rollups(dates=list(DATES), reasons_on={DATES[-1]})  # stored ratings: read without them
    for as_of, brief in zip(DATES, together, strict=True):
        alone = rollup(as_of=as_of)
        numbers = [(t.task_id, t.rag, t.planned, t.progress, t.lead_progress) for t in alone.tasks]
        assert [(t.task_id, t.rag, t.planned, t.progress, t.lead_progress) for t in brief.tasks] == numbers
        assert brief.counts == alone.counts and brief.units == alone.units
        if as_of == DATES[-1]:
            assert fast(brief) == fast(alone)
        else:
            assert all(a.reasons == [] for a in brief.assignments)
    assert any(a.reasons for a in together[-1].assignments), "the reasons of the last date are there"


def test_a_second_look_at_a_date_reads_snapshots_in_a_fixed_number_of_queries(world: World) -> None:
    first = rollup(as_of=DATES[0])
    with CaptureQueriesContext(connection) as warm:
        again = rollup(as_of=DATES[0])
    assert again == first
    assert len(warm) <= 6 and not any("INSERT" in q["sql"] for q in warm.captured_queries)


def test_every_kind_of_change_makes_the_snapshots_it_touches_stale(world: World) -> None:
    as_of = DATES[1]
    assert_agrees(as_of)
    t = world.tasks[0]
    lead = t.assignments.get(role=Assignment.Role.LEAD)
    changes = [
        ("a report", lambda: _report_on(world, lead)),
        (
            "an approval",
            lambda: approve_report(
                report=_pending(world), user=world.head, approve=True, now=at(D(2024, 5, 3), 10)
            ),
        ),
        (
            "a task's deadline",
            lambda: update_task(
                task=t,
                version=Task.objects.get(pk=t.pk).version,
                user=world.supervisor,
                today=D(2024, 5, 1),
                deadline=t.deadline + dt.timedelta(days=30),
            ),
        ),
        ("a milestone", lambda: add_milestone(task=world.tasks[1], date=D(2024, 5, 1), expected_progress=90)),
        (
            "a milestone edited",
            lambda: _signal(
                world.tasks[1], Milestone.objects.filter(task=world.tasks[1]).update(expected_progress=5)
            ),
        ),
        ("a completion", lambda: complete(world.tasks[2], world.supervisor, D(2024, 5, 10))),
        ("an extension", lambda: _extend(world, world.tasks[3])),
        ("a share's weight", lambda: _reweigh(world.tasks[4])),
        (
            "an obligation moved",
            lambda: _signal(
                world.tasks[5],
                Obligation.objects.filter(assignment__task=world.tasks[5]).update(due_date=D(2024, 5, 14)),
            ),
        ),
    ]
    for name, change in changes:
        change()
        assert fast(rollup(as_of=as_of)) == reference(as_of), f"stale after {name}"


def _trend_is_the_rollups(dates: tuple[dt.date, ...] = DATES) -> None:
    assert trend.points(dates=list(dates)) == [trend.point_of(rollup(as_of=d)) for d in dates]


def test_trend_points_are_stored_read_back_and_follow_every_change(world: World) -> None:
    _trend_is_the_rollups()
    assert TrendPoint.objects.count() == len(DATES)
    with CaptureQueriesContext(connection) as again:
        trend.points(dates=list(DATES))
    assert len(again) <= 6 and not any("INSERT" in q["sql"] for q in again.captured_queries), "read back"
    t = world.tasks[0]
    lead = t.assignments.get(role=Assignment.Role.LEAD)
    changes = [
        ("a report", lambda: _report_on(world, lead)),
        (
            "an override",
            lambda: override_rating(
                assignment=lead, rag="red", reason="现场核查滞后", user=world.supervisor, as_of=DATES[1]
            ),
        ),
        ("a completion", lambda: complete(world.tasks[2], world.supervisor, D(2024, 5, 10))),
        ("a share's weight", lambda: _reweigh(world.tasks[4])),
        ("a new task", lambda: generated_task(world)),
    ]
    for name, change in changes:
        before = TrendPoint.objects.count()
        change()
        _trend_is_the_rollups()
        assert TrendPoint.objects.count() > before, f"no new point after {name}"
    narrowed = trend.points(dates=list(DATES), unit=lead.unit)
    assert narrowed == [trend.point_of(rollup(as_of=d, unit=lead.unit)) for d in DATES]


def generated_task(world: World) -> None:
    _, lead = task(
        world.tasks[0].document,
        world.tasks[0].lead_unit,
        title="新增任务",
        start=D(2024, 1, 1),
        milestones=[(D(2024, 6, 30), 50)],
    )
    monthly(lead, 1, 2, 3, 4, 5, 6)


def _report_on(world: World, lead: Assignment) -> Report:
    """A report (version 9, 99%) on the lead's second obligation, made on 2024-05-02."""
    second = Obligation.objects.filter(assignment=lead).order_by("due_date")[1]
    return submit(second, world.liaison, progress=99, on=D(2024, 5, 2), version=9)


def _pending(world: World) -> Report:
    """A report of drc waiting for its head's approval (one is made when the generator left none)."""
    waiting = Report.objects.filter(
        approval=Report.Approval.PENDING, obligation__assignment__unit__code="drc"
    )
    report = waiting.order_by("pk").first()
    if report is None:
        ob = Obligation.objects.filter(assignment__unit__code="drc").order_by("due_date").first()
        assert ob is not None
        report = submit(
            ob, world.liaison, progress=77, on=D(2024, 4, 2), approval=Report.Approval.PENDING, version=8
        )
    return report


def _signal(t: Task, updated: int) -> None:
    """A queryset update sends no model signal: the code that makes one says what changed."""
    assert updated
    inputs_changed(task_ids=[t.pk])


def _extend(world: World, t: Task) -> None:
    lead = t.assignments.get(role=Assignment.Role.LEAD)
    liaison = type(world.liaison).objects.create_user(username=f"l-{lead.unit.code}", password="x")
    Profile.objects.create(user=liaison, unit=lead.unit, role=Role.LIAISON)
    Task.objects.filter(pk=t.pk).update(status=Status.IN_PROGRESS)
    asked = request_extension(
        assignment=lead,
        user=liaison,
        new_deadline=lead.deadline + dt.timedelta(days=60),
        reason="施工季节",
        now=at(min(lead.deadline, D(2024, 5, 1)) - dt.timedelta(days=1), 10),
    )
    decide_extension(
        request=asked,
        user=world.supervisor,
        approve=True,
        now=at(min(lead.deadline, D(2024, 5, 1)) - dt.timedelta(days=1), 10),
    )


def _reweigh(t: Task) -> None:
    for a in t.assignments.filter(role=Assignment.Role.SHARE):
        a.weight = 5
        a.save()


def test_a_snapshot_stored_with_a_token_read_before_a_change_is_not_read(world: World) -> None:
    """The race the token order closes: inputs read, then changed and committed, then the old result stored."""
    lead = world.tasks[0].assignments.get(role=Assignment.Role.LEAD)
    before = snapshots.tokens([lead.pk])
    stale = snapshots.compute([lead.pk], DATES[0], store=False)
    submit(
        Obligation.objects.filter(assignment=lead).order_by("due_date")[0],
        world.liaison,
        progress=1,
        on=D(2024, 1, 5),
        version=5,
    )
    snapshots._store(stale, before, DATES[0])
    assert (
        snapshots.snapshots([lead.pk], DATES[0])[lead.pk]
        == snapshots.compute([lead.pk], DATES[0], store=False)[lead.pk]
    )
    assert (
        RatingSnapshot.objects.get(assignment=lead, as_of=DATES[0]).token
        == snapshots.tokens([lead.pk])[lead.pk]
    )


def test_snapshots_of_another_version_of_the_rule_are_not_read(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    rollup(as_of=DATES[0])
    RatingSnapshot.objects.filter(as_of=DATES[0]).update(rag="amber", reasons=["旧规则"])
    monkeypatch.setattr(snapshots, "RULE", snapshots.RULE + 1)
    assert fast(rollup(as_of=DATES[0])) == reference(DATES[0])


def test_prune_keeps_recent_dates_and_month_ends(world: World) -> None:
    for day in (D(2024, 1, 30), D(2024, 1, 31), D(2024, 6, 20)):
        rollup(as_of=day)
    snapshots.prune(today=D(2024, 6, 30))
    assert set(RatingSnapshot.objects.values_list("as_of", flat=True)) == {D(2024, 1, 31), D(2024, 6, 20)}
