from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, get_args

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from luoshi.accountability.models import Kind, Measure
from luoshi.api import schemas_followup
from luoshi.evaluation.models import Effect, Evaluation, Evaluator
from luoshi.tasks.models import Indicator, Status, Task
from luoshi.testing.api import Caller
from luoshi.testing.world import World

TODAY = dt.datetime(2024, 4, 20, 9, 0, tzinfo=dt.UTC)
pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(TODAY, tick=False)]


@pytest.fixture
def completed(world: World) -> Indicator:
    """Task 2 (unit A alone) completed, with one indicator."""
    Task.objects.filter(pk=world.task_a.pk).update(status=Status.COMPLETED)
    return Indicator.objects.create(
        task=world.task_a,
        name="新增装机容量",
        unit_of_measure="万千瓦",
        baseline=Decimal(100),
        target=Decimal(150),
        baseline_date=dt.date(2023, 12, 31),
        target_date=dt.date(2024, 12, 31),
    )


def ids(response: Any) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["items"]]


def test_it_spells_out_the_model_choices_exactly() -> None:
    assert set(get_args(schemas_followup.EffectName)) == set(Effect.values)
    assert set(get_args(schemas_followup.MeasureKindName)) == set(Kind.values)


# --- evaluation ----------------------------------------------------------------------------


def test_the_office_designates_an_evaluator_who_may_open_the_task(world: World, api: Caller) -> None:
    url = f"/api/tasks/{world.task_a.pk}/evaluators"
    first = api.post(world.supervisor, url, {"username": "liaison_a"})
    assert first.status_code == 201, first.content
    assert (first.json()["username"], first.json()["designated_by"]) == ("liaison_a", "supervisor")
    again = api.post(world.supervisor, url, {"username": "liaison_a"})
    assert (again.status_code, again.json()["id"]) == (200, first.json()["id"])
    for stranger in ("liaison_b", "liaison_c", "nobody", "no_such_user"):
        refused = api.post(world.supervisor, url, {"username": stranger})
        assert (refused.status_code, refused.json()["code"]) == (400, "bad_evaluator")
        assert stranger in refused.json()["message"] and stranger in refused.json()["message_en"]
    assert list(Evaluator.objects.values_list("user__username", flat=True)) == ["liaison_a"]


def test_only_the_office_designates_and_only_within_scope(world: World, api: Caller) -> None:
    url = f"/api/tasks/{world.task_a.pk}/evaluators"
    for user in (world.liaison_a, world.head_a, world.leader):
        assert api.post(user, url, {"username": "head_a"}).status_code == 403
    for user in (world.liaison_b, world.liaison_c):
        assert api.post(user, url, {"username": "head_a"}).status_code == 404
    assert api.post(world.supervisor, url, {}).status_code == 422
    assert not Evaluator.objects.exists()


def test_a_designated_evaluator_records_an_evaluation(
    world: World, api: Caller, completed: Indicator
) -> None:
    url = f"/api/tasks/{world.task_a.pk}/evaluations"
    payload = {
        "effect": "good",
        "comments": "装机容量超额完成。",
        "recheck_date": "2024-10-01",
        "indicators": [{"indicator_id": completed.pk, "reached": True, "final_value": "152.5"}],
    }
    assert api.post(world.head_a, url, payload).status_code == 403  # not designated
    api.post(world.supervisor, f"/api/tasks/{world.task_a.pk}/evaluators", {"username": "head_a"})
    response = api.post(world.head_a, url, payload)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["effect"], body["evaluated_by"], body["recheck_date"], body["indicators_reached"]) == (
        "good",
        "head_a",
        "2024-10-01",
        1,
    )
    assert body["indicators"] == [
        {
            "indicator": completed.pk,
            "name": "新增装机容量",
            "unit_of_measure": "万千瓦",
            "target": "150",
            "final_value": "152.5",
            "reached": True,
        }
    ]
    assert Evaluation.objects.get().comments == "装机容量超额完成。"
    listed = api.get(world.liaison_a, url)
    assert [e["id"] for e in listed.json()] == [body["id"]]


def test_it_refuses_an_evaluation_with_reasons(world: World, api: Caller, completed: Indicator) -> None:
    url = f"/api/tasks/{world.task_a.pk}/evaluations"
    missing = api.post(world.supervisor, url, {"effect": "fair"})
    assert missing.status_code == 400
    assert (missing.json()["code"], missing.json()["message"]) == (
        "indicator_missing",
        "请说明以下指标是否达到：新增装机容量。",
    )
    unknown = api.post(world.supervisor, url, {"effect": "great", "indicators": [{"indicator_id": "x"}]})
    assert unknown.status_code == 422
    assert {e["field"] for e in unknown.json()["errors"]} == {
        "body.effect",
        "body.indicators.0.indicator_id",
        "body.indicators.0.reached",
    }
    open_task = api.post(world.supervisor, f"/api/tasks/{world.task.pk}/evaluations", {"effect": "good"})
    assert (open_task.status_code, open_task.json()["message_en"]) == (
        400,
        "Only a completed task can be evaluated.",
    )
    assert not Evaluation.objects.exists()


def test_it_answers_404_for_another_units_evaluations(
    world: World, api: Caller, completed: Indicator
) -> None:
    url = f"/api/tasks/{world.task_a.pk}/evaluations"
    for user in (world.liaison_b, world.head_b, world.liaison_c, world.nobody):
        assert api.get(user, url).status_code == 404
        assert api.post(user, url, {"effect": "good"}).status_code == 404
    assert api.get(world.leader, url).json() == []


# --- accountability ----------------------------------------------------------------------------


def measure_of(world: World, **extra: Any) -> dict[str, Any]:
    return {
        "kind": "talk",
        "unit_ids": [world.unit_a.pk],
        "task_ids": [world.task_a.pk],
        "reason": "价格机制改革进度滞后。",
        "date": "2024-04-18",
        **extra,
    }


def test_the_office_records_a_measure(world: World, api: Caller) -> None:
    for user in (world.liaison_a, world.head_a, world.leader):
        assert api.post(user, "/api/measures", measure_of(world)).status_code == 403
    response = api.post(world.supervisor, "/api/measures", measure_of(world))
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kind"], body["weight"], body["date"], body["decided_by"]) == (
        "talk",
        3,
        "2024-04-18",
        "supervisor",
    )
    assert ([u["code"] for u in body["units"]], body["task_ids"], body["attachments"]) == (
        ["fgw"],
        [world.task_a.pk],
        [],
    )
    measure = Measure.objects.get()
    assert list(measure.units.all()) == [world.unit_a] and list(measure.tasks.all()) == [world.task_a]
    undated = api.post(world.supervisor, "/api/measures", measure_of(world, date=None, kind="reminder"))
    assert undated.json()["date"] == "2024-04-20"


def note() -> SimpleUploadedFile:
    return SimpleUploadedFile("约谈纪要.txt", "约谈纪要正文".encode(), "text/plain")


def test_it_records_a_measure_with_its_documents(world: World, api: Caller) -> None:
    api.client.force_login(world.supervisor)
    form = {
        **measure_of(world),
        "unit_ids": f"[{world.unit_a.pk}, {world.unit_b.pk}]",
        "task_ids": f"[{world.task.pk}]",
        "attachments": [note()],
    }
    response = api.client.post("/api/measures/with-attachments", form)
    assert response.status_code == 201, response.content
    body = response.json()
    assert {u["code"] for u in body["units"]} == {"fgw", "gxt"}
    assert [(a["original_name"], a["content_type"]) for a in body["attachments"]] == [
        ("约谈纪要.txt", "text/plain")
    ]
    repeated = api.client.post(
        "/api/measures/with-attachments",
        {**form, "unit_ids": [world.unit_b.pk, world.unit_c.pk], "task_ids": "", "attachments": [note()]},
    )
    assert repeated.status_code == 201, repeated.content
    assert ({u["code"] for u in repeated.json()["units"]}, repeated.json()["task_ids"]) == (
        {"gxt", "hhht"},
        [],
    )
    single = api.client.post(
        "/api/measures/with-attachments", {**form, "unit_ids": world.unit_b.pk, "attachments": [note()]}
    )
    assert [u["code"] for u in single.json()["units"]] == ["gxt"]
    bad = api.client.post(
        "/api/measures/with-attachments",
        {
            **form,
            "attachments": [SimpleUploadedFile("run.exe", b"MZ\x90\x00", "application/octet-stream")],
        },
    )
    assert (bad.status_code, bad.json()["code"]) == (400, "evidence_executable")
    assert Measure.objects.count() == 3


def test_it_refuses_a_measure_with_reasons(world: World, api: Caller) -> None:
    blank = api.post(world.supervisor, "/api/measures", measure_of(world, reason=" "))
    assert blank.json() == {
        "code": "reason_required",
        "message": "请写明采取措施的理由。",
        "message_en": "Please give the reason for the measure.",
        "detail": "请写明采取措施的理由。",
        "errors": [],
    }
    future = api.post(world.supervisor, "/api/measures", measure_of(world, date="2024-05-01"))
    assert (future.status_code, future.json()["code"]) == (400, "future_date")
    nobody = api.post(world.supervisor, "/api/measures", measure_of(world, unit_ids=[]))
    assert (nobody.status_code, nobody.json()["code"]) == (400, "unit_required")
    shapeless = api.post(world.supervisor, "/api/measures", measure_of(world, kind="fine", date="yesterday"))
    assert shapeless.status_code == 422
    assert {e["field"] for e in shapeless.json()["errors"]} == {"body.kind", "body.date"}
    assert (
        api.post(world.supervisor, "/api/measures", measure_of(world, unit_ids=[999999])).status_code == 404
    )
    assert (
        api.post(world.supervisor, "/api/measures", measure_of(world, task_ids=[999999])).status_code == 404
    )
    assert not Measure.objects.exists()


def test_it_lists_measures_by_task_unit_and_period_within_scope(world: World, api: Caller) -> None:
    on_a = api.post(world.supervisor, "/api/measures", measure_of(world, date="2024-03-01")).json()["id"]
    on_b = api.post(
        world.supervisor,
        "/api/measures",
        measure_of(world, kind="reminder", unit_ids=[world.unit_b.pk], task_ids=[world.task.pk]),
    ).json()["id"]
    assert ids(api.get(world.supervisor, "/api/measures")) == [on_a, on_b]
    assert ids(api.get(world.leader, "/api/measures", task=world.task_a.pk)) == [on_a]
    assert ids(api.get(world.supervisor, "/api/measures", unit=world.unit_b.pk)) == [on_b]
    assert ids(api.get(world.supervisor, "/api/measures", start="2024-04-01", end="2024-04-30")) == [on_b]
    assert ids(api.get(world.head_a, "/api/measures")) == [on_a]
    assert ids(api.get(world.liaison_b, "/api/measures")) == [on_b]
    assert ids(api.get(world.liaison_b, "/api/measures", task=world.task.pk)) == [on_b]
    assert ids(api.get(world.liaison_c, "/api/measures")) == []
    assert api.get(world.supervisor, "/api/measures", start="April").status_code == 422


def test_it_answers_404_for_another_units_measures(world: World, api: Caller) -> None:
    api.post(world.supervisor, "/api/measures", measure_of(world))
    for user in (world.liaison_b, world.head_b, world.liaison_c):
        assert api.get(user, "/api/measures", unit=world.unit_a.pk).status_code == 404
        assert api.get(user, "/api/measures", task=world.task_a.pk).status_code == 404
    assert api.get(world.supervisor, "/api/measures", unit=999999).status_code == 404


def test_the_office_reads_the_suggested_measures(world: World, api: Caller) -> None:
    as_of = "2025-03-01"  # two months past every deadline, nothing finished
    for user in (world.liaison_a, world.head_b):
        assert api.get(user, "/api/measures/suggestions", as_of=as_of).status_code == 403
    rows = api.get(world.leader, "/api/measures/suggestions", as_of=as_of).json()
    assert {(r["assignment_id"], r["kind"], r["overdue_days"]) for r in rows} == {
        (world.a.pk, "reminder", 60),
        (world.b.pk, "reminder", 60),
        (world.a2.pk, "reminder", 60),
    }
    row = next(r for r in rows if r["assignment_id"] == world.a2.pk)
    assert (row["task_title"], row["unit"]["code"], row["last_measure_id"]) == (
        "完善能源价格机制",
        "fgw",
        None,
    )
    assert (
        row["reason"].endswith("建议采取“提醒”。") and "suggested next measure: reminder" in row["reason_en"]
    )
    taken = api.post(world.supervisor, "/api/measures", measure_of(world, kind="reminder")).json()["id"]
    rows = api.get(world.supervisor, "/api/measures/suggestions", as_of=as_of).json()
    row = next(r for r in rows if r["assignment_id"] == world.a2.pk)
    assert (row["kind"], row["last_measure_id"]) == ("urging", taken)
    assert api.get(world.supervisor, "/api/measures/suggestions").json() == []  # today nothing is overdue


def test_the_openapi_schema_lists_the_followup_paths(client: Client) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    assert set(paths["/api/tasks/{task_id}/evaluators"]) == {"post"}
    assert set(paths["/api/tasks/{task_id}/evaluations"]) == {"get", "post"}
    assert set(paths["/api/measures"]) == {"get", "post"}
    assert set(paths["/api/measures/with-attachments"]) == {"post"}
    assert set(paths["/api/measures/suggestions"]) == {"get"}
