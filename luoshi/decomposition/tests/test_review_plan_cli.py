"""`luoshi review_plan PLAN ACTION [ITEMS] --user U`: the task division review from the command line,
with the review page's services and access, audited under the reviewer."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from luoshi.accounts.models import Role
from luoshi.audit.models import AuditEntry
from luoshi.decomposition.models import Plan, PlanTask
from luoshi.people.services import create_user
from luoshi.testing.seed import seed_plan
from luoshi.units.models import Unit

pytestmark = pytest.mark.django_db
PASSWORD = "pw-for-tests-2026"


@pytest.fixture
def plan() -> Plan:
    proposed = seed_plan()
    create_user(username="office", password=PASSWORD, role=Role.SUPERVISOR)
    create_user(username="boss", password=PASSWORD, role=Role.LEADER)
    unit = Unit.objects.filter(catalog="inner-mongolia").order_by("id").first()
    create_user(username="stranger", password=PASSWORD, role=Role.LIAISON, unit=unit)
    return proposed


def run(*args: str) -> str:
    out = StringIO()
    call_command("review_plan", *args, stdout=out)
    return out.getvalue()


def waiting(plan: Plan) -> list[int]:
    return list(
        plan.tasks.filter(parent=None, kind__in=("task", "recurring"), status=PlanTask.PROPOSED)
        .order_by("order")
        .values_list("pk", flat=True)
    )


def test_the_office_reviews_and_confirms_from_the_command_line(plan: Plan) -> None:
    p = str(plan.pk)
    shown = json.loads(run(p, "show", "--user", "office", "--json"))
    assert shown["unreviewed"] == len(waiting(plan)) > 4
    first, second, third, fourth, *_ = waiting(plan)
    with pytest.raises(CommandError, match="awaiting review"):
        run(p, "confirm", "--user", "office")
    run(p, "accept", str(first), "--user", "office")
    run(p, "reject", str(second), "--user", "office")
    assert f"merged into #{third}" in run(p, "merge", str(third), str(fourth), "--user", "office")
    assert "accepted the remaining" in run(p, "accept-rest", "--user", "office")
    assert "confirmed, 0 item(s) awaiting review" in run(p, "confirm", "--user", "office")
    plan.refresh_from_db()
    assert (plan.status, plan.confirmed_by.get_username() if plan.confirmed_by else None) == (
        "confirmed",
        "office",
    )
    assert PlanTask.objects.get(pk=second).status == PlanTask.REJECTED
    labels = set(
        AuditEntry.objects.filter(action__in=["update", "delete", "approve"]).values_list(
            "actor_label", flat=True
        )
    )
    assert labels == {"office"}


def test_confirm_can_accept_the_remaining_items_first(plan: Plan) -> None:
    run(str(plan.pk), "confirm", "--accept-remaining", "--user", "office")
    plan.refresh_from_db()
    assert plan.status == Plan.CONFIRMED and waiting(plan) == []


def test_a_leader_reads_and_a_stranger_sees_nothing(plan: Plan) -> None:
    p, item = str(plan.pk), str(waiting(plan)[0])
    assert "awaiting review" in run(p, "show", "--user", "boss")
    with pytest.raises(CommandError, match="may not"):
        run(p, "accept", item, "--user", "boss")
    for action in (["show"], ["accept", item], ["accept-rest"], ["confirm", "--accept-remaining"]):
        with pytest.raises(CommandError, match="is not yours to see"):
            run(p, *action, "--user", "stranger")
    with pytest.raises(CommandError, match="merge: two or more"):
        run(p, "merge", item, "--user", "office")
    with pytest.raises(CommandError, match="is not yours to see"):
        run(p, "accept", "999999", "--user", "office")  # no such item in this plan
    plan.refresh_from_db()
    assert (
        plan.status == Plan.DRAFT and not AuditEntry.objects.filter(action__in=["update", "approve"]).exists()
    )
