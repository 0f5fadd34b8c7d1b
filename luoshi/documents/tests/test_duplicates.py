"""The same decision under another file (GBK text, DOCX, a revision): caught, and the three choices."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from luoshi.accounts.models import Role
from luoshi.audit.models import AuditEntry
from luoshi.documents.duplicates import NEAR, fingerprint, similarity
from luoshi.documents.models import Document
from luoshi.documents.services import IngestError, ingest_document
from luoshi.people.services import create_user
from luoshi.testing.fixtures import seed_docx_bytes
from luoshi.testing.paths import seed_path

pytestmark = pytest.mark.django_db


def _utf8() -> bytes:
    return seed_path().read_bytes()


def _gbk() -> bytes:
    return _utf8().decode("utf-8").encode("gbk", errors="replace")


def _revised() -> bytes:
    text = _utf8().decode("utf-8")
    cut = len(text) * 97 // 100
    return (text[:cut] + "\n（十五）新增一项修订内容，加强督促检查。\n").encode("utf-8")


def test_it_sees_the_gbk_text_as_the_same_content_and_stores_nothing() -> None:
    first = ingest_document(data=_utf8(), filename="seed.txt").document
    outcome = ingest_document(data=_gbk(), filename="seed-gbk.txt")
    assert not outcome.created
    assert outcome.match is not None and outcome.match.same
    assert outcome.document == first
    assert Document.objects.count() == 1


def test_it_sees_the_docx_of_the_same_decision() -> None:
    first = ingest_document(data=_utf8(), filename="seed.txt").document
    outcome = ingest_document(data=seed_docx_bytes(), filename="seed.docx")
    assert outcome.match is not None and outcome.match.document == first
    assert Document.objects.count() == 1


def test_a_revision_is_highly_similar_but_not_the_same() -> None:
    ingest_document(data=_utf8(), filename="seed.txt")
    match = ingest_document(data=_revised(), filename="seed-v2.txt").match
    assert match is not None and not match.same
    assert NEAR <= match.similarity < 1
    assert "修订版" in match.to_dict()["words"] or "revised" in match.to_dict()["words"]


def test_unrelated_texts_are_far_apart() -> None:
    a = fingerprint("加快推进新能源大基地建设，统筹布局源网荷储，提升消纳能力。" * 5)
    b = fingerprint("全面加强高标准农田建设，打造若干特色农畜产品产业带。" * 5)
    assert similarity(a, b) < 0.3
    assert similarity(a, a) == 1.0


def test_it_records_a_new_version_and_keeps_the_old_one() -> None:
    first = ingest_document(data=_utf8(), filename="seed.txt").document
    outcome = ingest_document(data=_revised(), filename="seed-v2.txt", version_of=first)
    assert outcome.created
    new = outcome.document
    assert new.version_of == first and new.version == 2
    assert Document.objects.filter(pk=first.pk).exists()
    entry = AuditEntry.objects.filter(object_id=str(new.pk), action="create").latest("id")
    assert "new version of" in entry.note


def test_keeping_both_needs_a_distinguishing_title() -> None:
    first = ingest_document(data=_utf8(), filename="seed.txt").document
    with pytest.raises(IngestError) as refused:
        ingest_document(data=_gbk(), filename="seed-gbk.txt", keep_both=True, title=first.title)
    assert refused.value.code == "title_required"
    kept = ingest_document(
        data=_gbk(), filename="seed-gbk.txt", keep_both=True, title="决定（印发稿）"
    ).document
    assert kept.title == "决定（印发稿）" and Document.objects.count() == 2
    assert (
        "kept beside" in AuditEntry.objects.filter(object_id=str(kept.pk), action="create").latest("id").note
    )


def test_the_cli_reports_the_match_and_takes_the_options(tmp_path: Path) -> None:
    first = ingest_document(data=_utf8(), filename="seed.txt").document
    path = tmp_path / "seed-gbk.txt"
    path.write_bytes(_gbk())
    out = StringIO()
    call_command("ingest", str(path), "--json", stdout=out)
    payload: dict[str, Any] = json.loads(out.getvalue())
    assert payload["created"] is False and payload["match"]["document_id"] == first.pk
    out = StringIO()
    call_command("ingest", str(path), "--as-version-of", str(first.pk), stdout=out)
    assert Document.objects.get(version_of=first).version == 2
    docx = tmp_path / "seed.docx"
    docx.write_bytes(seed_docx_bytes())
    out = StringIO()
    call_command("ingest", str(docx), "--keep-both", "--title", "第三份", stdout=out)
    assert Document.objects.filter(title="第三份").exists()


@pytest.fixture
def office(client: Client) -> Client:
    client.force_login(create_user(username="office", password="pw-office-123", role=Role.SUPERVISOR))
    return client


def _upload(client: Client, data: bytes, name: str, **extra: str) -> Any:
    return client.post("/documents/upload/", {"file": SimpleUploadedFile(name, data), **extra})


def test_the_web_shows_the_choice_and_opens_the_stored_document(office: Client) -> None:
    first = ingest_document(data=_utf8(), filename="seed.txt").document
    response = _upload(office, _gbk(), "seed-gbk.txt")
    assert response.status_code == 302 and "/documents/upload/" in response["Location"]
    page = office.get(response["Location"]).content.decode()
    assert first.title in page and "内容相同" in page
    token = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    opened = office.post(f"/documents/upload/{token}/resolve/", {"choice": "open"})
    assert opened["Location"] == f"/documents/{first.pk}/"
    assert Document.objects.count() == 1


def test_the_web_keeps_both_only_with_a_title(office: Client) -> None:
    ingest_document(data=_utf8(), filename="seed.txt")
    location = _upload(office, _gbk(), "seed-gbk.txt")["Location"]
    token = location.rstrip("/").rsplit("/", 1)[-1]
    refused = office.post(f"/documents/upload/{token}/resolve/", {"choice": "keep", "title": ""})
    assert refused.status_code == 400 and "标题" in refused.content.decode()
    kept = office.post(f"/documents/upload/{token}/resolve/", {"choice": "version"})
    assert kept.status_code == 302
    assert Document.objects.get(version=2).version_of is not None


def test_another_user_cannot_resolve_someone_elses_upload(office: Client, client: Client) -> None:
    ingest_document(data=_utf8(), filename="seed.txt")
    location = _upload(office, _gbk(), "seed-gbk.txt")["Location"]
    other = Client()
    other.force_login(create_user(username="office2", password="pw-office-456", role=Role.SUPERVISOR))
    assert other.get(location).status_code == 404


def test_documents_with_the_same_title_are_told_apart_by_their_label() -> None:
    first = ingest_document(data=_utf8(), filename="seed.txt").document
    second = ingest_document(data=_revised(), filename="seed-v2.txt", version_of=first).document
    assert first.title == second.title
    assert first.short_label != second.short_label
    assert "2023" in first.short_label and "v2" in second.short_label
