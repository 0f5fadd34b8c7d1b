"""Login protection on top of django-axes: the backend, the locked-out page, lockouts in the audit trail.

django-axes counts failed logins per account and per address (settings.AXES_*, from
LUOSHI_LOGIN_FAILURE_LIMIT and LUOSHI_LOGIN_LOCKOUT_MINUTES) on every login that goes through
``django.contrib.auth.authenticate`` with a request: the login page and /admin/. Unlocking is
``luoshi.people.services.unlock_account``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext

from luoshi.audit.models import Action, AuditEntry


class LoginProtectionBackend(AxesStandaloneBackend):
    """Axes' check, skipped for a login made by the program itself (no request: the test client, a command)."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def lockout_message() -> str:
    """The refusal, in the page's language."""
    return gettext(
        "Too many failed logins: this account or this address is locked for %(minutes)d minutes. "
        "Try again later, or ask an administrator to unlock it."
    ) % {"minutes": lockout_minutes()}


def locked_out_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The locked-out page (429), for the login page and /admin/ alike."""
    return render(request, "registration/locked_out.html", {"message": lockout_message()}, status=429)


def locked_usernames(usernames: Iterable[str]) -> set[str]:
    """Those of the accounts that reached the failure limit within the lockout time (one query)."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    counts = (
        AccessAttempt.objects.filter(username__in=list(usernames), attempt_time__gte=since)
        .values("username")
        .annotate(n=Sum("failures_since_start"))
    )
    return {row["username"] for row in counts if row["n"] >= settings.AXES_FAILURE_LIMIT}


def is_locked(username: str) -> bool:
    """Has the account reached the failure limit within the lockout time?"""
    return username in locked_usernames([username])


def record_lockout(
    sender: Any,
    request: HttpRequest | None = None,
    username: str | None = None,
    ip_address: str | None = None,
    **kwargs: Any,
) -> None:
    """A lockout goes to the audit trail, next to the failed logins that caused it."""
    name = str(username or "")[:150]
    user = get_user_model().objects.filter(username=name).first() if name else None
    AuditEntry.objects.create(
        at=timezone.now(),
        actor=None,
        actor_label=name,
        ip=ip_address or None,
        action=Action.LOGIN_FAILED,
        object_type="auth.user",
        object_id=str(user.pk) if user else "",
        object_repr=name,
        note=f"登录失败次数过多，已锁定 {lockout_minutes()} 分钟 / "
        f"too many failed logins: locked for {lockout_minutes()} minutes",
    )


def connect() -> None:
    from axes.signals import user_locked_out

    user_locked_out.connect(record_lockout, dispatch_uid="luoshi.accounts.lockout")
