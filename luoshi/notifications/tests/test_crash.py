"""A pass that dies after claiming a delivery neither loses nor duplicates it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from unittest import mock

import pytest

from luoshi.lib.outbound import OutboundResult
from luoshi.notifications import channels, delivery
from luoshi.notifications.models import Delivery, UnitChannel
from luoshi.notifications.services import deliver_pending, post_to_unit
from luoshi.testing.robots import Robots
from luoshi.testing.world import at
from luoshi.units.models import Unit

pytestmark = pytest.mark.django_db

T0 = at("2024-04-03")


class Crash(BaseException):
    """Stands for the process being killed: not an Exception, so nothing in the pass catches it."""


def crash_on_call(number: int, real: Callable[..., Any]) -> Callable[..., Any]:
    calls = {"n": 0}

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == number:
            raise Crash
        return real(*args, **kwargs)

    return wrapped


@pytest.fixture
def three_messages(unit: Unit, robots: Robots) -> list[int]:
    UnitChannel.objects.create(unit=unit, kind="wecom", address=f"{robots.url}/wecom")
    for n in range(3):
        post_to_unit(unit=unit, kind="reminder", title=f"提醒{n}", body="b", link="", key=f"k{n}", now=T0)
    return list(Delivery.objects.order_by("id").values_list("pk", flat=True))


def titles(robots: Robots) -> list[str]:
    return sorted(p.body["markdown"]["content"].splitlines()[0] for p in robots.to("/wecom"))


def test_a_crash_before_sending_leaves_the_row_claimed_until_the_timeout_then_it_is_sent_once(
    three_messages: list[int], robots: Robots
) -> None:
    with mock.patch.object(channels, "send", crash_on_call(2, channels.send)), pytest.raises(Crash):
        deliver_pending(now=T0)
    assert Delivery.objects.get(pk=three_messages[1]).status == "sending"

    again = deliver_pending(now=T0)  # another pass right away: the claimed row is not touched
    assert dict(again.sent) == {"wecom": 1} and again.reclaimed == 0
    assert deliver_pending(now=T0 + dt.timedelta(minutes=9)).reclaimed == 0

    late = deliver_pending(now=T0 + dt.timedelta(minutes=11))

    assert late.reclaimed == 1 and dict(late.sent) == {"wecom": 1}
    assert titles(robots) == ["**提醒0**", "**提醒1**", "**提醒2**"]  # each exactly once
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}
    assert Delivery.objects.get(pk=three_messages[1]).attempts == 2


def test_a_row_marked_sent_is_never_sent_again(three_messages: list[int], robots: Robots) -> None:
    deliver_pending(now=T0)
    Delivery.objects.filter(pk=three_messages[0]).update(claimed_at=T0 - dt.timedelta(days=1))

    assert deliver_pending(now=T0 + dt.timedelta(days=1)).reclaimed == 0
    assert len(robots.to("/wecom")) == 3


def test_a_crash_after_the_channel_accepted_is_resent_at_least_once(
    three_messages: list[int], robots: Robots
) -> None:
    """The one window for a duplicate (documented): the robot took it, the row was not yet marked sent."""
    with mock.patch.object(delivery, "record", crash_on_call(1, delivery.record)), pytest.raises(Crash):
        deliver_pending(now=T0)

    deliver_pending(now=T0 + dt.timedelta(minutes=11))

    assert titles(robots) == ["**提醒0**", "**提醒0**", "**提醒1**", "**提醒2**"]


def test_a_bug_in_one_channel_is_a_failure_not_a_crash(three_messages: list[int], robots: Robots) -> None:
    real = channels.send

    def broken(d: Delivery) -> OutboundResult:
        if d.pk == three_messages[0]:
            raise RuntimeError("boom")
        return real(d)

    with mock.patch.object(channels, "send", broken):
        stats = deliver_pending(now=T0)

    assert stats.failures == 1 and dict(stats.sent) == {"wecom": 2}
    assert "RuntimeError: boom" in Delivery.objects.get(pk=three_messages[0]).last_error
