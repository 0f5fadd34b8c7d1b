"""A small world for supervision tests: one quarterly task (lead and co-unit), their people.

Task: 2024-01-01 → 2024-06-30, quarterly, reports due 10 days after each
quarter (Q1 due 2024-04-10). Default policies: quarterly reports reminded 7
days ahead, deadlines 30 and 7 days ahead, yellow warning 15 days ahead,
escalation 7 days overdue.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from luoshi.accounts.models import Role
from luoshi.documents.models import Document
from luoshi.tasks.models import Assignment, Cadence, Status, Task
from luoshi.testing.seed import seed_document
from luoshi.testing.world import make_user
from luoshi.units.models import Unit

DEADLINE = dt.date(2024, 6, 30)


@dataclass
class World:
    task: Task
    lead: Assignment
    co: Assignment
    lead_unit: Unit
    co_unit: Unit
    liaison: Any
    head: Any
    co_liaison: Any
    co_head: Any
    supervisor: Any


@pytest.fixture
def document(db: None) -> Document:
    return seed_document()


def make_task(
    document: Document,
    lead_unit: Unit,
    co_unit: Unit | None = None,
    *,
    title: str = "推进新能源装备制造",
    deadline: dt.date = DEADLINE,
) -> tuple[Task, Assignment, Assignment | None]:
    task = Task.objects.create(
        document=document,
        title=title,
        text="大力发展新能源装备制造业。",
        lead_unit=lead_unit,
        start_date=dt.date(2024, 1, 1),
        deadline=deadline,
        cadence=Cadence.QUARTERLY,
        report_day=10,
        status=Status.IN_PROGRESS,
    )
    lead = Assignment.objects.create(task=task, unit=lead_unit, role=Assignment.Role.LEAD, deadline=deadline)
    co = None
    if co_unit is not None:
        task.co_units.add(co_unit)
        co = Assignment.objects.create(task=task, unit=co_unit, role=Assignment.Role.CO, deadline=deadline)
    return task, lead, co


@pytest.fixture
def world(document: Document) -> World:
    lead_unit = Unit.objects.create(code="fgw", name="自治区发展改革委", level="region", catalog="test")
    co_unit = Unit.objects.create(code="gxt", name="自治区工业和信息化厅", level="region", catalog="test")
    task, lead, co = make_task(document, lead_unit, co_unit)
    assert co is not None
    return World(
        task=task,
        lead=lead,
        co=co,
        lead_unit=lead_unit,
        co_unit=co_unit,
        liaison=make_user("liaison", Role.LIAISON, lead_unit, email="liaison@example.gov.cn"),
        head=make_user("head", Role.UNIT_HEAD, lead_unit, email="head@example.gov.cn"),
        co_liaison=make_user("co_liaison", Role.LIAISON, co_unit, email="co_liaison@example.gov.cn"),
        co_head=make_user("co_head", Role.UNIT_HEAD, co_unit, email="co_head@example.gov.cn"),
        supervisor=make_user("supervisor", Role.SUPERVISOR, email="supervisor@example.gov.cn"),
    )
