"""Cadence, milestones and indicators set on a proposed task in review (decomposition/schedule.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from luoshi.audit.models import AuditEntry
from luoshi.decomposition.extract.targets import extract_targets
from luoshi.decomposition.models import Plan, PlanTask
from luoshi.decomposition.schedule import suggest_indicators
from luoshi.decomposition.services import (
    PlanError,
    add_plan_indicator,
    add_plan_milestone,
    confirm_plan,
    edit_task,
    remove_plan_indicator,
    remove_plan_milestone,
)
from luoshi.testing.seed import seed_plan

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 26)


@pytest.fixture
def plan() -> Plan:
    return seed_plan()


@pytest.fixture
def energy(plan: Plan) -> PlanTask:
    task = plan.tasks.get(parent=None, text__contains="新能源倍增行动")
    return edit_task(task=task, deadline=dt.date(2027, 12, 31), today=TODAY)


def _refused(code: str, call: object) -> PlanError:
    assert callable(call)
    with pytest.raises(PlanError) as info:
        call()
    assert info.value.code == code
    assert info.value.message_zh and info.value.message_en
    return info.value


def _audit(task: PlanTask) -> AuditEntry:
    entry = AuditEntry.objects.filter(object_type="decomposition.plantask", object_id=str(task.pk)).last()
    assert entry is not None
    return entry


def test_the_cadence_is_set_reset_and_audited(energy: PlanTask) -> None:
    task = edit_task(task=energy, version=energy.version, cadence="monthly", today=TODAY)
    assert task.cadence == "monthly" and _audit(task).changes["cadence"] == [None, "monthly"]
    assert edit_task(task=task, cadence="", today=TODAY).cadence is None
    error = _refused("bad_cadence", lambda: edit_task(task=task, cadence="custom", today=TODAY))
    assert "报告周期" in error.message_zh and "cadence" in error.message_en
    _refused("stale", lambda: edit_task(task=task, version=task.version - 1, cadence="yearly", today=TODAY))
    assert PlanTask.objects.get(pk=task.pk).cadence is None


def test_milestones_are_kept_by_date_and_audited(energy: PlanTask) -> None:
    seen = energy.version
    task = add_plan_milestone(
        task=energy,
        version=energy.version,
        date=dt.date(2027, 6, 30),
        expected_progress=60,
        title="  半程  ",
        today=TODAY,
    )
    task = add_plan_milestone(task=task, date=dt.date(2027, 3, 31), expected_progress=30, today=TODAY)
    assert task.milestones == [
        {"date": "2027-03-31", "expected_progress": 30, "title": ""},
        {"date": "2027-06-30", "expected_progress": 60, "title": "半程"},
    ]
    assert task.version == seen + 2
    entry = _audit(task)
    assert entry.changes["milestones"][1] == task.milestones and "2027-03-31" in entry.note
    task = remove_plan_milestone(task=task, version=task.version, date=dt.date(2027, 3, 31))
    assert [m["date"] for m in task.milestones] == ["2027-06-30"]
    assert "milestone removed" in _audit(task).note


@pytest.mark.parametrize(
    ("date", "progress", "code"),
    [
        (dt.date(2026, 1, 1), 10, "milestone_past"),
        (dt.date(2028, 1, 1), 10, "milestone_after_deadline"),
        (dt.date(2027, 5, 1), 101, "bad_progress"),
        (dt.date(2027, 9, 1), 50, "progress_decreases"),
        (dt.date(2027, 6, 30), 70, "milestone_same_date"),
    ],
)
def test_a_bad_milestone_is_refused_and_nothing_changes(
    energy: PlanTask, date: dt.date, progress: int, code: str
) -> None:
    task = add_plan_milestone(task=energy, date=dt.date(2027, 6, 30), expected_progress=60, today=TODAY)
    _refused(
        code,
        lambda: add_plan_milestone(
            task=task, version=task.version, date=date, expected_progress=progress, today=TODAY
        ),
    )
    stored = PlanTask.objects.get(pk=task.pk)
    assert (len(stored.milestones), stored.version) == (1, task.version)


def test_a_milestone_far_ahead_stale_or_on_a_confirmed_plan_is_refused(plan: Plan) -> None:
    task = plan.tasks.get(parent=None, text__contains="新能源倍增行动")  # no deadline of its own
    _refused(
        "milestone_far",
        lambda: add_plan_milestone(task=task, date=dt.date(2201, 1, 1), expected_progress=1, today=TODAY),
    )
    _refused(
        "stale",
        lambda: add_plan_milestone(
            task=task, version=task.version + 1, date=dt.date(2027, 1, 1), expected_progress=1, today=TODAY
        ),
    )
    confirm_plan(accept_remaining=True, plan=plan)
    task.refresh_from_db()
    _refused(
        "locked",
        lambda: add_plan_milestone(task=task, date=dt.date(2027, 1, 1), expected_progress=1, today=TODAY),
    )


def test_a_deadline_before_a_milestone_is_refused(energy: PlanTask) -> None:
    task = add_plan_milestone(task=energy, date=dt.date(2027, 6, 30), expected_progress=60, today=TODAY)
    _refused(
        "deadline_before_milestone", lambda: edit_task(task=task, deadline=dt.date(2027, 1, 31), today=TODAY)
    )


def test_indicators_are_read_like_add_indicator_and_audited(energy: PlanTask) -> None:
    task = add_plan_indicator(
        task=energy,
        version=energy.version,
        name=" 全区新能源装机规模 ",
        unit_of_measure="亿千瓦",
        baseline="0.80",
        target=" 1.35 ",
        direction="increase",
    )
    assert task.indicators == [
        {
            "name": "全区新能源装机规模",
            "unit_of_measure": "亿千瓦",
            "baseline": "0.8",
            "target": "1.35",
            "direction": "increase",
        }
    ]
    assert "全区新能源装机规模" in _audit(task).note
    task = remove_plan_indicator(task=task, version=task.version, name="全区新能源装机规模")
    assert task.indicators == []
    _refused("indicator_missing", lambda: remove_plan_indicator(task=task, name="全区新能源装机规模"))


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"name": " "}, "empty_name"),
        ({"baseline": "abc"}, "bad_baseline"),
        ({"target": ""}, "bad_target"),
        ({"target": "1e20"}, "bad_target"),
        ({"target": "0.5"}, "target_not_better"),
        ({"direction": "decrease"}, "target_not_better"),
        ({"direction": "sideways"}, "bad_direction"),
        ({"name": "已有指标"}, "indicator_same_name"),
    ],
)
def test_a_bad_indicator_is_refused(energy: PlanTask, fields: dict[str, str], code: str) -> None:
    task = add_plan_indicator(task=energy, name="已有指标", baseline="1", target="2")
    given = {"name": "装机规模", "baseline": "0.8", "target": "1.35", "direction": "increase", **fields}
    _refused(code, lambda: add_plan_indicator(task=task, version=task.version, **given))
    assert len(PlanTask.objects.get(pk=task.pk).indicators) == 1
    _refused(
        "stale",
        lambda: add_plan_indicator(task=task, version=task.version - 1, name="x", baseline=1, target=2),
    )


def test_the_targets_of_the_words_are_suggested_unless_taken() -> None:
    targets = [
        t.to_dict()
        for t in extract_targets(
            "到2027年，全区新能源装机规模达到1.35亿千瓦以上，单位地区生产总值能耗下降5%左右。"
        )
    ]
    capacity, saving = suggest_indicators(targets, taken=[])
    assert (capacity.name, capacity.unit_of_measure, capacity.target, capacity.direction) == (
        "全区新能源装机规模",
        "亿千瓦",
        Decimal("1.35"),
        "increase",
    )
    assert (saving.target, saving.direction, saving.from_baseline) == (None, "decrease", "− 5%")
    assert [s.name for s in suggest_indicators(targets, taken=[" 全区新能源装机规模 "])] == [saving.name]
