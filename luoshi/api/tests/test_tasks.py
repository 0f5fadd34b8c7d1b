from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from luoshi.decomposition.models import Plan, PlanTask
from luoshi.tasks.models import Status, Task
from luoshi.testing.api import Caller
from luoshi.testing.world import World

pytestmark = pytest.mark.django_db

BEFORE_START = dt.datetime(2024, 1, 2, 9, 0, tzinfo=dt.UTC)


def ids(response: object) -> set[int]:
    return {row["id"] for row in response.json()["items"]}  # type: ignore[attr-defined]


def make_plan(world: World, status: str = Plan.CONFIRMED) -> Plan:
    plan = Plan.objects.create(document=world.document, catalog="test", status=status)
    source = PlanTask.objects.create(
        plan=plan,
        order=0,
        kind="task",
        status=PlanTask.ACCEPTED,
        title="建设新能源基地",
        text="建设新能源基地。",
        spans=[[0, 8]],
        lead_unit=world.unit_b,
    )
    source.co_units.add(world.unit_a)
    return plan


def test_it_lists_tasks_within_scope(world: World, api: Caller) -> None:
    assert ids(api.get(world.leader, "/api/tasks")) == {world.task.pk, world.task_a.pk}
    assert ids(api.get(world.liaison_a, "/api/tasks")) == {world.task.pk, world.task_a.pk}
    assert ids(api.get(world.liaison_b, "/api/tasks")) == {world.task.pk}
    assert ids(api.get(world.liaison_c, "/api/tasks")) == set()
    assert ids(api.get(world.supervisor, "/api/tasks", unit=world.unit_b.pk)) == {world.task.pk}
    assert ids(api.get(world.liaison_b, "/api/tasks", unit=world.unit_a.pk)) == set()


def test_it_filters_tasks_by_status_and_names_a_bad_one(world: World, api: Caller) -> None:
    assert ids(api.get(world.supervisor, "/api/tasks", status="completed")) == set()
    response = api.get(world.supervisor, "/api/tasks", status="finished")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "query.status"


def test_it_shows_a_unit_only_its_own_assignment_of_a_shared_task(world: World, api: Caller) -> None:
    body = api.get(world.liaison_b, f"/api/tasks/{world.task.pk}").json()
    assert [a["id"] for a in body["assignments"]] == [world.b.pk]
    assert body["lead_unit"]["code"] == "fgw"
    everyone = api.get(world.supervisor, f"/api/tasks/{world.task.pk}").json()
    assert {a["id"] for a in everyone["assignments"]} == {world.a.pk, world.b.pk}


def test_it_answers_404_for_tasks_and_assignments_outside_the_scope(world: World, api: Caller) -> None:
    assert api.get(world.liaison_b, f"/api/tasks/{world.task_a.pk}").status_code == 404
    assert api.get(world.liaison_b, f"/api/assignments/{world.a.pk}").status_code == 404
    assert api.get(world.liaison_c, f"/api/tasks/{world.task.pk}").status_code == 404
    assert api.get(world.liaison_b, f"/api/assignments/{world.b.pk}").json()["unit"]["code"] == "gxt"
    assert ids(api.get(world.liaison_b, "/api/assignments")) == {world.b.pk}
    assert ids(api.get(world.supervisor, "/api/assignments", task=world.task.pk)) == {world.a.pk, world.b.pk}


def test_it_creates_tasks_from_a_confirmed_plan_once(world: World, api: Caller) -> None:
    plan = make_plan(world)
    payload = {"plan_id": plan.pk, "start_date": "2024-01-15", "default_deadline": "2024-12-31"}
    with time_machine.travel(BEFORE_START, tick=False):
        first = api.post(world.supervisor, "/api/tasks/from-plan", payload)
        again = api.post(world.supervisor, "/api/tasks/from-plan", payload)
    assert first.status_code == 201, first.content
    [row] = first.json()
    assert (row["title"], row["status"], row["lead_unit"]["code"]) == ("建设新能源基地", "assigned", "gxt")
    assert again.json() == first.json()
    assert Task.objects.filter(plan_task__plan=plan).count() == 1


def test_it_refuses_a_draft_plan_with_a_bilingual_reason(world: World, api: Caller) -> None:
    plan = make_plan(world, status=Plan.DRAFT)
    payload = {"plan_id": plan.pk, "start_date": "2024-01-15", "default_deadline": "2024-12-31"}
    with time_machine.travel(BEFORE_START, tick=False):
        response = api.post(world.supervisor, "/api/tasks/from-plan", payload)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "plan_not_confirmed"
    assert "尚未确认" in body["message"]
    assert "not confirmed" in body["message_en"]


def test_it_names_the_missing_fields_of_a_plan_request(world: World, api: Caller) -> None:
    response = api.post(world.supervisor, "/api/tasks/from-plan", {"plan_id": 1, "start_date": "soon"})
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"body.start_date", "body.default_deadline"}


def test_it_lets_only_supervisors_create_tasks(world: World, api: Caller) -> None:
    plan = make_plan(world)
    payload = {"plan_id": plan.pk, "start_date": "2024-01-15", "default_deadline": "2024-12-31"}
    for user in (world.liaison_a, world.head_b, world.leader):
        assert api.post(user, "/api/tasks/from-plan", payload).status_code == 403
    assert (
        api.post(world.supervisor, "/api/tasks/from-plan", {**payload, "plan_id": 999999}).status_code == 404
    )
    assert not Task.objects.filter(plan_task__plan=plan).exists()


def test_it_moves_a_task_along_its_lifecycle(world: World, api: Caller) -> None:
    url = f"/api/tasks/{world.task.pk}/transition"
    requested = api.post(world.liaison_a, url, {"to_status": "completion_requested", "version": 1})
    assert requested.status_code == 200, requested.content
    assert (requested.json()["status"], requested.json()["version"]) == ("completion_requested", 2)
    assert requested.json()["transitions"][-1]["by"] == "liaison_a"
    done = api.post(world.supervisor, url, {"to_status": "completed", "reason": "目标已完成"})
    assert done.json()["status"] == "completed"


def test_it_refuses_transitions_outside_the_role_or_unit(world: World, api: Caller) -> None:
    url = f"/api/tasks/{world.task.pk}/transition"
    assert api.post(world.liaison_b, url, {"to_status": "completion_requested"}).status_code == 403  # co-unit
    assert api.post(world.liaison_a, url, {"to_status": "cancelled", "reason": "x"}).status_code == 403
    assert api.post(world.leader, url, {"to_status": "cancelled", "reason": "x"}).status_code == 403
    assert api.post(world.liaison_a, url, {"to_status": "completed", "reason": "x"}).status_code == 403
    assert (
        api.post(
            world.liaison_b, f"/api/tasks/{world.task_a.pk}/transition", {"to_status": "completion_requested"}
        ).status_code
        == 404
    )
    world.task.refresh_from_db()
    assert world.task.status == Status.IN_PROGRESS


def test_it_refuses_a_stale_or_impossible_transition(world: World, api: Caller) -> None:
    url = f"/api/tasks/{world.task.pk}/transition"
    stale = api.post(world.liaison_a, url, {"to_status": "completion_requested", "version": 7})
    assert (stale.status_code, stale.json()["code"]) == (400, "stale")
    impossible = api.post(world.supervisor, url, {"to_status": "assigned"})
    assert (impossible.status_code, impossible.json()["code"]) == (400, "bad_transition")
    unknown = api.post(world.supervisor, url, {"to_status": "finished"})
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "body.to_status"
