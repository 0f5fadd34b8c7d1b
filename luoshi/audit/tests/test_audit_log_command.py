from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from luoshi.accounts.models import Role
from luoshi.people.services import create_user
from luoshi.testing.seed import seed_document

pytestmark = pytest.mark.django_db


def test_a_supervisor_finds_the_ingest_in_the_trail() -> None:
    create_user(username="office", password="pw-office-123", role=Role.SUPERVISOR)
    doc = seed_document()
    out = StringIO()
    call_command("audit_log", "--as", "office", "--object-type", "documents.document", "--json", stdout=out)
    rows = json.loads(out.getvalue())
    assert [r["object"] for r in rows] == [f"documents.document#{doc.pk}"]
    assert rows[0]["action"] == "create"


def test_a_liaison_may_not_search_and_bad_dates_are_refused() -> None:
    create_user(username="someone", password="pw-someone-123", role=Role.LEADER)
    with pytest.raises(CommandError) as info:
        call_command("audit_log", "--as", "someone")
    assert "无权" in str(info.value)
    create_user(username="office", password="pw-office-123", role=Role.SUPERVISOR)
    with pytest.raises(CommandError):
        call_command("audit_log", "--as", "office", "--from", "2024-02-30")
    with pytest.raises(CommandError):
        call_command("audit_log", "--as", "nobody")
