"""Tasks made from the seed's confirmed plan: owners, sources, deadlines, history; idempotent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from luoshi.decomposition.models import Plan, PlanTask
from luoshi.decomposition.services import (
    add_plan_indicator,
    add_plan_milestone,
    confirm_plan,
    edit_task,
    set_task_status,
)
from luoshi.tasks.models import Assignment, Status, Task, Transition
from luoshi.tasks.services import TaskError, create_tasks_from_plan
from luoshi.tasks.tests.conftest import (
    ASSIGNED_AT,
    DEADLINE,
    ENERGY_DEADLINE,
    START,
    TODAY,
    energy_source,
    task_with,
    unit,
)

pytestmark = pytest.mark.django_db


def test_it_creates_one_assigned_task_per_accepted_top_level_task(plan: Plan, tasks: list[Task]) -> None:
    sources = plan.tasks.filter(parent=None, kind__in=["task", "recurring"], status=PlanTask.ACCEPTED)
    assert len(tasks) == sources.count() >= 9
    assert [t.plan_task_id for t in tasks] == list(sources.order_by("order").values_list("pk", flat=True))
    assert {t.status for t in tasks} == {Status.ASSIGNED}
    assert not Task.objects.filter(plan_task__kind__in=["principle", "preamble"]).exists()
    assert not Task.objects.filter(plan_task__parent__isnull=False).exists()  # subtasks stay in their task


def test_it_keeps_the_words_and_the_section_a_task_came_from(plan: Plan, tasks: list[Task]) -> None:
    energy = task_with("新能源倍增行动")
    source = energy.plan_task
    assert source is not None
    assert (energy.title, energy.text, energy.spans) == (source.title, source.text, source.spans)
    assert energy.heading_path[0].startswith("三")
    assert energy.section is not None
    assert energy.section.number == "（十）"
    assert energy.section.start <= energy.spans[0][0] < energy.section.end
    assert plan.document.text[energy.spans[0][0] : energy.spans[0][1]] == energy.text
    # A task under a heading with no numbered sub-heading lies in the top-level section.
    goal = task_with("闯出新路")
    assert goal.section is not None
    assert (goal.section.number, goal.section.level) == ("三", 1)


def test_it_assigns_the_lead_and_each_co_unit(tasks: list[Task]) -> None:
    energy = task_with("新能源倍增行动")
    assert energy.lead_unit.name == "内蒙古自治区能源局"
    rows = {(a.unit.code, a.role, a.deadline) for a in energy.assignments.all()}
    assert rows == {
        ("energy", Assignment.Role.LEAD, ENERGY_DEADLINE),
        ("drc", Assignment.Role.CO, ENERGY_DEADLINE),
        ("miit", Assignment.Role.CO, ENERGY_DEADLINE),
    }
    assert {u.code for u in energy.co_units.all()} == {"drc", "miit"}
    farmland = task_with("高标准农田")
    # The first three suggested co-units (runners-up, none named in the text here) become 配合单位 too;
    # the rest stay suggestions on the review page.
    source = farmland.plan_task
    assert source is not None
    assert not [s for s in source.co_suggestions if s.get("source") in ("table", "text")]
    assert len(source.co_suggestions) > 3
    suggested = {s["code"] for s in source.co_suggestions[:3]} - {"agriculture-animal"}
    roles = {(a.unit.code, a.role) for a in farmland.assignments.all()}
    assert ("agriculture-animal", "lead") in roles
    assert {code for code, role in roles if role == "co"} == suggested and suggested


def test_deadline_is_the_plan_tasks_own_else_the_default(tasks: list[Task]) -> None:
    assert task_with("新能源倍增行动").deadline == ENERGY_DEADLINE
    assert task_with("高标准农田").deadline == DEADLINE
    assert {t.start_date for t in tasks} == {START}
    assert {t.cadence for t in tasks} == {"quarterly"}


def test_it_records_who_assigned_each_task(tasks: list[Task], supervisor: Any) -> None:
    history = Transition.objects.filter(task__in=tasks)
    assert history.count() == len(tasks)
    assert {(h.from_status, h.to_status, h.by, h.at) for h in history} == {
        (Status.DRAFT, Status.ASSIGNED, supervisor, ASSIGNED_AT)
    }
    assert {t.created_by for t in tasks} == {supervisor}
    assert {t.version for t in tasks} == {2}


def test_running_it_twice_creates_nothing_new(plan: Plan, tasks: list[Task]) -> None:
    before = Assignment.objects.filter(task__in=tasks).count()
    again = create_tasks_from_plan(plan=plan, start_date=START, default_deadline=DEADLINE)
    assert [t.pk for t in again] == [t.pk for t in tasks]
    assert Task.objects.count() == len(tasks)
    co = sum(t.co_units.count() for t in tasks)
    assert Assignment.objects.filter(task__in=tasks).count() == before == len(tasks) + co
    assert Transition.objects.count() == len(tasks)


def test_a_draft_plan_is_refused(draft_plan: Plan) -> None:
    with pytest.raises(TaskError) as caught:
        create_tasks_from_plan(plan=draft_plan, start_date=START, default_deadline=DEADLINE)
    assert caught.value.code == "plan_not_confirmed"
    assert "尚未确认" in str(caught.value) and "not confirmed" in str(caught.value)
    assert not Task.objects.exists()


def test_a_deadline_before_the_start_is_refused_and_nothing_is_written(plan: Plan) -> None:
    with pytest.raises(TaskError) as caught:
        create_tasks_from_plan(plan=plan, start_date=DEADLINE, default_deadline=START)
    assert caught.value.code == "deadline_before_start"
    # The energy task's own deadline (2025-10-31) is before this start date, though the default is not.
    with pytest.raises(TaskError) as caught:
        create_tasks_from_plan(plan=plan, start_date=dt.date(2025, 11, 1), default_deadline=DEADLINE)
    assert caught.value.code == "deadline_before_start"
    assert "着眼培优增效" in caught.value.message_zh
    assert "2025-10-31" in caught.value.message_en
    assert not Task.objects.exists()


def test_a_rejected_task_and_a_bad_cadence_make_no_task(draft_plan: Plan) -> None:
    farmland = draft_plan.tasks.get(parent=None, text__contains="高标准农田")
    set_task_status(task=farmland, status=PlanTask.REJECTED)
    plan = confirm_plan(accept_remaining=True, plan=draft_plan)
    with pytest.raises(TaskError) as caught:
        create_tasks_from_plan(plan=plan, start_date=START, default_deadline=DEADLINE, cadence="weekly")
    assert caught.value.code == "bad_cadence"
    tasks = create_tasks_from_plan(plan=plan, start_date=START, default_deadline=DEADLINE, cadence="monthly")
    assert tasks and not Task.objects.filter(text__contains="高标准农田").exists()
    assert {t.cadence for t in tasks} == {"monthly"}


def test_a_plan_task_accepted_later_is_added_on_the_next_run(plan: Plan, tasks: list[Task]) -> None:
    """A plan cannot change once confirmed; a task deleted by mistake comes back on the next run."""
    energy = task_with("新能源倍增行动")
    energy.delete()
    again = create_tasks_from_plan(plan=plan, start_date=START, default_deadline=DEADLINE)
    assert len(again) == len(tasks)
    assert task_with("新能源倍增行动").lead_unit == unit("energy")


def test_the_cadence_milestones_and_indicators_set_in_review_are_carried(draft_plan: Plan) -> None:
    energy = edit_task(
        task=energy_source(draft_plan), cadence="monthly", deadline=ENERGY_DEADLINE, today=TODAY
    )
    energy = add_plan_milestone(
        task=energy, date=dt.date(2025, 6, 30), expected_progress=50, title="过半", today=TODAY
    )
    add_plan_indicator(
        task=energy, name="全区新能源装机规模", unit_of_measure="亿千瓦", baseline="0.8", target="1.35"
    )
    plan = confirm_plan(accept_remaining=True, plan=draft_plan)
    create_tasks_from_plan(plan=plan, start_date=START, default_deadline=DEADLINE, cadence="quarterly")
    task = task_with("新能源倍增行动")
    assert task.cadence == "monthly"  # its own wins over the batch's
    assert {t.cadence for t in Task.objects.exclude(pk=task.pk)} == {"quarterly"}
    assert [(m.date, m.expected_progress, m.title) for m in task.milestones.all()] == [
        (dt.date(2025, 6, 30), 50, "过半")
    ]
    (indicator,) = task.indicators.all()
    assert (indicator.name, indicator.unit_of_measure, indicator.baseline, indicator.target) == (
        "全区新能源装机规模",
        "亿千瓦",
        Decimal("0.8"),
        Decimal("1.35"),
    )
    assert (indicator.baseline_date, indicator.target_date, indicator.direction) == (
        START,
        ENERGY_DEADLINE,
        "increase",
    )


def test_a_milestone_outside_the_tasks_dates_is_refused_and_nothing_is_written(draft_plan: Plan) -> None:
    energy = add_plan_milestone(
        task=energy_source(draft_plan), date=dt.date(2025, 6, 30), expected_progress=50, today=TODAY
    )
    add_plan_indicator(task=energy, name="装机", baseline=1, target=2)
    plan = confirm_plan(accept_remaining=True, plan=draft_plan)
    with pytest.raises(TaskError) as caught:
        create_tasks_from_plan(plan=plan, start_date=dt.date(2025, 7, 1), default_deadline=DEADLINE)
    assert caught.value.code == "milestone_outside" and "2025-06-30" in caught.value.message_en
    assert not Task.objects.exists()
