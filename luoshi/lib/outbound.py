"""The one place luoshi talks to the network: JSON webhooks and mail.

Everything that leaves the server (group-robot webhooks, SMTP) goes through
``post_json`` or ``send_mail`` so that tests mock one place and so that a
failure is always a result, never an exception that aborts a pass of
``luoshi tick``. Only http(s) URLs are accepted; every call has a timeout.

Environment proxies are ignored on purpose: an intranet server reaches its
robots directly or through the one proxy named by LUOSHI_OUTBOUND_PROXY.
"""

from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection

MAX_BODY = 64 * 1024  # bytes of a response kept for the record


@dataclass(frozen=True)
class OutboundResult:
    """What happened to one outgoing call. ``ok`` is False for refusals, network errors and non-2xx replies."""

    ok: bool
    status: int | None = None  # HTTP status, None when no reply came
    body: str = ""
    error: str = ""

    def json(self) -> Any:
        """The reply body parsed as JSON, or None when it is not JSON."""
        try:
            return json.loads(self.body)
        except ValueError:
            return None


def _opener() -> urllib.request.OpenerDirector:
    proxy = getattr(settings, "OUTBOUND_PROXY", "")
    proxies = {"http": proxy, "https": proxy} if proxy else {}
    return urllib.request.build_opener(urllib.request.ProxyHandler(proxies))


def check_url(url: str) -> str:
    """An error message when ``url`` is not an absolute http(s) URL, else ""."""
    parts = urllib.parse.urlsplit(url or "")
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        return f"refused: only http(s) URLs are allowed, got {url[:100]!r}"
    return ""


def post_json(url: str, payload: Any, *, timeout: float | None = None) -> OutboundResult:
    """POST ``payload`` as UTF-8 JSON to ``url``; return the outcome, never raise for network trouble."""
    refused = check_url(url)
    if refused:
        return OutboundResult(ok=False, error=refused)
    timeout = timeout if timeout is not None else settings.OUTBOUND_TIMEOUT
    data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(
        url, data=data, method="POST", headers={"Content-Type": "application/json; charset=utf-8"}
    )
    try:
        with _opener().open(request, timeout=timeout) as response:
            body = response.read(MAX_BODY).decode("utf-8", "replace")
            status = response.status
    except urllib.error.HTTPError as exc:
        body = exc.read(MAX_BODY).decode("utf-8", "replace") if exc.fp else ""
        return OutboundResult(ok=False, status=exc.code, body=body, error=f"HTTP {exc.code}")
    except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return OutboundResult(ok=False, error=f"{type(exc).__name__}: {reason}")
    return OutboundResult(
        ok=200 <= status < 300,
        status=status,
        body=body,
        error="" if 200 <= status < 300 else f"HTTP {status}",
    )


def send_mail(
    *,
    to: list[str],
    subject: str,
    text: str,
    html: str = "",
    from_email: str | None = None,
    timeout: float | None = None,
) -> OutboundResult:
    """Send one message (plain text, with an HTML alternative when given) through the configured SMTP server."""
    if not to:
        return OutboundResult(ok=False, error="refused: no recipient address")
    timeout = timeout if timeout is not None else settings.OUTBOUND_TIMEOUT
    try:
        connection = get_connection(timeout=timeout)
        message = EmailMultiAlternatives(
            subject=subject.replace("\n", " "),
            body=text,
            from_email=from_email or settings.DEFAULT_FROM_EMAIL,
            to=to,
            connection=connection,
        )
        if html:
            message.attach_alternative(html, "text/html")
        sent = message.send(fail_silently=False)
    except Exception as exc:  # SMTP, socket and encoding errors all become a failed result
        return OutboundResult(ok=False, error=f"{type(exc).__name__}: {exc}"[:500])
    return OutboundResult(ok=sent == 1, error="" if sent == 1 else "not sent")
