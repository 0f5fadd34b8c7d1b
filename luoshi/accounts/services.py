"""Accounts: people, their role and unit, API tokens. Shared by the CLI, admin, API and tests."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from luoshi.accounts.models import ApiToken, Profile, Role
from luoshi.accounts.scope import UNIT_ROLES
from luoshi.audit.services import record
from luoshi.lib.errors import BilingualError
from luoshi.units.models import Unit


class AccountError(BilingualError):
    """An account operation that cannot be done, with a bilingual message."""


def _check_role(role: str, unit: Unit | None) -> None:
    if role not in Role.values:
        raise AccountError(
            "unknown_role",
            f"未知角色“{role}”，可选：{'、'.join(Role.values)}。",
            f"Unknown role '{role}'; choose one of: {', '.join(Role.values)}.",
        )
    if role in UNIT_ROLES and unit is None:
        raise AccountError(
            "unit_required",
            "联络员和单位负责人必须属于一个单位。",
            "A liaison or unit head must belong to a unit.",
        )


@transaction.atomic
def create_user(
    *, username: str, password: str, role: str, unit: Unit | None = None, display_name: str = ""
) -> Any:
    """Create a user with a profile.

    1. Check the role (liaisons and unit heads need a unit) and that the name is free.
    2. Check the password with Django's validators (settings.AUTH_PASSWORD_VALIDATORS).
    3. Create the user (password hashed with the configured hasher) and the profile.

    ``display_name`` (the person's full name) is kept in ``User.first_name`` so that
    ``get_full_name()`` shows it.
    """
    User = get_user_model()
    username = username.strip()
    if not username:
        raise AccountError("username_required", "用户名不能为空。", "The username is empty.")
    _check_role(role, unit)
    if User.objects.filter(username=username).exists():
        raise AccountError(
            "username_taken", f"用户名“{username}”已被使用。", f"The username '{username}' is already taken."
        )
    candidate = User(username=username, first_name=display_name)
    try:
        validate_password(password, user=candidate)
    except ValidationError as exc:
        reasons = "; ".join(exc.messages)
        raise AccountError("weak_password", f"密码不符合要求：{reasons}", f"The password is refused: {reasons}") from None
    try:
        user = User.objects.create_user(username=username, password=password, first_name=display_name)
    except IntegrityError:
        raise AccountError(
            "username_taken", f"用户名“{username}”已被使用。", f"The username '{username}' is already taken."
        ) from None
    Profile.objects.create(user=user, role=role, unit=unit)
    record(action="create", obj=user, changes={"role": [None, role], "unit": [None, unit.pk if unit else None]})
    return user


def set_role(*, user: Any, role: str, unit: Unit | None = None) -> Profile:
    """Give a user a role (and unit), creating the profile if there is none."""
    _check_role(role, unit)
    old = Profile.objects.filter(user=user).first()
    profile, _ = Profile.objects.update_or_create(user=user, defaults={"role": role, "unit": unit})
    changes: dict[str, list[Any]] = {"role": [old.role if old else None, role],
                                     "unit": [old.unit_id if old else None, unit.pk if unit else None]}
    record(action="update", obj=user, changes={k: v for k, v in changes.items() if v[0] != v[1]})
    return profile


def issue_token(*, user: Any, name: str) -> str:
    """Issue an API token and return its raw value: shown once, only its SHA-256 is stored."""
    name = name.strip()
    if not name:
        raise AccountError("token_name_required", "令牌名称不能为空。", "The token name is empty.")
    if not user.is_active:
        raise AccountError("inactive_user", "该用户已停用。", "This user is deactivated.")
    if ApiToken.objects.filter(user=user, name=name, revoked_at=None).exists():
        raise AccountError(
            "token_name_taken",
            f"该用户已有名为“{name}”的有效令牌；请先吊销或换一个名称。",
            f"This user already has a live token named '{name}'; revoke it or pick another name.",
        )
    try:
        with transaction.atomic():
            token, raw = ApiToken.issue(user=user, name=name)
            record(action="create", obj=token, changes={"user": [None, user.pk], "name": [None, name]})
    except IntegrityError:  # a concurrent issue with the same name
        raise AccountError(
            "token_name_taken",
            f"该用户已有名为“{name}”的有效令牌。",
            f"This user already has a live token named '{name}'.",
        ) from None
    return raw


def revoke_token(*, token: ApiToken, now: Any = None) -> ApiToken:
    """Revoke a token; it stays on record but no longer authenticates. Revoking twice is harmless."""
    if token.revoked_at is None:
        token.revoked_at = now or timezone.now()
        token.save(update_fields=["revoked_at"])
        record(action="update", obj=token, changes={"revoked_at": [None, token.revoked_at]})
    return token


def authenticate_token(*, raw: str, now: Any = None) -> Any:
    """The active user owning a live token with this raw value, or None; records the use."""
    if not raw:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=ApiToken.hash(raw), revoked_at=None, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now or timezone.now())
    return token.user
