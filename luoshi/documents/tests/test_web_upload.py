"""Uploading a document: the plain form (no script) and the script's JSON replies, with the server's refusals."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from luoshi.accounts.models import Role
from luoshi.audit.models import AuditEntry
from luoshi.documents.models import Document
from luoshi.people.services import create_user
from luoshi.testing.paths import seed_path
from luoshi.units.models import Unit
from luoshi.units.services import load_units

pytestmark = pytest.mark.django_db
XHR = {"Accept": "application/json", "X-Requested-With": "XMLHttpRequest"}


@pytest.fixture(autouse=True)
def english(settings: Any) -> None:
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def office(client: Client) -> Client:
    client.force_login(create_user(username="office", password="pw-office-123", role=Role.SUPERVISOR))
    return client


def _seed_upload(name: str = "seed.txt") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, seed_path().read_bytes(), content_type="text/plain")


def test_the_list_page_has_a_plain_form_the_script_enhances(office: Client) -> None:
    page = office.get("/documents/").content.decode()
    assert 'action="/documents/upload/" enctype="multipart/form-data"' in page and 'type="file"' in page
    assert "data-dropzone" in page and "data-progress hidden" in page
    assert "data-js-only hidden" in page  # the drop hint shows only when the script runs
    assert "/static/documents/upload.js" in page and "/static/documents/documents.css" in page


def test_the_plain_form_redirects_to_the_new_document(office: Client) -> None:
    response = office.post("/documents/upload/", {"file": _seed_upload(), "title": "种子决定"})
    doc = Document.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/documents/{doc.pk}/"
    assert doc.title == "种子决定"
    assert AuditEntry.objects.filter(
        action="create", object_type="documents.document", object_id=str(doc.pk)
    ).exists()


def test_the_script_gets_the_document_address_as_json(office: Client) -> None:
    response = office.post("/documents/upload/", {"file": _seed_upload()}, headers=XHR)
    doc = Document.objects.get()
    assert response.status_code == 200
    assert response.json() == {"location": f"/documents/{doc.pk}/", "created": True}


def test_the_same_file_again_leads_to_the_stored_document_with_a_message(office: Client) -> None:
    office.post("/documents/upload/", {"file": _seed_upload()})
    response = office.post("/documents/upload/", {"file": _seed_upload("again.txt")}, headers=XHR)
    doc = Document.objects.get()
    assert response.json() == {"location": f"/documents/{doc.pk}/", "created": False}
    page = office.get(response.json()["location"]).content.decode()
    assert "This file was already ingested; showing the stored document." in page


def test_the_script_gets_the_servers_refusal_for_the_file_field(office: Client) -> None:
    response = office.post("/documents/upload/", {"file": SimpleUploadedFile("empty.txt", b"")}, headers=XHR)
    assert response.status_code == 400 and response["Content-Type"] == "application/json"
    assert list(response.json()["errors"]) == ["file"]
    assert Document.objects.count() == 0

    response = office.post("/documents/upload/", {"title": "no file"}, headers=XHR)
    assert response.status_code == 400
    assert response.json() == {"errors": {"file": ["This field is required."]}}


@override_settings(MAX_UPLOAD_BYTES=1000)
def test_the_size_limit_message_reaches_the_script_and_the_plain_form(office: Client) -> None:
    size = len(seed_path().read_bytes())
    response = office.post("/documents/upload/", {"file": _seed_upload()}, headers=XHR)
    (message,) = response.json()["errors"]["file"]
    assert (
        response.status_code == 400
        and "too large" in message
        and "文件太大" not in message
        and str(size) in message
    )

    page = office.post("/documents/upload/", {"file": _seed_upload()}).content.decode()
    field_errors = page[page.index('data-errors-for="file"') : page.index('data-errors-for="title"')]
    assert '<ul class="errorlist"' in field_errors and str(size) in field_errors
    assert Document.objects.count() == 0


def test_a_unit_user_may_not_upload_through_the_script_either(client: Client) -> None:
    load_units(catalog="inner-mongolia")
    unit = Unit.objects.get(catalog="inner-mongolia", code="energy")
    client.force_login(
        create_user(username="liaison", password="pw-liaison-123", role=Role.LIAISON, unit=unit)
    )
    assert "data-upload" not in client.get("/documents/").content.decode()
    assert client.post("/documents/upload/", {"file": _seed_upload()}, headers=XHR).status_code == 403
    assert Document.objects.count() == 0
