"""The trail itself: append-only, the request context, reading per object and by search."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.test import Client

from luoshi.audit.context import acting_as
from luoshi.audit.models import AuditEntry, AuditImmutable
from luoshi.audit.services import entries_for, record, search
from luoshi.testing.world import PASSWORD, World, at

pytestmark = pytest.mark.django_db


def test_an_entry_cannot_be_changed_or_removed(world: World) -> None:
    entry = record(action="update", obj=world.task, changes={"title": ["a", "b"]})
    entry.note = "changed"
    with pytest.raises(AuditImmutable):
        entry.save()
    with pytest.raises(AuditImmutable):
        entry.delete()
    with pytest.raises(AuditImmutable):
        AuditEntry.objects.filter(pk=entry.pk).update(note="x")
    with pytest.raises(AuditImmutable):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).note == ""


def test_outside_a_request_the_actor_is_the_cli(world: World) -> None:
    entry = record(action="export", obj=world.document)
    assert (entry.actor, entry.actor_label, entry.ip) == (None, "cli", None)
    assert (entry.object_type, entry.object_id, entry.object_repr) == (
        "documents.document",
        str(world.document.pk),
        str(world.document),
    )
    with acting_as(user=world.supervisor):
        assert record(action="export", obj=world.document).actor == world.supervisor
    named = record(action="export", obj=world.document, actor=world.leader)
    assert (named.actor, named.actor_label) == (world.leader, "leader")


def test_the_middleware_captures_the_user_and_ip(world: World, client: Client, settings: Any) -> None:
    settings.ROOT_URLCONF = "luoshi.audit.tests.urls"
    client.force_login(world.supervisor)
    response = client.get(
        f"/touch/{world.document.pk}", REMOTE_ADDR="10.20.30.40", HTTP_X_FORWARDED_FOR="1.2.3.4"
    )
    entry = AuditEntry.objects.get(pk=int(response.content))
    assert (entry.actor, entry.actor_label, entry.ip) == (world.supervisor, "supervisor", "10.20.30.40")
    client.logout()
    anonymous = AuditEntry.objects.get(pk=int(client.get(f"/touch/{world.document.pk}").content))
    assert (anonymous.actor, anonymous.actor_label, anonymous.ip) == (None, "anonymous", "127.0.0.1")
    # Behind a trusted proxy (LUOSHI_TRUSTED_PROXIES): the address the proxy appended last.
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    proxied = client.get(
        f"/touch/{world.document.pk}", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9"
    )
    assert AuditEntry.objects.get(pk=int(proxied.content)).ip == "203.0.113.9"


def test_a_transition_through_the_api_records_who_and_from_where(world: World, client: Client) -> None:
    client.force_login(world.liaison_a)
    response = client.post(
        f"/api/tasks/{world.task.pk}/transition",
        json.dumps({"to_status": "completion_requested"}),
        content_type="application/json",
        REMOTE_ADDR="192.0.2.7",
    )
    assert response.status_code == 200, response.content
    (entry,) = entries_for(world.task)
    assert (entry.action, entry.actor, entry.ip, entry.changes) == (
        "transition",
        world.liaison_a,
        "192.0.2.7",
        {"status": ["in_progress", "completion_requested"]},
    )


def test_logins_and_failed_logins_are_recorded(world: World, client: Client) -> None:
    client.post(
        "/accounts/login/",
        {"username": "supervisor", "password": "not-the-Passw0rd"},
        REMOTE_ADDR="192.0.2.8",
    )
    client.post("/accounts/login/", {"username": "supervisor", "password": PASSWORD}, REMOTE_ADDR="192.0.2.9")
    failed, ok = AuditEntry.objects.filter(action__in=["login", "login_failed"]).order_by("id")
    assert (failed.action, failed.actor, failed.ip, failed.object_repr) == (
        "login_failed",
        None,
        "192.0.2.8",
        "supervisor",
    )
    assert "not-the-Passw0rd" not in json.dumps(failed.changes) + failed.note
    assert (ok.action, ok.actor, ok.ip) == ("login", world.supervisor, "192.0.2.9")


def test_search_filters_and_is_for_the_supervision_office(world: World) -> None:
    with time_machine.travel(at(dt.date(2024, 5, 1), 10), tick=False):
        first = record(action="update", obj=world.task, note="调整完成时限", actor=world.supervisor)
    with time_machine.travel(at(dt.date(2024, 5, 3), 10), tick=False):
        second = record(action="export", obj=world.document)
    with time_machine.travel(at(dt.date(2024, 5, 5), hour=23), tick=False):
        third = record(action="override", obj=world.task_a, note="汛期影响", actor=world.admin)

    def ids(**filters: Any) -> list[int]:
        return [e.pk for e in search(user=world.supervisor, **filters)]

    assert ids() == [third.pk, second.pk, first.pk]
    assert ids(text="完成时限") == [first.pk]
    assert ids(text="价格机制") == [third.pk]  # the object's description
    assert ids(action="export") == [second.pk]
    assert ids(actor=world.supervisor) == [first.pk]
    assert ids(actor="cli") == [second.pk]
    assert ids(date_from=dt.date(2024, 5, 2), date_to=dt.date(2024, 5, 5)) == [third.pk, second.pk]
    assert ids(date_to=dt.date(2024, 5, 4)) == [second.pk, first.pk]
    assert ids(object_type="tasks.task") == [third.pk, first.pk]
    assert [e.pk for e in search(user=world.admin, object_type="documents.document")] == [second.pk]
    for user in (world.liaison_a, world.head_a, world.leader, world.nobody, None):
        with pytest.raises(PermissionDenied):
            search(user=user)


def test_the_admin_only_reads(world: World, client: Client) -> None:
    entry = record(action="export", obj=world.document)
    client.force_login(world.superuser)
    assert client.get("/admin/audit/auditentry/").status_code == 200
    assert client.get(f"/admin/audit/auditentry/{entry.pk}/change/").status_code == 200
    assert client.get("/admin/audit/auditentry/add/").status_code == 403
    assert client.get(f"/admin/audit/auditentry/{entry.pk}/delete/").status_code == 403
    client.post(f"/admin/audit/auditentry/{entry.pk}/change/", {"note": "x"})
    assert AuditEntry.objects.get(pk=entry.pk).note == ""
