"""Issue 12: the inbox shows 50 notices a page; "older notices" follows a keyset cursor, so a deep page
costs what the first does, the queries stay the same however many notices there are, and every notice
is on exactly one page."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from luoshi.notifications.models import Notice
from luoshi.web.my.views import INBOX_PAGE


def add_notices(user: Any, n: int, start: int = 0) -> None:
    at = dt.datetime(2026, 11, 1, 8, 0, tzinfo=dt.UTC)
    Notice.objects.bulk_create(
        Notice(
            recipient=user,
            kind="reminder",
            title=f"报送提醒{i}",
            body="请报送。",
            link="/my/",
            created_at=at + dt.timedelta(minutes=i // 2),
            dedupe_key=f"inbox-page-{i}",
        )  # two share a minute
        for i in range(start, start + n)
    )


def shown(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'id="notice-(\d+)"', html)]


def older(html: str) -> str | None:
    found = re.search(r'href="(\?cursor=[^"]+)" rel="next"', html)
    return found.group(1) if found else None


def test_the_inbox_pages_through_every_notice_once(login: Callable[[str], Client]) -> None:
    client = login("nongmu")
    user = get_user_model().objects.get(username="nongmu")
    add_notices(user, 2 * INBOX_PAGE + 7)
    seen: list[int] = []
    link: str | None = ""
    pages = 0
    while link is not None:
        html = client.get(f"/inbox/{link}").content.decode()
        assert len(shown(html)) <= INBOX_PAGE
        seen += shown(html)
        link, pages = older(html), pages + 1
        if pages > 1:
            assert "最新消息" in html  # back to the newest
    expected = list(
        Notice.objects.filter(recipient=user).order_by("-created_at", "-id").values_list("pk", flat=True)
    )
    assert (seen, pages) == (expected, 3)


def test_the_inbox_costs_the_same_queries_with_ten_times_the_notices(login: Callable[[str], Client]) -> None:
    client = login("duchashi")
    user = get_user_model().objects.get(username="duchashi")
    add_notices(user, INBOX_PAGE + 1)
    with CaptureQueriesContext(connection) as few:
        client.get("/inbox/")
    add_notices(user, 10 * INBOX_PAGE, start=INBOX_PAGE + 1)
    with CaptureQueriesContext(connection) as many:
        html = client.get("/inbox/").content.decode()
    assert len(shown(html)) == INBOX_PAGE
    assert len(many) == len(few), [q["sql"][:80] for q in many.captured_queries]


def test_a_damaged_cursor_says_so_and_shows_the_newest(login: Callable[[str], Client]) -> None:
    client = login("nongmu")
    user = get_user_model().objects.get(username="nongmu")
    add_notices(user, 3)
    response = client.get("/inbox/?cursor=garbage")
    html = response.content.decode()
    assert response.status_code == 200 and "分页游标无效" in html
    assert (
        shown(html)[:3]
        == list(
            Notice.objects.filter(recipient=user).order_by("-created_at", "-id").values_list("pk", flat=True)
        )[:3]
    )
