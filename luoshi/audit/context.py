"""Who is acting, for the audit trail: set per request by the middleware, "cli" otherwise.

A ``ContextVar`` holds the current request (the user is read from it when an
entry is written, so an API token's user, set during the view, counts too).
Outside a request (management commands, the tick, tests) there is no actor
and the label is "cli".
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from luoshi.core import proxy

CLI_LABEL = "cli"
ANONYMOUS_LABEL = "anonymous"


@dataclass(frozen=True)
class Acting:
    request: HttpRequest | None = None
    user: Any = None
    ip: str | None = None
    label: str = CLI_LABEL


_current: contextvars.ContextVar[Acting | None] = contextvars.ContextVar("luoshi_audit_acting", default=None)


def client_ip(request: HttpRequest) -> str | None:
    """The peer's address; X-Forwarded-For only when the peer is one of LUOSHI_TRUSTED_PROXIES (luoshi.core.proxy)."""
    return proxy.client_ip(request)


def bind_request(request: HttpRequest) -> contextvars.Token[Acting | None]:
    return _current.set(Acting(request=request, ip=client_ip(request)))


def reset(token: contextvars.Token[Acting | None]) -> None:
    _current.reset(token)


@contextmanager
def acting_as(*, user: Any = None, ip: str | None = None, label: str = "") -> Iterator[None]:
    """Attribute entries written inside the block to ``user`` (or just ``label``), e.g. in a command."""
    token = _current.set(Acting(user=user, ip=ip, label=label or _label_of(user) or CLI_LABEL))
    try:
        yield
    finally:
        _current.reset(token)


def current() -> tuple[Any, str, str | None]:
    """(user or None, label, ip) of whoever is acting now."""
    acting = _current.get()
    if acting is None:
        return None, CLI_LABEL, None
    user = acting.user
    if acting.request is not None:
        user = getattr(acting.request, "user", None)
        if not getattr(user, "is_authenticated", False):
            return None, ANONYMOUS_LABEL, acting.ip
    return user, _label_of(user) or acting.label, acting.ip


def _label_of(user: Any) -> str:
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    return str(user.get_username())
