"""The language switch in a real browser: Chinese by default, English one click away, and back."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from luoshi.accounts.models import Role
from luoshi.people.services import create_user
from luoshi.testing.browser import Journey


@pytest.mark.django_db(transaction=True)
def test_the_header_switches_between_chinese_and_english(
    journey: Journey, login_as: Callable[[Journey, str, str], None]
) -> None:
    create_user(username="office", password="pw-office-123", role=Role.SUPERVISOR)
    login_as(journey, "office", "pw-office-123")
    page = journey.page
    page.goto(journey.url("/dashboard/"))
    nav = page.locator("header.top nav")
    assert "一张蓝图" in nav.inner_text()
    page.locator("form.lang button[value=en]").click()
    page.wait_for_load_state()
    assert page.url.endswith("/dashboard/"), "the switch returns to the same page"
    assert "Dashboard" in nav.inner_text() and "一张蓝图" not in nav.inner_text()
    assert page.locator("html").get_attribute("lang") == "en"
    journey.shot("dashboard in English")
    page.locator("form.lang button[value=zh-hans]").click()
    page.wait_for_load_state()
    assert "一张蓝图" in nav.inner_text()
