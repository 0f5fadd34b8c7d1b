"""Changing one's own password: the old one is checked, errors sit next to their field, the change is audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from luoshi.accounts.models import Role
from luoshi.audit.models import AuditEntry
from luoshi.people.services import create_user

pytestmark = pytest.mark.django_db
OLD, NEW = "pw-office-123", "a-new-Passw0rd-456"


@pytest.fixture(autouse=True)
def english(settings: Any) -> None:
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def office(client: Client) -> Client:
    create_user(username="office", password=OLD, role=Role.SUPERVISOR)
    assert client.login(username="office", password=OLD)
    return client


def _field(page: str, name: str) -> str:
    """The HTML of one field's block: its label, input and errors."""
    start = page.index(f'<div id="field-{name}"')
    end = page.find('<div id="field-', start + 1)
    return page[start : end if end > 0 else page.index("</form>", start)]


def test_anonymous_users_are_sent_to_login(client: Client) -> None:
    for url in ("/accounts/password/", "/accounts/password/done/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_form_asks_for_the_old_password_and_the_new_one_twice(office: Client) -> None:
    page = office.get("/accounts/password/").content.decode()
    assert "<h1>Change password</h1>" in page
    for name in ("old_password", "new_password1", "new_password2"):
        assert f'name="{name}"' in _field(page, name)


def test_the_password_is_changed_and_the_change_audited(office: Client) -> None:
    response = office.post(
        "/accounts/password/", {"old_password": OLD, "new_password1": NEW, "new_password2": NEW}
    )
    assert response.status_code == 302 and response["Location"] == "/accounts/password/done/"
    page = office.get(response["Location"]).content.decode()  # still logged in
    assert "<h1>Password changed</h1>" in page

    entry = AuditEntry.objects.get(action="update", object_type="auth.user", note="password changed")
    assert entry.actor_label == "office" and entry.changes == {}
    fresh = Client()
    assert not fresh.login(username="office", password=OLD)
    assert fresh.login(username="office", password=NEW)


def test_a_wrong_old_password_is_shown_next_to_that_field(office: Client) -> None:
    response = office.post(
        "/accounts/password/", {"old_password": "not-it", "new_password1": NEW, "new_password2": NEW}
    )
    assert response.status_code == 200
    page = response.content.decode()
    old = _field(page, "old_password")
    assert "has-error" in old and "Your old password was entered incorrectly" in old
    assert "errorlist" not in _field(page, "new_password1") + _field(page, "new_password2")
    assert Client().login(username="office", password=OLD)
    assert not AuditEntry.objects.filter(note="password changed").exists()


def test_new_passwords_that_differ_or_are_too_short_are_refused_at_the_second_field(office: Client) -> None:
    page = office.post(
        "/accounts/password/", {"old_password": OLD, "new_password1": NEW, "new_password2": NEW + "x"}
    ).content.decode()
    assert "The two password fields didn’t match." in _field(page, "new_password2")
    page = office.post(
        "/accounts/password/", {"old_password": OLD, "new_password1": "short", "new_password2": "short"}
    ).content.decode()
    assert "too short" in _field(page, "new_password2")
