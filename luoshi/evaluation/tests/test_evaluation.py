from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from luoshi.audit.services import entries_for
from luoshi.evaluation.services import (
    EvaluationError,
    IndicatorOutcome,
    designate_evaluator,
    due_rechecks,
    evaluation_history,
    evaluation_rollup,
    latest_evaluation,
    record_evaluation,
)
from luoshi.reports.models import IndicatorValue
from luoshi.tasks.models import Indicator, Status, Task
from luoshi.testing.world import World

pytestmark = pytest.mark.django_db

D = dt.date
NOW = timezone.make_aware(dt.datetime(2025, 1, 10, 10))


def complete(task: Task) -> Task:
    Task.objects.filter(pk=task.pk).update(status=Status.COMPLETED)
    task.refresh_from_db()
    return task


def indicator(task: Task, name: str) -> Indicator:
    return Indicator.objects.create(
        task=task,
        name=name,
        unit_of_measure="万千瓦",
        baseline=10,
        target=20,
        baseline_date=D(2024, 1, 15),
        target_date=D(2024, 12, 31),
    )


def test_only_a_completed_task_is_evaluated(world: World) -> None:
    with pytest.raises(EvaluationError) as refused:
        record_evaluation(task=world.task, effect="good", user=world.supervisor, now=NOW)
    assert refused.value.code == "not_completed"
    complete(world.task)
    evaluation = record_evaluation(
        task=world.task, effect="good", user=world.supervisor, comments=" 成效明显 ", now=NOW
    )
    assert (evaluation.effect, evaluation.comments, evaluation.evaluated_by, evaluation.evaluated_at) == (
        "good",
        "成效明显",
        world.supervisor,
        NOW,
    )
    assert [e.action for e in entries_for(evaluation)] == ["create"]


def test_who_may_evaluate(world: World) -> None:
    complete(world.task)
    for user in (world.liaison_a, world.leader):
        with pytest.raises(EvaluationError) as refused:
            record_evaluation(task=world.task, effect="fair", user=user, now=NOW)
        assert refused.value.code == "not_allowed"
    designate_evaluator(task=world.task, user=world.leader, by=world.supervisor, now=NOW)
    designate_evaluator(task=world.task, user=world.leader, by=world.supervisor, now=NOW)  # twice: harmless
    assert (
        record_evaluation(task=world.task, effect="fair", user=world.leader, now=NOW).evaluated_by
        == world.leader
    )
    with pytest.raises(EvaluationError):  # the designation is for that task only
        record_evaluation(task=complete(world.task_a), effect="fair", user=world.leader, now=NOW)
    with pytest.raises(EvaluationError) as bad:
        record_evaluation(task=world.task, effect="great", user=world.supervisor, now=NOW)
    assert bad.value.code == "bad_effect"


def test_every_indicator_is_answered_with_its_final_value(world: World) -> None:
    capacity, share = indicator(world.task, "装机容量"), indicator(world.task, "本地化率")
    IndicatorValue.objects.create(report=world.report_a, indicator=capacity, value=Decimal("21.5"))
    complete(world.task)
    with pytest.raises(EvaluationError) as missing:
        record_evaluation(
            task=world.task,
            effect="good",
            user=world.supervisor,
            now=NOW,
            indicators=[IndicatorOutcome(capacity, True)],
        )
    assert (missing.value.code, missing.value.message_zh) == (
        "indicator_missing",
        "请说明以下指标是否达到：本地化率。",
    )
    with pytest.raises(EvaluationError) as foreign:
        record_evaluation(
            task=world.task,
            effect="good",
            user=world.supervisor,
            now=NOW,
            indicators=[IndicatorOutcome(indicator(world.task_a, "其他"), True)],
        )
    assert foreign.value.code == "foreign_indicator"
    evaluation = record_evaluation(
        task=world.task,
        effect="good",
        user=world.supervisor,
        now=NOW,
        indicators=[IndicatorOutcome(capacity, True), IndicatorOutcome(share.pk, False, final_value="0.4")],
    )
    assert [(i["name"], i["final_value"], i["reached"]) for i in evaluation.indicators] == [
        ("装机容量", "21.5", True),  # taken from the lead unit's latest counting report
        ("本地化率", "0.4", False),
    ]
    assert evaluation.indicators_reached == 1


def test_a_recheck_comes_due_and_a_new_evaluation_closes_it(world: World) -> None:
    complete(world.task)
    complete(world.task_a)
    with pytest.raises(EvaluationError) as past:
        record_evaluation(
            task=world.task, effect="fair", user=world.supervisor, now=NOW, recheck_date=D(2025, 1, 9)
        )
    assert past.value.code == "recheck_in_past"
    first = record_evaluation(
        task=world.task, effect="fair", user=world.supervisor, now=NOW, recheck_date=D(2025, 7, 1)
    )
    record_evaluation(task=world.task_a, effect="good", user=world.supervisor, now=NOW)  # no re-check asked
    assert due_rechecks(today=D(2025, 6, 30)) == []
    (due,) = due_rechecks(today=D(2025, 7, 1))
    assert (due.task, due.evaluation, due.recheck_date, due.days_waiting) == (
        world.task,
        first,
        D(2025, 7, 1),
        0,
    )
    assert [d.days_waiting for d in due_rechecks(today=D(2025, 7, 11))] == [10]

    later = timezone.make_aware(dt.datetime(2025, 7, 3, 9))
    second = record_evaluation(task=world.task, effect="good", user=world.supervisor, now=later)
    assert due_rechecks(today=D(2025, 7, 3)) == []
    assert evaluation_history(task=world.task) == [first, second]
    assert latest_evaluation(task=world.task) == second


def test_the_rollup_counts_effects_and_indicators(world: World) -> None:
    capacity = indicator(world.task, "装机容量")
    first, second = indicator(world.task_a, "电价改革"), indicator(world.task_a, "市场化交易")
    complete(world.task)
    complete(world.task_a)
    open_task = Task.objects.create(
        document=world.document,
        title="未办结",
        text="未办结。",
        lead_unit=world.unit_b,
        start_date=D(2024, 1, 1),
        deadline=D(2024, 12, 31),
        status=Status.IN_PROGRESS,
    )
    assert open_task.pk
    empty = evaluation_rollup()
    assert (empty.total.completed, empty.total.evaluated, empty.total.not_evaluated) == (2, 0, 2)

    record_evaluation(
        task=world.task,
        effect="poor",
        user=world.supervisor,
        now=NOW,
        indicators=[IndicatorOutcome(capacity, False, final_value=12)],
    )
    record_evaluation(
        task=world.task,
        effect="good",
        user=world.supervisor,
        now=NOW + dt.timedelta(days=1),
        indicators=[IndicatorOutcome(capacity, True, final_value=20)],
    )  # the latest one counts
    record_evaluation(
        task=world.task_a,
        effect="excellent",
        user=world.supervisor,
        now=NOW,
        indicators=[
            IndicatorOutcome(first, True, final_value=1),
            IndicatorOutcome(second, False, final_value=1),
        ],
    )

    r = evaluation_rollup()
    assert (
        r.total.completed,
        r.total.evaluated,
        r.total.indicators,
        r.total.indicators_reached,
        r.total.reached_share,
    ) == (2, 2, 3, 2, 0.667)
    assert r.total.by_effect == {"excellent": 1, "good": 1, "fair": 0, "poor": 0, "none": 0}
    (doc,) = r.documents
    assert (doc.document_id, doc.counts.evaluated, [(s.heading, s.task_ids) for s in doc.sections]) == (
        world.document.pk,
        2,
        [("未归入章节", [world.task.pk, world.task_a.pk])],
    )
    # Unit B co-operates on world.task only; unit A leads both.
    assert [
        (u.name, u.counts.completed, u.counts.by_effect["good"], u.counts.by_effect["excellent"])
        for u in r.units
    ] == [("自治区发展改革委", 2, 1, 1), ("自治区工业和信息化厅", 1, 1, 0)]
    scoped = evaluation_rollup(unit=world.unit_b)
    assert ([u.name for u in scoped.units], scoped.total.completed) == (["自治区工业和信息化厅"], 1)
    assert evaluation_rollup(document=world.other_document).total.completed == 0
    assert r.to_dict()["total"]["reached_share"] == 0.667
