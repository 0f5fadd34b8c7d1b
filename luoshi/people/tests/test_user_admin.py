"""Administration of accounts by the office and administrators: who may do what, refusals, the audit trail."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.exceptions import PermissionDenied

from luoshi.accounts.access import manageable_roles, manageable_users
from luoshi.accounts.models import ApiToken, Role
from luoshi.audit.models import AuditEntry
from luoshi.audit.services import entries_for
from luoshi.people.services import (
    AccountError,
    authenticate_token,
    create_account,
    deactivate_account,
    issue_token,
    reactivate_account,
    reset_password,
    update_account,
)
from luoshi.testing.world import PASSWORD, People, make_people
from luoshi.units.models import Unit

NEW_PASSWORD = "another long passphrase"


@pytest.fixture
def world(db: None) -> People:
    unit_a, unit_b, unit_c = (
        Unit.objects.create(code=code, name=name, level="region", catalog="test")
        for code, name in [("fgw", "发展改革委"), ("gxt", "工业和信息化厅"), ("nmt", "农牧厅")]
    )
    return make_people(unit_a, unit_b, unit_c)


def test_the_office_creates_a_liaison_and_the_entry_names_the_office(world: People) -> None:
    user = create_account(
        actor=world.supervisor,
        username="zhang",
        password=PASSWORD,
        role=Role.LIAISON,
        unit=world.unit_c,
        display_name=" 张联络 ",
    )
    assert (user.profile.role, user.profile.unit, user.get_full_name()) == (
        Role.LIAISON,
        world.unit_c,
        "张联络",
    )
    assert authenticate(username="zhang", password=PASSWORD) == user
    entry = entries_for(user).get()
    assert (entry.action, entry.actor, entry.actor_label) == ("create", world.supervisor, "supervisor")
    assert entry.changes == {"role": [None, "liaison"], "unit": [None, world.unit_c.pk]}


def test_a_taken_username_is_refused_in_both_languages(world: People) -> None:
    with pytest.raises(AccountError) as caught:
        create_account(
            actor=world.supervisor,
            username="liaison_a",
            password=PASSWORD,
            role=Role.LIAISON,
            unit=world.unit_a,
        )
    assert caught.value.code == "username_taken"
    assert "已被使用" in caught.value.message_zh and "already taken" in caught.value.message_en


def test_the_office_manages_unit_people_only(world: People) -> None:
    assert manageable_roles(world.supervisor) == [Role.LIAISON, Role.UNIT_HEAD]
    assert set(manageable_users(world.supervisor)) == {
        world.liaison_a,
        world.head_a,
        world.liaison_b,
        world.head_b,
        world.liaison_c,
    }
    with pytest.raises(PermissionDenied):
        create_account(actor=world.supervisor, username="boss", password=PASSWORD, role=Role.SUPERVISOR)
    with pytest.raises(PermissionDenied):
        update_account(actor=world.supervisor, user=world.liaison_a, role=Role.SUPERVISOR, unit=world.unit_a)
    with pytest.raises(PermissionDenied):
        reset_password(actor=world.supervisor, user=world.leader, password=NEW_PASSWORD)
    with pytest.raises(PermissionDenied):
        deactivate_account(actor=world.supervisor, user=world.admin)
    assert get_user_model().objects.filter(username="boss").count() == 0


@pytest.mark.parametrize("who", ["leader", "liaison_a", "head_a", "nobody"])
def test_other_roles_manage_nobody(world: People, who: str) -> None:
    actor = getattr(world, who)
    assert manageable_roles(actor) == [] and not manageable_users(actor).exists()
    with pytest.raises(PermissionDenied):
        create_account(actor=actor, username="x", password=PASSWORD, role=Role.LIAISON, unit=world.unit_a)
    with pytest.raises(PermissionDenied):
        deactivate_account(actor=actor, user=world.liaison_b)


def test_an_administrator_manages_every_role(world: People) -> None:
    assert manageable_roles(world.admin) == list(Role.values)
    boss = create_account(actor=world.admin, username="boss", password=PASSWORD, role=Role.SUPERVISOR)
    update_account(actor=world.admin, user=boss, role=Role.LEADER, display_name="李主任")
    boss.refresh_from_db()
    assert (boss.profile.role, boss.first_name) == (Role.LEADER, "李主任")
    changes = [e.changes for e in entries_for(boss)]
    assert changes == [
        {"role": [None, "supervisor"], "unit": [None, None]},
        {"role": ["supervisor", "leader"]},
        {"display_name": ["", "李主任"]},
    ]


def test_moving_a_liaison_needs_an_active_unit(world: People) -> None:
    with pytest.raises(AccountError) as caught:
        update_account(actor=world.supervisor, user=world.liaison_a, role=Role.LIAISON, unit=None)
    assert caught.value.code == "unit_required"
    world.unit_c.active = False
    world.unit_c.save()
    with pytest.raises(AccountError) as inactive:
        update_account(actor=world.supervisor, user=world.liaison_a, role=Role.LIAISON, unit=world.unit_c)
    assert inactive.value.code == "unit_inactive"
    update_account(actor=world.supervisor, user=world.liaison_a, role=Role.UNIT_HEAD, unit=world.unit_b)
    world.liaison_a.profile.refresh_from_db()
    assert (world.liaison_a.profile.role, world.liaison_a.profile.unit) == (Role.UNIT_HEAD, world.unit_b)
    entry = entries_for(world.liaison_a).last()
    assert entry is not None and entry.actor == world.supervisor
    assert entry.changes == {"role": ["liaison", "unit_head"], "unit": [world.unit_a.pk, world.unit_b.pk]}


def test_nothing_changed_nothing_recorded(world: People) -> None:
    update_account(
        actor=world.supervisor, user=world.liaison_a, role=Role.LIAISON, unit=world.unit_a, display_name=""
    )
    assert not entries_for(world.liaison_a).exists()


def test_nobody_deactivates_themselves_or_changes_their_own_role(world: People) -> None:
    with pytest.raises(AccountError) as caught:
        deactivate_account(actor=world.admin, user=world.admin)
    assert caught.value.code == "deactivate_self"
    assert "自己" in caught.value.message_zh and "your own account" in caught.value.message_en
    with pytest.raises(AccountError) as own:
        update_account(actor=world.admin, user=world.admin, role=Role.SUPERVISOR)
    assert own.value.code == "own_role"
    world.admin.refresh_from_db()
    assert world.admin.is_active and world.admin.profile.role == Role.ADMIN
    assert not AuditEntry.objects.exists()


def test_the_last_active_administrator_stays(world: People) -> None:
    """Two administrators deactivating each other at once: the second one is refused."""
    stale_admin = get_user_model().objects.get(pk=world.admin.pk)  # loaded before root deactivates it
    deactivate_account(actor=world.superuser, user=world.admin)
    with pytest.raises(AccountError) as caught:
        deactivate_account(actor=stale_admin, user=world.superuser)
    assert caught.value.code == "last_admin"
    assert "最后一个" in caught.value.message_zh and "last active administrator" in caught.value.message_en
    world.superuser.refresh_from_db()
    assert world.superuser.is_active


def test_demoting_the_last_administrator_is_refused(world: People) -> None:
    root = world.superuser
    root.is_active = False
    root.save()
    stale_admin = get_user_model().objects.get(pk=world.admin.pk)
    assert stale_admin.profile.role == Role.ADMIN  # loaded (and cached) before admin2 demotes it
    other = create_account(actor=world.admin, username="admin2", password=PASSWORD, role=Role.ADMIN)
    update_account(actor=other, user=world.admin, role=Role.SUPERVISOR)  # admin2 remains
    with pytest.raises(AccountError) as caught:
        update_account(actor=stale_admin, user=other, role=Role.LEADER)
    assert caught.value.code == "last_admin"
    other.refresh_from_db()
    assert other.profile.role == Role.ADMIN


def test_deactivation_blocks_login_revokes_tokens_and_is_recorded(world: People) -> None:
    raw = issue_token(user=world.liaison_b, name="robot")
    deactivate_account(actor=world.supervisor, user=world.liaison_b)
    assert authenticate(username="liaison_b", password=PASSWORD) is None
    assert authenticate_token(raw=raw) is None
    assert ApiToken.objects.get(user=world.liaison_b).revoked_at is not None
    updates = entries_for(world.liaison_b).filter(action="update")  # the refused logins are recorded too
    entry = updates.get()
    assert (entry.actor, entry.changes) == (world.supervisor, {"is_active": [True, False]})
    deactivate_account(actor=world.supervisor, user=world.liaison_b)  # twice: nothing more recorded
    assert updates.count() == 1

    reactivate_account(actor=world.supervisor, user=world.liaison_b)
    assert authenticate(username="liaison_b", password=PASSWORD) == world.liaison_b
    assert authenticate_token(raw=raw) is None  # a revoked token stays revoked
    assert updates.last().changes == {"is_active": [False, True]}  # type: ignore[union-attr]


def test_the_office_resets_a_password(world: People) -> None:
    with pytest.raises(AccountError) as weak:
        reset_password(actor=world.supervisor, user=world.liaison_c, password="short")
    assert weak.value.code == "weak_password"
    reset_password(actor=world.supervisor, user=world.liaison_c, password=NEW_PASSWORD)
    assert authenticate(username="liaison_c", password=PASSWORD) is None
    assert authenticate(username="liaison_c", password=NEW_PASSWORD) == world.liaison_c
    entry = entries_for(world.liaison_c).get(action="update")
    assert (entry.actor, entry.note, entry.changes) == (world.supervisor, "password reset", {})
