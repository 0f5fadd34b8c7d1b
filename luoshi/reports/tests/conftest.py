"""A small world for report tests: one task, a lead, a co-unit and a share, and their people.

Built with the models directly (not the task services), so these tests only
depend on the reports code.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from luoshi.accounts.models import Role
from luoshi.documents.models import Document
from luoshi.reports.models import Obligation
from luoshi.reports.services import ensure_obligations
from luoshi.tasks.models import Assignment, Cadence, Indicator, Status, Task
from luoshi.testing.seed import seed_document
from luoshi.testing.world import make_units, make_user


@dataclass
class World:
    task: Task
    lead: Assignment
    co: Assignment
    share: Assignment
    indicator: Indicator
    lead_liaison: Any
    lead_head: Any
    co_liaison: Any
    share_liaison: Any
    supervisor: Any


def owed(assignment: Assignment, period: str = "2024-Q1") -> Obligation:
    """The assignment's obligation for ``period`` (its obligations made first, as the tick would)."""
    ensure_obligations(assignment=assignment)
    return Obligation.objects.get(assignment=assignment, period=period)


@pytest.fixture
def document() -> Document:
    return seed_document()


@pytest.fixture
def world(document: Document) -> World:
    region, co_unit, city = make_units()  # the units of luoshi.testing.world
    task = Task.objects.create(
        document=document,
        title="推进新能源装备制造",
        text="大力发展新能源装备制造业。",
        lead_unit=region,
        start_date=dt.date(2024, 1, 15),
        deadline=dt.date(2024, 12, 31),
        cadence=Cadence.QUARTERLY,
        report_day=10,
        status=Status.IN_PROGRESS,
    )
    task.co_units.add(co_unit)
    lead = Assignment.objects.create(
        task=task, unit=region, role=Assignment.Role.LEAD, deadline=task.deadline
    )
    co = Assignment.objects.create(task=task, unit=co_unit, role=Assignment.Role.CO, deadline=task.deadline)
    share = Assignment.objects.create(
        task=task, unit=city, role=Assignment.Role.SHARE, parent=lead, deadline=dt.date(2024, 8, 20)
    )
    indicator = Indicator.objects.create(
        task=task,
        name="新能源装机容量",
        unit_of_measure="万千瓦",
        baseline=100,
        target=200,
        baseline_date=dt.date(2024, 1, 1),
        target_date=dt.date(2024, 12, 31),
    )
    return World(
        task=task,
        lead=lead,
        co=co,
        share=share,
        indicator=indicator,
        lead_liaison=make_user("lead_liaison", Role.LIAISON, region),
        lead_head=make_user("lead_head", Role.UNIT_HEAD, region),
        co_liaison=make_user("co_liaison", Role.LIAISON, co_unit),
        share_liaison=make_user("share_liaison", Role.LIAISON, city),
        supervisor=make_user("supervisor", Role.SUPERVISOR),
    )
