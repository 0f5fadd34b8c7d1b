"""Obligations: created once per period, missing recorded after the due date."""

from __future__ import annotations

import datetime as dt

import pytest

from luoshi.reports.models import Obligation
from luoshi.reports.services import ensure_obligations, refresh_states, submit_report
from luoshi.reports.tests.conftest import World
from luoshi.tasks.models import Status
from luoshi.testing.world import at

pytestmark = pytest.mark.django_db


def _states(world: World) -> dict[str, str]:
    return dict(Obligation.objects.filter(assignment=world.lead).values_list("period", "state"))


def test_it_creates_obligations_once_for_lead_co_and_share(world: World) -> None:
    assert ensure_obligations(assignment=world.lead) == 4
    assert ensure_obligations(assignment=world.lead) == 0
    assert ensure_obligations(assignment=world.co) == 4
    assert ensure_obligations(assignment=world.share) == 3
    q1 = Obligation.objects.get(assignment=world.lead, period="2024-Q1")
    assert (q1.period_start, q1.period_end, q1.due_date) == (
        dt.date(2024, 1, 15),
        dt.date(2024, 3, 31),
        dt.date(2024, 4, 10),
    )
    assert q1.state == Obligation.State.PENDING
    assert Obligation.objects.count() == 11


def test_a_pending_obligation_follows_an_extended_deadline(world: World) -> None:
    ensure_obligations(assignment=world.share)
    world.share.deadline = dt.date(2024, 9, 30)
    world.share.save()
    assert ensure_obligations(assignment=world.share) == 0
    q3 = Obligation.objects.get(assignment=world.share, period="2024-Q3")
    assert (q3.period_end, q3.due_date) == (dt.date(2024, 9, 30), dt.date(2024, 10, 10))


def test_refresh_records_missing_reports_after_the_due_date_only(world: World) -> None:
    counts = refresh_states(today=dt.date(2024, 4, 10))  # Q1 due today: not yet missing
    assert counts == {"created": 11, "missing": 0}
    assert _states(world)["2024-Q1"] == "pending"

    assert refresh_states(today=dt.date(2024, 4, 11)) == {"created": 0, "missing": 3}
    assert _states(world) == {
        "2024-Q1": "missing",
        "2024-Q2": "pending",
        "2024-Q3": "pending",
        "2024-Q4": "pending",
    }
    assert refresh_states(today=dt.date(2024, 4, 11)) == {"created": 0, "missing": 0}


def test_refresh_leaves_submitted_reports_and_closed_tasks_alone(world: World) -> None:
    ensure_obligations(assignment=world.lead)
    q1 = Obligation.objects.get(assignment=world.lead, period="2024-Q1")
    submit_report(
        obligation=q1, user=world.lead_liaison, progress=20, narrative="已启动。", now=at("2024-04-02", 10)
    )
    refresh_states(today=dt.date(2024, 5, 1))
    assert _states(world)["2024-Q1"] == "submitted"

    world.task.status = Status.CANCELLED
    world.task.save()
    assert refresh_states(today=dt.date(2024, 12, 1)) == {"created": 0, "missing": 0}
    assert _states(world)["2024-Q2"] == "pending"


def test_a_cadence_change_drops_pending_periods_that_no_longer_exist(world: World) -> None:
    ensure_obligations(assignment=world.lead)
    assert set(_states(world)) == {"2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"}
    Obligation.objects.filter(assignment=world.lead, period="2024-Q1").update(state=Obligation.State.MISSING)
    world.task.cadence = "monthly"
    world.task.save()
    world.lead.refresh_from_db()
    ensure_obligations(assignment=world.lead)
    states = _states(world)
    assert states["2024-Q1"] == Obligation.State.MISSING, "a missed quarter is a fact and stays"
    assert not {"2024-Q2", "2024-Q3", "2024-Q4"} & set(states), "pending quarters went with the old cadence"
    assert "2024-03" in states and "2024-12" in states
