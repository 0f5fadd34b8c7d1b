from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import authenticate, get_user_model

from luoshi.accounts.models import ApiToken, Role
from luoshi.people.services import (
    AccountError,
    authenticate_token,
    create_user,
    issue_token,
    revoke_token,
    set_role,
)
from luoshi.testing.world import PASSWORD
from luoshi.units.models import Unit

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2024, 5, 6, 7, 8, tzinfo=dt.UTC)


@pytest.fixture
def unit() -> Unit:
    return Unit.objects.create(code="fgw", name="自治区发展改革委", level="region", catalog="test")


def test_it_creates_a_liaison_with_unit_and_password(unit: Unit) -> None:
    user = create_user(
        username="wang", password=PASSWORD, role=Role.LIAISON, unit=unit, display_name="王联络"
    )
    assert user.profile.role == Role.LIAISON
    assert user.profile.unit == unit
    assert user.get_full_name() == "王联络"
    assert authenticate(username="wang", password=PASSWORD) == user


def test_it_refuses_a_liaison_or_unit_head_without_unit() -> None:
    for role in (Role.LIAISON, Role.UNIT_HEAD):
        with pytest.raises(AccountError) as caught:
            create_user(username=f"x-{role}", password=PASSWORD, role=role)
        assert caught.value.code == "unit_required"
    assert not get_user_model().objects.exists()


def test_it_refuses_a_short_password_with_the_validators_reason(unit: Unit) -> None:
    with pytest.raises(AccountError) as caught:
        create_user(username="wang", password="short", role=Role.LIAISON, unit=unit)
    assert caught.value.code == "weak_password"
    assert "8" in caught.value.message_en
    assert not get_user_model().objects.exists()


def test_it_refuses_a_taken_username_and_an_unknown_role(unit: Unit) -> None:
    create_user(username="wang", password=PASSWORD, role=Role.SUPERVISOR)
    with pytest.raises(AccountError) as taken:
        create_user(username="wang", password=PASSWORD, role=Role.SUPERVISOR)
    assert taken.value.code == "username_taken"
    with pytest.raises(AccountError) as unknown:
        create_user(username="li", password=PASSWORD, role="king")
    assert unknown.value.code == "unknown_role"


def test_it_sets_a_role_creating_the_profile_when_missing(unit: Unit) -> None:
    user = get_user_model().objects.create_user(username="zhao")
    set_role(user=user, role=Role.UNIT_HEAD, unit=unit)
    set_role(user=user, role=Role.LEADER)
    user.profile.refresh_from_db()
    assert (user.profile.role, user.profile.unit) == (Role.LEADER, None)
    with pytest.raises(AccountError):
        set_role(user=user, role=Role.LIAISON)


def test_it_issues_a_token_stored_only_as_its_digest() -> None:
    user = create_user(username="etl", password=PASSWORD, role=Role.LEADER)
    raw = issue_token(user=user, name="dashboard")
    token = ApiToken.objects.get()
    assert token.digest == ApiToken.hash(raw) != raw
    assert raw not in str(ApiToken.objects.values().get())
    assert authenticate_token(raw=raw, now=NOW) == user
    token.refresh_from_db()
    assert token.last_used_at == NOW


def test_it_refuses_a_second_live_token_of_the_same_name_but_not_after_revoking() -> None:
    user = create_user(username="etl", password=PASSWORD, role=Role.LEADER)
    first = issue_token(user=user, name="dashboard")
    with pytest.raises(AccountError) as caught:
        issue_token(user=user, name="dashboard")
    assert caught.value.code == "token_name_taken"
    revoke_token(token=ApiToken.objects.get())
    second = issue_token(user=user, name="dashboard")
    assert authenticate_token(raw=first) is None
    assert authenticate_token(raw=second) == user


def test_it_refuses_unknown_revoked_and_deactivated_tokens() -> None:
    user = create_user(username="etl", password=PASSWORD, role=Role.LEADER)
    raw = issue_token(user=user, name="dashboard")
    assert authenticate_token(raw="ls_unknown") is None
    assert authenticate_token(raw="") is None
    user.is_active = False
    user.save()
    assert authenticate_token(raw=raw) is None
