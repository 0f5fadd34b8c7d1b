"""Which request headers come from our own reverse proxy (settings.TRUSTED_PROXIES), and the client's address.

A header such as X-Forwarded-For or X-Forwarded-Proto is only as trustworthy as whoever sent it: a
client talking to luoshi directly can send any. ``TrustedProxyMiddleware`` (first in MIDDLEWARE) drops
them from every request whose peer is not a trusted proxy, so that Django's SECURE_PROXY_SSL_HEADER,
the audit trail and django-axes all see the same, believable, values.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
FORWARDED_FOR = "HTTP_X_FORWARDED_FOR"


def parse_networks(values: Iterable[str]) -> tuple[Network, ...]:
    """Addresses or networks ("10.0.0.5", "10.0.0.0/24", "::1"); ValueError names a bad one."""
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError:
            raise ValueError(f"LUOSHI_TRUSTED_PROXIES: not an address or network: {value!r}") from None
    return tuple(networks)


@lru_cache(maxsize=8)
def _networks(values: tuple[str, ...]) -> tuple[Network, ...]:
    return parse_networks(values)


def trusted_networks() -> tuple[Network, ...]:
    return _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))


def is_trusted(address: str | None) -> bool:
    if not address:
        return False
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in trusted_networks())


def proxy_headers() -> list[str]:
    """The META keys only a trusted proxy may set."""
    headers = [
        FORWARDED_FOR,
        "HTTP_X_FORWARDED_HOST",
        "HTTP_X_FORWARDED_PORT",
        "HTTP_X_REAL_IP",
        "HTTP_FORWARDED",
    ]
    ssl_header = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    if ssl_header:
        headers.append(ssl_header[0])
    return headers


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: the peer, or, when the peer is a trusted proxy, the last address in
    X-Forwarded-For that is not itself a trusted proxy (the one our proxies received the request from)."""
    peer = request.META.get("REMOTE_ADDR") or None
    if not is_trusted(peer):
        return peer
    forwarded = [p.strip() for p in request.META.get(FORWARDED_FOR, "").split(",") if p.strip()]
    for address in reversed(forwarded):
        if not is_trusted(address):
            return address
    return forwarded[0] if forwarded else peer


def axes_client_ip(request: HttpRequest) -> str | None:
    """django-axes' AXES_CLIENT_IP_CALLABLE: the same address as the audit trail's."""
    return client_ip(request)


class TrustedProxyMiddleware:
    """Drop the proxy headers of a request that did not come through a trusted proxy."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_trusted(request.META.get("REMOTE_ADDR")):
            for key in proxy_headers():
                request.META.pop(key, None)
        return self.get_response(request)
