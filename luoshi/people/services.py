"""Accounts: people, their role and unit, API tokens. Shared by the CLI, admin, API and tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from luoshi.accounts.access import ACCOUNTS, account_role, manageable_roles, require_account_manager
from luoshi.accounts.models import ApiToken, Profile, Role, TokenScope
from luoshi.accounts.passwords import password_problems
from luoshi.accounts.scope import UNIT_ROLES, RoleRequired
from luoshi.audit import context as audit_context
from luoshi.audit.services import Pending, record, record_many
from luoshi.lib.errors import BilingualError
from luoshi.people.login_protection import is_locked, locked_usernames
from luoshi.units.models import Unit


class AccountError(BilingualError):
    """An account operation that cannot be done, with a bilingual message."""

    # code -> the argument of the account operations it concerns.
    fields = {
        "username_required": "username",
        "username_taken": "username",
        "unknown_role": "role",
        "own_role": "role",
        "last_admin": "role",
        "unit_required": "unit",
        "unit_inactive": "unit",
        "weak_password": "password",
    }


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
    _check_password(password, user=User(username=username, first_name=display_name))
    try:
        user = User.objects.create_user(username=username, password=password, first_name=display_name)
    except IntegrityError:
        raise AccountError(
            "username_taken", f"用户名“{username}”已被使用。", f"The username '{username}' is already taken."
        ) from None
    Profile.objects.create(user=user, role=role, unit=unit)
    record(
        action="create", obj=user, changes={"role": [None, role], "unit": [None, unit.pk if unit else None]}
    )
    return user


@dataclass(frozen=True)
class NewUser:
    """One account for ``create_users``."""

    username: str
    role: str
    unit: Unit | None = None
    display_name: str = ""


@transaction.atomic
def create_users(*, users: Sequence[NewUser], password: str) -> list[Any]:
    """Create many accounts with one initial password (bulk onboarding); ``create_user``'s rules per row.

    Every row is checked (name given and free, not repeated, role and unit)
    and the password validated once, before anything is written. The password
    is hashed once and the hash shared: the accounts share the password by
    construction, and the slow hash (Argon2) then costs once, not per row.
    Users, profiles and one audit entry per account are written in bulk.
    """
    User = get_user_model()
    names = [u.username.strip() for u in users]
    for row, name in zip(users, names, strict=True):
        if not name:
            raise AccountError("username_required", "用户名不能为空。", "The username is empty.")
        _check_role(row.role, row.unit)
    taken = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    repeated = {n for n in names if names.count(n) > 1} if len(set(names)) != len(names) else set()
    for name in names:
        if name in taken or name in repeated:
            raise AccountError(
                "username_taken", f"用户名“{name}”已被使用。", f"The username '{name}' is already taken."
            )
    try:
        validate_password(password)
    except ValidationError as exc:
        reasons = "; ".join(exc.messages)
        raise AccountError(
            "weak_password", f"密码不符合要求：{reasons}", f"The password is refused: {reasons}"
        ) from None
    encoded = make_password(password)
    made = User.objects.bulk_create(
        [
            User(username=name, password=encoded, first_name=row.display_name)
            for row, name in zip(users, names, strict=True)
        ]
    )
    Profile.objects.bulk_create(
        [Profile(user=user, role=row.role, unit=row.unit) for user, row in zip(made, users, strict=True)]
    )
    record_many(
        Pending(
            action="create",
            obj=user,
            changes={"role": [None, row.role], "unit": [None, row.unit.pk if row.unit else None]},
        )
        for user, row in zip(made, users, strict=True)
    )
    return made


def set_role(*, user: Any, role: str, unit: Unit | None = None) -> Profile:
    """Give a user a role (and unit), creating the profile if there is none."""
    _check_role(role, unit)
    old = Profile.objects.filter(user=user).first()
    profile, _ = Profile.objects.update_or_create(user=user, defaults={"role": role, "unit": unit})
    changes: dict[str, list[Any]] = {
        "role": [old.role if old else None, role],
        "unit": [old.unit_id if old else None, unit.pk if unit else None],
    }
    record(action="update", obj=user, changes={k: v for k, v in changes.items() if v[0] != v[1]})
    return profile


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class TokenRefused(AccountError):
    """An API token that does not authenticate (unknown, revoked, expired, or its owner deactivated): 401."""


class TokenScopeDenied(AccountError):
    """A read-only token used to change something: 403."""


def issue_token(
    *, user: Any, name: str, scope: str = TokenScope.WRITE, days: int | None = None, now: Any = None
) -> str:
    """Issue an API token and return its raw value: shown once, only its SHA-256 is stored.

    It lasts ``days`` days (default settings.TOKEN_DAYS); ``scope`` is "read" (GET only) or "write".
    """
    name = name.strip()
    if not name:
        raise AccountError("token_name_required", "令牌名称不能为空。", "The token name is empty.")
    if scope not in TokenScope.values:
        raise AccountError(
            "token_scope",
            f"令牌权限只能是 read 或 write，不能是“{scope}”。",
            f"A token's scope is read or write, not '{scope}'.",
        )
    days = settings.TOKEN_DAYS if days is None else days
    if not 1 <= days <= 3660:
        raise AccountError(
            "token_days",
            f"令牌有效期应为 1 至 3660 天（不是 {days}）。",
            f"A token lasts 1 to 3660 days (not {days}).",
        )
    if not user.is_active:
        raise AccountError("inactive_user", "该用户已停用。", "This user is deactivated.")
    if ApiToken.objects.filter(user=user, name=name, revoked_at=None).exists():
        raise AccountError(
            "token_name_taken",
            f"该用户已有名为“{name}”的有效令牌；请先吊销或换一个名称。",
            f"This user already has a live token named '{name}'; revoke it or pick another name.",
        )
    expires_at = (now or timezone.now()) + dt.timedelta(days=days)
    try:
        with transaction.atomic():
            token, raw = ApiToken.issue(user=user, name=name, scope=scope, expires_at=expires_at)
            record(
                action="create",
                obj=token,
                changes={
                    "user": [None, user.pk],
                    "name": [None, name],
                    "scope": [None, scope],
                    "expires_at": [None, expires_at.isoformat()],
                },
            )
    except IntegrityError:  # a concurrent issue with the same name
        raise AccountError(
            "token_name_taken",
            f"该用户已有名为“{name}”的有效令牌。",
            f"This user already has a live token named '{name}'.",
        ) from None
    return raw


def revoke_token(*, token: ApiToken, now: Any = None, note: str = "") -> ApiToken:
    """Revoke a token; it stays on record but no longer authenticates. Revoking twice is harmless."""
    if token.revoked_at is None:
        token.revoked_at = now or timezone.now()
        token.save(update_fields=["revoked_at"])
        record(action="update", obj=token, changes={"revoked_at": [None, token.revoked_at]}, note=note)
    return token


def revoke_user_tokens(*, user: Any, note: str, now: Any = None) -> int:
    """Revoke all of ``user``'s live tokens (password changed, account deactivated); how many were."""
    tokens = list(ApiToken.objects.filter(user=user, revoked_at=None))
    for token in tokens:
        revoke_token(token=token, now=now, note=note)
    return len(tokens)


def check_token(*, raw: str, method: str = "GET", now: Any = None) -> ApiToken:
    """The live token with this raw value, allowed for ``method``; records its use.

    Raises TokenRefused (unknown, revoked, expired, owner deactivated) or TokenScopeDenied (a read
    token on POST, PUT, PATCH or DELETE).
    """
    now = now or timezone.now()
    token = (
        (
            ApiToken.objects.select_related("user")
            .filter(digest=ApiToken.hash(raw or ""), revoked_at=None, user__is_active=True)
            .first()
        )
        if raw
        else None
    )
    if token is None:
        raise TokenRefused(
            "token_invalid", "API 令牌无效或已被吊销。", "The API token is unknown or revoked."
        )
    if token.expired(now):
        day = timezone.localtime(token.expires_at).date().isoformat()
        raise TokenRefused(
            "token_expired",
            f"API 令牌已于 {day} 过期：请申请新令牌。",
            f"The API token expired on {day}: ask for a new one.",
        )
    if token.scope != TokenScope.WRITE and method.upper() not in SAFE_METHODS:
        raise TokenScopeDenied(
            "token_read_only",
            "此 API 令牌只读，不能修改数据：请使用有写权限的令牌。",
            "This API token is read-only and cannot change anything: use a write token.",
        )
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def authenticate_token(*, raw: str, now: Any = None) -> Any:
    """The active user owning a live, unexpired token with this raw value, or None; records the use."""
    try:
        return check_token(raw=raw, now=now).user
    except TokenRefused:
        return None


# --- Administration of accounts by people (docs/administration.md) ---
#
# Administrators manage every account; the supervision office manages the
# accounts of units' people (liaisons and unit heads) and nobody else's.
# Accounts are deactivated, never deleted: the audit trail refers to them.


def _require_manager(actor: Any, *, user: Any = None, role: str | None = None) -> None:
    """Raise PermissionDenied unless ``actor`` may manage ``user``'s account and give ``role``."""
    require_account_manager(actor)
    roles = manageable_roles(actor)
    if (user is not None and not ACCOUNTS["manage_account"](actor, user)) or (
        role is not None and role in Role.values and role not in roles
    ):
        rule = ACCOUNTS["manage_account"]
        raise RoleRequired(rule.name, rule.message_zh, rule.message_en)


def _is_admin_account(user: Any) -> bool:
    return account_role(user) == Role.ADMIN


def _keep_another_admin(user: Any) -> None:
    """Refuse when ``user`` is the last active administrator.

    The active administrators' rows are locked first, so that two people
    removing two different administrators at once cannot both succeed.
    """
    admins = get_user_model().objects.filter(
        Q(is_superuser=True) | Q(profile__role=Role.ADMIN), is_active=True
    )
    list(admins.select_for_update(of=("self",)).values_list("pk", flat=True))
    if not admins.exclude(pk=user.pk).exists():
        raise AccountError(
            "last_admin",
            "这是最后一个有效的系统管理员账号，不能停用或降级。",
            "This is the last active administrator: it cannot be deactivated or given another role.",
        )


def _check_unit_open(unit: Unit | None) -> None:
    if unit is not None and not unit.active:
        raise AccountError(
            "unit_inactive",
            f"单位“{unit.name}”已停用，不能再分配人员。",
            f"The unit '{unit.name}' is deactivated; people can no longer be placed in it.",
        )


@contextmanager
def _acting(actor: Any) -> Iterator[None]:
    """Attribute audit entries written by the shared services to ``actor`` (keeping the request's address)."""
    _user, _label, ip = audit_context.current()
    with audit_context.acting_as(user=actor, ip=ip):
        yield


@transaction.atomic
def create_account(
    *, actor: Any, username: str, password: str, role: str, unit: Unit | None = None, display_name: str = ""
) -> Any:
    """Create an account as ``actor``: ``create_user`` once ``actor`` may give ``role`` and the unit is active."""
    _require_manager(actor, role=role)
    _check_unit_open(unit)
    with _acting(actor):
        return create_user(
            username=username, password=password, role=role, unit=unit, display_name=display_name.strip()
        )


@transaction.atomic
def update_account(
    *, actor: Any, user: Any, role: str, unit: Unit | None = None, display_name: str | None = None
) -> Any:
    """Change an account's role, unit and (unless None) display name.

    1. ``actor`` must manage the account and be allowed to give the new role.
    2. Nobody changes their own role, and the last active administrator keeps hers.
    3. A newly chosen unit must be active.
    4. Role and unit go through ``set_role``; the display name is recorded on its own.
    """
    _require_manager(actor, user=user, role=role)
    profile = Profile.objects.filter(user=user).first()
    old_role, old_unit_id = (profile.role, profile.unit_id) if profile else (None, None)
    if role != old_role and user.pk == actor.pk:
        raise AccountError("own_role", "不能修改自己的角色。", "You cannot change your own role.")
    if role != old_role and _is_admin_account(user) and not user.is_superuser and user.is_active:
        _keep_another_admin(user)
    if (unit.pk if unit else None) != old_unit_id:
        _check_unit_open(unit)
    if role != old_role or (unit.pk if unit else None) != old_unit_id:
        with _acting(actor):
            set_role(user=user, role=role, unit=unit)
    if display_name is not None and display_name.strip() != user.first_name:
        old_name, user.first_name = user.first_name, display_name.strip()
        user.save(update_fields=["first_name"])
        record(action="update", obj=user, actor=actor, changes={"display_name": [old_name, user.first_name]})
    return user


@transaction.atomic
def deactivate_account(*, actor: Any, user: Any, now: Any = None) -> Any:
    """Deactivate an account: it can no longer log in and its live API tokens are revoked.

    Refused for one's own account and for the last active administrator.
    Deactivating an inactive account changes nothing.
    """
    _require_manager(actor, user=user)
    if user.pk == actor.pk:
        raise AccountError(
            "deactivate_self", "不能停用自己的账号。", "You cannot deactivate your own account."
        )
    if not user.is_active:
        return user
    if _is_admin_account(user):
        _keep_another_admin(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    record(action="update", obj=user, actor=actor, changes={"is_active": [True, False]})
    with _acting(actor):
        revoke_user_tokens(user=user, now=now, note="账号停用 / account deactivated")
    return user


@transaction.atomic
def reactivate_account(*, actor: Any, user: Any) -> Any:
    """Let a deactivated account log in again (its revoked tokens stay revoked)."""
    _require_manager(actor, user=user)
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
        record(action="update", obj=user, actor=actor, changes={"is_active": [False, True]})
    return user


@transaction.atomic
def reset_password(*, actor: Any, user: Any, password: str) -> Any:
    """Set a new password chosen by ``actor`` (checked by the validators); the old sessions end with it."""
    _require_manager(actor, user=user)
    _check_password(password, user=user)
    user.set_password(password)
    user.save(update_fields=["password"])
    record(
        action="update", obj=user, actor=actor, note="password reset"
    )  # never the password, not even hashed
    with _acting(actor):
        revoke_user_tokens(user=user, note="密码重置 / password reset")
    return user


@transaction.atomic
def password_changed(*, user: Any) -> int:
    """After ``user`` changed their own password (Django's form set it): audited, their API tokens revoked."""
    record(
        action="update", obj=user, actor=user, note="password changed"
    )  # never the password, not even hashed
    with audit_context.acting_as(user=user, ip=audit_context.current()[2]):
        return revoke_user_tokens(user=user, note="密码修改 / password changed")


def _check_password(password: str, *, user: Any) -> None:
    """Refuse a password the validators refuse, with their reasons in each language."""
    problems = password_problems(password, user=user)
    if problems:
        zh, en = problems
        raise AccountError("weak_password", f"密码不符合要求：{zh}", f"The password is refused: {en}")


def locked_out(user: Any) -> bool:
    """Is the account locked after too many failed logins (login_protection)?"""
    return is_locked(user.get_username())


def locked_out_among(users: Iterable[Any]) -> set[str]:
    """The user names of those of ``users`` that are locked out (one query for a page of accounts)."""
    return locked_usernames(u.get_username() for u in users)


@transaction.atomic
def unlock_account(*, actor: Any, user: Any) -> int:
    """Lift a lockout after failed logins: the account's failures are forgotten (for every address).

    ``actor`` None is the server's operator (``luoshi unlock``); otherwise the same rule as for
    resetting the password. Returns how many failure records were removed; audited when any were.
    """
    if actor is not None:
        _require_manager(actor, user=user)
    removed = axes_reset(username=user.get_username())
    if removed:
        record(action="update", obj=user, actor=actor, note="解除登录锁定 / login lockout lifted")
    return removed


def admin_usernames() -> list[str]:
    """Active accounts that can administer luoshi (role admin, or a Django superuser)."""
    users = get_user_model().objects.filter(
        Q(profile__role=Role.ADMIN) | Q(is_superuser=True), is_active=True
    )
    return sorted(users.values_list("username", flat=True).distinct())
