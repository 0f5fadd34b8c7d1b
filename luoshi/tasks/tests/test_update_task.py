"""Editing a task: what may change, stale edits refused, owners and dates kept consistent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from luoshi.tasks.models import Assignment, Task
from luoshi.tasks.services import Share, TaskError, add_milestone, cascade, transition, update_task
from luoshi.tasks.tests.conftest import TODAY, task_with, unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(tasks: list[Task]) -> Task:
    return task_with("新能源倍增行动")


def _owners(task: Task) -> set[tuple[str, str, dt.date]]:
    return {(a.unit.code, a.role, a.deadline) for a in task.assignments.all()}


def test_it_saves_an_edit_and_bumps_the_version(task: Task, supervisor: Any) -> None:
    seen = task.version
    edited = update_task(
        task=task,
        version=seen,
        user=supervisor,
        title="新能源倍增行动",
        weight="2.5",
        cadence="monthly",
        today=TODAY,
    )
    assert edited is task
    stored = Task.objects.get(pk=task.pk)
    assert (stored.title, stored.weight, stored.cadence, stored.version) == (
        "新能源倍增行动",
        Decimal("2.50"),
        "monthly",
        seen + 1,
    )


def test_a_stale_edit_is_refused_and_the_stored_value_kept(task: Task, supervisor: Any, liaison: Any) -> None:
    mine, theirs = Task.objects.get(pk=task.pk), Task.objects.get(pk=task.pk)
    update_task(task=theirs, version=theirs.version, user=liaison, title="他人改过的标题", today=TODAY)
    with pytest.raises(TaskError) as caught:
        update_task(task=mine, version=mine.version, user=supervisor, title="我的标题", today=TODAY)
    assert caught.value.code == "stale"
    assert str(caught.value).startswith("任务已被他人修改，请刷新后重试。 / ")
    assert Task.objects.get(pk=task.pk).title == "他人改过的标题"


def test_a_deadline_in_the_past_or_before_the_start_is_refused(task: Task, supervisor: Any) -> None:
    with pytest.raises(TaskError) as caught:
        update_task(
            task=task, version=task.version, user=supervisor, deadline=dt.date(2025, 2, 28), today=TODAY
        )
    assert caught.value.code == "past_deadline"
    assert "早于今天" in caught.value.message_zh and "in the past" in caught.value.message_en
    with pytest.raises(TaskError) as caught:
        update_task(
            task=task, version=task.version, user=supervisor, start_date=dt.date(2026, 1, 1), today=TODAY
        )
    assert caught.value.code == "deadline_before_start"
    assert Task.objects.get(pk=task.pk).deadline == dt.date(2025, 10, 31)


def test_a_new_deadline_moves_the_lead_and_co_units_deadlines(task: Task, supervisor: Any) -> None:
    update_task(task=task, version=task.version, user=supervisor, deadline=dt.date(2026, 6, 30), today=TODAY)
    assert {d for _, _, d in _owners(task)} == {dt.date(2026, 6, 30)}


def test_dates_cannot_leave_milestones_or_shares_outside(task: Task, supervisor: Any) -> None:
    add_milestone(task=task, date=dt.date(2025, 9, 30), expected_progress=80)
    with pytest.raises(TaskError) as caught:
        update_task(
            task=task, version=task.version, user=supervisor, deadline=dt.date(2025, 8, 31), today=TODAY
        )
    assert caught.value.code == "milestone_outside"
    lead = task.assignments.get(role="lead")
    cascade(assignment=lead, shares=[Share(unit=unit("ordos"), weight=1, deadline=dt.date(2025, 10, 31))])
    task.milestones.all().delete()
    with pytest.raises(TaskError) as caught:
        update_task(
            task=task, version=task.version, user=supervisor, deadline=dt.date(2025, 9, 30), today=TODAY
        )
    assert caught.value.code == "share_after_deadline"
    assert "鄂尔多斯市" in caught.value.message_zh


def test_the_status_changes_only_by_a_transition(task: Task, supervisor: Any) -> None:
    with pytest.raises(TaskError) as caught:
        update_task(task=task, version=task.version, user=supervisor, status="completed", today=TODAY)
    assert caught.value.code == "unknown_field"
    assert "status" in caught.value.message_en


def test_a_final_task_cannot_be_edited(task: Task, supervisor: Any) -> None:
    transition(task=task, to_status="cancelled", user=supervisor, reason="并入其他任务")
    with pytest.raises(TaskError) as caught:
        update_task(task=task, version=task.version, user=supervisor, title="新标题", today=TODAY)
    assert caught.value.code == "final"


def test_changing_the_lead_moves_its_assignment_and_drops_it_from_co_units(
    task: Task, supervisor: Any
) -> None:
    update_task(task=task, version=task.version, user=supervisor, lead_unit=unit("drc"), today=TODAY)
    assert _owners(task) == {("drc", "lead", dt.date(2025, 10, 31)), ("miit", "co", dt.date(2025, 10, 31))}
    assert [u.code for u in task.co_units.all()] == ["miit"]
    assert task.lead_unit.code == "drc"


def test_co_units_can_be_replaced(task: Task, supervisor: Any) -> None:
    update_task(
        task=task,
        version=task.version,
        user=supervisor,
        co_units=[unit("finance"), unit("drc"), unit("energy")],
        today=TODAY,
    )
    assert {(code, role) for code, role, _ in _owners(task)} == {
        ("energy", "lead"),
        ("drc", "co"),
        ("finance", "co"),
    }
    assert {u.code for u in task.co_units.all()} == {"drc", "finance"}
    version = Task.objects.get(pk=task.pk).version
    assert version == task.version


def test_the_lead_cannot_change_once_it_divided_the_task(task: Task, supervisor: Any) -> None:
    lead = task.assignments.get(role=Assignment.Role.LEAD)
    cascade(assignment=lead, shares=[Share(unit=unit("baotou"), weight=1, deadline=dt.date(2025, 10, 31))])
    with pytest.raises(TaskError) as caught:
        update_task(task=task, version=task.version, user=supervisor, lead_unit=unit("drc"), today=TODAY)
    assert caught.value.code == "lead_has_shares"
    assert Task.objects.get(pk=task.pk).lead_unit.code == "energy"


def test_custom_report_dates_follow_the_cadence(task: Task, supervisor: Any) -> None:
    with pytest.raises(TaskError) as caught:
        update_task(task=task, version=task.version, user=supervisor, cadence="custom", today=TODAY)
    assert caught.value.code == "custom_dates_missing"
    update_task(
        task=task,
        version=task.version,
        user=supervisor,
        cadence="custom",
        custom_dates=["2025-09-30", dt.date(2025, 6, 30)],
        today=TODAY,
    )
    assert task.custom_dates == ["2025-06-30", "2025-09-30"]
    update_task(task=task, version=task.version, user=supervisor, cadence="quarterly", today=TODAY)
    assert (task.cadence, task.custom_dates) == ("quarterly", [])
