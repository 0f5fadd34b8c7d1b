from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from luoshi.accounts.models import Role
from luoshi.documents.models import Document
from luoshi.people.services import create_user
from luoshi.testing.paths import seed_path
from luoshi.testing.seed import seed_document
from luoshi.units.models import Unit
from luoshi.units.services import load_units

pytestmark = pytest.mark.django_db


@pytest.fixture
def user_client(client: Client) -> Client:
    user = create_user(username="office", password="pw-office-123", role=Role.SUPERVISOR)
    client.force_login(user)
    return client


@pytest.fixture
def liaison_client(client: Client) -> Client:
    load_units(catalog="inner-mongolia")
    unit = Unit.objects.get(catalog="inner-mongolia", code="energy")
    client.force_login(
        create_user(username="liaison", password="pw-liaison-123", role=Role.LIAISON, unit=unit)
    )
    return client


def test_a_liaison_cannot_upload_and_sees_no_unrelated_document(liaison_client: Client) -> None:
    doc = seed_document()
    upload = SimpleUploadedFile("seed.txt", seed_path().read_bytes(), content_type="text/plain")
    assert liaison_client.post("/documents/upload/", {"file": upload}).status_code == 403
    assert liaison_client.get(f"/documents/{doc.pk}/").status_code == 404
    assert liaison_client.get(f"/documents/{doc.pk}.json").status_code == 404
    assert liaison_client.get(f"/documents/{doc.pk}/original/").status_code == 404
    assert doc.title not in liaison_client.get("/documents/").content.decode()


def test_upload_ingests_and_redirects_to_the_document(user_client: Client) -> None:
    upload = SimpleUploadedFile("seed.txt", seed_path().read_bytes(), content_type="text/plain")
    response = user_client.post("/documents/upload/", {"file": upload})
    doc = Document.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/documents/{doc.pk}/"
    assert doc.created_by is not None and doc.created_by.username == "office"


def test_a_bad_upload_shows_a_bilingual_message_and_stores_nothing(user_client: Client) -> None:
    upload = SimpleUploadedFile("empty.txt", b"", content_type="text/plain")
    response = user_client.post("/documents/upload/", {"file": upload})
    assert response.status_code == 400
    assert Document.objects.count() == 0


@override_settings(MAX_UPLOAD_BYTES=1000)
def test_an_oversized_upload_reports_its_real_size(user_client: Client) -> None:
    data = seed_path().read_bytes()
    upload = SimpleUploadedFile("seed.txt", data, content_type="text/plain")
    page = user_client.post("/documents/upload/", {"file": upload}).content.decode()
    assert "文件太大" in page and "too large" not in page  # one language: the page's
    assert f"{len(data)}" in page
    assert Document.objects.count() == 0


def test_json_has_the_text_offsets_index(user_client: Client) -> None:
    upload = SimpleUploadedFile("seed.txt", seed_path().read_bytes(), content_type="text/plain")
    user_client.post("/documents/upload/", {"file": upload})
    doc = Document.objects.get()
    payload = user_client.get(f"/documents/{doc.pk}.json").json()
    first = payload["sections"][0]
    assert payload["text"][first["start"] :].startswith("一、")


def test_anonymous_users_are_sent_to_login(client: Client) -> None:
    for url in ("/documents/", "/documents/1/", "/documents/1.json", "/documents/1/original/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
