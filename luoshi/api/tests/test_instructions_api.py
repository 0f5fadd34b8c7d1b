"""The API of leaders' instructions, the watch list and closing a task: the same services as the pages."""

from __future__ import annotations

import datetime as dt
from typing import get_args

import pytest

from luoshi.api import schemas_instructions
from luoshi.evaluation.services import record_evaluation
from luoshi.instructions.models import Handling, Subject
from luoshi.instructions.services import STATES
from luoshi.tasks.models import Status, Task
from luoshi.testing.api import Caller
from luoshi.testing.world import World

NOW = dt.datetime(2024, 4, 3, 9, 0, tzinfo=dt.UTC)
pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(NOW, tick=False)]


def test_it_spells_out_the_model_choices_exactly() -> None:
    assert set(get_args(schemas_instructions.SubjectName)) == set(Subject.values)
    assert set(get_args(schemas_instructions.HandlingStateName)) == set(Handling.State.values)
    assert set(get_args(schemas_instructions.InstructionStateName)) == set(STATES)


def test_a_leader_instructs_the_unit_answers_the_head_approves(world: World, api: Caller) -> None:
    world.unit_a.requires_head_approval = True
    world.unit_a.save()
    body = {
        "subject": "task",
        "subject_id": world.task.pk,
        "text": "请月底前报送整改方案。",
        "due_date": "2024-04-12",
    }
    assert api.post(world.supervisor, "/api/instructions", body).status_code == 403
    created = api.post(world.leader, "/api/instructions", body)
    assert created.status_code == 201, created.content
    data = created.json()
    assert (data["subject"], data["task_id"], data["state"], data["leader"]) == (
        "task",
        world.task.pk,
        "open",
        "leader",
    )
    handling = data["handlings"][0]
    assert handling["unit"]["code"] == "fgw" and handling["state"] == "open"

    assert (
        api.post(world.liaison_c, f"/api/handlings/{handling['id']}/response", {"text": "越权"}).status_code
        == 404
    )
    assert api.post(world.liaison_a, f"/api/handlings/{handling['id']}/response", {"text": ""}).json()[
        "code"
    ] == ("response_required")
    drafted = api.post(world.liaison_a, f"/api/handlings/{handling['id']}/response", {"text": "已部署。"})
    assert drafted.json()["state"] == "awaiting_head" and drafted.json()["drafted_by"] == "liaison_a"
    assert (
        api.post(world.liaison_a, f"/api/handlings/{handling['id']}/approval", {"approve": True}).status_code
        == 403
    )
    approved = api.post(world.head_a, f"/api/handlings/{handling['id']}/approval", {"approve": True})
    assert approved.json()["state"] == "done" and approved.json()["approved_by"] == "head_a"

    seen = api.get(world.leader, f"/api/instructions/{data['id']}").json()
    assert seen["state"] == "done" and seen["handlings"][0]["response"] == "已部署。"
    assert [
        i["id"] for i in api.get(world.leader, "/api/instructions", state="done", mine=True).json()["items"]
    ] == [data["id"]]
    assert api.get(world.liaison_c, f"/api/instructions/{data['id']}").status_code == 404
    assert api.get(world.liaison_c, "/api/instructions").json()["items"] == []
    assert (
        api.post(world.leader, f"/api/instructions/{data['id']}/bulletin", {"cited": True}).status_code == 403
    )
    assert (
        api.post(world.supervisor, f"/api/instructions/{data['id']}/bulletin", {"cited": True}).json()[
            "in_bulletin"
        ]
        is True
    )


def test_refusals_say_why(world: World, api: Caller) -> None:
    late = api.post(
        world.leader,
        "/api/instructions",
        {"subject": "task", "subject_id": world.task.pk, "text": "批示", "due_date": "2024-04-01"},
    )
    assert (late.status_code, late.json()["code"]) == (400, "due_in_past")
    wrong = api.post(
        world.leader,
        "/api/instructions",
        {
            "subject": "task",
            "subject_id": world.task.pk,
            "text": "批示",
            "due_date": "2024-04-12",
            "unit_ids": [world.unit_b.pk],
        },
    )
    assert wrong.json()["code"] == "units_only_for_bulletin"
    missing = api.post(
        world.leader,
        "/api/instructions",
        {"subject": "report", "subject_id": 987654, "text": "批示", "due_date": "2024-04-12"},
    )
    assert missing.status_code == 404


def test_the_watch_list(world: World, api: Caller) -> None:
    added = api.post(world.leader, "/api/watch", {"task_id": world.task.pk})
    assert (
        added.status_code == 201
        and api.post(world.leader, "/api/watch", {"task_id": world.task.pk}).status_code == 200
    )
    assert api.post(world.leader, "/api/watch", {}).json()["code"] == "watch_subject_required"
    assert api.post(world.supervisor, "/api/watch", {"unit_id": world.unit_a.pk}).status_code == 403
    listed = api.get(world.leader, "/api/watch").json()
    assert listed["seen_at"] is None and listed["items"][0]["label"] == world.task.title
    assert api.post(world.leader, "/api/watch/seen").status_code == 200
    assert api.get(world.leader, "/api/watch").json()["seen_at"] is not None
    assert api.post(world.supervisor, f"/api/watch/{added.json()['id']}/remove").status_code == 404
    assert api.post(world.leader, f"/api/watch/{added.json()['id']}/remove").status_code == 204
    assert api.get(world.leader, "/api/watch").json()["items"] == []


def test_the_office_closes_a_task_and_it_leaves_the_active_list(world: World, api: Caller) -> None:
    Task.objects.filter(pk=world.task.pk).update(status=Status.COMPLETED)
    url = f"/api/tasks/{world.task.pk}/closure"
    assert api.post(world.supervisor, url, {"note": "销号", "evidence_ids": [world.evidence_a.pk]}).json()[
        "code"
    ] == ("not_evaluated")
    record_evaluation(task=world.task, effect="good", user=world.supervisor)
    assert api.get(world.supervisor, url).status_code == 404
    assert (
        api.post(world.leader, url, {"note": "销号", "evidence_ids": [world.evidence_a.pk]}).status_code
        == 403
    )
    closed = api.post(
        world.supervisor, url, {"note": "任务完成，予以销号。", "evidence_ids": [world.evidence_a.pk]}
    )
    assert closed.status_code == 201, closed.content
    assert (
        closed.json()["evidence_ids"] == [world.evidence_a.pk] and closed.json()["closed_by"] == "supervisor"
    )
    assert api.get(world.liaison_a, url).json()["note"] == "任务完成，予以销号。"
    active = [t["id"] for t in api.get(world.supervisor, "/api/tasks", active=True).json()["items"]]
    closed_ids = [t["id"] for t in api.get(world.supervisor, "/api/tasks", active=False).json()["items"]]
    assert world.task.pk not in active and world.task_a.pk in active and closed_ids == [world.task.pk]
