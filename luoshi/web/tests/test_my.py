from __future__ import annotations

from collections.abc import Callable

from django.test import Client

from luoshi.notifications.models import Notice
from luoshi.notifications.services import notify
from luoshi.testing.demo import lead_assignment


def test_it_shows_the_liaison_its_units_work_overdue_first_with_ratings(
    login: Callable[[str], Client],
) -> None:
    mine, theirs = lead_assignment("ethnic-affairs"), lead_assignment("energy")
    page = login("minwei").get("/my/").content.decode()
    assert mine.task.title in page and theirs.task.title not in page
    assert "逾期" in page and "2026-Q2" in page  # two quarters missing, overdue since 2026-06-30
    assert page.index("2026-Q2") < page.index("2026-Q4")  # overdue before what is due next
    assert "连续2期未报送" in page  # the rating's reason
    assert f"/obligations/{mine.obligations.get(period='2026-Q2').pk}/report/" in page


def test_it_lists_the_units_report_history(login: Callable[[str], Client]) -> None:
    page = login("nongmu").get("/my/").content.decode()
    assert "报送记录" in page and "30%" in page and "v1" in page


def test_the_office_is_not_a_liaisons_home(login: Callable[[str], Client]) -> None:
    assert login("nongmu").get("/office/").status_code == 403
    assert login("nongmu").get("/")["Location"] == "/my/"
    assert login("duchashi").get("/")["Location"] == "/office/"


def test_the_inbox_marks_a_notice_read_in_place(login: Callable[[str], Client]) -> None:
    client = login("nongmu")
    user = client.get("/my/").wsgi_request.user
    (notice,) = notify(
        recipients=[user],
        kind="test",
        title="【催办】请报送2026-Q4",
        body="正文",
        link="/tasks/6/#assignment-6",
        key="web-test",
    )
    assert '<strong id="unread-count">1</strong>' in client.get("/my/").content.decode()
    inbox = client.get("/inbox/").content.decode()
    assert "【催办】请报送2026-Q4" in inbox and f'hx-post="/inbox/{notice.pk}/read"' in inbox
    row = client.post(f"/inbox/{notice.pk}/read", HTTP_HX_REQUEST="true")
    assert row.status_code == 200 and "hx-post" not in row.content.decode()
    assert Notice.objects.get(pk=notice.pk).read_at is not None
    assert login("nengyuan").post(f"/inbox/{notice.pk}/read").status_code == 302  # someone else's: ignored
