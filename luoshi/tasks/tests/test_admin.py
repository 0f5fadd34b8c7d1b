"""The admin shows a task with its parts; its history can only be read."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from luoshi.tasks.models import Task, Transition
from luoshi.tasks.services import add_milestone
from luoshi.tasks.tests.conftest import add_capacity, task_with

pytestmark = pytest.mark.django_db


def test_a_task_page_shows_milestones_indicators_assignments_and_history(
    tasks: list[Task], admin_client: Client
) -> None:
    task = task_with("新能源倍增行动")
    add_milestone(task=task, date=dt.date(2025, 6, 30), expected_progress=50, title="年中过半")
    add_capacity(task)
    page = admin_client.get(f"/admin/tasks/task/{task.pk}/change/").content.decode()
    for shown in (
        "年中过半",
        "新能源装机容量",
        "内蒙古自治区能源局",
        "内蒙古自治区发展和改革委员会",
        "zhang",
    ):
        assert shown in page
    assert admin_client.get("/admin/tasks/task/").status_code == 200


def test_the_history_is_read_only(tasks: list[Task], admin_client: Client) -> None:
    step = Transition.objects.first()
    assert step is not None
    assert admin_client.get("/admin/tasks/transition/").status_code == 200
    assert admin_client.get("/admin/tasks/transition/add/").status_code == 403
    assert admin_client.post(f"/admin/tasks/transition/{step.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Transition.objects.filter(pk=step.pk).exists()
