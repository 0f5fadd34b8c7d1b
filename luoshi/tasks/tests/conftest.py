"""Shared fixtures: the seed decision, its confirmed plan, the tasks made from it, three people."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from luoshi.accounts.models import Role
from luoshi.decomposition.models import Plan, PlanTask
from luoshi.decomposition.services import confirm_plan, edit_task
from luoshi.documents.models import Document
from luoshi.tasks.models import Indicator, Task
from luoshi.tasks.services import add_indicator, create_tasks_from_plan
from luoshi.testing.seed import seed_document, seed_plan
from luoshi.testing.world import make_user
from luoshi.units.models import Unit
from luoshi.units.services import load_units

TODAY = dt.date(2025, 3, 1)
START = dt.date(2025, 1, 1)
DEADLINE = dt.date(2025, 12, 31)
ENERGY_DEADLINE = dt.date(2025, 10, 31)  # given to the energy task while the plan is reviewed
ASSIGNED_AT = dt.datetime(2025, 1, 2, 9, 0, tzinfo=dt.UTC)


def unit(code: str) -> Unit:
    return Unit.objects.get(catalog="inner-mongolia", code=code)


@pytest.fixture
def seed() -> Document:
    load_units(catalog="inner-mongolia")
    return seed_document()


@pytest.fixture
def draft_plan(seed: Document) -> Plan:
    return seed_plan(seed)


@pytest.fixture
def plan(draft_plan: Plan) -> Plan:
    """The seed's plan, confirmed; the energy task got co-units and a deadline of its own in review."""
    energy = draft_plan.tasks.get(parent=None, text__contains="新能源倍增行动")
    edit_task(
        task=energy,
        co_units=[unit("drc"), unit("miit"), unit("energy")],
        deadline=ENERGY_DEADLINE,
        today=TODAY,
    )
    return confirm_plan(accept_remaining=True, plan=draft_plan)


@pytest.fixture
def supervisor(db: None) -> Any:
    """The supervision office's Zhang, who creates and steers the tasks."""
    return make_user("zhang", Role.SUPERVISOR, first_name="张督查")


@pytest.fixture
def liaison(tasks: list[Task]) -> Any:
    """Li, a liaison of the unit leading the energy task (新能源倍增行动): it accepts it and asks for completion."""
    return make_user("li", Role.LIAISON, task_with("新能源倍增行动").lead_unit, first_name="李联络")


@pytest.fixture
def tasks(plan: Plan, supervisor: Any) -> list[Task]:
    with time_machine.travel(ASSIGNED_AT, tick=False):
        return create_tasks_from_plan(plan=plan, start_date=START, default_deadline=DEADLINE, user=supervisor)


def add_capacity(task: Task) -> Indicator:
    """新能源装机容量 from 6000 to 9000 万千瓦, 2024-12-31 → 2025-10-31 (the seed's energy task)."""
    return add_indicator(
        task=task,
        name="新能源装机容量",
        unit_of_measure="万千瓦",
        baseline=6000,
        target=9000,
        baseline_date=dt.date(2024, 12, 31),
        target_date=dt.date(2025, 10, 31),
    )


def task_with(words: str) -> Task:
    return Task.objects.get(text__contains=words)


def energy_source(plan: Plan) -> PlanTask:
    return plan.tasks.get(parent=None, text__contains="新能源倍增行动")
