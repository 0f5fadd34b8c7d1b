from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from luoshi.documents.models import Document
from luoshi.testing.api import Caller
from luoshi.testing.paths import seed_path
from luoshi.testing.world import World

pytestmark = pytest.mark.django_db


def ids(response: object) -> set[int]:
    return {row["id"] for row in response.json()["items"]}  # type: ignore[attr-defined]


def test_it_lists_documents_within_scope(world: World, api: Caller) -> None:
    both = {world.document.pk, world.other_document.pk}
    assert ids(api.get(world.supervisor, "/api/documents")) == both
    assert ids(api.get(world.leader, "/api/documents")) == both
    assert ids(api.get(world.liaison_b, "/api/documents")) == {world.document.pk}
    assert ids(api.get(world.liaison_c, "/api/documents")) == set()


def test_it_gives_a_document_with_its_structure(world: World, api: Caller) -> None:
    response = api.get(world.head_b, f"/api/documents/{world.document.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "关于推进新能源发展的决定"
    assert {"text", "sections", "sentences", "findings"} <= set(body)
    assert "关于推进" in response.content.decode()  # Chinese is not \u-escaped


def test_it_hides_documents_outside_the_scope(world: World, api: Caller) -> None:
    assert api.get(world.liaison_b, f"/api/documents/{world.other_document.pk}").status_code == 404
    assert api.get(world.liaison_c, f"/api/documents/{world.document.pk}").status_code == 404
    assert api.get(world.supervisor, "/api/documents/999999").json()["code"] == "not_found"


def test_it_ingests_an_upload_once(world: World, api: Caller) -> None:
    api._as(world.supervisor)
    data = seed_path().read_bytes()
    first = api.client.post("/api/documents", {"file": SimpleUploadedFile("seed.txt", data), "title": "种子"})
    assert first.status_code == 201, first.content
    assert first.json()["created"] is True
    assert first.json()["document"]["title"] == "种子"
    again = api.client.post("/api/documents", {"file": SimpleUploadedFile("copy.txt", data)})
    assert again.status_code == 200
    assert again.json() == {**first.json(), "created": False}
    assert Document.objects.count() == 3


def test_it_refuses_an_unreadable_upload_in_both_languages(world: World, api: Caller) -> None:
    api._as(world.supervisor)
    response = api.client.post("/api/documents", {"file": SimpleUploadedFile("empty.txt", b"")})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "empty"
    assert body["message"] and body["message_en"] and body["message"] != body["message_en"]


def test_it_lets_only_supervisors_and_admins_upload(world: World, api: Caller) -> None:
    for user in (world.liaison_a, world.head_a, world.leader):
        api._as(user)
        response = api.client.post(
            "/api/documents", {"file": SimpleUploadedFile("a.txt", "一、总体要求".encode())}
        )
        assert response.status_code == 403
        assert response.json()["code"] == "forbidden"
    assert Document.objects.count() == 2


def test_it_lists_units_with_their_place_in_the_hierarchy(world: World, api: Caller) -> None:
    world.unit_b.requires_head_approval = True
    world.unit_b.save()
    rows = {
        row["code"]: row for row in api.get(world.liaison_c, "/api/units", catalog="test").json()["items"]
    }
    assert set(rows) == {"fgw", "gxt", "hhht"}
    assert rows["hhht"]["parent_id"] == world.unit_a.pk
    assert rows["hhht"]["path"] == ["自治区发展改革委", "呼和浩特市"]
    assert (rows["gxt"]["requires_head_approval"], rows["fgw"]["requires_head_approval"]) == (True, False)
    assert api.get(world.supervisor, "/api/units", catalog="nowhere").json()["items"] == []


def test_it_reports_a_same_text_upload_and_takes_the_choice(world: World, api: Caller) -> None:
    api._as(world.supervisor)
    text = seed_path().read_text(encoding="utf-8")
    first = api.client.post("/api/documents", {"file": SimpleUploadedFile("seed.txt", text.encode())}).json()
    gbk = text.encode("gbk", errors="replace")
    caught = api.client.post("/api/documents", {"file": SimpleUploadedFile("seed-gbk.txt", gbk)})
    assert caught.status_code == 200 and caught.json()["created"] is False
    assert caught.json()["match"]["document_id"] == first["document"]["id"] and caught.json()["match"]["same"]
    stored = api.client.post(
        "/api/documents",
        {"file": SimpleUploadedFile("seed-gbk.txt", gbk), "as_version_of": str(first["document"]["id"])},
    )
    assert stored.status_code == 201
    assert Document.objects.get(pk=stored.json()["document"]["id"]).version == 2
