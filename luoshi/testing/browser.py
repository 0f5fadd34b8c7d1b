"""Real-browser test fixtures (a pytest plugin, loaded by the root conftest.py).

Debian's chromium driven by Playwright against pytest-django's live server.

Chromium comes from apt (`make test` installs it when missing); Playwright's own browser downloads are
never used. Every request the page makes is checked: anything not addressed to the live server on
127.0.0.1 is blocked and fails the test. Screenshots go to ``var/test/browser/<test name>/``.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-sync",
    "--disable-default-apps",
]
OUTPUT = Path(os.environ.get("LUOSHI_TEST_OUTPUT", Path.cwd() / "var" / "test")) / "browser"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


def chromium_path() -> str | None:
    return os.environ.get("LUOSHI_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    path = chromium_path()
    if path is None:
        message = "Debian's chromium is not installed (apt-get install chromium; `make test` does it)"
        if os.environ.get("LUOSHI_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls stay synchronous.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    playwright_sync = pytest.importorskip("playwright.sync_api")
    with playwright_sync.sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class Journey:
    """One browser context: the page, where its screenshots go, and every request it made."""

    def __init__(self, page: Any, folder: Path, base_url: str) -> None:
        self.page = page
        self.folder = folder
        self.base_url = base_url
        self.requests: list[str] = []
        self.blocked: list[str] = []
        self.step = 0
        self.widths: dict[str, int] = {}  # screenshot name -> px the page is wider than the window

    def url(self, path: str) -> str:
        return self.base_url + path

    def overflow(self) -> int:
        """How many pixels the page is wider than the window (0 or less: no sideways scrolling)."""
        return int(self.page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))

    def shot(self, name: str, *, full_page: bool = True) -> Path:
        """Save a numbered screenshot and note how far the page overflows the window's width."""
        self.widths[name] = self.overflow()
        self.step += 1
        target = self.folder / f"{self.step:02d}-{re.sub(r'[^a-z0-9-]+', '-', name.lower())}.png"
        self.page.screenshot(path=str(target), full_page=full_page)
        return target


@pytest.fixture
def journey(browser: Any, live_server: Any, request: pytest.FixtureRequest) -> Iterator[Journey]:
    folder = OUTPUT / re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    context = browser.new_context(
        viewport={"width": 1366, "height": 768}, locale="zh-CN", accept_downloads=True
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    trip = Journey(page, folder, live_server.url)

    def guard(route: Any) -> None:
        url = route.request.url
        trip.requests.append(url)
        parts = urlsplit(url)
        if parts.scheme in {"http", "https", "ws", "wss"} and parts.hostname not in LOCAL_HOSTS:
            trip.blocked.append(url)
            route.abort()
        else:
            route.continue_()

    context.route("**/*", guard)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield trip
    context.close()
    assert trip.requests, "the browser made no requests at all"
    assert not trip.blocked, f"requests left 127.0.0.1: {trip.blocked}"
    assert not errors, f"JavaScript errors on the pages: {errors}"


@pytest.fixture
def login_as() -> Callable[[Journey, str, str], None]:
    def go(trip: Journey, username: str, password: str) -> None:
        page = trip.page
        page.context.clear_cookies()
        page.goto(trip.url("/accounts/login/"))
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("form.card button[type=submit]")
        page.wait_for_load_state()
        assert "/accounts/login/" not in page.url, f"login failed for {username}"

    return go
