"""A small world for supervision tests: one quarterly task (lead and co-unit), their people, a clock.

Task: 2024-01-01 → 2024-06-30, quarterly, reports due 10 days after each
quarter (Q1 due 2024-04-10). Default policies: quarterly reports reminded 7
days ahead, deadlines 30 and 7 days ahead, yellow warning 15 days ahead,
escalation 7 days overdue.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from luoshi.accounts.models import Profile, Role
from luoshi.documents.models import Document
from luoshi.documents.services import ingest_document
from luoshi.notifications.models import Notice
from luoshi.notifications.tests.robots import robots  # noqa: F401  (fixture)
from luoshi.tasks.models import Assignment, Cadence, Status, Task
from luoshi.testing.paths import seed_path
from luoshi.units.models import Unit

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
DEADLINE = dt.date(2024, 6, 30)


def at(day: str, hour: int = 9) -> dt.datetime:
    """A moment on a local (UTC+8) day."""
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), tzinfo=SHANGHAI)


def kinds_of(user: Any) -> list[str]:
    return list(Notice.objects.filter(recipient=user).order_by("id").values_list("kind", flat=True))


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
    return ingest_document(data=seed_path().read_bytes(), filename="seed.txt").document


@pytest.fixture
def make_user(django_user_model: Any) -> Callable[..., Any]:
    def make(username: str, unit: Unit | None, role: str) -> Any:
        user = django_user_model.objects.create_user(
            username=username, password="x", email=f"{username}@example.gov.cn"
        )
        Profile.objects.create(user=user, unit=unit, role=role)
        return user

    return make


def make_task(document: Document, lead_unit: Unit, co_unit: Unit | None = None, *, title: str = "推进新能源装备制造",
              deadline: dt.date = DEADLINE) -> tuple[Task, Assignment, Assignment | None]:
    task = Task.objects.create(
        document=document, title=title, text="大力发展新能源装备制造业。", lead_unit=lead_unit,
        start_date=dt.date(2024, 1, 1), deadline=deadline, cadence=Cadence.QUARTERLY, report_day=10,
        status=Status.IN_PROGRESS,
    )
    lead = Assignment.objects.create(task=task, unit=lead_unit, role=Assignment.Role.LEAD, deadline=deadline)
    co = None
    if co_unit is not None:
        task.co_units.add(co_unit)
        co = Assignment.objects.create(task=task, unit=co_unit, role=Assignment.Role.CO, deadline=deadline)
    return task, lead, co


@pytest.fixture
def world(document: Document, make_user: Callable[..., Any]) -> World:
    lead_unit = Unit.objects.create(code="fgw", name="自治区发展改革委", level="region", catalog="test")
    co_unit = Unit.objects.create(code="gxt", name="自治区工业和信息化厅", level="region", catalog="test")
    task, lead, co = make_task(document, lead_unit, co_unit)
    assert co is not None
    return World(
        task=task, lead=lead, co=co, lead_unit=lead_unit, co_unit=co_unit,
        liaison=make_user("liaison", lead_unit, Role.LIAISON),
        head=make_user("head", lead_unit, Role.UNIT_HEAD),
        co_liaison=make_user("co_liaison", co_unit, Role.LIAISON),
        co_head=make_user("co_head", co_unit, Role.UNIT_HEAD),
        supervisor=make_user("supervisor", None, Role.SUPERVISOR),
    )
