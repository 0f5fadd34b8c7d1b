from __future__ import annotations

import pytest

from luoshi.ratings.models import Rating
from luoshi.testing.api import Caller
from luoshi.testing.world import World

pytestmark = pytest.mark.django_db

AS_OF = "2024-04-20"


def test_it_gives_the_current_rating_and_history(world: World, api: Caller) -> None:
    response = api.get(world.liaison_a, f"/api/assignments/{world.a.pk}/ratings", as_of=AS_OF)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["current"]["rag"] in {"green", "amber", "red"}
    assert body["current"]["as_of"] == AS_OF
    assert body["current"]["reasons"] and body["current"]["reasons_en"]
    assert body["history"] == []


def test_it_answers_404_for_another_units_ratings(world: World, api: Caller) -> None:
    for user in (world.liaison_b, world.head_b, world.liaison_c, world.nobody):
        assert api.get(user, f"/api/assignments/{world.a.pk}/ratings", as_of=AS_OF).status_code == 404
        response = api.post(
            user,
            f"/api/assignments/{world.a.pk}/ratings/override",
            {"rag": "red", "reason": "x", "as_of": AS_OF},
        )
        assert response.status_code == 404


def test_it_lets_only_supervisors_override(world: World, api: Caller) -> None:
    url = f"/api/assignments/{world.a.pk}/ratings/override"
    payload = {"rag": "red", "reason": "现场核查发现项目停工", "as_of": AS_OF, "confidence": 2}
    for user in (world.liaison_a, world.head_a, world.leader):
        assert api.post(user, url, payload).status_code == 403
    assert not Rating.objects.exists()
    created = api.post(world.supervisor, url, payload)
    assert created.status_code == 201, created.content
    assert (created.json()["rag"], created.json()["overridden"], created.json()["created_by"]) == (
        "red",
        True,
        "supervisor",
    )
    body = api.get(world.head_a, f"/api/assignments/{world.a.pk}/ratings", as_of=AS_OF).json()
    assert body["current"]["id"] == created.json()["id"]
    assert body["current"]["override_reason"] == "现场核查发现项目停工"
    assert [r["id"] for r in body["history"]] == [created.json()["id"]]


def test_it_checks_an_override(world: World, api: Caller) -> None:
    url = f"/api/assignments/{world.a.pk}/ratings/override"
    no_reason = api.post(world.supervisor, url, {"rag": "red", "reason": " ", "as_of": AS_OF})
    assert (no_reason.status_code, no_reason.json()["code"]) == (400, "reason_required")
    bad = api.post(world.supervisor, url, {"rag": "purple", "reason": "x", "confidence": 9})
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"body.rag", "body.confidence"}


def test_it_rolls_up_everything_for_supervisors(world: World, api: Caller) -> None:
    body = api.get(world.leader, "/api/rollup", as_of=AS_OF).json()
    assert body["counts"]["total"] == 2
    assert {row["assignment_id"] for row in body["assignments"]} == {world.a.pk, world.b.pk, world.a2.pk}
    assert body["documents"][0]["document_id"] == world.document.pk
    by_unit = api.get(world.supervisor, "/api/rollup", as_of=AS_OF, unit=world.unit_b.pk).json()
    assert [row["unit_id"] for row in by_unit["units"]] == [world.unit_b.pk]


def test_it_rolls_up_only_a_units_own_share_for_the_unit(world: World, api: Caller) -> None:
    body = api.get(world.liaison_b, "/api/rollup", as_of=AS_OF).json()
    assert body["unit_id"] == world.unit_b.pk
    assert [row["assignment_id"] for row in body["assignments"]] == [world.b.pk]
    assert body["tasks"] == []  # task 1 is led by A: its rating and reasons are A's
    assert body["documents"] == []
    assert [row["unit_id"] for row in body["units"]] == [world.unit_b.pk]
    lead = api.get(world.head_a, "/api/rollup", as_of=AS_OF).json()
    assert {row["task_id"] for row in lead["tasks"]} == {world.task.pk, world.task_a.pk}
    assert all(set(row["assignment_ids"]) <= {world.a.pk, world.a2.pk} for row in lead["tasks"])


def test_it_answers_404_for_another_units_or_an_unseen_documents_rollup(world: World, api: Caller) -> None:
    assert api.get(world.liaison_b, "/api/rollup", as_of=AS_OF, unit=world.unit_a.pk).status_code == 404
    assert (
        api.get(world.liaison_b, "/api/rollup", as_of=AS_OF, document=world.other_document.pk).status_code
        == 404
    )
    assert api.get(world.nobody, "/api/rollup", as_of=AS_OF).status_code == 404
    assert api.get(world.supervisor, "/api/rollup", as_of=AS_OF, unit=999999).status_code == 404
