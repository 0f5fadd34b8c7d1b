"""Tasks made by hand, their milestones and quantified indicators."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from luoshi.documents.models import Document
from luoshi.tasks.models import Indicator, Task, Transition
from luoshi.tasks.services import TaskError, add_indicator, add_milestone, create_task, transition
from luoshi.tasks.tests.conftest import DEADLINE, START, unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(seed: Document, supervisor: Any) -> Task:
    return create_task(
        document=seed,
        title="  新增高标准农田建设 ",
        text="年内新建高标准农田。",
        lead_unit=unit("agriculture-animal"),
        co_units=[unit("finance"), unit("agriculture-animal")],
        start_date=START,
        deadline=DEADLINE,
        user=supervisor,
    )


def test_a_task_by_hand_starts_as_a_draft_with_its_owners(task: Task, supervisor: Any) -> None:
    assert (task.title, task.status, task.version, task.created_by) == (
        "新增高标准农田建设",
        "draft",
        1,
        supervisor,
    )
    assert [(a.unit.code, a.role, a.deadline) for a in task.assignments.order_by("id")] == [
        ("agriculture-animal", "lead", DEADLINE),
        ("finance", "co", DEADLINE),
    ]
    assert [u.code for u in task.co_units.all()] == ["finance"]  # the lead is not also a co-unit
    assert (task.plan_task, task.section, task.spans) == (None, None, [])
    assert not Transition.objects.filter(task=task).exists()
    transition(task=task, to_status="assigned", user=supervisor)
    assert Transition.objects.get(task=task).to_status == "assigned"


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"deadline": dt.date(2024, 12, 31)}, "deadline_before_start"),
        ({"title": "   "}, "empty_title"),
        ({"cadence": "weekly"}, "bad_cadence"),
        ({"cadence": "custom"}, "custom_dates_missing"),
        ({"cadence": "custom", "custom_dates": ["2026-03-31"]}, "custom_date_outside"),
        ({"cadence": "custom", "custom_dates": ["31/03/2025"]}, "bad_date"),
        ({"custom_dates": ["2025-03-31"]}, "custom_dates_unused"),
        ({"weight": 0}, "bad_weight"),
        ({"weight": "很重"}, "bad_number"),
    ],
)
def test_bad_input_is_refused(seed: Document, changes: dict[str, Any], code: str) -> None:
    fields: dict[str, Any] = {
        "document": seed,
        "title": "任务",
        "text": "任务",
        "lead_unit": unit("drc"),
        "start_date": START,
        "deadline": DEADLINE,
        **changes,
    }
    with pytest.raises(TaskError) as caught:
        create_task(**fields)
    assert caught.value.code == code
    assert caught.value.message_zh and caught.value.message_en
    assert not Task.objects.exists()


def test_custom_report_dates_are_kept_sorted(seed: Document) -> None:
    task = create_task(
        document=seed,
        title="任务",
        text="任务",
        lead_unit=unit("drc"),
        start_date=START,
        deadline=DEADLINE,
        cadence="custom",
        custom_dates=["2025-11-30", dt.date(2025, 5, 31)],
    )
    assert Task.objects.get(pk=task.pk).custom_dates == ["2025-05-31", "2025-11-30"]


def test_milestones_lie_within_the_task_and_never_go_backwards(task: Task) -> None:
    add_milestone(task=task, date=dt.date(2025, 6, 30), expected_progress=50, title="年中过半")
    add_milestone(task=task, date=dt.date(2025, 12, 31), expected_progress=100)
    add_milestone(task=task, date=dt.date(2025, 3, 31), expected_progress=20)
    assert [(m.date.isoformat(), m.expected_progress) for m in task.milestones.all()] == [
        ("2025-03-31", 20),
        ("2025-06-30", 50),
        ("2025-12-31", 100),
    ]
    refused: list[tuple[dict[str, Any], str]] = [
        ({"date": dt.date(2026, 1, 31), "expected_progress": 100}, "milestone_outside"),
        ({"date": dt.date(2024, 12, 31), "expected_progress": 0}, "milestone_outside"),
        ({"date": dt.date(2025, 9, 30), "expected_progress": 101}, "bad_progress"),
        ({"date": dt.date(2025, 9, 30), "expected_progress": -1}, "bad_progress"),
        ({"date": dt.date(2025, 9, 30), "expected_progress": 40}, "progress_decreases"),
        ({"date": dt.date(2025, 4, 30), "expected_progress": 60}, "progress_decreases"),
        ({"date": dt.date(2025, 6, 30), "expected_progress": 50}, "milestone_same_date"),
    ]
    for kwargs, code in refused:
        with pytest.raises(TaskError) as caught:
            add_milestone(task=task, **kwargs)
        assert caught.value.code == code, kwargs
    assert task.milestones.count() == 3


def test_the_error_for_a_backwards_milestone_names_both(task: Task) -> None:
    add_milestone(task=task, date=dt.date(2025, 6, 30), expected_progress=50)
    with pytest.raises(TaskError) as caught:
        add_milestone(task=task, date=dt.date(2025, 9, 30), expected_progress=40)
    assert caught.value.message_zh == "里程碑进度不能倒退：2025-06-30 为 50%，2025-09-30 为 40%。"


def test_an_indicator_must_aim_the_right_way(task: Task) -> None:
    farmland = add_indicator(
        task=task,
        name="高标准农田面积",
        unit_of_measure="万亩",
        baseline=4000,
        target="4500.5",
        baseline_date=dt.date(2024, 12, 31),
        target_date=DEADLINE,
    )
    assert (farmland.baseline, farmland.target, farmland.direction) == (
        Decimal(4000),
        Decimal("4500.5"),
        "increase",
    )
    water = add_indicator(
        task=task,
        name="亩均用水量",
        unit_of_measure="立方米",
        baseline=300,
        target=280,
        baseline_date=dt.date(2024, 12, 31),
        target_date=DEADLINE,
        direction="decrease",
    )
    assert water.target < water.baseline
    base: dict[str, Any] = {
        "task": task,
        "name": "指标",
        "unit_of_measure": "",
        "baseline": 10,
        "target": 20,
        "baseline_date": dt.date(2024, 12, 31),
        "target_date": DEADLINE,
    }
    refused: list[tuple[dict[str, Any], str]] = [
        ({"target": 10}, "target_not_better"),
        ({"target": 5}, "target_not_better"),
        ({"direction": "decrease"}, "target_not_better"),
        ({"direction": "sideways"}, "bad_direction"),
        ({"target_date": dt.date(2024, 12, 30)}, "target_before_baseline"),
        ({"name": " "}, "empty_name"),
        ({"baseline": "十"}, "bad_number"),
        ({"target": "1e20"}, "bad_number"),
    ]
    for changes, code in refused:
        with pytest.raises(TaskError) as caught:
            add_indicator(**{**base, **changes})
        assert caught.value.code == code, changes
    assert list(Indicator.objects.filter(task=task).values_list("name", flat=True)) == [
        "高标准农田面积",
        "亩均用水量",
    ]


def test_the_error_for_a_wrong_way_target_is_bilingual(task: Task) -> None:
    with pytest.raises(TaskError) as caught:
        add_indicator(
            task=task,
            name="亩均用水量",
            unit_of_measure="立方米",
            baseline=300,
            target=320,
            baseline_date=dt.date(2024, 12, 31),
            target_date=DEADLINE,
            direction="decrease",
        )
    assert str(caught.value) == (
        "指标“亩均用水量”越低越好，目标值 320 须低于基期值 300。 / "
        "Lower is better for '亩均用水量': the target 320 must be below the baseline 300."
    )


def test_milestones_and_indicators_cannot_be_added_to_a_final_task(task: Task, supervisor: Any) -> None:
    transition(task=task, to_status="cancelled", user=supervisor, reason="重复")
    with pytest.raises(TaskError) as caught:
        add_milestone(task=task, date=dt.date(2025, 6, 30), expected_progress=50)
    assert caught.value.code == "final"
