from __future__ import annotations

from typing import Any

import pytest

from luoshi.notifications.models import Delivery, Notice
from luoshi.notifications.services import inbox, mark_read, notify, unread_count
from luoshi.testing.world import at

pytestmark = pytest.mark.django_db


def send(user: Any, key: str = "reminder:1") -> list[Notice]:
    return notify(
        recipients=[user, user],
        kind="reminder",
        title="报送提醒",
        body="请报送",
        link="http://x/",
        key=key,
        now=at("2024-04-03"),
    )


def test_it_creates_one_notice_per_key_and_recipient(user: Any) -> None:
    assert len(send(user)) == 1
    assert send(user) == []
    assert inbox(user).count() == 1


def test_unread_count_and_mark_read_only_touch_ones_own(user: Any, stranger: Any) -> None:
    mine = send(user, "a") + send(user, "b")
    theirs = send(stranger, "a")
    assert unread_count(user) == 2

    changed = mark_read(user=user, notice_ids=[mine[0].pk, theirs[0].pk], now=at("2024-04-04"))

    assert changed == 1
    assert unread_count(user) == 1 and unread_count(stranger) == 1
    assert [n.pk for n in inbox(user, unread_only=True)] == [mine[1].pk]


def test_mail_is_queued_only_when_configured_and_the_user_has_an_address(
    user: Any, stranger: Any, settings: Any
) -> None:
    send(user, "no-smtp")
    assert not Delivery.objects.exists()

    settings.EMAIL_ENABLED = True
    send(user, "smtp")
    send(stranger, "smtp")  # no address

    assert list(Delivery.objects.values_list("kind", "notice__recipient__username")) == [("email", "liaison")]
