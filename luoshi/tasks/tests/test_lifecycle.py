"""The lifecycle of a task: allowed and refused steps, history, optimistic locking."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from luoshi.accounts.models import Role
from luoshi.tasks.models import Status, Task, Transition
from luoshi.tasks.services import TaskError, transition
from luoshi.tasks.tests.conftest import task_with
from luoshi.testing.world import make_user
from luoshi.units.models import Unit

pytestmark = pytest.mark.django_db
AT = dt.datetime(2025, 3, 1, 9, 30, tzinfo=dt.UTC)


@pytest.fixture
def task(tasks: list[Task]) -> Task:
    return task_with("新能源倍增行动")


def _history(task: Task) -> list[tuple[str, str, str, str]]:
    return [
        (t.from_status, t.to_status, t.by.username if t.by else "", t.reason)
        for t in Transition.objects.filter(task=task)
    ]


def test_it_runs_the_whole_lifecycle_and_records_who_and_why(
    task: Task, supervisor: Any, liaison: Any
) -> None:
    transition(task=task, to_status="in_progress", user=liaison, now=AT)
    transition(task=task, to_status="completion_requested", user=liaison, reason="已完成年度目标", now=AT)
    transition(task=task, to_status="in_progress", user=supervisor, reason="佐证材料不足", now=AT)
    transition(task=task, to_status="completion_requested", user=liaison, now=AT)
    done = transition(task=task, to_status="completed", user=supervisor, now=AT)
    assert done is task and task.status == Status.COMPLETED
    assert Task.objects.get(pk=task.pk).status == Status.COMPLETED
    assert _history(task) == [
        ("draft", "assigned", "zhang", ""),
        ("assigned", "in_progress", "li", ""),
        ("in_progress", "completion_requested", "li", "已完成年度目标"),
        ("completion_requested", "in_progress", "zhang", "佐证材料不足"),
        ("in_progress", "completion_requested", "li", ""),
        ("completion_requested", "completed", "zhang", ""),
    ]
    assert Transition.objects.filter(task=task).last().at == AT  # type: ignore[union-attr]
    assert task.version == 7


def test_a_step_the_lifecycle_does_not_allow_is_refused(task: Task, supervisor: Any) -> None:
    with pytest.raises(TaskError) as caught:
        transition(task=task, to_status="completed", user=supervisor)
    error = caught.value
    assert error.code == "bad_transition"
    assert error.message_zh == "任务不能从“已交办”转为“已办结”。可转为：已撤销、办理中。"
    assert error.message_en.startswith("A task cannot go from 'assigned' to 'completed'.")
    assert str(error) == f"{error.message_zh} / {error.message_en}"
    assert Task.objects.get(pk=task.pk).status == Status.ASSIGNED
    with pytest.raises(TaskError) as caught:
        transition(task=task, to_status="done", user=supervisor)
    assert caught.value.code == "bad_transition"
    with pytest.raises(TaskError) as caught:
        transition(task=task, to_status="assigned", user=supervisor)
    assert caught.value.code == "bad_transition"
    assert len(_history(task)) == 1


def test_rejecting_a_completion_request_needs_a_reason(task: Task, supervisor: Any) -> None:
    transition(task=task, to_status="in_progress", user=supervisor)
    transition(task=task, to_status="completion_requested", user=supervisor)
    with pytest.raises(TaskError) as caught:
        transition(task=task, to_status="in_progress", user=supervisor, reason="  ")
    assert caught.value.code == "reason_required"
    assert "须说明理由" in str(caught.value) and "needs a reason" in str(caught.value)
    assert Task.objects.get(pk=task.pk).status == Status.COMPLETION_REQUESTED


def test_cancelling_needs_a_reason_and_is_final(task: Task, supervisor: Any) -> None:
    with pytest.raises(TaskError) as caught:
        transition(task=task, to_status="cancelled", user=supervisor)
    assert caught.value.code == "reason_required"
    transition(task=task, to_status="cancelled", user=supervisor, reason="任务已并入其他事项")
    for status in ("assigned", "in_progress", "completed"):
        with pytest.raises(TaskError) as caught:
            transition(task=task, to_status=status, user=supervisor, reason="重新启动")
        assert caught.value.code == "bad_transition"
        assert "“已撤销”是最终状态" in caught.value.message_zh
        assert "'cancelled' is final" in caught.value.message_en
    assert _history(task)[-1] == ("assigned", "cancelled", "zhang", "任务已并入其他事项")


def test_a_completed_task_cannot_be_reopened(task: Task, supervisor: Any) -> None:
    for status in ("in_progress", "completion_requested", "completed"):
        transition(task=task, to_status=status, user=supervisor)
    with pytest.raises(TaskError) as caught:
        transition(task=task, to_status="in_progress", user=supervisor, reason="发现问题")
    assert caught.value.code == "bad_transition"
    with pytest.raises(TaskError):
        transition(task=task, to_status="cancelled", user=supervisor, reason="撤销")
    assert Task.objects.get(pk=task.pk).status == Status.COMPLETED


def test_a_step_based_on_a_stale_version_is_refused(task: Task, supervisor: Any, liaison: Any) -> None:
    seen = task.version
    transition(task=Task.objects.get(pk=task.pk), to_status="in_progress", user=liaison, version=seen)
    with pytest.raises(TaskError) as caught:
        transition(task=task, to_status="cancelled", user=supervisor, reason="重复任务", version=seen)
    assert caught.value.code == "stale"
    assert caught.value.message_zh == "任务已被他人修改，请刷新后重试。"
    assert "changed by someone else" in caught.value.message_en
    stored = Task.objects.get(pk=task.pk)
    assert (stored.status, stored.version) == (Status.IN_PROGRESS, seen + 1)
    assert [h[1] for h in _history(task)] == ["assigned", "in_progress"]


def test_the_service_itself_refuses_who_may_not_take_the_step(task: Task, liaison: Any) -> None:
    """Who may is checked by ``transition`` itself (``require_transition``), before anything is written."""
    other_unit = Unit.objects.exclude(pk=task.lead_unit_id).first()
    refused = [
        make_user("wang", Role.LIAISON, other_unit),  # not the lead unit
        make_user("lingdao", Role.LEADER),  # sees every task, takes no step
        make_user("nobody", None),  # no profile
    ]
    for user in refused:
        with pytest.raises(PermissionDenied):
            transition(task=task, to_status="in_progress", user=user)
    transition(task=task, to_status="in_progress", user=liaison)
    transition(task=task, to_status="completion_requested", user=liaison)
    with pytest.raises(PermissionDenied):  # completing is the office's decision, not the unit's
        transition(task=task, to_status="completed", user=liaison)
    with pytest.raises(PermissionDenied):
        transition(task=task, to_status="cancelled", user=liaison, reason="不再需要")
    assert Task.objects.get(pk=task.pk).status == Status.COMPLETION_REQUESTED
    assert [h[1] for h in _history(task)] == ["assigned", "in_progress", "completion_requested"]


def test_a_step_of_the_system_is_recorded_without_a_person(task: Task) -> None:
    """``user=None`` is the system (the demo loader, a data migration): the lifecycle alone governs it."""
    transition(task=task, to_status="in_progress", user=None)
    assert _history(task)[-1] == ("assigned", "in_progress", "", "")
