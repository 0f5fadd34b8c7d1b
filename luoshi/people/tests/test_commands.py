from __future__ import annotations

import io
import sys

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from luoshi.accounts.models import ApiToken, Role
from luoshi.people.services import authenticate_token
from luoshi.testing.world import PASSWORD
from luoshi.units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def units() -> None:
    Unit.objects.create(code="fgw", name="自治区发展改革委", level="region", catalog="inner-mongolia")
    Unit.objects.create(code="fgw", name="国家发展改革委", level="central", catalog="state-council")


def run(*args: str, stdin: str = "") -> str:
    out = io.StringIO()
    old = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        call_command(*args, stdout=out, stderr=io.StringIO())
    finally:
        sys.stdin = old
    return out.getvalue()


def test_it_creates_a_liaison_of_the_catalogs_unit(units: None) -> None:
    out = run(
        "create_user",
        "wang",
        "--role",
        "liaison",
        "--unit",
        "fgw",
        "--catalog",
        "inner-mongolia",
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    user = get_user_model().objects.get(username="wang")
    assert user.check_password(PASSWORD)
    assert user.profile.role == Role.LIAISON
    assert user.profile.unit is not None and user.profile.unit.name == "自治区发展改革委"
    assert "wang" in out


def test_it_asks_for_the_catalog_when_a_code_is_ambiguous(units: None) -> None:
    with pytest.raises(CommandError, match="--catalog"):
        run("create_user", "wang", "--role", "liaison", "--unit", "fgw", "--password-stdin", stdin=PASSWORD)


def test_it_finds_a_unit_by_name_and_refuses_an_unknown_one(units: None) -> None:
    run(
        "create_user",
        "wang",
        "--role",
        "unit_head",
        "--unit",
        "国家发展改革委",
        "--password-stdin",
        stdin=PASSWORD,
    )
    unit = get_user_model().objects.get(username="wang").profile.unit
    assert unit is not None and unit.catalog == "state-council"
    with pytest.raises(CommandError, match="load_units"):
        run("create_user", "li", "--role", "liaison", "--unit", "nowhere", "--password-stdin", stdin=PASSWORD)


def test_it_reports_a_refused_password() -> None:
    with pytest.raises(CommandError, match="password"):
        run("create_user", "zhao", "--role", "supervisor", "--password-stdin", stdin="abc\n")


def test_it_issues_and_revokes_a_token() -> None:
    user = get_user_model().objects.create_user(username="etl")
    raw = run("issue_token", "etl", "dashboard").strip()
    assert authenticate_token(raw=raw) == user
    run("revoke_token", "etl", "dashboard")
    assert authenticate_token(raw=raw) is None
    assert ApiToken.objects.get().revoked_at is not None
    with pytest.raises(CommandError):
        run("revoke_token", "etl", "dashboard")
    with pytest.raises(CommandError):
        run("issue_token", "ghost", "dashboard")
