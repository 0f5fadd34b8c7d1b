"""Logins and failed logins go to the audit trail (connected in AuditConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.utils import timezone

from luoshi.audit import context
from luoshi.audit.models import Action, AuditEntry
from luoshi.audit.services import record


def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record(action=Action.LOGIN, obj=user, actor=user)


def _login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    """The name tried is kept (never the password); the entry points at the user when one has that name."""
    username = str(credentials.get("username", ""))[:150]
    user = get_user_model().objects.filter(username=username).first()
    _, label, ip = context.current()
    AuditEntry.objects.create(
        at=timezone.now(),
        actor=None,
        actor_label=label,
        ip=ip,
        action=Action.LOGIN_FAILED,
        object_type="auth.user",
        object_id=str(user.pk) if user else "",
        object_repr=username,
        note="用户名或密码错误 / wrong username or password",
    )


def connect() -> None:
    user_logged_in.connect(_logged_in, dispatch_uid="luoshi.audit.login")
    user_login_failed.connect(_login_failed, dispatch_uid="luoshi.audit.login_failed")
