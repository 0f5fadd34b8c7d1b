"""How a delivery is written and sent on each kind of channel: mail, WeCom robot, DingTalk robot.

Formats (group robots answer HTTP 200 with {"errcode": 0, "errmsg": "ok"};
any other errcode is a failure):
- WeCom (企业微信群机器人): POST {"msgtype": "markdown", "markdown": {"content": …}}
  (content at most 4096 bytes).
- DingTalk (钉钉自定义机器人): POST {"msgtype": "markdown", "markdown": {"title": …, "text": …}};
  with a signing secret the URL gets ``&timestamp=<ms>&sign=<s>`` where s is
  urlencode(base64(HMAC-SHA256(key=secret, msg=timestamp + "\\n" + secret))).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
import urllib.parse
from dataclasses import dataclass
from typing import Any

from django.utils.html import escape, linebreaks

from luoshi.lib import outbound
from luoshi.lib.outbound import OutboundResult
from luoshi.notifications.models import ChannelKind, Delivery

WECOM_MAX_BYTES = 4096


@dataclass(frozen=True)
class Message:
    title: str
    body: str
    link: str


def message_of(delivery: Delivery) -> Message:
    source = delivery.notice or delivery.unit_message
    assert source is not None  # a check constraint guarantees one of them
    return Message(title=source.title, body=source.body, link=source.link)


def as_markdown(message: Message) -> str:
    lines = [f"**{message.title}**", "", *message.body.splitlines()]
    if message.link:
        lines += ["", f"[查看详情 / Open]({message.link})"]
    return "\n".join(lines)


def as_text(message: Message) -> str:
    return "\n\n".join(part for part in (message.title, message.body, message.link) if part)


def as_html(message: Message) -> str:
    link = f'<p><a href="{escape(message.link)}">查看详情 / Open</a></p>' if message.link else ""
    return f"<h3>{escape(message.title)}</h3>\n{linebreaks(message.body, autoescape=True)}\n{link}"


def _truncate_utf8(text: str, limit: int) -> str:
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    return data[: limit - 3].decode("utf-8", "ignore") + "…"


def wecom_payload(message: Message) -> dict[str, Any]:
    return {
        "msgtype": "markdown",
        "markdown": {"content": _truncate_utf8(as_markdown(message), WECOM_MAX_BYTES)},
    }


def dingtalk_payload(message: Message) -> dict[str, Any]:
    return {"msgtype": "markdown", "markdown": {"title": message.title, "text": as_markdown(message)}}


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """The DingTalk robot signature for a timestamp (milliseconds), URL-encoded."""
    digest = hmac.new(secret.encode("utf-8"), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest).decode("ascii"))


def dingtalk_url(url: str, secret: str, *, timestamp_ms: int | None = None) -> str:
    """The webhook URL with ``timestamp`` and ``sign`` added when the robot has a secret."""
    if not secret:
        return url
    # The robot checks the signature against its own clock (±1 hour), so this is real time, not the pass's.
    timestamp_ms = timestamp_ms if timestamp_ms is not None else int(time.time() * 1000)
    joiner = "&" if urllib.parse.urlsplit(url).query else "?"
    return f"{url}{joiner}timestamp={timestamp_ms}&sign={dingtalk_sign(secret, timestamp_ms)}"


def robot_result(result: OutboundResult) -> OutboundResult:
    """A robot's reply: HTTP 2xx is not enough, its errcode must be 0 too."""
    if not result.ok:
        return result
    reply = result.json()
    if isinstance(reply, dict) and reply.get("errcode", 0) != 0:
        return OutboundResult(
            ok=False,
            status=result.status,
            body=result.body,
            error=f"errcode {reply.get('errcode')}: {reply.get('errmsg', '')}"[:500],
        )
    return result


def destination(delivery: Delivery) -> str:
    """Where the delivery goes: a mail address or a webhook URL; "" when there is none any more."""
    if delivery.notice is not None and delivery.kind == ChannelKind.EMAIL:
        return (delivery.notice.recipient.email or "").strip()
    channel = delivery.channel
    if channel is None or not channel.active:
        return ""
    return channel.address.strip()


def send(delivery: Delivery) -> OutboundResult:
    """Send one delivery on its channel through luoshi.lib.outbound."""
    message = message_of(delivery)
    address = destination(delivery)
    if not address:
        return OutboundResult(
            ok=False, error="no address: the recipient has no mail address or the channel is gone"
        )
    if delivery.kind == ChannelKind.EMAIL:
        return outbound.send_mail(
            to=[address], subject=message.title, text=as_text(message), html=as_html(message)
        )
    if delivery.kind == ChannelKind.WECOM:
        return robot_result(outbound.post_json(address, wecom_payload(message)))
    if delivery.kind == ChannelKind.DINGTALK:
        secret = delivery.channel.secret if delivery.channel else ""
        return robot_result(outbound.post_json(dingtalk_url(address, secret), dingtalk_payload(message)))
    return OutboundResult(ok=False, error=f"unknown channel kind {delivery.kind!r}")


def shown_destination(delivery: Delivery) -> str:
    """The address to record: a mail address, or a webhook's host (its token stays out of the record)."""
    address = destination(delivery)
    if delivery.kind == ChannelKind.EMAIL:
        return address
    return urllib.parse.urlsplit(address).netloc
