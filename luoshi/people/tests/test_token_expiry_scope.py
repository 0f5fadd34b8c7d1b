"""API tokens expire, carry a scope (read / write), and die with a password change or a deactivation."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

from luoshi.accounts.models import ApiToken
from luoshi.audit.models import AuditEntry
from luoshi.people.services import (
    AccountError,
    TokenScopeDenied,
    check_token,
    deactivate_account,
    issue_token,
    password_changed,
    reset_password,
)
from luoshi.testing.api import every_operation
from luoshi.testing.world import PASSWORD, World

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "a-new-Passw0rd-456"


def bearer(raw: str) -> dict[str, Any]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_a_token_lasts_the_configured_days_and_then_is_refused_with_401(
    world: World, client: Client, settings: Any
) -> None:
    settings.TOKEN_DAYS = 30
    raw = issue_token(user=world.supervisor, name="etl")
    token = ApiToken.objects.get()
    assert token.expires_at is not None
    assert abs((token.expires_at - timezone.now()) - dt.timedelta(days=30)) < dt.timedelta(minutes=1)
    assert client.get("/api/me", **bearer(raw)).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    refused = client.get("/api/me", **bearer(raw), HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 401
    body = refused.json()
    assert body["code"] == "token_expired"
    assert "expired" in body["message_en"] and "过期" in body["message"]
    assert "invalid_token" in refused["WWW-Authenticate"]


def test_a_read_token_may_read_but_not_change_anything(world: World, client: Client) -> None:
    read = issue_token(user=world.liaison_a, name="dashboard", scope="read")
    write = issue_token(user=world.liaison_a, name="sync", scope="write")
    assert client.get("/api/me", **bearer(read)).status_code == 200
    unsafe = [(m, p) for m, p in every_operation() if m in {"POST", "PUT", "PATCH", "DELETE"}]
    assert unsafe
    for method, path in unsafe:
        refused = client.generic(method, path, "{not json", content_type="application/json", **bearer(read))
        assert refused.status_code == 403, (method, path)
        assert refused.json()["code"] == "token_read_only"
    zh = client.post(
        "/api/reports", "{}", content_type="application/json", **bearer(read), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert "只读" in zh.json()["detail"]
    en = client.post(
        "/api/reports", "{}", content_type="application/json", **bearer(read), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "read-only" in en.json()["detail"]
    for method in ("PUT", "PATCH", "DELETE"):  # no such endpoint yet: the service decides for any future one
        with pytest.raises(TokenScopeDenied):
            check_token(raw=read, method=method)
        assert check_token(raw=write, method=method).scope == "write"
    allowed = client.post("/api/reports", "{not json", content_type="application/json", **bearer(write))
    assert allowed.status_code not in (401, 403)  # past authentication: the body is what is wrong


def test_bad_scope_or_days_are_refused(world: World) -> None:
    with pytest.raises(AccountError) as scope:
        issue_token(user=world.supervisor, name="x", scope="admin")
    assert scope.value.code == "token_scope"
    for days in (0, -1, 100000):
        with pytest.raises(AccountError) as bad:
            issue_token(user=world.supervisor, name="x", days=days)
        assert bad.value.code == "token_days"
    assert not ApiToken.objects.exists()


def test_issue_token_command_takes_scope_and_days(world: World) -> None:
    out = StringIO()
    call_command(
        "issue_token",
        "supervisor",
        "report-bi",
        "--scope",
        "read",
        "--days",
        "7",
        stdout=out,
        stderr=StringIO(),
    )
    token = ApiToken.objects.get()
    assert out.getvalue().strip().startswith("ls_")
    assert token.scope == "read"
    assert token.expires_at is not None
    assert (token.expires_at - timezone.now()).days in (6, 7)
    with pytest.raises(CommandError):
        call_command(
            "issue_token", "supervisor", "other", "--days", "0", stdout=StringIO(), stderr=StringIO()
        )


def test_issuing_is_audited_with_scope_and_expiry(world: World) -> None:
    issue_token(user=world.supervisor, name="etl", scope="read", days=10)
    entry = AuditEntry.objects.filter(object_type__icontains="token", action="create").get()
    assert entry.changes["scope"] == [None, "read"]
    assert entry.changes["expires_at"][1]


def test_a_password_reset_revokes_all_the_users_tokens(world: World, client: Client) -> None:
    raws = [issue_token(user=world.liaison_a, name=n) for n in ("a", "b")]
    other = issue_token(user=world.liaison_b, name="a")
    reset_password(actor=world.admin, user=world.liaison_a, password=NEW_PASSWORD)
    for raw in raws:
        assert client.get("/api/me", **bearer(raw)).status_code == 401
    assert client.get("/api/me", **bearer(other)).status_code == 200
    notes = AuditEntry.objects.filter(object_type__icontains="token", note__contains="password reset")
    assert notes.count() == 2


def test_changing_ones_own_password_on_the_page_revokes_ones_tokens(world: World, client: Client) -> None:
    raw = issue_token(user=world.supervisor, name="etl")
    assert client.login(username="supervisor", password=PASSWORD)
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    token = ApiToken.objects.get()
    assert token.revoked_at is not None
    assert Client().get("/api/me", **bearer(raw)).status_code == 401
    assert AuditEntry.objects.filter(
        object_type__icontains="token", note__contains="password changed"
    ).exists()


def test_password_changed_service_counts_what_it_revoked(world: World) -> None:
    issue_token(user=world.leader, name="one")
    issue_token(user=world.leader, name="two")
    assert password_changed(user=world.leader) == 2
    assert password_changed(user=world.leader) == 0


def test_deactivation_revokes_the_tokens_and_says_why(world: World, client: Client) -> None:
    raw = issue_token(user=world.liaison_a, name="etl")
    deactivate_account(actor=world.admin, user=world.liaison_a)
    assert ApiToken.objects.get().revoked_at is not None
    assert client.get("/api/me", **bearer(raw)).status_code == 401
    assert AuditEntry.objects.filter(object_type__icontains="token", note__contains="deactivated").exists()
