"""Reading reports back: the report that counts, and the lead unit's side-by-side view."""

from __future__ import annotations

import datetime as dt

import pytest

from luoshi.reports.services import (
    latest_counting_report,
    reports_for_task,
    submit_report,
)
from luoshi.reports.tests.conftest import World, owed
from luoshi.testing.world import at

pytestmark = pytest.mark.django_db


def test_the_latest_version_of_the_latest_period_submitted_by_then_counts(world: World) -> None:
    q1, q2 = owed(world.lead, "2024-Q1"), owed(world.lead, "2024-Q2")
    q1v1 = submit_report(
        obligation=q1, user=world.lead_liaison, progress=20, narrative="a", now=at("2024-04-05", 10)
    )
    q2v1 = submit_report(
        obligation=q2, user=world.lead_liaison, progress=45, narrative="b", now=at("2024-07-03", 10)
    )
    q1v2 = submit_report(
        obligation=q1, user=world.lead_liaison, progress=22, narrative="c", now=at("2024-07-04", 10)
    )
    q2v2 = submit_report(
        obligation=q2, user=world.lead_liaison, progress=50, narrative="d", now=at("2024-07-08", 10)
    )

    assert latest_counting_report(assignment=world.lead, as_of=dt.date(2024, 4, 4)) is None
    assert latest_counting_report(assignment=world.lead, as_of=dt.date(2024, 4, 5)) == q1v1
    assert latest_counting_report(assignment=world.lead, as_of=dt.date(2024, 7, 3)) == q2v1
    assert (
        latest_counting_report(assignment=world.lead, as_of=dt.date(2024, 7, 7)) == q2v1
    )  # q1v2 is older period
    assert latest_counting_report(assignment=world.lead, as_of=at("2024-07-08", hour=9)) == q2v1
    assert latest_counting_report(assignment=world.lead, as_of=dt.date(2024, 12, 31)) == q2v2
    assert latest_counting_report(assignment=world.co, as_of=dt.date(2024, 12, 31)) is None
    assert q1v2.version == 2


def test_the_lead_sees_co_unit_and_share_reports_together_per_period(world: World) -> None:
    lead_q1 = submit_report(
        obligation=owed(world.lead, "2024-Q1"),
        user=world.lead_liaison,
        progress=20,
        narrative="牵头单位一季度。",
        now=at("2024-04-05", 10),
    )
    co_q1 = submit_report(
        obligation=owed(world.co, "2024-Q1"),
        user=world.co_liaison,
        progress=30,
        narrative="配合单位一季度。",
        now=at("2024-04-06", 10),
    )
    share_q3 = submit_report(
        obligation=owed(world.share, "2024-Q3"),
        user=world.share_liaison,
        progress=90,
        narrative="呼和浩特三季度。",
        now=at("2024-08-25", 10),
    )

    view = reports_for_task(task=world.task)
    assert [(p.key, p.end.isoformat(), p.due.isoformat()) for p in view] == [
        ("2024-Q1", "2024-03-31", "2024-04-10"),
        ("2024-Q2", "2024-06-30", "2024-07-10"),
        ("2024-Q3", "2024-09-30", "2024-10-10"),  # the lead's dates, not the share's cut period
        ("2024-Q4", "2024-12-31", "2025-01-10"),
    ]
    q1 = view[0]
    assert [(u.assignment.unit.name, u.assignment.role) for u in q1.units] == [
        ("自治区发展改革委", "lead"),
        ("自治区工业和信息化厅", "co"),
        ("呼和浩特市", "share"),
    ]
    assert [u.latest for u in q1.units] == [lead_q1, co_q1, None]
    assert [u.obligation.state if u.obligation else None for u in q1.units] == [
        "submitted",
        "submitted",
        "pending",
    ]
    q3_share = view[2].units[2]
    assert q3_share.counting == share_q3 and q3_share.obligation is not None
    assert q3_share.obligation.period_end == dt.date(2024, 8, 20)
    assert view[3].units[2].obligation is None  # the share ended in August: nothing owed in Q4
