from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from luoshi.accountability.errors import AccountabilityError
from luoshi.accountability.models import Attachment, Measure
from luoshi.accountability.services import (
    measures_for_task,
    measures_for_unit,
    measures_in_period,
    next_kind,
    record_measure,
    suggest_measures,
)
from luoshi.audit.services import entries_for
from luoshi.ratings.models import Rating
from luoshi.tasks.models import Assignment, Status, Task
from luoshi.testing.world import World

pytestmark = pytest.mark.django_db

D = dt.date
NOW = timezone.make_aware(dt.datetime(2025, 3, 1, 10))
DEADLINE = D(2024, 12, 31)


def measure(world: World, kind: str, day: dt.date, *, units: Any = None, tasks: Any = None) -> Measure:
    return record_measure(
        kind=kind,
        units=units or [world.unit_a],
        tasks=tasks if tasks is not None else [world.task_a],
        reason=f"{kind} 理由",
        date=day,
        user=world.supervisor,
        now=NOW,
    )


def rating(a: Assignment, day: dt.date, rag: str, *, overridden: bool = False) -> Rating:
    return Rating.objects.create(
        assignment=a, as_of=day, rag=rag, overridden=overridden, override_reason="核查" if overridden else ""
    )


def test_only_the_supervision_office_records_measures(world: World) -> None:
    for user in (world.liaison_a, world.head_a, world.leader, None):
        with pytest.raises(PermissionDenied):
            record_measure(kind="reminder", units=[world.unit_a], reason="x", date=D(2025, 1, 1), user=user)
    for kwargs, code in (
        ({"kind": "scolding"}, "bad_kind"),
        ({"units": []}, "unit_required"),
        ({"reason": " "}, "reason_required"),
        ({"date": D(2025, 3, 2)}, "future_date"),
    ):
        args: dict[str, Any] = {
            "kind": "talk",
            "units": [world.unit_a],
            "reason": "约谈",
            "date": D(2025, 3, 1),
            "user": world.admin,
            "now": NOW,
        } | kwargs
        with pytest.raises(AccountabilityError) as refused:
            record_measure(**args)
        assert refused.value.code == code
    assert not Measure.objects.exists()


def test_attachments_are_stored_under_media_root(world: World, tmp_path: Path) -> None:
    notice = SimpleUploadedFile(
        "约谈通知.pdf", b"%PDF-1.4 minutes of the talk", content_type="application/pdf"
    )
    talk = record_measure(
        kind="talk",
        units=[world.unit_a, world.unit_b],
        tasks=[world.task],
        reason="连续滞后",
        date=D(2025, 2, 28),
        user=world.supervisor,
        attachments=[notice],
        now=NOW,
    )
    (attachment,) = talk.attachments.all()
    stored = Path(attachment.file.path)
    assert stored.is_relative_to(tmp_path / "files" / "measures" / "2025" / "03")
    assert stored.read_bytes() == b"%PDF-1.4 minutes of the talk"
    assert (attachment.original_name, attachment.content_type, talk.weight) == (
        "约谈通知.pdf",
        "application/pdf",
        3,
    )
    assert entries_for(talk).get().changes["attachments"] == [None, 1]

    program = SimpleUploadedFile("通知.pdf", b"MZ\x90\x00 not a pdf")
    with pytest.raises(AccountabilityError) as refused:
        record_measure(
            kind="reminder",
            units=[world.unit_a],
            reason="x",
            date=D(2025, 3, 1),
            user=world.supervisor,
            attachments=[program],
            now=NOW,
        )
    assert refused.value.code == "evidence_executable"
    assert (Measure.objects.count(), Attachment.objects.count()) == (1, 1)
    assert len(list((tmp_path / "files" / "measures").rglob("*.*"))) == 1


def test_reading_the_register(world: World) -> None:
    reminder = measure(world, "reminder", D(2025, 1, 10))
    urging = measure(world, "urging", D(2025, 2, 10), units=[world.unit_b], tasks=[world.task])
    talk = measure(
        world, "talk", D(2025, 2, 20), units=[world.unit_a, world.unit_b], tasks=[world.task_a, world.task]
    )
    assert measures_for_task(task=world.task_a) == [reminder, talk]
    assert measures_for_task(task=world.task) == [urging, talk]
    assert measures_for_unit(unit=world.unit_b) == [urging, talk]
    assert measures_for_unit(unit=world.unit_c) == []
    assert measures_in_period(start=D(2025, 1, 10), end=D(2025, 2, 10)) == [reminder, urging]
    assert measures_in_period(start=D(2025, 2, 11), end=D(2025, 2, 28)) == [talk]
    assert [next_kind(k) for k in (None, "reminder", "urging", "talk", "criticism", "referral")] == [
        "reminder",
        "urging",
        "talk",
        "criticism",
        "referral",
        None,
    ]


def test_red_for_n_consecutive_periods_suggests_the_first_measure(world: World, settings: Any) -> None:
    settings.ACCOUNTABILITY_RED_PERIODS = 3
    rating(world.a2, D(2024, 1, 20), "red")
    rating(world.a2, D(2024, 2, 1), "amber")  # Q1: its latest rating says amber
    rating(world.a2, D(2024, 4, 20), "amber")  # Q2 …
    rating(world.a2, D(2024, 5, 20), "red")  # … its latest rating says red
    rating(world.a2, D(2024, 8, 1), "red")  # Q3
    assert suggest_measures(as_of=D(2024, 8, 1)) == []  # 2 consecutive (Q2, Q3): N-1
    rating(world.a2, D(2024, 11, 1), "red")  # Q4
    (suggestion,) = suggest_measures(as_of=D(2024, 11, 1))
    assert (
        suggestion.assignment,
        suggestion.kind,
        suggestion.red_periods,
        suggestion.red_period_keys,
        suggestion.overdue_days,
        suggestion.last_measure,
    ) == (world.a2, "reminder", 3, ["2024-Q2", "2024-Q3", "2024-Q4"], 0, None)
    assert suggestion.reason_zh == "连续3期评价为红灯（2024-Q2、2024-Q3、2024-Q4），建议采取“提醒”。"
    assert suggestion.reason_en == (
        "Red for 3 consecutive rating periods (2024-Q2, 2024-Q3, 2024-Q4): suggested next measure: reminder."
    )
    assert Measure.objects.count() == 0  # suggestions are never recorded
    # A supervisor's override for a date wins over the computed rating of that date.
    rating(world.a2, D(2024, 11, 1), "green", overridden=True)
    assert suggest_measures(as_of=D(2024, 11, 1)) == []


def test_a_measure_needs_a_fresh_run_before_the_next_rung(world: World) -> None:
    rating(world.a2, D(2024, 2, 1), "red")
    rating(world.a2, D(2024, 5, 1), "red")
    assert [s.kind for s in suggest_measures(as_of=D(2024, 5, 1))] == ["reminder"]
    record_measure(
        kind="reminder",
        units=[world.unit_a],
        tasks=[world.task_a],
        reason="提醒",
        date=D(2024, 5, 2),
        user=world.supervisor,
        now=NOW,
    )
    rating(world.a2, D(2024, 8, 1), "red")
    assert suggest_measures(as_of=D(2024, 8, 1)) == []  # one red period since the reminder
    rating(world.a2, D(2024, 11, 1), "red")
    (suggestion,) = suggest_measures(as_of=D(2024, 11, 1))
    assert (suggestion.kind, suggestion.red_period_keys) == ("urging", ["2024-Q3", "2024-Q4"])
    assert "此前已采取“提醒”（2024-05-02）" in suggestion.reason_zh


def test_overdue_beyond_the_threshold_and_the_ladder_after_a_talk(world: World) -> None:
    Task.objects.filter(pk=world.task.pk).update(status=Status.COMPLETED)  # leaves task_a, still open
    assert suggest_measures(as_of=DEADLINE + dt.timedelta(days=29)) == []
    (suggestion,) = suggest_measures(as_of=DEADLINE + dt.timedelta(days=30))
    assert (suggestion.assignment, suggestion.kind, suggestion.overdue_days) == (world.a2, "reminder", 30)
    assert suggestion.reason_zh == "已逾期30天仍未完成，建议采取“提醒”。"
    assert suggestion.reason_en == "30 days overdue and not finished: suggested next measure: reminder."

    record_measure(
        kind="talk",
        units=[world.unit_a],
        tasks=[world.task_a],
        reason="约谈主要负责人",
        date=D(2025, 2, 1),
        user=world.supervisor,
        now=NOW,
    )
    assert suggest_measures(as_of=D(2025, 3, 2)) == []  # 29 days after the talk
    (after_talk,) = suggest_measures(as_of=D(2025, 3, 3))
    assert (after_talk.kind, after_talk.overdue_days, after_talk.last_measure.kind) == (  # type: ignore[union-attr]
        "criticism",
        30,
        "talk",
    )
    assert after_talk.reason_en.startswith("30 days overdue and not finished; after a talk on 2025-02-01")

    record_measure(
        kind="referral",
        units=[world.unit_a],
        tasks=[world.task_a],
        reason="移交问责",
        date=D(2025, 3, 3),
        user=world.supervisor,
        now=timezone.make_aware(dt.datetime(2025, 3, 3, 12)),
    )
    assert suggest_measures(as_of=D(2025, 6, 1)) == []  # above the top of the ladder


def test_an_assignment_reported_complete_is_not_overdue(world: World, settings: Any) -> None:
    settings.ACCOUNTABILITY_OVERDUE_DAYS = 10
    world.report_a.progress = 100
    world.report_a.save()
    as_of = DEADLINE + dt.timedelta(days=10)
    # Unit A reported 100% on the shared task; unit B (nothing reported) and A's own other task are overdue.
    assert [s.assignment for s in suggest_measures(as_of=as_of)] == [world.b, world.a2]
    Assignment.objects.filter(pk=world.a2.pk).update(deadline=D(2025, 6, 30))
    assert [s.assignment for s in suggest_measures(as_of=as_of)] == [world.b]


def test_suggestions_for_one_task_are_the_whole_lists_for_that_task(world: World) -> None:
    as_of = DEADLINE + dt.timedelta(days=40)
    everything = suggest_measures(as_of=as_of)
    assert everything, "both open tasks are overdue: there is something to narrow"
    narrowed = {task.pk: suggest_measures(as_of=as_of, task=task) for task in (world.task, world.task_a)}
    for task_id, mine in narrowed.items():
        assert mine == [s for s in everything if s.assignment.task_id == task_id]
    assert sum(len(m) for m in narrowed.values()) == len(everything) and all(narrowed.values())
