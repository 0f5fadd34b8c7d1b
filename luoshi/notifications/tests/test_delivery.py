from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
from typing import Any

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives

from luoshi.notifications.models import Delivery, UnitChannel, UnitMessage
from luoshi.notifications.services import deliver_pending, notify, post_to_unit
from luoshi.testing.robots import Robots
from luoshi.testing.world import at
from luoshi.units.models import Unit

pytestmark = pytest.mark.django_db

T0 = at("2024-04-03")


def channel(unit: Unit, kind: str, address: str, secret: str = "") -> UnitChannel:
    return UnitChannel.objects.create(unit=unit, kind=kind, address=address, secret=secret)


def post(unit: Unit, key: str = "reminder:1") -> UnitMessage | None:
    return post_to_unit(
        unit=unit,
        kind="reminder",
        title="【报送提醒】2024-Q1期进展报告还有7天到期",
        body="任务 / Task：推进新能源装备制造\n报送截止 / Due by：2024-04-10",
        link="http://127.0.0.1:8000/tasks/1/",
        key=key,
        now=T0,
    )


def test_it_posts_the_wecom_and_dingtalk_formats(unit: Unit, robots: Robots) -> None:
    channel(unit, "wecom", f"{robots.url}/wecom?key=abc")
    channel(unit, "dingtalk", f"{robots.url}/dingtalk?access_token=tok", secret="SECsecret")
    post(unit)

    stats = deliver_pending(now=T0)

    assert dict(stats.sent) == {"wecom": 1, "dingtalk": 1} and stats.failures == 0
    [wecom] = robots.to("/wecom")
    assert wecom.query == {"key": "abc"}
    assert wecom.body["msgtype"] == "markdown" and set(wecom.body) == {"msgtype", "markdown"}
    content = wecom.body["markdown"]["content"]
    assert content.startswith("**【报送提醒】2024-Q1期进展报告还有7天到期**")
    assert "报送截止 / Due by：2024-04-10" in content and "(http://127.0.0.1:8000/tasks/1/)" in content
    [ding] = robots.to("/dingtalk")
    assert ding.body["msgtype"] == "markdown"
    assert ding.body["markdown"]["title"] == "【报送提醒】2024-Q1期进展报告还有7天到期"
    assert ding.body["markdown"]["text"] == content
    assert ding.query["access_token"] == "tok"
    expected = base64.b64encode(
        hmac.new(b"SECsecret", f"{ding.query['timestamp']}\nSECsecret".encode(), hashlib.sha256).digest()
    ).decode()
    assert ding.query["sign"] == expected  # parse_qsl has undone the URL encoding
    assert set(Delivery.objects.values_list("status", "sent_to")) == {("sent", robots.url[7:])}
    assert deliver_pending(now=T0 + dt.timedelta(hours=1)).sent.total() == 0
    assert len(robots.posts) == 2


def test_a_failing_endpoint_is_retried_with_back_off_then_succeeds(unit: Unit, robots: Robots) -> None:
    channel(unit, "wecom", f"{robots.url}/flaky")
    channel(unit, "dingtalk", f"{robots.url}/dingtalk")
    robots.failures["/flaky"] = 2  # HTTP 500 twice
    post(unit)
    flaky = Delivery.objects.get(kind="wecom")

    first = deliver_pending(now=T0)
    flaky.refresh_from_db()
    assert first.failures == 1 and dict(first.sent) == {"dingtalk": 1}  # the other channel is not held up
    assert (flaky.status, flaky.attempts, flaky.next_attempt_at) == (
        "pending",
        1,
        T0 + dt.timedelta(minutes=1),
    )
    assert "HTTP 500" in flaky.last_error

    assert deliver_pending(now=T0 + dt.timedelta(seconds=59)).failures == 0  # not yet due
    assert deliver_pending(now=T0 + dt.timedelta(minutes=1)).failures == 1
    flaky.refresh_from_db()
    assert (flaky.attempts, flaky.next_attempt_at) == (2, T0 + dt.timedelta(minutes=6))
    assert deliver_pending(now=T0 + dt.timedelta(minutes=5)).sent.total() == 0

    third = deliver_pending(now=T0 + dt.timedelta(minutes=6))

    flaky.refresh_from_db()
    assert dict(third.sent) == {"wecom": 1}
    assert (flaky.status, flaky.attempts, flaky.sent_at) == ("sent", 3, T0 + dt.timedelta(minutes=6))
    assert len(robots.to("/flaky")) == 1 and len(robots.to("/dingtalk")) == 1


def test_it_gives_up_after_the_last_attempt(unit: Unit, robots: Robots, settings: Any) -> None:
    settings.DELIVERY_MAX_ATTEMPTS = 2
    channel(unit, "wecom", f"{robots.url}/down")
    robots.failures["/down"] = 99
    post(unit)

    deliver_pending(now=T0)
    stats = deliver_pending(now=T0 + dt.timedelta(minutes=1))

    delivery = Delivery.objects.get()
    assert stats.gave_up == 1 and (delivery.status, delivery.attempts) == ("failed", 2)
    assert deliver_pending(now=T0 + dt.timedelta(days=1)).failures == 0


def test_a_unit_message_exists_once_and_only_with_an_active_channel(unit: Unit, robots: Robots) -> None:
    assert post(unit) is None  # no channel
    channel(unit, "wecom", f"{robots.url}/wecom")
    assert post(unit, "k") is not None
    assert post(unit, "k") is None
    assert Delivery.objects.count() == 1


def test_mail_goes_as_text_with_an_html_alternative(user: Any, settings: Any) -> None:
    settings.EMAIL_ENABLED = True
    notify(
        recipients=[user],
        kind="urging",
        title="【催办】2024-Q1期进展报告未报送已逾期1天",
        body="任务 / Task：推进<新能源>装备制造",
        link="http://127.0.0.1:8000/tasks/1/",
        key="u:1",
        now=T0,
    )

    stats = deliver_pending(now=T0)

    assert dict(stats.sent) == {"email": 1}
    [message] = mail.outbox
    assert isinstance(message, EmailMultiAlternatives)
    assert message.to == ["liaison@example.gov.cn"] and message.subject.startswith("【催办】")
    assert "推进<新能源>装备制造" in message.body and "http://127.0.0.1:8000/tasks/1/" in message.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html" and isinstance(html, str) and "推进&lt;新能源&gt;装备制造" in html
    assert Delivery.objects.get().sent_to == "liaison@example.gov.cn"
