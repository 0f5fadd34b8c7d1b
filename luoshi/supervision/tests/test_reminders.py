from __future__ import annotations

import pytest

from luoshi.notifications.models import Notice
from luoshi.site.tick import run_pass
from luoshi.supervision.models import Reminder, ReminderPolicy, Subject
from luoshi.supervision.tests.conftest import World
from luoshi.tasks.models import Status, Task
from luoshi.testing.world import at, kinds_of

pytestmark = pytest.mark.django_db


def test_it_reminds_of_a_report_at_the_offset_not_before_and_once(world: World) -> None:
    assert run_pass(now=at("2024-04-02")).reminders == 0  # 8 days before 2024-04-10

    result = run_pass(now=at("2024-04-03"))  # 7 days before: the quarterly offset

    assert result.reminders == 2  # the lead's and the co-unit's Q1 report
    notice = Notice.objects.get(recipient=world.liaison)
    assert notice.kind == "reminder"
    assert "2024-Q1" in notice.title and "还有7天到期" in notice.title
    assert "推进新能源装备制造" in notice.body and "2024-04-10" in notice.body
    assert notice.link == f"http://127.0.0.1:8000/tasks/{world.task.pk}/#assignment-{world.lead.pk}"
    assert kinds_of(world.co_liaison) == ["reminder"]
    assert kinds_of(world.head) == []  # reminders go to the liaisons
    for day in ("2024-04-03", "2024-04-04", "2024-04-10"):
        assert run_pass(now=at(day)).reminders == 0
    assert Notice.objects.count() == 2


def test_it_follows_the_policy_edited_in_the_admin(world: World) -> None:
    run_pass(now=at("2024-01-01"))  # creates the default policies
    ReminderPolicy.objects.filter(subject=Subject.REPORT, cadence="quarterly").update(days_before=3)

    assert run_pass(now=at("2024-04-06")).reminders == 0
    assert run_pass(now=at("2024-04-07")).reminders == 2


def test_it_reminds_of_a_deadline_30_then_7_days_ahead(world: World) -> None:
    deadline_reminders = Reminder.objects.filter(subject=Subject.DEADLINE, assignment=world.lead)
    run_pass(now=at("2024-05-30"))
    assert not deadline_reminders.exists()

    run_pass(now=at("2024-05-31"))
    run_pass(now=at("2024-06-01"))
    assert list(deadline_reminders.values_list("days_before", flat=True)) == [30]

    run_pass(now=at("2024-06-22"))
    assert deadline_reminders.count() == 1
    run_pass(now=at("2024-06-23"))
    run_pass(now=at("2024-06-24"))
    assert sorted(deadline_reminders.values_list("days_before", flat=True)) == [7, 30]


def test_a_pass_that_comes_late_sends_only_the_current_stage(world: World) -> None:
    run_pass(now=at("2024-06-25"))

    assert list(
        Reminder.objects.filter(subject=Subject.DEADLINE, assignment=world.lead).values_list(
            "days_before", flat=True
        )
    ) == [7]


def test_work_awaiting_closure_gets_no_deadline_reminder(world: World) -> None:
    Task.objects.filter(pk=world.task.pk).update(status=Status.COMPLETION_REQUESTED)

    run_pass(now=at("2024-06-25"))

    assert not Reminder.objects.filter(subject=Subject.DEADLINE).exists()
