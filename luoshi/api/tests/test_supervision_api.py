from __future__ import annotations

import datetime as dt
import io
from typing import Any

import docx
import pytest
from django.test import Client

from luoshi.people.services import issue_token
from luoshi.supervision.models import ExtensionRequest, Subject, Urging
from luoshi.testing.api import Caller
from luoshi.testing.world import World

TODAY = dt.datetime(2024, 4, 20, 9, 0, tzinfo=dt.UTC)
pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(TODAY, tick=False)]
URGED = dt.datetime(2024, 4, 11, 9, 0, tzinfo=dt.UTC)  # B's first-quarter report was due on 2024-04-10
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def urging(world: World) -> Urging:
    return Urging.objects.create(
        key=f"urging:report:obligation={world.obligation_b.pk}",
        subject=Subject.REPORT,
        assignment=world.b,
        obligation=world.obligation_b,
        due_date=dt.date(2024, 4, 10),
        days_overdue=1,
        required_response="请于2024年4月15日前补报并说明原因。",
        respond_by=dt.date(2024, 4, 15),
        created_at=URGED,
    )


def ask(api: Caller, user: Any, world: World, **payload: Any) -> Any:
    body = {"new_deadline": "2025-03-31", "reason": "受供地手续影响，项目开工推迟。", **payload}
    return api.post(user, f"/api/assignments/{world.a.pk}/extensions", body)


def ids(response: Any) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["items"]}


# --- extension requests -------------------------------------------------------------------


def test_it_takes_an_extension_request_from_the_units_liaison(world: World, client: Client) -> None:
    token = issue_token(user=world.liaison_a, name="oa")
    response = client.post(
        f"/api/assignments/{world.a.pk}/extensions",
        {"new_deadline": "2025-03-31", "reason": "供地手续延误。"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["old_deadline"], body["new_deadline"], body["status"], body["requested_by"]) == (
        "2024-12-31",
        "2025-03-31",
        "pending",
        "liaison_a",
    )
    assert (body["unit"]["code"], body["task_id"]) == ("fgw", world.task.pk)
    assert ExtensionRequest.objects.get().reason == "供地手续延误。"


def test_it_lists_extension_requests_within_scope(world: World, api: Caller) -> None:
    created = ask(api, world.liaison_a, world).json()["id"]
    assert ids(api.get(world.supervisor, "/api/extensions", status="pending")) == {created}
    assert ids(api.get(world.head_a, "/api/extensions", task=world.task.pk)) == {created}
    assert ids(api.get(world.liaison_b, "/api/extensions")) == set()
    assert ids(api.get(world.supervisor, "/api/extensions", status="approved")) == set()
    assert api.get(world.supervisor, "/api/extensions", status="maybe").status_code == 422
    assert api.get(world.head_a, f"/api/extensions/{created}").json()["reason"].startswith("受供地")


def test_it_answers_404_for_another_units_extensions(world: World, api: Caller) -> None:
    created = ask(api, world.liaison_a, world).json()["id"]
    for user in (world.liaison_b, world.head_b, world.liaison_c, world.nobody):
        assert ask(api, user, world).status_code == 404
        assert api.get(user, f"/api/extensions/{created}").status_code == 404
        assert api.post(user, f"/api/extensions/{created}/decision", {"approve": True}).status_code == 404
    assert api.get(world.supervisor, "/api/extensions/999999").status_code == 404
    assert ExtensionRequest.objects.count() == 1


def test_it_refuses_a_request_from_another_role_or_with_a_bad_date(world: World, api: Caller) -> None:
    assert ask(api, world.supervisor, world).status_code == 403
    head = ask(api, world.head_a, world)
    assert (head.status_code, head.json()["code"]) == (400, "not_liaison")
    earlier = ask(api, world.liaison_a, world, new_deadline="2024-10-01")
    assert earlier.status_code == 400
    assert earlier.json() == {
        "code": "not_later",
        "message": "新的完成时限须晚于现时限 2024-12-31。",
        "message_en": "The new deadline must be after the current one, 2024-12-31.",
        "detail": "新的完成时限须晚于现时限 2024-12-31。",
        "errors": [],
    }
    shapeless = ask(api, world.liaison_a, world, new_deadline="next spring")
    assert shapeless.status_code == 422
    assert [e["field"] for e in shapeless.json()["errors"]] == ["body.new_deadline"]
    assert not ExtensionRequest.objects.exists()


def test_the_office_approves_an_extension_and_the_deadlines_move(world: World, api: Caller) -> None:
    created = ask(api, world.liaison_a, world).json()["id"]
    url = f"/api/extensions/{created}/decision"
    for user in (world.liaison_a, world.head_a, world.leader):
        assert api.post(user, url, {"approve": True}).status_code == 403
    response = api.post(world.supervisor, url, {"approve": True, "comment": "同意。"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["decided_by"], body["comment"]) == ("approved", "supervisor", "同意。")
    world.a.refresh_from_db()
    world.task.refresh_from_db()
    assert world.a.deadline == world.task.deadline == dt.date(2025, 3, 31)
    again = api.post(world.supervisor, url, {"approve": False, "comment": "撤回"})
    assert (again.status_code, again.json()["code"]) == (400, "not_pending")


def test_a_rejection_needs_a_comment(world: World, api: Caller) -> None:
    created = ask(api, world.liaison_a, world).json()["id"]
    url = f"/api/extensions/{created}/decision"
    bare = api.post(world.supervisor, url, {"approve": False})
    assert (bare.status_code, bare.json()["message_en"]) == (400, "Please say why the request is rejected.")
    assert api.post(world.supervisor, url, {"approve": "perhaps"}).status_code == 422
    rejected = api.post(world.supervisor, url, {"approve": False, "comment": "理由不充分。"})
    assert rejected.json()["status"] == "rejected"
    world.a.refresh_from_db()
    assert world.a.deadline == dt.date(2024, 12, 31)


# --- urgings --------------------------------------------------------------------------------


def test_it_lists_urgings_within_scope(world: World, api: Caller, urging: Urging) -> None:
    assert ids(api.get(world.liaison_b, "/api/urgings")) == {urging.pk}
    assert ids(api.get(world.supervisor, "/api/urgings", responded=False, task=world.task.pk)) == {urging.pk}
    assert ids(api.get(world.supervisor, "/api/urgings", responded=True)) == set()
    for user in (world.liaison_a, world.head_a, world.liaison_c):
        assert ids(api.get(user, "/api/urgings")) == set()
        assert api.get(user, f"/api/urgings/{urging.pk}").status_code == 404
    body = api.get(world.head_b, f"/api/urgings/{urging.pk}").json()
    assert (body["subject"], body["respond_by"], body["response"], body["responded_at"]) == (
        "report",
        "2024-04-15",
        "",
        None,
    )
    assert body["obligation_id"] == world.obligation_b.pk and body["unit"]["code"] == "gxt"


def test_the_urged_unit_responds_once(world: World, api: Caller, urging: Urging) -> None:
    url = f"/api/urgings/{urging.pk}/response"
    assert api.post(world.liaison_a, url, {"response": "x"}).status_code == 404
    assert api.post(world.supervisor, url, {"response": "x"}).status_code == 403
    empty = api.post(world.head_b, url, {"response": "  "})
    assert (empty.status_code, empty.json()["code"], empty.json()["message"]) == (
        400,
        "response_required",
        "请填写回复内容。",
    )
    assert api.post(world.head_b, url, {}).status_code == 422
    answered = api.post(world.liaison_b, url, {"response": "已于4月18日补报。"})
    assert answered.status_code == 200, answered.content
    assert (answered.json()["response"], answered.json()["responded_by"]) == (
        "已于4月18日补报。",
        "liaison_b",
    )
    urging.refresh_from_db()
    assert urging.responded_at is not None
    twice = api.post(world.head_b, url, {"response": "再次回复"})
    assert (twice.status_code, twice.json()["code"]) == (400, "already_responded")
    assert ids(api.get(world.supervisor, "/api/urgings", responded=True)) == {urging.pk}


def test_it_serves_the_urging_notice_as_a_docx(world: World, api: Caller, urging: Urging) -> None:
    url = f"/api/urgings/{urging.pk}/notice"
    assert api.get(world.liaison_a, url).status_code == 404
    response = api.get(world.liaison_b, url)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == DOCX
    assert response["Content-Disposition"] == f'attachment; filename="urging-{urging.pk}.docx"'
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs)
    assert "自治区工业和信息化厅" in text and f"督催〔2024〕{urging.pk}号" in text
    assert api.get(world.supervisor, url).status_code == 200


def test_the_openapi_schema_lists_the_supervision_paths(client: Client) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    assert set(paths["/api/extensions"]) == {"get"}
    assert set(paths["/api/assignments/{assignment_id}/extensions"]) == {"post"}
    assert set(paths["/api/extensions/{extension_id}/decision"]) == {"post"}
    assert set(paths["/api/urgings"]) == {"get"}
    assert set(paths["/api/urgings/{urging_id}/response"]) == {"post"}
    assert set(paths["/api/urgings/{urging_id}/notice"]) == {"get"}
