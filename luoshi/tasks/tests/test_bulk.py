"""The set-wise task services: the same rows and audit entries as their single-row twins, the same
refusals (naming the row), and nothing of a set written when one row is refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from luoshi.accounts.models import Role
from luoshi.audit.models import AuditEntry
from luoshi.documents.models import Document
from luoshi.tasks.models import Assignment, Indicator, Milestone, Status, Task, Transition
from luoshi.tasks.services import (
    NewIndicator,
    NewMilestone,
    NewTask,
    Share,
    TaskError,
    add_indicators,
    add_milestone,
    add_milestones,
    cascade,
    cascade_all,
    create_task,
    create_tasks,
    transition,
    transition_tasks,
)
from luoshi.tasks.tests.conftest import DEADLINE, START, unit
from luoshi.testing.world import make_user

pytestmark = pytest.mark.django_db
AT = dt.datetime(2025, 1, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def document(seed: Document) -> Document:
    return seed


def new(document: Document, title: str, **kw: Any) -> NewTask:
    values: dict[str, Any] = {
        "document": document,
        "title": title,
        "text": f"{title}的任务内容。",
        "lead_unit": unit("energy"),
        "start_date": START,
        "deadline": DEADLINE,
    } | kw
    return NewTask(**values)


def audit(obj: Any) -> list[tuple[str, dict[str, Any], str]]:
    return [
        (e.action, e.changes, e.object_repr)
        for e in AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).order_by(
            "id"
        )
    ]


def test_create_tasks_writes_what_create_task_writes(document: Document, supervisor: Any) -> None:
    one = create_task(
        document=document,
        title="甲任务",
        text="甲任务的任务内容。",
        lead_unit=unit("energy"),
        co_units=[unit("drc"), unit("energy")],
        start_date=START,
        deadline=DEADLINE,
        cadence="monthly",
        user=supervisor,
    )
    many = create_tasks(
        tasks=[
            new(document, "乙任务", co_units=[unit("drc"), unit("energy")], cadence="monthly"),
            new(document, "丙任务", lead_unit=unit("drc")),
        ],
        user=supervisor,
    )
    assert [t.title for t in many] == ["乙任务", "丙任务"] and all(t.pk for t in many)
    b, c = (Task.objects.get(pk=t.pk) for t in many)
    for made in (one, b):
        assert (made.status, made.cadence, made.created_by, [u.code for u in made.co_units.all()]) == (
            Status.DRAFT,
            "monthly",
            supervisor,
            ["drc"],
        )
        assert sorted(made.assignments.values_list("unit__code", "role", "deadline")) == [
            ("drc", "co", DEADLINE),
            ("energy", "lead", DEADLINE),
        ]
    assert list(c.assignments.values_list("unit__code", "role")) == [("drc", "lead")]
    ((action, changes, _repr),) = audit(b)
    assert action == "create" and changes == audit(one)[0][1] | {"title": [None, "乙任务"]}


def test_one_bad_task_is_named_and_nothing_is_written(document: Document) -> None:
    before = (Task.objects.count(), Assignment.objects.count(), AuditEntry.objects.count())
    with pytest.raises(TaskError) as refused:
        create_tasks(tasks=[new(document, "好任务"), new(document, "坏任务", cadence="weekly")])
    assert refused.value.code == "bad_cadence"
    assert "坏任务" in refused.value.message_zh and "坏任务" in refused.value.message_en
    assert (Task.objects.count(), Assignment.objects.count(), AuditEntry.objects.count()) == before


def test_milestones_keep_the_single_rules_across_the_set(document: Document) -> None:
    task, other = create_tasks(tasks=[new(document, "甲"), new(document, "乙")])
    add_milestone(task=task, date=dt.date(2025, 6, 30), expected_progress=50)
    made = add_milestones(
        milestones=[
            NewMilestone(task=task, date=dt.date(2025, 9, 30), expected_progress=70),
            NewMilestone(task=other, date=dt.date(2025, 3, 31), expected_progress=20),
        ]
    )
    assert [(m.task_id, m.date, m.expected_progress) for m in made] == [
        (task.pk, dt.date(2025, 9, 30), 70),
        (other.pk, dt.date(2025, 3, 31), 20),
    ]
    assert audit(made[0])[0][1] == {
        "task": [None, task.pk],
        "date": [None, "2025-09-30"],
        "expected_progress": [None, 70],
    }
    falls = [
        NewMilestone(task=other, date=dt.date(2025, 6, 30), expected_progress=60),
        NewMilestone(task=other, date=dt.date(2025, 8, 31), expected_progress=40),
    ]  # falls within the set
    twice = [NewMilestone(task=task, date=dt.date(2025, 9, 30), expected_progress=80)]
    outside = [NewMilestone(task=task, date=dt.date(2026, 3, 31), expected_progress=90)]
    for rows, code in (
        (falls, "progress_decreases"),
        (twice, "milestone_same_date"),
        (outside, "milestone_outside"),
    ):
        with pytest.raises(TaskError) as refused:
            add_milestones(milestones=rows)
        assert refused.value.code == code
    assert Milestone.objects.count() == 3


def test_indicators_need_a_target_beyond_the_baseline(document: Document) -> None:
    (task,) = create_tasks(tasks=[new(document, "甲")])
    good = NewIndicator(
        task=task,
        name="装机容量",
        unit_of_measure="万千瓦",
        baseline=10,
        target="12.5",
        baseline_date=START,
        target_date=DEADLINE,
    )
    bad = NewIndicator(
        task=task,
        name="办理时限",
        unit_of_measure="天",
        baseline=10,
        target=12,
        baseline_date=START,
        target_date=DEADLINE,
        direction="decrease",
    )
    with pytest.raises(TaskError) as refused:
        add_indicators(indicators=[good, bad])
    assert refused.value.code == "target_not_better" and "甲" in refused.value.message_zh
    assert not Indicator.objects.exists()
    (made,) = add_indicators(indicators=[good])
    assert (made.baseline, made.target) == (Decimal("10.0000"), Decimal("12.5000"))
    assert audit(made)[0][1]["target"] == [None, "12.5"]


def test_transition_tasks_moves_each_as_transition_would(document: Document, supervisor: Any) -> None:
    a, b, c = create_tasks(tasks=[new(document, "甲"), new(document, "乙"), new(document, "丙")])
    transition(task=c, to_status=Status.ASSIGNED, user=supervisor, now=AT)
    moved = transition_tasks(tasks=[a, b], to_status=Status.ASSIGNED, user=supervisor, now=AT)
    assert [(t.status, t.version) for t in moved] == [(Status.ASSIGNED, 2), (Status.ASSIGNED, 2)]
    assert Task.objects.get(pk=a.pk).version == 2
    assert list(
        Transition.objects.filter(task=a).values_list("from_status", "to_status", "by", "at")
    ) == list(Transition.objects.filter(task=c).values_list("from_status", "to_status", "by", "at"))
    assert audit(a)[-1][:2] == audit(c)[-1][:2] == ("transition", {"status": ["draft", "assigned"]})


def test_one_step_not_allowed_stops_the_set(document: Document, supervisor: Any) -> None:
    a, b = create_tasks(tasks=[new(document, "甲"), new(document, "乙")])
    transition(task=b, to_status=Status.ASSIGNED, user=supervisor)
    with pytest.raises(TaskError) as refused:  # 甲 is a draft: it cannot be started
        transition_tasks(tasks=[b, a], to_status=Status.IN_PROGRESS, user=supervisor)
    assert refused.value.code == "bad_transition" and "甲" in refused.value.message_zh
    with pytest.raises(TaskError) as unexplained:
        transition_tasks(tasks=[a, b], to_status=Status.CANCELLED, user=supervisor)
    assert unexplained.value.code == "reason_required"
    assert list(Task.objects.filter(pk__in=[a.pk, b.pk]).order_by("pk").values_list("status", flat=True)) == [
        Status.DRAFT,
        Status.ASSIGNED,
    ]
    with pytest.raises(TaskError) as twice:
        transition_tasks(tasks=[a, a], to_status=Status.ASSIGNED, user=supervisor)
    assert twice.value.code == "task_twice"


def test_transition_tasks_checks_the_user_for_every_task_before_any_write(
    document: Document, supervisor: Any, django_assert_max_num_queries: Any
) -> None:
    a, b = create_tasks(tasks=[new(document, "甲"), new(document, "乙", lead_unit=unit("ordos"))])
    transition_tasks(tasks=[a, b], to_status=Status.ASSIGNED, user=supervisor, now=AT)
    energy = make_user("li", Role.LIAISON, unit("energy"))
    stranger = make_user("wang", None)
    for user, to_status in [
        (energy, Status.IN_PROGRESS),  # 签收 of 乙 is the lead unit ordos's step, not energy's
        (energy, Status.CANCELLED),  # only the office cancels
        (stranger, Status.IN_PROGRESS),
    ]:
        with pytest.raises(PermissionDenied):
            transition_tasks(tasks=[a, b], to_status=to_status, user=user, reason="调整")
    assert [(t.status, t.version) for t in Task.objects.filter(pk__in=[a.pk, b.pk]).order_by("pk")] == [
        (Status.ASSIGNED, 2),
        (Status.ASSIGNED, 2),
    ]
    assert Transition.objects.filter(task__in=[a, b], to_status=Status.IN_PROGRESS).count() == 0
    office = make_user("zhao", Role.SUPERVISOR)
    with django_assert_max_num_queries(12):  # the check costs one profile query, not one per task
        moved = transition_tasks(tasks=[a, b], to_status=Status.IN_PROGRESS, user=office, now=AT)
    assert [t.status for t in moved] == [Status.IN_PROGRESS, Status.IN_PROGRESS]
    assert set(Transition.objects.filter(to_status=Status.IN_PROGRESS).values_list("by", flat=True)) == {
        office.pk
    }


def test_transition_tasks_lets_the_lead_unit_take_its_own_steps(document: Document, supervisor: Any) -> None:
    a, b = create_tasks(tasks=[new(document, "甲"), new(document, "乙")])
    transition_tasks(tasks=[a, b], to_status=Status.ASSIGNED, user=supervisor, now=AT)
    liaison = make_user("li", Role.LIAISON, unit("energy"))
    moved = transition_tasks(tasks=[a, b], to_status=Status.IN_PROGRESS, user=liaison, now=AT)
    assert [(t.status, t.version) for t in moved] == [(Status.IN_PROGRESS, 3), (Status.IN_PROGRESS, 3)]


def test_cascade_all_divides_many_leads_with_the_rules_of_cascade(document: Document) -> None:
    a, b = create_tasks(tasks=[new(document, "甲"), new(document, "乙")])
    lead_a, lead_b = (t.assignments.get(role=Assignment.Role.LEAD) for t in (a, b))
    single = cascade(assignment=lead_a, shares=[Share(unit=unit("ordos"), weight=2, deadline=DEADLINE)])
    made = cascade_all(
        divisions=[
            (lead_a, [Share(unit=unit("baotou"), weight=1, deadline=DEADLINE)]),
            (
                lead_b,
                [
                    Share(unit=unit("ordos"), weight="1.5", deadline=DEADLINE),
                    Share(unit=unit("baotou"), weight=1, deadline=DEADLINE),
                ],
            ),
        ]
    )
    assert [(s.task_id, s.unit.code, s.parent_id, s.weight) for s in made] == [
        (a.pk, "baotou", lead_a.pk, Decimal("1.00")),
        (b.pk, "ordos", lead_b.pk, Decimal("1.50")),
        (b.pk, "baotou", lead_b.pk, Decimal("1.00")),
    ]
    assert audit(made[0])[0][0] == audit(single[0])[0][0] == "create"
    assert audit(made[0])[0][1].keys() == audit(single[0])[0][1].keys()
    count = Assignment.objects.count()
    again = [
        (lead_a, [Share(unit=unit("hohhot"), weight=1, deadline=DEADLINE)]),
        (lead_a, [Share(unit=unit("hohhot"), weight=1, deadline=DEADLINE)]),
    ]  # the same unit twice in one set
    co = [
        (
            Assignment.objects.create(task=a, unit=unit("drc"), role=Assignment.Role.CO, deadline=DEADLINE),
            [Share(unit=unit("hohhot"), weight=1, deadline=DEADLINE)],
        )
    ]
    for divisions, code in ((again, "unit_already_assigned"), (co, "cascade_needs_lead")):
        with pytest.raises(TaskError) as refused:
            cascade_all(divisions=divisions)
        assert refused.value.code == code
    assert Assignment.objects.count() == count + 1  # the co-unit made for the second case, nothing else


def test_each_set_wise_service_makes_the_ratings_it_touches_stale(
    document: Document, supervisor: Any
) -> None:
    from luoshi.ratings.models import (
        RatingStamp,  # bulk inserts send no post_save: the services say what changed
    )

    (task,) = create_tasks(tasks=[new(document, "甲")])
    lead = task.assignments.get(role=Assignment.Role.LEAD)

    def token() -> int:
        return RatingStamp.objects.get(assignment=lead).token

    steps = [
        lambda: add_milestones(
            milestones=[NewMilestone(task=task, date=dt.date(2025, 6, 30), expected_progress=50)]
        ),
        lambda: add_indicators(
            indicators=[
                NewIndicator(
                    task=task,
                    name="装机",
                    unit_of_measure="万千瓦",
                    baseline=1,
                    target=2,
                    baseline_date=START,
                    target_date=DEADLINE,
                )
            ]
        ),
        lambda: transition_tasks(tasks=[task], to_status=Status.ASSIGNED, user=supervisor, now=AT),
        lambda: cascade_all(divisions=[(lead, [Share(unit=unit("ordos"), weight=1, deadline=DEADLINE)])]),
    ]
    for n, step in enumerate(steps):
        before = token()
        step()
        assert token() != before, f"step {n}"
    share = task.assignments.get(role=Assignment.Role.SHARE)
    assert RatingStamp.objects.filter(assignment=share).exists()
