from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from luoshi.accounts.models import Role
from luoshi.ratings.services import rate
from luoshi.reports.models import Obligation
from luoshi.site.tick import run_pass
from luoshi.supervision.errors import SupervisionError
from luoshi.supervision.models import ExtensionRequest
from luoshi.supervision.services import decide_extension, extension_history, request_extension, warnings_for
from luoshi.supervision.tests.conftest import DEADLINE, World
from luoshi.tasks.models import Assignment, Task
from luoshi.testing.world import at, kinds_of, make_user

pytestmark = pytest.mark.django_db

NEW = dt.date(2024, 9, 30)


def ask(world: World, **changes: Any) -> ExtensionRequest:
    fields: dict[str, Any] = {
        "assignment": world.lead,
        "user": world.liaison,
        "new_deadline": NEW,
        "reason": "受疫情影响，设备到货延迟。",
        "now": at("2024-07-10"),
    }
    fields.update(changes)
    return request_extension(**fields)


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"user": "supervisor"}, "not_liaison"),
        ({"user": "co_liaison"}, "not_liaison"),
        ({"user": "head"}, "not_liaison"),
        ({"new_deadline": DEADLINE}, "not_later"),
        ({"new_deadline": dt.date(2024, 7, 5)}, "in_the_past"),
        ({"reason": "  "}, "reason_required"),
        ({"assignment": "co", "user": "co_liaison"}, "beyond_parent"),
    ],
)
def test_it_refuses_a_bad_request(world: World, changes: dict[str, Any], code: str) -> None:
    resolved = {k: getattr(world, v) if k in {"user", "assignment"} else v for k, v in changes.items()}

    with pytest.raises(SupervisionError) as refused:
        ask(world, **resolved)

    assert refused.value.code == code
    assert "/" in str(refused.value)  # Chinese / English
    assert not ExtensionRequest.objects.exists()


def test_only_one_request_waits_at_a_time(world: World) -> None:
    ask(world)
    with pytest.raises(SupervisionError) as refused:
        ask(world, new_deadline=dt.date(2024, 12, 31))
    assert refused.value.code == "already_pending"
    assert "extension_requested" in kinds_of(world.supervisor)


def test_approval_moves_the_deadline_and_the_rating_follows(world: World) -> None:
    today = dt.date(2024, 7, 10)
    before = rate(assignment=world.lead, as_of=today)
    assert "已逾期10天" in before.reasons_zh and before.rag == "red"
    version = world.task.version
    request = ask(world)

    decide_extension(
        request=request, user=world.supervisor, approve=True, comment="同意", now=at("2024-07-11")
    )

    lead = Assignment.objects.get(pk=world.lead.pk)
    task = Task.objects.get(pk=world.task.pk)
    assert lead.deadline == NEW and task.deadline == NEW and task.version == version + 1
    after = rate(assignment=lead, as_of=today)
    assert not any(r.startswith("已逾期") for r in after.reasons_zh)
    assert after.overdue_days == 0
    assert Obligation.objects.filter(
        assignment=world.lead, period="2024-Q3", due_date=dt.date(2024, 10, 10)
    ).exists()
    [row] = extension_history(assignment=world.lead)
    assert (row.old_deadline, row.new_deadline, row.status) == (DEADLINE, NEW, "approved")
    assert (row.decided_by, row.decided_at, row.comment) == (world.supervisor, at("2024-07-11"), "同意")
    assert "extension_decided" in kinds_of(world.liaison)


def test_after_an_extension_old_warnings_are_history_and_the_clock_restarts(world: World) -> None:
    run_pass(now=at("2024-07-10"))
    assert [w.level for w in warnings_for(task=world.task, unit=world.lead_unit, current=True)] == ["red"]
    decide_extension(request=ask(world), user=world.supervisor, approve=True, now=at("2024-07-10"))

    assert not warnings_for(task=world.task, unit=world.lead_unit, current=True).exists()
    assert warnings_for(task=world.task, unit=world.lead_unit).count() == 1
    run_pass(now=at("2024-09-15"))
    assert [w.level for w in warnings_for(task=world.task, unit=world.lead_unit, current=True)] == ["yellow"]


def test_rejection_needs_a_comment_and_changes_nothing(world: World) -> None:
    today = dt.date(2024, 7, 10)
    before = rate(assignment=world.lead, as_of=today)
    version = world.task.version
    request = ask(world)
    with pytest.raises(SupervisionError) as refused:
        decide_extension(request=request, user=world.supervisor, approve=False, comment="")
    assert refused.value.code == "comment_required"

    decide_extension(
        request=request, user=world.supervisor, approve=False, comment="理由不充分", now=at("2024-07-11")
    )

    lead = Assignment.objects.get(pk=world.lead.pk)
    assert lead.deadline == DEADLINE
    assert Task.objects.values_list("deadline", "version").get(pk=world.task.pk) == (DEADLINE, version)
    assert rate(assignment=lead, as_of=today).reasons_zh == before.reasons_zh
    request.refresh_from_db()
    assert (request.status, request.comment) == ("rejected", "理由不充分")
    with pytest.raises(SupervisionError) as again:
        decide_extension(request=request, user=world.supervisor, approve=True)
    assert again.value.code == "not_pending"
    ask(world, new_deadline=dt.date(2024, 8, 31))  # a new request may follow a decided one


def test_only_a_supervisor_decides(world: World) -> None:
    request = ask(world)
    leader = make_user("leader", Role.LEADER, email="leader@example.gov.cn")
    for user in (world.liaison, world.head, leader):
        with pytest.raises(SupervisionError) as refused:
            decide_extension(request=request, user=user, approve=True)
        assert refused.value.code == "not_supervisor"
    assert Assignment.objects.get(pk=world.lead.pk).deadline == DEADLINE


def test_a_co_unit_extension_stays_within_the_task(world: World) -> None:
    Task.objects.filter(pk=world.task.pk).update(deadline=NEW)
    Assignment.objects.filter(pk=world.lead.pk).update(deadline=NEW)
    request = ask(world, assignment=world.co, user=world.co_liaison, new_deadline=dt.date(2024, 8, 31))

    decide_extension(request=request, user=world.supervisor, approve=True, now=at("2024-07-11"))

    assert Assignment.objects.get(pk=world.co.pk).deadline == dt.date(2024, 8, 31)
    assert Task.objects.get(pk=world.task.pk).deadline == NEW
