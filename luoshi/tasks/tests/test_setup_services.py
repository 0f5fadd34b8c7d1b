"""Setting a task up: removing a milestone (adding one is in test_create_task.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from luoshi.audit.models import AuditEntry
from luoshi.ratings.services import planned_progress
from luoshi.tasks.models import Milestone, Status, Task
from luoshi.tasks.services import TaskError, add_milestone, remove_milestone, transition
from luoshi.tasks.tests.conftest import task_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(tasks: list[Task]) -> Task:
    return task_with("新能源倍增行动")


def test_it_removes_a_milestone_and_the_plan_runs_straight_again(task: Task, supervisor: Any) -> None:
    lead = task.assignments.get(role="lead")
    middle = dt.date(2025, 6, 1)
    straight = planned_progress(assignment=lead, on=middle)
    milestone = add_milestone(task=task, date=middle, expected_progress=80, title="过半")
    assert planned_progress(assignment=task.assignments.get(role="lead"), on=middle) == 80.0

    remove_milestone(milestone=milestone, user=supervisor)

    assert not Milestone.objects.filter(task=task).exists()
    assert planned_progress(assignment=task.assignments.get(role="lead"), on=middle) == straight


def test_the_removal_is_in_the_audit_trail_with_who_and_what(task: Task, supervisor: Any) -> None:
    milestone = add_milestone(task=task, date=dt.date(2025, 6, 1), expected_progress=50, title="中期")
    pk = milestone.pk
    remove_milestone(milestone=milestone, user=supervisor)
    entry = AuditEntry.objects.get(object_type="tasks.milestone", object_id=str(pk), action="delete")
    assert entry.actor == supervisor
    assert entry.changes == {
        "task": [task.pk, None],
        "date": ["2025-06-01", None],
        "expected_progress": [50, None],
        "title": ["中期", None],
    }


def test_a_milestone_of_a_closed_task_stays(task: Task, supervisor: Any) -> None:
    milestone = add_milestone(task=task, date=dt.date(2025, 6, 1), expected_progress=50)
    transition(task=task, to_status=Status.CANCELLED, user=supervisor, reason="政策调整")
    with pytest.raises(TaskError) as caught:
        remove_milestone(milestone=milestone, user=supervisor)
    assert caught.value.code == "final"
    assert Milestone.objects.filter(pk=milestone.pk).exists()


def test_a_milestone_removed_twice_is_refused_the_second_time(task: Task, supervisor: Any) -> None:
    milestone = add_milestone(task=task, date=dt.date(2025, 6, 1), expected_progress=50)
    stale = Milestone.objects.get(pk=milestone.pk)
    remove_milestone(milestone=milestone, user=supervisor)
    with pytest.raises(TaskError) as caught:
        remove_milestone(milestone=stale, user=supervisor)
    assert caught.value.code == "milestone_missing"
    assert AuditEntry.objects.filter(object_type="tasks.milestone", action="delete").count() == 1
