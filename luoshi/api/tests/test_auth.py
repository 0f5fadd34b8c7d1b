from __future__ import annotations

import pytest
from django.test import Client

from luoshi.accounts.models import ApiToken
from luoshi.people.services import issue_token, revoke_token
from luoshi.testing.api import Caller, every_operation
from luoshi.testing.world import World

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("method", "path"), every_operation())
def test_it_answers_401_to_anonymous_callers_everywhere(client: Client, method: str, path: str) -> None:
    response = client.generic(method, path, "{}", content_type="application/json")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_it_accepts_a_bearer_token_and_records_its_use(world: World, client: Client) -> None:
    raw = issue_token(user=world.liaison_b, name="dashboard")
    response = client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    body = response.json()
    assert (body["username"], body["role"], body["unit"]["code"]) == ("liaison_b", "liaison", "gxt")
    assert body["actions"] == ["report"]
    assert ApiToken.objects.get().last_used_at is not None


def test_it_answers_401_to_an_unknown_or_revoked_token_even_with_a_session(
    world: World, client: Client
) -> None:
    raw = issue_token(user=world.supervisor, name="etl")
    revoke_token(token=ApiToken.objects.get())
    client.force_login(world.supervisor)
    for header in (f"Bearer {raw}", "Bearer ls_unknown", "Basic c3VwZXJ2aXNvcjp4", "Bearer"):
        response = client.get("/api/tasks", HTTP_AUTHORIZATION=header)
        assert response.status_code == 401, header
        assert "token" in response.json()["message_en"].lower()


def test_it_checks_csrf_for_session_posts_but_not_for_tokens(world: World) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.liaison_b)
    payload = {"obligation_id": world.obligation_b.pk, "progress": 10, "narrative": "开展调研。"}
    refused = browser.post("/api/reports", payload, content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["code"] == "csrf_failed"
    assert browser.get("/api/obligations").status_code == 200  # safe methods need no token

    raw = issue_token(user=world.liaison_b, name="etl")
    integration = Client(enforce_csrf_checks=True)
    accepted = integration.post(
        "/api/reports", payload, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    assert accepted.status_code == 201, accepted.content


def test_it_lets_a_session_with_the_csrf_token_post(world: World) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.liaison_b)
    token = browser.get("/api/docs").context["csrf_token"]
    response = browser.post(
        "/api/reports",
        {"obligation_id": world.obligation_b.pk, "progress": 10, "narrative": "开展调研。"},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=str(token),
    )
    assert response.status_code == 201, response.content


def test_it_shows_nothing_to_a_user_without_a_profile(world: World, api: Caller) -> None:
    me = api.get(world.nobody, "/api/me").json()
    assert (me["role"], me["unit"], me["actions"]) == (None, None, [])
    for path in ("/api/tasks", "/api/assignments", "/api/obligations", "/api/reports", "/api/documents"):
        assert api.get(world.nobody, path).json() == {
            "items": [],
            "count": 0,
            "next": None,
            "next_cursor": None,
        }, path
    assert api.get(world.nobody, f"/api/tasks/{world.task.pk}").status_code == 404


def test_it_answers_a_malformed_body_with_a_structured_error(world: World, api: Caller) -> None:
    api._as(world.liaison_b)
    response = api.client.post("/api/reports", "{not json", content_type="application/json")
    assert response.status_code in {400, 422}
    assert set(response.json()) == {"code", "message", "message_en", "detail", "errors"}


@pytest.mark.parametrize(
    ("accept", "detail"), [("zh-hans", "未找到，或您无权查看。"), ("en", "Not found, or not yours to see.")]
)
def test_an_error_carries_both_messages_and_one_detail_in_the_requests_language(
    world: World, api: Caller, accept: str, detail: str
) -> None:
    api._as(world.liaison_b)
    body = api.client.get("/api/tasks/999999", HTTP_ACCEPT_LANGUAGE=accept).json()
    assert (body["message"], body["message_en"], body["detail"]) == (
        "未找到，或您无权查看。",
        "Not found, or not yours to see.",
        detail,
    )
