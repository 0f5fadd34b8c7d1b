from __future__ import annotations

from typing import Any

import pytest

from luoshi.lib import outbound
from luoshi.notifications.channels import robot_result
from luoshi.testing.robots import Robots


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://host/x", "javascript:alert(1)", "", "http://"])
def test_it_refuses_non_http_urls(url: str) -> None:
    result = outbound.post_json(url, {"a": 1}, timeout=1)
    assert not result.ok and result.error.startswith("refused")


def test_it_turns_network_errors_into_results() -> None:
    result = outbound.post_json(
        "http://127.0.0.1:9/robot", {"a": 1}, timeout=1
    )  # discard port: nothing listens
    assert not result.ok and result.status is None and result.error


def test_it_posts_json_and_reads_the_reply(robots: Robots) -> None:
    result = outbound.post_json(
        f"{robots.url}/wecom?key=k", {"msgtype": "text", "text": {"content": "测试"}}, timeout=5
    )

    assert result.ok and result.status == 200 and result.json() == {"errcode": 0, "errmsg": "ok"}
    [post] = robots.to("/wecom")
    assert post.body == {"msgtype": "text", "text": {"content": "测试"}} and post.query == {"key": "k"}


def test_a_robot_errcode_is_a_failure(robots: Robots) -> None:
    robots.errcodes["/dingtalk"] = 310000
    result = robot_result(outbound.post_json(f"{robots.url}/dingtalk", {}, timeout=5))
    assert not result.ok and "310000" in result.error


def test_mail_errors_become_results(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9
    result = outbound.send_mail(to=["a@example.gov.cn"], subject="s", text="t", timeout=1)
    assert not result.ok and result.error
