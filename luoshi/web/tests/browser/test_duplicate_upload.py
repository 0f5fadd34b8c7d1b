"""The same decision uploaded twice (UTF-8 text, then a GBK copy made here) is caught in the browser;
the office chooses "open it" and lands on the stored document. Screenshots under var/test/browser/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from luoshi.accounts.models import Role
from luoshi.documents.models import Document
from luoshi.people.services import create_user
from luoshi.testing.browser import Journey
from luoshi.testing.paths import seed_path

PASSWORD = "duplicate-pass-2026"


def _upload(journey: Journey, path: Path) -> None:
    page = journey.page
    page.goto(journey.url("/documents/"))
    page.set_input_files("input[type=file][name=file]", str(path))
    page.locator("form[action$='/documents/upload/'] button[type=submit]").first.click()


@pytest.mark.django_db(transaction=True)
def test_the_same_decision_twice_is_caught_and_the_office_opens_the_stored_one(
    journey: Journey,
    login_as: Any,
    tmp_path: Path,
) -> None:
    page = journey.page
    create_user(username="duchashi", password=PASSWORD, role=Role.SUPERVISOR, display_name="督查室")
    login_as(journey, "duchashi", PASSWORD)

    _upload(journey, seed_path())
    page.wait_for_url("**/documents/*/")
    first = Document.objects.get()
    journey.shot("first upload stored")

    gbk = tmp_path / "决定-GBK.txt"
    gbk.write_bytes(seed_path().read_text(encoding="utf-8").encode("gbk", errors="replace"))
    _upload(journey, gbk)
    page.wait_for_url("**/documents/upload/*/")
    card = page.locator("[data-duplicate]")
    assert "内容相同" in card.inner_text() and first.title in card.inner_text()
    journey.shot("duplicate caught")

    page.locator("button[name=choice][value=open]").click()
    page.wait_for_url(f"**/documents/{first.pk}/")
    assert Document.objects.count() == 1, "nothing was stored for the second upload"
    journey.shot("stored document opened")
