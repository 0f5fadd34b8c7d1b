"""Issue 14: the task division review through the API, with the review page's services and access."""

from __future__ import annotations

import datetime as dt
import json
from typing import get_args

import pytest
from django.test import Client

from luoshi.api import schemas_plans
from luoshi.audit.models import AuditEntry
from luoshi.decomposition.models import Plan, PlanTask
from luoshi.decomposition.services import propose_plan, unreviewed
from luoshi.people.services import issue_token
from luoshi.testing.api import Caller
from luoshi.testing.seed import seed_plan
from luoshi.testing.world import World
from luoshi.units.models import Unit

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.time_machine(dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC), tick=False),
]


@pytest.fixture
def plan(world: World) -> Plan:
    return seed_plan()


def pending(plan: Plan) -> list[PlanTask]:
    return list(
        plan.tasks.filter(parent=None, kind__in=("task", "recurring"), status=PlanTask.PROPOSED).order_by(
            "order"
        )
    )


def entries(plan: Plan, action: str) -> list[AuditEntry]:
    item_ids = [str(pk) for pk in PlanTask.objects.filter(plan=plan).values_list("pk", flat=True)]
    return list(AuditEntry.objects.filter(action=action, object_id__in=[*item_ids, str(plan.pk)]))


def test_the_office_reviews_item_by_item_and_confirms(world: World, api: Caller, plan: Plan) -> None:
    url = f"/api/plans/{plan.pk}"
    shown = api.get(world.supervisor, url).json()
    assert shown["status"] == "draft" and shown["unreviewed"] == len(pending(plan)) > 3
    assert {i["status"] for i in shown["items"]} >= {"proposed"}
    refused = api.post(world.supervisor, f"{url}/confirm", {})
    assert (refused.status_code, refused.json()["code"]) == (400, "unreviewed")

    first, second, third, fourth, *_ = pending(plan)
    accepted = api.post(
        world.supervisor, f"{url}/items/{first.pk}/status", {"status": "accepted", "version": first.version}
    )
    assert (accepted.status_code, accepted.json()["status"]) == (200, "accepted"), accepted.content
    rejected = api.post(world.supervisor, f"{url}/items/{second.pk}/status", {"status": "rejected"})
    assert rejected.json()["status"] == "rejected"
    merged = api.post(world.supervisor, f"{url}/merge", {"item_ids": [fourth.pk, third.pk]})
    assert (merged.status_code, merged.json()["id"], merged.json()["origin"]) == (200, third.pk, "merged")
    assert not PlanTask.objects.filter(pk=fourth.pk).exists()

    waiting = len(pending(plan))
    rest = api.post(world.supervisor, f"{url}/accept-rest").json()
    assert rest["accepted"] == waiting == shown["unreviewed"] - 4 > 0  # four reviewed (two merged into one)
    assert rest["plan"]["unreviewed"] == 0
    confirmed = api.post(world.supervisor, f"{url}/confirm", {}).json()
    assert (confirmed["status"], confirmed["confirmed_by"]) == ("confirmed", "supervisor")
    # Every step is in the audit trail under the office's name.
    actors = {e.actor_label for action in ("update", "delete", "approve") for e in entries(plan, action)}
    assert actors == {"supervisor"}
    assert len(entries(plan, "approve")) == 1
    listed = api.get(world.supervisor, "/api/plans", status="confirmed").json()
    assert [(p["id"], p["unreviewed"]) for p in listed["items"]] == [(plan.pk, 0)]


def test_confirming_with_accept_remaining_accepts_the_rest_first(
    world: World, api: Caller, plan: Plan
) -> None:
    response = api.post(world.supervisor, f"/api/plans/{plan.pk}/confirm", {"accept_remaining": True})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "confirmed" and response.json()["unreviewed"] == 0
    [entry] = [e for e in entries(plan, "update") if "accepted_rest" in e.changes]
    assert entry.actor_label == "supervisor"


def test_a_stale_version_is_refused_and_nothing_changes(world: World, api: Caller, plan: Plan) -> None:
    item = pending(plan)[0]
    response = api.post(
        world.supervisor,
        f"/api/plans/{plan.pk}/items/{item.pk}/status",
        {"status": "rejected", "version": item.version + 1},
    )
    assert (response.status_code, response.json()["code"]) == (400, "stale")
    item.refresh_from_db()
    assert item.status == PlanTask.PROPOSED


def test_an_edit_takes_units_of_the_plans_catalog_only(world: World, api: Caller, plan: Plan) -> None:
    item = pending(plan)[0]
    lead, co = Unit.objects.filter(catalog=plan.catalog).exclude(pk=item.lead_unit_id or 0).order_by("id")[:2]
    url = f"/api/plans/{plan.pk}/items/{item.pk}/edit"
    edited = api.post(
        world.supervisor,
        url,
        {"lead_unit_id": lead.pk, "co_unit_ids": [co.pk], "deadline": "2027-06-30", "version": item.version},
    )
    body = edited.json()
    assert (
        body["lead_unit"]["id"],
        [u["id"] for u in body["co_units"]],
        body["deadline"],
        body["status"],
    ) == (lead.pk, [co.pk], "2027-06-30", "accepted")
    refused = api.post(world.supervisor, url, {"lead_unit_id": world.unit_a.pk})  # the "test" catalog's
    assert (refused.status_code, refused.json()["code"]) == (400, "unknown_unit")


def test_merging_an_item_of_another_plan_is_404(world: World, api: Caller, plan: Plan) -> None:
    other = propose_plan(document=plan.document, catalog_name="inner-mongolia").plan
    mine, theirs = pending(plan)[0], pending(other)[0]
    response = api.post(world.supervisor, f"/api/plans/{plan.pk}/merge", {"item_ids": [mine.pk, theirs.pk]})
    assert response.status_code == 404
    assert PlanTask.objects.filter(pk__in=[mine.pk, theirs.pk]).count() == 2


def test_a_stranger_sees_no_plan_and_a_leader_only_reads(world: World, api: Caller, plan: Plan) -> None:
    item = pending(plan)[0]
    url = f"/api/plans/{plan.pk}"
    changes = [
        (f"{url}/items/{item.pk}/status", {"status": "accepted"}),
        (f"{url}/accept-rest", {}),
        (f"{url}/confirm", {"accept_remaining": True}),
        (f"{url}/merge", {"item_ids": [item.pk, item.pk + 1]}),
        (f"{url}/items/{item.pk}/edit", {"title": "改"}),
    ]
    for stranger in (world.liaison_c, world.head_a, world.nobody):
        assert api.get(stranger, "/api/plans").status_code == 403
        assert api.get(stranger, url).status_code == 404
        for path, body in changes:
            assert api.post(stranger, path, body).status_code == 404, path
    assert api.get(world.leader, url).status_code == 200
    for path, body in changes:
        assert api.post(world.leader, path, body).status_code == 403, path
    assert api.get(None, url).status_code == 401
    plan.refresh_from_db()
    assert (
        plan.status,
        unreviewed(plan),
        AuditEntry.objects.filter(action__in=["update", "approve"]).count(),
    ) == (Plan.DRAFT, len(pending(plan)), 0)


def test_a_token_review_is_audited_under_the_tokens_user(world: World, client: Client, plan: Plan) -> None:
    raw = issue_token(user=world.supervisor, name="review")
    item = pending(plan)[0]
    response = client.post(
        f"/api/plans/{plan.pk}/items/{item.pk}/status",
        json.dumps({"status": "rejected"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 200, response.content
    [entry] = AuditEntry.objects.filter(object_id=str(item.pk), action="update")
    assert (entry.actor_label, entry.changes["status"]) == ("supervisor", ["proposed", "rejected"])
    read_only = issue_token(user=world.supervisor, name="read", scope="read")
    refused = client.post(
        f"/api/plans/{plan.pk}/accept-rest",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {read_only}",
    )
    assert (refused.status_code, refused.json()["code"]) == (403, "token_read_only")


def test_the_plan_choices_are_the_models() -> None:
    assert set(get_args(schemas_plans.PlanStatusName)) == {s for s, _ in Plan.STATUSES}
    assert set(get_args(schemas_plans.PlanItemStatusName)) == {s for s, _ in PlanTask.STATUSES}
