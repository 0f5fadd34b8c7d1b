"""Closing a task (销号) on its page; closed tasks leave the office's list and the dashboard's active count."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.test import Client

from luoshi.evaluation.models import Closure
from luoshi.evaluation.services import record_evaluation, task_evidence
from luoshi.tasks.models import Status, Task
from luoshi.tasks.services import transition
from luoshi.testing.demo import lead_assignment


def completed_task() -> Task:
    task = lead_assignment("energy").task
    users = get_user_model().objects
    transition(task=task, to_status=Status.COMPLETION_REQUESTED, user=users.get(username="nengyuan"))
    transition(task=task, to_status=Status.COMPLETED, user=users.get(username="duchashi"))
    return task


def count(page: str, name: str) -> int:
    found = re.search(rf'data-(?:count|closing)="{name}">(\d+)<', page)
    assert found, name
    return int(found.group(1))


def test_the_office_closes_a_task_and_it_leaves_the_active_lists(login: Callable[[str], Client]) -> None:
    task = completed_task()
    office = login("duchashi")
    listed = office.get("/office/").content.decode()
    assert f'id="closure-candidate-{task.pk}"' in listed and "待成效评估" in listed
    assert "请先（在上方）评估任务成效" in office.get(f"/tasks/{task.pk}/").content.decode()
    record_evaluation(task=task, effect="good", user=get_user_model().objects.get(username="duchashi"))
    page = office.get(f"/tasks/{task.pk}/").content.decode()
    evidence = list(task_evidence(task))
    assert evidence and all(f'value="{e.pk}"' in page and "checked" in page for e in evidence)
    before = office.get("/dashboard/").content.decode()

    refused = office.post(
        f"/tasks/{task.pk}/close", {"note": " ", "evidence": [e.pk for e in evidence]}, HTTP_HX_REQUEST="true"
    )
    assert refused.status_code == 400 and "请写明销号说明" in refused.content.decode()
    assert login("lingdao").post(f"/tasks/{task.pk}/close", {"note": "销号"}).status_code == 403
    assert login("nengyuan").post(f"/tasks/{task.pk}/close", {"note": "销号"}).status_code == 403
    done = office.post(
        f"/tasks/{task.pk}/close",
        {"note": "任务完成，成效良好，予以销号。", "evidence": [e.pk for e in evidence]},
        HTTP_HX_REQUEST="true",
    )
    assert done.status_code == 200 and "任务已销号" in done.content.decode()
    closure = Closure.objects.get(task=task)
    assert sorted(e.pk for e in closure.evidence.all()) == sorted(e.pk for e in evidence)

    assert f'id="closure-candidate-{task.pk}"' not in office.get("/office/").content.decode()
    after = office.get("/dashboard/").content.decode()
    assert count(after, "closed") == count(before, "closed") + 1
    assert count(after, "active") == count(before, "active") - 1
    assert count(after, "total") == count(
        before, "total"
    )  # it stays in the picture: only the active count drops
    shown = login("nengyuan").get(f"/tasks/{task.pk}/").content.decode()
    assert "任务完成，成效良好，予以销号。" in shown and "销号" in shown
