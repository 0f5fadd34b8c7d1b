"""The upload script in a real browser: drop a file, see the progress, land on the document or see the refusal.

Debian's chromium driven by Playwright against the live server; skipped when chromium is not installed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from luoshi.accounts.models import Role
from luoshi.documents.models import Document
from luoshi.people.services import create_user
from luoshi.testing.browser import Journey
from luoshi.testing.paths import seed_path


@pytest.fixture
def page(
    journey: Journey, login_as: Callable[[Journey, str, str], None], transactional_db: None, settings: Any
) -> Iterator[Any]:
    """The office's documents page in English (chromium, fixtures from luoshi.testing.browser)."""
    create_user(username="office", password="pw-office-123", role=Role.SUPERVISOR)
    login_as(journey, "office", "pw-office-123")
    journey.page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": journey.base_url}]
    )
    journey.page.goto(journey.url("/documents/"))
    yield journey.page


def _drop(page: Any, name: str, content: bytes) -> None:
    transfer = page.evaluate_handle(
        """([name, bytes]) => {
            const t = new DataTransfer();
            t.items.add(new File([new Uint8Array(bytes)], name, {type: "text/plain"}));
            return t;
        }""",
        [name, list(content)],
    )
    page.dispatch_event("[data-dropzone]", "drop", {"dataTransfer": transfer})


def test_a_dropped_file_is_uploaded_with_progress_and_opens_the_document(page: Any) -> None:
    assert page.is_visible("text=…or drag the file and drop it here.")
    _drop(page, "seed.txt", seed_path().read_bytes())
    assert "seed.txt" in page.inner_text("[data-file-name]")
    assert not page.is_visible("[data-progress]")
    # What the progress line says is kept in sessionStorage, which outlives the move to the document.
    page.evaluate("""() => {
        const label = document.querySelector("[data-progress-label]");
        new MutationObserver(() => sessionStorage.setItem("said",
            (sessionStorage.getItem("said") || "") + label.textContent + "|")).observe(label, {childList: true});
    }""")
    page.click("form[data-upload] button[type=submit]")
    page.wait_for_url("**/documents/*/")
    doc = Document.objects.get()
    assert page.url.endswith(f"/documents/{doc.pk}/") and doc.filename == "seed.txt"
    said = page.evaluate("() => sessionStorage.getItem('said')")
    assert "Uploading… 100%" in said and said.endswith("Upload complete; analysing the document…|")


def test_the_servers_refusal_appears_next_to_the_file_field(page: Any) -> None:
    page.set_input_files("#id_file", {"name": "empty.txt", "mimeType": "text/plain", "buffer": b""})
    page.click("form[data-upload] button[type=submit]")
    page.wait_for_selector('[data-errors-for="file"] .errorlist li')
    assert "empty" in page.inner_text('[data-errors-for="file"]').lower()
    assert page.url.endswith("/documents/") and page.is_enabled("form[data-upload] button[type=submit]")
    assert not page.is_visible("[data-progress]")
    assert Document.objects.count() == 0
