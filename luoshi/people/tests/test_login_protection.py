"""Login throttling (django-axes), its audit trail and unlock; the password rules and their language."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import Client

from luoshi.accounts.models import Role
from luoshi.audit.models import AuditEntry
from luoshi.people.services import AccountError, create_user, locked_out, unlock_account
from luoshi.testing.world import PASSWORD, World

LOGIN = "/accounts/login/"


def _client(ip: str = "192.0.2.10", language: str = "zh-hans") -> Client:
    client = Client(REMOTE_ADDR=ip)
    client.cookies["django_language"] = language
    return client


def _fail(client: Client, username: str, times: int, url: str = LOGIN) -> None:
    for _ in range(times):
        client.post(url, {"username": username, "password": "not the password"})


def test_twenty_wrong_passwords_lock_the_account_even_for_the_right_one(world: World) -> None:
    client = _client()
    _fail(client, world.supervisor.username, 20)
    response = client.post(LOGIN, {"username": world.supervisor.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    page = response.content.decode()
    assert "登录失败次数过多" in page and "15" in page and "Too many" not in page
    assert locked_out(world.supervisor)


def test_the_account_is_locked_from_every_address_and_an_address_for_every_account(world: World) -> None:
    _fail(_client("192.0.2.1"), world.supervisor.username, 5)
    assert (
        _client("192.0.2.2")
        .post(LOGIN, {"username": world.supervisor.username, "password": PASSWORD})
        .status_code
        == 429
    )
    attacker = _client("198.51.100.7")
    for n in range(5):
        _fail(attacker, f"guess{n}", 1)
    assert attacker.post(LOGIN, {"username": world.leader.username, "password": PASSWORD}).status_code == 429
    assert (
        _client("198.51.100.8")
        .post(LOGIN, {"username": world.leader.username, "password": PASSWORD})
        .status_code
        == 302
    )


def test_fewer_failures_than_the_limit_still_let_the_right_password_in(world: World) -> None:
    client = _client()
    _fail(client, world.supervisor.username, 4)
    assert (
        client.post(LOGIN, {"username": world.supervisor.username, "password": PASSWORD}).status_code == 302
    )


def test_the_admin_login_is_throttled_too(world: World) -> None:
    client = _client()
    _fail(client, world.superuser.username, 6, url="/admin/login/")
    response = client.post("/admin/login/", {"username": world.superuser.username, "password": PASSWORD})
    assert response.status_code == 429 and "_auth_user_id" not in client.session


def test_the_locked_out_page_speaks_the_page_language(world: World) -> None:
    client = _client(language="en")
    _fail(client, world.supervisor.username, 5)
    page = client.post(LOGIN, {"username": world.supervisor.username, "password": PASSWORD}).content.decode()
    assert "Too many failed logins" in page and "登录失败次数过多" not in page


def test_a_lockout_is_audited(world: World) -> None:
    _fail(_client(), world.supervisor.username, 5)
    entry = AuditEntry.objects.filter(action="login_failed", note__contains="锁定").get()
    assert entry.object_repr == world.supervisor.username and entry.ip == "192.0.2.10"


def test_an_administrator_unlocks_on_the_people_page(world: World) -> None:
    _fail(_client(), world.liaison_a.username, 5)
    office = Client()
    office.force_login(world.admin)
    row = office.get("/people/users/", {"q": world.liaison_a.username}).content.decode()
    assert f"/people/users/{world.liaison_a.pk}/unlock" in row
    assert office.post(f"/people/users/{world.liaison_a.pk}/unlock").status_code == 302
    assert not locked_out(world.liaison_a)
    assert AuditEntry.objects.filter(
        object_id=str(world.liaison_a.pk), note__contains="解除登录锁定"
    ).exists()
    assert (
        _client().post(LOGIN, {"username": world.liaison_a.username, "password": PASSWORD}).status_code == 302
    )


def test_a_liaison_may_not_unlock(world: World) -> None:
    _fail(_client(), world.liaison_b.username, 5)
    client = Client()
    client.force_login(world.liaison_a)
    assert client.post(f"/people/users/{world.liaison_b.pk}/unlock").status_code in (403, 404)
    assert locked_out(world.liaison_b)
    with pytest.raises(PermissionDenied):
        unlock_account(actor=world.liaison_a, user=world.liaison_b)


def test_the_unlock_command(world: World, capsys: Any) -> None:
    _fail(_client(), world.supervisor.username, 5)
    call_command("unlock", world.supervisor.username)
    assert "unlocked" in capsys.readouterr().out and not locked_out(world.supervisor)


# Django's list already has woaini1314 and qq123456; qq5201314, wodemima, zhongguo123, 1314love are in ours only.
@pytest.mark.parametrize(
    "password",
    [
        "12345678",
        "woaini1314",
        "qq123456",
        "a12345678",
        "147258369",
        "password1",
        "qq5201314",
        "wodemima",
        "zhongguo123",
        "1314love",
    ],
)
def test_common_passwords_are_refused_with_reasons_in_each_language(world: World, password: str) -> None:
    with pytest.raises(AccountError) as refused:
        create_user(username="wang", password=password, role=Role.LIAISON, unit=world.unit_a)
    zh, en = refused.value.message_zh, refused.value.message_en
    assert refused.value.code == "weak_password"
    assert "常见" in zh or "数字" in zh
    assert not any("a" <= c.lower() <= "z" for c in zh), zh  # no English in the Chinese message
    assert "common" in en or "numeric" in en


def test_a_good_password_is_accepted(world: World) -> None:
    assert create_user(username="wang", password="zhu-ren-wu-2026!", role=Role.LIAISON, unit=world.unit_a).pk


def test_the_reset_password_error_is_in_the_page_language_next_to_its_field(world: World) -> None:
    office = Client()
    office.force_login(world.admin)
    url = f"/people/users/{world.liaison_a.pk}/password"
    page = office.post(url, {"password": "woaini1314", "password2": "woaini1314"}).content.decode()
    block = page[page.index('id="id_password-field"') : page.index('id="id_password2-field"')]
    assert "has-error" in page and "这个密码太常见了" in block and "common" not in block
    office.cookies["django_language"] = "en"
    page = office.post(url, {"password": "woaini1314", "password2": "woaini1314"}).content.decode()
    block = page[page.index('id="id_password-field"') : page.index('id="id_password2-field"')]
    assert "too common" in block and "密码" not in block


def test_the_change_password_page_refuses_a_common_password_in_its_language(world: World) -> None:
    client = Client()
    client.force_login(world.supervisor)
    data = {"old_password": PASSWORD, "new_password1": "qq5201314", "new_password2": "qq5201314"}
    page = client.post("/accounts/password/", data).content.decode()
    block = page[page.index('id="field-new_password2"') :]
    assert "这个密码太常见了" in block and "too common" not in page
    client.cookies["django_language"] = "en"
    page = client.post("/accounts/password/", data).content.decode()
    assert "too common" in page and "这个密码太常见了" not in page
    world.supervisor.refresh_from_db()
    assert world.supervisor.check_password(PASSWORD)
