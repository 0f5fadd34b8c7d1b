"""Bulk onboarding: create_users checks every row first, shares one password hash, audits each account."""

from __future__ import annotations

from typing import Any

import pytest

from luoshi.accounts.models import Profile, Role
from luoshi.audit.models import AuditEntry
from luoshi.people.services import AccountError, NewUser, create_user, create_users
from luoshi.units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit() -> Unit:
    return Unit.objects.create(code="fgw", name="自治区发展改革委", level="region", catalog="test")


def test_create_users_makes_accounts_profiles_and_audit_entries(unit: Unit, django_user_model: Any) -> None:
    made = create_users(
        users=[NewUser("a-liaison", Role.LIAISON, unit, "联络员甲"), NewUser("a-leader", Role.LEADER)],
        password="a-long-enough-password",
    )
    assert [u.username for u in made] == ["a-liaison", "a-leader"]
    assert made[0].check_password("a-long-enough-password") and made[0].get_full_name() == "联络员甲"
    assert made[0].password == made[1].password  # one hash for the batch
    assert Profile.objects.get(user=made[0]).unit == unit
    assert AuditEntry.objects.filter(object_type="auth.user", action="create").count() == 2


@pytest.mark.parametrize(
    ("rows", "code"),
    [
        ([NewUser("taken", Role.LEADER)], "username_taken"),
        ([NewUser("twice", Role.LEADER), NewUser("twice", Role.LEADER)], "username_taken"),
        ([NewUser("nounit", Role.LIAISON)], "unit_required"),
        ([NewUser(" ", Role.LEADER)], "username_required"),
        ([NewUser("who", "chief")], "unknown_role"),
    ],
)
def test_create_users_refuses_a_bad_row_and_writes_nothing(
    rows: list[NewUser], code: str, django_user_model: Any
) -> None:
    create_user(username="taken", password="a-long-enough-password", role=Role.LEADER)
    before = django_user_model.objects.count()
    with pytest.raises(AccountError) as refused:
        create_users(users=rows, password="a-long-enough-password")
    assert refused.value.code == code
    assert django_user_model.objects.count() == before


def test_create_users_refuses_a_weak_password() -> None:
    with pytest.raises(AccountError) as refused:
        create_users(users=[NewUser("short", Role.LEADER)], password="short")
    assert refused.value.code == "weak_password"
