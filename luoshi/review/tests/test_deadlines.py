"""Deadlines per stage and their reminders through the supervision pass (luoshi tick)."""

from __future__ import annotations

import datetime as dt

import pytest

from luoshi.notifications.models import Notice
from luoshi.review import services
from luoshi.review.deadlines import add_working_days, filing_due
from luoshi.review.tests.passages import FAITHFUL
from luoshi.review.tests.world import NOW, ReviewWorld, build, submit
from luoshi.site.tick import run_pass
from luoshi.testing.world import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> ReviewWorld:
    return build()


def test_working_days_skip_weekends_and_filing_is_due_30_days_after_publication() -> None:
    friday = dt.date(2024, 9, 6)
    assert add_working_days(friday, 1) == dt.date(2024, 9, 9)
    assert add_working_days(friday, 15) == dt.date(2024, 9, 27)
    assert filing_due(dt.date(2024, 1, 31)) == dt.date(2024, 3, 1)
    assert filing_due(None) is None


def test_the_reviewer_is_reminded_before_the_review_is_due_and_the_head_once_overdue(
    world: ReviewWorld,
) -> None:
    s = submit(world, FAITHFUL)
    services.assign(submission=s, user=world.head, reviewer=world.reviewer, now=NOW)
    s.refresh_from_db()
    due = s.review_due
    assert due == dt.date(2024, 9, 23)
    assert run_pass(now=at(due - dt.timedelta(days=5), tz=dt.UTC)).review_reminders == 0
    first = run_pass(now=at(due - dt.timedelta(days=3), tz=dt.UTC))
    assert first.review_reminders == 1
    assert (
        run_pass(now=at(due - dt.timedelta(days=3), tz=dt.UTC)).review_reminders == 0
    )  # twice: nothing twice
    assert run_pass(now=at(due - dt.timedelta(days=1), tz=dt.UTC)).review_reminders == 1
    late = run_pass(now=at(due + dt.timedelta(days=2), tz=dt.UTC))
    assert late.review_reminders == 2  # the reviewer and the review head
    reminders = Notice.objects.filter(kind="review_deadline").order_by("id")
    assert [n.recipient.get_username() for n in reminders] == [
        "reviewer",
        "reviewer",
        "reviewer",
        "review_head",
    ]
    assert "已逾期" in reminders.last().title and reminders.last().link == f"/review/{s.pk}/"  # type: ignore[union-attr]


def test_the_unit_is_reminded_to_complete_and_to_revise(world: ReviewWorld) -> None:
    s = submit(world, FAITHFUL, explanation="")
    assert s.completion_due == dt.date(2024, 9, 9)
    assert run_pass(now=at(dt.date(2024, 9, 8), tz=dt.UTC)).review_reminders == 1
    assert Notice.objects.filter(kind="review_deadline", recipient=world.liaison).count() == 1
    services.complete_filing(submission=s, user=world.liaison, explanation="起草说明。")
    services.assign(submission=s, user=world.head, reviewer=world.reviewer, now=NOW)
    services.return_for_revision(submission=s, user=world.reviewer, comment="请修改。", now=NOW)
    s.refresh_from_db()
    assert run_pass(now=at(s.revision_due, tz=dt.UTC)).review_reminders == 1  # type: ignore[arg-type]
    assert Notice.objects.filter(kind="review_deadline", recipient=world.liaison).count() == 2


def test_a_concluded_review_is_reminded_of_nothing(world: ReviewWorld) -> None:
    s = submit(world, FAITHFUL)
    services.assign(submission=s, user=world.head, reviewer=world.reviewer, now=NOW)
    services.conclude(submission=s, user=world.reviewer, conclusion="pass")
    assert run_pass(now=at(dt.date(2024, 12, 1), tz=dt.UTC)).review_reminders == 0
