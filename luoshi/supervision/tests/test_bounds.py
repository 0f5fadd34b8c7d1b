"""Issue 13: one far-future date or one corrupted row never stops supervision for everyone."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from luoshi.audit.models import AuditEntry
from luoshi.documents.models import Document
from luoshi.lib.bounds import horizon
from luoshi.notifications.models import Notice
from luoshi.ratings.errors import RatingError
from luoshi.ratings.services import override_rating
from luoshi.reports.models import Obligation
from luoshi.reports.periods import periods_for
from luoshi.reports.services import ensure_obligations, refresh_states
from luoshi.site.tick import run_pass
from luoshi.supervision import scan
from luoshi.supervision.errors import SupervisionError
from luoshi.supervision.models import ExtensionRequest, Reminder, Urging
from luoshi.supervision.services import request_extension
from luoshi.supervision.tests.conftest import World, make_task
from luoshi.tasks.errors import TaskError
from luoshi.tasks.models import Assignment, Cadence, Task
from luoshi.tasks.services import add_milestone, create_task, update_task
from luoshi.testing.world import at

pytestmark = pytest.mark.django_db

FAR = dt.date(9999, 12, 31)


def test_a_deadline_of_9999_is_refused_when_a_task_is_created(world: World) -> None:
    with pytest.raises(TaskError) as refused:
        create_task(
            document=world.task.document,
            title="无限期任务",
            text="",
            lead_unit=world.lead_unit,
            start_date=dt.date(2024, 1, 1),
            deadline=FAR,
        )
    assert (refused.value.code, refused.value.field) == ("date_out_of_range", "deadline")
    assert "9999-12-31" in refused.value.message_zh and "out of range" in refused.value.message_en
    assert not Task.objects.filter(title="无限期任务").exists()


def test_a_deadline_of_9999_is_refused_when_a_task_is_edited(world: World) -> None:
    with pytest.raises(TaskError) as refused:
        update_task(
            task=world.task,
            version=world.task.version,
            user=world.supervisor,
            deadline=FAR,
            today=dt.date(2024, 3, 1),
        )
    assert (refused.value.code, refused.value.field) == ("date_out_of_range", "deadline")
    assert Task.objects.get(pk=world.task.pk).deadline == dt.date(2024, 6, 30)


def test_a_milestone_beyond_the_horizon_is_refused(world: World) -> None:
    with pytest.raises(TaskError) as refused:
        add_milestone(task=world.task, date=FAR, expected_progress=50)
    assert (refused.value.code, refused.value.field) == ("date_out_of_range", "date")


@pytest.mark.parametrize("new_deadline", [dt.date(9000, 1, 1), FAR])
def test_an_extension_beyond_the_horizon_is_refused(world: World, new_deadline: dt.date) -> None:
    with pytest.raises(SupervisionError) as refused:
        request_extension(
            assignment=world.lead,
            user=world.liaison,
            new_deadline=new_deadline,
            reason="无限期推迟。",
            now=at("2024-03-01"),
        )
    assert (refused.value.code, refused.value.field) == ("date_out_of_range", "new_deadline")
    assert not ExtensionRequest.objects.exists()


def test_a_stored_year_9000_deadline_yields_periods_up_to_the_horizon_only(world: World) -> None:
    Assignment.objects.filter(pk=world.lead.pk).update(deadline=dt.date(9000, 1, 1))  # past the services
    world.lead.refresh_from_db()
    periods = periods_for(assignment=world.lead)
    assert periods[-1].end == horizon()[1]
    assert len(periods) <= 4 * (horizon()[1].year - 2024 + 1)  # quarterly: about 130, not 27,900
    assert ensure_obligations(assignment=world.lead) == len(periods)


def test_a_stored_deadline_of_9999_does_not_stop_refresh_states(world: World) -> None:
    Task.objects.filter(pk=world.task.pk).update(deadline=FAR)
    Assignment.objects.filter(task=world.task).update(deadline=FAR)
    counts = refresh_states(today=dt.date(2024, 4, 11))  # was OverflowError (year 10000)
    assert counts["missing"] == 2 and counts["created"] > 2


def test_a_rating_as_of_9999_is_refused_not_an_overflow(world: World) -> None:
    with pytest.raises(RatingError) as refused:
        override_rating(assignment=world.lead, rag="red", reason="核查", user=world.supervisor, as_of=FAR)
    assert (refused.value.code, refused.value.field) == ("date_out_of_range", "as_of")


def _second_task(world: World, document: Document) -> Task:
    from luoshi.units.models import Unit

    unit = Unit.objects.create(code="nmt", name="自治区农牧厅", level="region", catalog="test")
    task, _lead, _ = make_task(document, unit, title="建设高标准农田")
    return task


def test_a_corrupted_task_does_not_stop_the_other_tasks_reminders(world: World, document: Document) -> None:
    broken = _second_task(world, document)
    # A row written past the services: a custom cadence whose date cannot be read.
    Task.objects.filter(pk=broken.pk).update(cadence=Cadence.CUSTOM, custom_dates=["2024-13-45"])
    result = run_pass(now=at("2024-04-03"))  # 7 days before Q1's due date: the report reminder
    assert Reminder.objects.filter(assignment__task=world.task).count() == 2  # lead and co-unit
    assert [line.split(":")[0] for line in result.skipped] == ["refresh_states"]
    notice = Notice.objects.get(recipient=world.supervisor, kind="pass_failure")
    assert "建设高标准农田" in notice.title and f"tasks/{broken.pk}/" in notice.link
    entry = AuditEntry.objects.get(object_type="tasks.assignment", note__contains="refresh_states")
    assert "Skipped by the supervision pass" in entry.note
    run_pass(now=at("2024-04-03", 10))  # the same day: no second notice
    assert Notice.objects.filter(kind="pass_failure").count() == 1


def test_one_failing_row_in_the_sweep_does_not_stop_the_others(world: World, monkeypatch: Any) -> None:
    real = scan.messages.urging

    def urging(a: Assignment, **kwargs: Any) -> Any:
        if a.pk == world.lead.pk:
            raise RuntimeError("a broken row")
        return real(a, **kwargs)

    monkeypatch.setattr(scan.messages, "urging", urging)
    result = run_pass(now=at("2024-04-11"))  # Q1 reports missing since 2024-04-10: both are urged
    assert list(Urging.objects.values_list("assignment", flat=True)) == [world.co.pk]
    assert Obligation.objects.filter(state=Obligation.State.MISSING).count() == 2
    assert [line.split(":")[0] for line in result.skipped] == ["report_urging"]
    assert Notice.objects.filter(recipient=world.supervisor, kind="pass_failure").count() == 1
