"""NUL (U+0000) in an upload: stored on every database (PostgreSQL text cannot hold NUL), never a 500.

A text file with a BOM (UTF-8, UTF-16, UTF-32) may decode to a NUL character (a NUL byte without a
BOM means a binary file and is refused). The reader replaces each NUL of the text by U+FFFD, one
for one, so that the offsets into the text still hold; a NUL in the file name or the title given
is dropped. Run these on PostgreSQL too (DATABASE_URL=postgres://… LUOSHI_DB_TESTS_ONLY=1).
"""

from __future__ import annotations

import io

import pytest
from django.test import Client

from luoshi.documents.models import Document
from luoshi.documents.services import ingest_document
from luoshi.documents.tests.test_normalize import assert_maps_back
from luoshi.documents.textproc import offsets
from luoshi.testing.world import World

pytestmark = pytest.mark.django_db

HEAD = "关于推进新能源发展的决定\n一、总体要求\n"
# One NUL among enough text that it is not taken for a binary file (more than 1% control characters).
TEXT = HEAD + "大力发展\x00新能源装备制造业。" + "各地区各部门要抓好落实。" * 20


def _stored_without_nul(document: Document) -> None:
    document.refresh_from_db()
    for value in (document.source_text, document.text, document.title, document.filename):
        assert "\x00" not in value
    assert_maps_back(document.source_text, document.text, offsets.expand(document.offset_runs))


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-32"])
def test_a_nul_character_of_a_text_file_is_stored_as_a_replacement_character(encoding: str) -> None:
    outcome = ingest_document(data=TEXT.encode(encoding), filename="决定.txt")
    document = outcome.document
    _stored_without_nul(document)
    assert document.source_text == TEXT.replace("\x00", "\ufffd")  # one for one: the same length
    assert "大力发展\ufffd新能源装备制造业" in document.text


def test_a_nul_in_the_file_name_or_the_title_is_dropped() -> None:
    document = ingest_document(
        data=TEXT.encode("utf-16"), filename="决\x00定.txt", title="关于\x00推进新能源发展的决定"
    ).document
    _stored_without_nul(document)
    assert (document.filename, document.title) == ("决定.txt", "关于推进新能源发展的决定")
    untitled = ingest_document(data=TEXT.encode("utf-32"), filename="x.txt", title="\x00").document
    assert untitled.title == "关于推进新能源发展的决定"  # the document's own title, as for no title


def test_an_uploaded_file_with_a_nul_character_is_stored_through_the_api(
    world: World, client: Client
) -> None:
    client.force_login(world.supervisor)
    upload = io.BytesIO(TEXT.encode("utf-16"))
    upload.name = "决定.txt"
    response = client.post("/api/documents", {"file": upload})
    assert response.status_code == 201, response.content
    _stored_without_nul(Document.objects.get(pk=response.json()["document"]["id"]))


def test_a_nul_character_in_the_title_of_an_upload_is_refused_through_the_api(
    world: World, client: Client
) -> None:
    client.force_login(world.supervisor)
    upload = io.BytesIO(TEXT.encode("utf-16"))
    upload.name = "决定.txt"
    response = client.post("/api/documents", {"file": upload, "title": "决定\x00"})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["form.title"]
    assert not Document.objects.filter(filename="决定.txt").exists()
