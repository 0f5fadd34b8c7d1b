"""Closing a task (销号): completed, evaluated, with evidence; closed tasks leave the active lists."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from luoshi.audit.services import entries_for
from luoshi.evaluation.models import Closure
from luoshi.evaluation.services import (
    EvaluationError,
    close_task,
    closed_on,
    closure_queue,
    not_closed,
    record_evaluation,
)
from luoshi.notifications.models import Notice
from luoshi.reports.models import Evidence, Report
from luoshi.tasks.models import Assignment, Status, Task
from luoshi.testing.world import World

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(dt.datetime(2025, 1, 10, 10))


def complete(task: Task) -> Task:
    Task.objects.filter(pk=task.pk).update(status=Status.COMPLETED)
    task.refresh_from_db()
    return task


def refused(code: str, **kwargs: object) -> None:
    with pytest.raises(EvaluationError) as caught:
        close_task(**kwargs)  # type: ignore[arg-type]
    assert caught.value.code == code and caught.value.message_zh and caught.value.message_en


def test_the_office_closes_a_completed_evaluated_task_with_its_evidence(world: World) -> None:
    task = complete(world.task)
    evaluation = record_evaluation(task=task, effect="good", user=world.supervisor, now=NOW)
    closure = close_task(
        task=task,
        user=world.supervisor,
        note="任务完成，成效良好，予以销号。",
        evidence=[world.evidence_a],
        now=NOW,
    )
    assert (closure.task, closure.evaluation, closure.closed_by, closure.closed_at) == (
        task,
        evaluation,
        world.supervisor,
        NOW,
    )
    assert list(closure.evidence.all()) == [world.evidence_a]
    entry = entries_for(closure).get()
    assert entry.action == "create" and entry.changes["evidence"] == [None, [world.evidence_a.pk]]
    assert Notice.objects.filter(recipient=world.liaison_a, kind="closure").exists()
    assert Notice.objects.filter(recipient=world.liaison_b, kind="closure").exists()  # the co-unit too
    refused("already_closed", task=task, user=world.supervisor, note="再次", evidence=[world.evidence_a])


def test_what_closing_waits_for(world: World) -> None:
    task = world.task
    refused("not_completed", task=task, user=world.supervisor, note="销号", evidence=[world.evidence_a])
    complete(task)
    refused("not_evaluated", task=task, user=world.supervisor, note="销号", evidence=[world.evidence_a])
    record_evaluation(
        task=task, effect="fair", user=world.supervisor, recheck_date=dt.date(2025, 6, 30), now=NOW
    )
    refused("recheck_pending", task=task, user=world.supervisor, note="销号", evidence=[world.evidence_a])
    record_evaluation(task=task, effect="good", user=world.supervisor, now=NOW + dt.timedelta(days=1))
    refused("note_required", task=task, user=world.supervisor, note="  ", evidence=[world.evidence_a])
    refused("evidence_required", task=task, user=world.supervisor, note="销号")
    other_task = Report.objects.create(
        obligation=world.a2.obligations.get(),
        progress=10,
        narrative="另一任务",
        submitted_by=world.liaison_a,
        submitted_at=NOW,
    )
    foreign = Evidence.objects.create(
        report=other_task,
        file="x.txt",
        original_name="x.txt",
        content_type="text/plain",
        size=1,
        sha256="0" * 64,
    )
    refused("foreign_evidence", task=task, user=world.supervisor, note="销号", evidence=[foreign])
    assert not Closure.objects.exists()


def test_only_the_office_closes(world: World) -> None:
    task = complete(world.task)
    record_evaluation(task=task, effect="good", user=world.supervisor, now=NOW)
    for user in (world.leader, world.liaison_a, world.head_a):
        with pytest.raises(PermissionDenied):
            close_task(task=task, user=user, note="销号", evidence=[world.evidence_a])
    close_task(task=task, user=world.admin, note="销号", evidence=[world.evidence_a])


def test_closed_tasks_leave_the_active_lists_but_not_the_record(world: World) -> None:
    task = complete(world.task)
    assert [c.waits_for for c in closure_queue(tasks=Task.objects.all())] == ["evaluation"]
    record_evaluation(task=task, effect="good", user=world.supervisor, now=NOW)
    assert [(c.task, c.waits_for, c.evidence) for c in closure_queue(tasks=Task.objects.all())] == [
        (task, "", 1)
    ]
    close_task(task=task, user=world.supervisor, note="销号", evidence=[world.evidence_a], now=NOW)
    assert closure_queue(tasks=Task.objects.all()) == []
    assert list(not_closed(Task.objects.order_by("pk"))) == [world.task_a]
    assert set(not_closed(Assignment.objects.all(), task="task")) == {world.a2}
    assert list(not_closed(Report.objects.all(), task="obligation__assignment__task")) == []
    assert set(closed_on([task.pk, world.task_a.pk])) == {task.pk}
    assert closed_on([task.pk], as_of=dt.date(2025, 1, 9)) == {}  # not yet closed on that day
    assert (
        Task.objects.filter(pk=task.pk).exists()
        and Report.objects.filter(obligation__assignment__task=task).exists()
    )
