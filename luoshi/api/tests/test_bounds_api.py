"""Issue 13: nothing a caller sends makes the API answer 500 (integers beyond 64 bits, NUL,
far-future dates)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from luoshi.bulletins.models import Bulletin
from luoshi.ratings.models import Rating
from luoshi.supervision.models import ExtensionRequest
from luoshi.testing.api import Caller
from luoshi.testing.world import World

TODAY = dt.datetime(2024, 4, 20, 9, 0, tzinfo=dt.UTC)
pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(TODAY, tick=False)]
TOO_BIG = 2**63  # one more than a 64-bit database integer holds


def fields(response: Any) -> list[str]:
    assert response.status_code == 422, response.content
    assert response.json()["code"] == "invalid"
    return [e["field"] for e in response.json()["errors"]]


@pytest.mark.parametrize(
    "query", [{"offset": TOO_BIG}, {"limit": TOO_BIG}, {"document": TOO_BIG}, {"unit": -TOO_BIG - 1}]
)
def test_an_integer_beyond_64_bits_in_a_query_is_422_not_500(
    world: World, api: Caller, query: dict[str, int]
) -> None:
    [name] = query
    assert fields(api.get(world.supervisor, "/api/tasks", **query)) == [f"query.{name}"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/tasks/{n}",
        "/api/assignments/{n}",
        "/api/reports/{n}",
        "/api/extensions/{n}",
        "/api/bulletins/{n}",
        "/api/assignments/{n}/ratings",
    ],
)
def test_an_id_beyond_64_bits_in_a_path_is_422_not_500(world: World, api: Caller, path: str) -> None:
    response = api.get(world.supervisor, path.format(n=TOO_BIG))
    assert response.status_code == 422, response.content


def test_an_offset_beyond_its_bound_is_422_not_a_slow_page(world: World, api: Caller) -> None:
    # Issue 12: an offset makes the database step over that many rows; deeper pages follow next (a cursor).
    assert fields(api.get(world.supervisor, "/api/tasks", offset=TOO_BIG - 1)) == ["query.offset"]
    response = api.get(world.supervisor, "/api/tasks", offset=10_000)
    assert (response.status_code, response.json()["items"]) == (200, [])


def test_an_integer_beyond_64_bits_in_a_body_is_422(world: World, api: Caller) -> None:
    payload = {"plan_id": TOO_BIG, "start_date": "2024-05-01", "default_deadline": "2024-12-31"}
    assert fields(api.post(world.supervisor, "/api/tasks/from-plan", payload)) == ["body.plan_id"]


def test_a_nul_character_in_a_json_string_is_refused_on_every_database(world: World, api: Caller) -> None:
    response = api.post(
        world.liaison_a,
        f"/api/assignments/{world.a.pk}/extensions",
        {"new_deadline": "2025-03-31", "reason": "供地\x00手续延误。"},
    )
    assert fields(response) == ["body.reason"]
    assert "NUL" in response.json()["errors"][0]["message"]
    assert not ExtensionRequest.objects.exists()


def test_a_json_body_with_an_escaped_nul_is_refused_before_anything_is_written(
    world: World, client: Client
) -> None:
    """A body written by hand with the JSON escape \\u0000 (an instruction's text): 422, nothing stored."""
    client.force_login(world.leader)
    raw = '{"subject": "task", "subject_id": %d, "text": "请\\u0000加快推进。", "due_date": "2024-12-31"}'
    response = client.post("/api/instructions", raw % world.task.pk, content_type="application/json")
    assert fields(response) == ["body.text"]
    assert not world.task.instructions.exists()


def test_a_nul_character_in_a_query_string_is_refused(world: World, api: Caller) -> None:
    assert fields(api.get(world.supervisor, "/api/bulletins", period="2024-Q1\x00")) == ["query.period"]


def test_a_nul_character_in_a_form_field_is_refused(world: World, client: Client) -> None:
    client.force_login(world.liaison_a)
    response = client.post(
        "/api/reports/with-evidence",
        {"obligation_id": world.obligation_a.pk, "progress": 40, "narrative": "进展\x00顺利"},
    )
    assert fields(response) == ["form.narrative"]


def test_an_extension_beyond_the_horizon_is_refused_with_its_field(world: World, api: Caller) -> None:
    response = api.post(
        world.liaison_a,
        f"/api/assignments/{world.a.pk}/extensions",
        {"new_deadline": "9999-12-31", "reason": "无限期推迟。"},
    )
    assert (response.status_code, response.json()["code"]) == (400, "date_out_of_range")
    assert "9999-12-31" in response.json()["message"] and "2054-04-20" in response.json()["message_en"]
    assert not ExtensionRequest.objects.exists()


def test_approving_a_stored_far_future_extension_is_refused_not_500(world: World, api: Caller) -> None:
    stored = ExtensionRequest.objects.create(  # written before the bounds existed
        assignment=world.a,
        old_deadline=world.a.deadline,
        new_deadline=dt.date(9999, 12, 31),
        reason="旧数据",
        requested_by=world.liaison_a,
        requested_at=TODAY,
    )
    response = api.post(world.supervisor, f"/api/extensions/{stored.pk}/decision", {"approve": True})
    assert (response.status_code, response.json()["code"]) == (400, "date_out_of_range")
    stored.refresh_from_db()
    world.a.refresh_from_db()
    assert (stored.status, world.a.deadline) == (ExtensionRequest.Status.PENDING, dt.date(2024, 12, 31))
    rejected = api.post(
        world.supervisor, f"/api/extensions/{stored.pk}/decision", {"approve": False, "comment": "日期有误"}
    )
    assert rejected.status_code == 200, rejected.content


def test_a_rating_override_as_of_9999_is_refused_not_500(world: World, api: Caller) -> None:
    response = api.post(
        world.supervisor,
        f"/api/assignments/{world.a.pk}/ratings/override",
        {"rag": "red", "reason": "核查", "as_of": "9999-12-31"},
    )
    assert (response.status_code, response.json()["code"]) == (400, "date_out_of_range")
    assert not Rating.objects.exists()
    assert (
        api.get(world.supervisor, f"/api/assignments/{world.a.pk}/ratings", as_of="9999-12-31").status_code
        == 400
    )


@pytest.mark.parametrize(
    ("period", "code"),
    [("2099-Q1", "date_out_of_range"), ("2124-Q1", "date_out_of_range"), ("2024-Q3", "period_not_begun")],
)
def test_a_bulletin_for_a_period_not_begun_takes_no_number(
    world: World, api: Caller, period: str, code: str
) -> None:
    response = api.post(world.supervisor, "/api/bulletins", {"period": period})
    assert (response.status_code, response.json()["code"]) == (400, code)
    assert not Bulletin.objects.exists()
    issued = api.post(world.supervisor, "/api/bulletins", {"period": "2024-Q1"})
    assert issued.json()["number"] == "2024年第1期"


def test_an_accountability_measure_dated_out_of_range_is_refused(world: World, api: Caller) -> None:
    payload = {
        "kind": "talk",
        "unit_ids": [world.unit_a.pk],
        "task_ids": [world.task_a.pk],
        "reason": "价格机制改革进度滞后。",
        "date": "0001-01-01",
    }
    response = api.post(world.supervisor, "/api/measures", payload)
    assert (response.status_code, response.json()["code"]) == (400, "date_out_of_range")
