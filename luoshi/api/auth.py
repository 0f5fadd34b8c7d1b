"""Who is calling: an API token (integrations) or the browser's session.

1. ``Authorization: Bearer <token>`` is checked first. A request that carries
   a token is judged by that token alone: an unknown, revoked or expired token
   is 401 even when a session cookie is present too; a read-scope token on
   POST, PUT, PATCH or DELETE is 403.
2. Otherwise the Django session: a logged-in browser, with Django's CSRF check
   on unsafe methods (POST, PUT, PATCH, DELETE).
3. Neither: 401.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from luoshi.people.services import check_token


class CsrfFailed(Exception):
    """A session request to an unsafe method without a valid CSRF token."""


class TokenAuth(HttpBearer):
    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get(self.header, "")
        if not header:
            return None
        scheme, _, raw = header.partition(" ")
        if scheme.lower() != "bearer":
            raise AuthenticationError()
        return self.authenticate(request, raw.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        # A bad token never falls back to the session: TokenRefused (401) or TokenScopeDenied (403).
        user = check_token(raw=token, method=request.method or "GET").user
        request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """Django's session login; the CSRF check runs only for a logged-in user."""

    param_name: str = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        if self.csrf and check_csrf(request) is not None:
            raise CsrfFailed()
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return request.user if request.user.is_authenticated else None


AUTH = [TokenAuth(), SessionAuth()]
