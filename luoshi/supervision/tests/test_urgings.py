from __future__ import annotations

import datetime as dt

import pytest

from luoshi.notifications.models import Notice
from luoshi.reports.models import Obligation
from luoshi.reports.services import submit_report
from luoshi.site.tick import run_pass
from luoshi.supervision.errors import SupervisionError
from luoshi.supervision.models import Escalation, Subject, Urging
from luoshi.supervision.services import respond_to_urging
from luoshi.supervision.tests.conftest import World
from luoshi.testing.world import at, kinds_of

pytestmark = pytest.mark.django_db


def test_it_urges_when_a_report_is_overdue(world: World) -> None:
    assert run_pass(now=at("2024-04-10")).urgings == 0  # due today: not overdue yet

    result = run_pass(now=at("2024-04-11"))

    assert result.obligations_missing == 2 and result.urgings == 2
    urging = Urging.objects.get(assignment=world.lead)
    assert urging.subject == Subject.REPORT
    assert urging.obligation is not None and urging.obligation.period == "2024-Q1"
    assert (urging.due_date, urging.days_overdue, urging.respond_by) == (
        dt.date(2024, 4, 10),
        1,
        dt.date(2024, 4, 14),
    )
    assert "补报" in urging.required_response
    notice = Notice.objects.get(recipient=world.liaison, kind="urging")
    assert "已逾期1天" in notice.title and "2024-04-14" in notice.body
    assert "urging" in kinds_of(world.head)  # the unit head is told too
    assert run_pass(now=at("2024-04-12")).urgings == 0
    assert Urging.objects.count() == 2


def test_it_escalates_to_supervisors_and_the_unit_head_after_the_delay(world: World) -> None:
    run_pass(now=at("2024-04-11"))
    assert run_pass(now=at("2024-04-16")).escalations == 0  # 6 days overdue

    result = run_pass(now=at("2024-04-17"))  # 7 days overdue

    assert result.escalations == 2
    escalation = Escalation.objects.get(urging__assignment=world.lead)
    assert escalation.days_overdue == 7
    assert kinds_of(world.supervisor).count("escalation") == 2  # one per unit
    assert "escalation" in kinds_of(world.head) and "escalation" in kinds_of(world.co_head)
    assert "escalation" not in kinds_of(world.liaison)
    notice = Notice.objects.get(recipient=world.head, kind="escalation")
    assert "逾期7天" in notice.title and "已于 2024-04-11 催办" in notice.body
    assert run_pass(now=at("2024-04-30")).escalations == 0


def test_a_report_submitted_late_is_not_escalated(world: World) -> None:
    run_pass(now=at("2024-04-11"))
    obligation = Obligation.objects.get(assignment=world.lead, period="2024-Q1")
    submit_report(
        obligation=obligation, user=world.liaison, progress=30, narrative="补报", now=at("2024-04-15")
    )

    run_pass(now=at("2024-04-17"))

    assert not Escalation.objects.filter(urging__assignment=world.lead).exists()
    assert Escalation.objects.filter(urging__assignment=world.co).count() == 1


def test_it_urges_when_the_deadline_has_passed(world: World) -> None:
    run_pass(now=at("2024-07-01"))

    urging = Urging.objects.get(assignment=world.lead, subject=Subject.DEADLINE)
    assert (urging.due_date, urging.days_overdue) == (dt.date(2024, 6, 30), 1)
    run_pass(now=at("2024-07-07"))
    assert Escalation.objects.filter(urging=urging).count() == 1


def test_the_urged_unit_responds_once(world: World) -> None:
    run_pass(now=at("2024-04-11"))
    urging = Urging.objects.get(assignment=world.lead)
    with pytest.raises(SupervisionError) as refused:
        respond_to_urging(urging=urging, user=world.co_liaison, response="与我无关")
    assert refused.value.code == "not_your_unit"

    respond_to_urging(
        urging=urging, user=world.liaison, response="系统故障，已于今日补报。", now=at("2024-04-12")
    )

    urging.refresh_from_db()
    assert urging.response.startswith("系统故障") and urging.responded_by == world.liaison
    assert "urging_response" in kinds_of(world.supervisor)
    with pytest.raises(SupervisionError) as again:
        respond_to_urging(urging=urging, user=world.head, response="再次回复")
    assert again.value.code == "already_responded"
