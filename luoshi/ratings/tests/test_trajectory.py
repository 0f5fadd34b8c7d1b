"""Planned trajectories: linear, through milestones, and per indicator (also for a share)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from luoshi.documents.models import Document
from luoshi.ratings.services import indicator_expected, planned_progress
from luoshi.ratings.tests.builders import (
    START,
    YEAR_END,
    D,
    capacity_indicator,
    intensity_indicator,
    share,
    task,
    unit,
)
from luoshi.units.models import Unit

pytestmark = pytest.mark.django_db


def test_it_plans_a_straight_line_from_start_to_deadline(document: Document, drc: Unit) -> None:
    _, lead = task(document, drc, start=START, deadline=D(2024, 4, 10))  # 100 days
    assert planned_progress(assignment=lead, on=D(2023, 12, 1)) == 0.0
    assert planned_progress(assignment=lead, on=START) == 0.0
    assert planned_progress(assignment=lead, on=D(2024, 3, 1)) == 60.0
    assert planned_progress(assignment=lead, on=D(2024, 4, 10)) == 100.0
    assert planned_progress(assignment=lead, on=D(2024, 6, 1)) == 100.0


def test_it_plans_through_the_milestones(document: Document, drc: Unit) -> None:
    _, lead = task(document, drc, milestones=[(D(2024, 6, 30), 50), (D(2024, 3, 31), 40)])
    assert planned_progress(assignment=lead, on=D(2024, 2, 15)) == pytest.approx(20.0)  # 45 of 90 days to 40%
    assert planned_progress(assignment=lead, on=D(2024, 3, 31)) == 40.0
    assert planned_progress(assignment=lead, on=D(2024, 5, 15)) == pytest.approx(40 + 10 * 45 / 91)
    assert planned_progress(assignment=lead, on=D(2024, 9, 30)) == pytest.approx(
        75.0
    )  # 92 of 184 days, 50 → 100


def test_a_lower_later_milestone_does_not_pull_the_plan_back(document: Document, drc: Unit) -> None:
    _, lead = task(document, drc, milestones=[(D(2024, 3, 31), 60), (D(2024, 6, 30), 40)])
    assert planned_progress(assignment=lead, on=D(2024, 5, 15)) == 60.0


def test_a_share_ends_at_its_own_deadline(document: Document, drc: Unit) -> None:
    _, lead = task(document, drc, milestones=[(D(2024, 9, 30), 50)])
    city = share(
        lead, unit("hohhot", "呼和浩特市"), deadline=D(2024, 6, 30)
    )  # 181 days; the milestone is later
    assert planned_progress(assignment=city, on=D(2024, 6, 30)) == 100.0
    assert planned_progress(assignment=city, on=D(2024, 3, 1)) == pytest.approx(60 / 181 * 100)


def test_it_expects_indicators_on_a_straight_line(document: Document, drc: Unit) -> None:
    t, _ = task(document, drc)
    capacity = capacity_indicator(t)  # 200 days
    assert indicator_expected(indicator=capacity, on=D(2023, 6, 1)) == Decimal("1.0")
    assert indicator_expected(indicator=capacity, on=D(2024, 4, 10)) == Decimal("1.35")  # day 100
    assert indicator_expected(indicator=capacity, on=YEAR_END) == Decimal("1.7")
    intensity = intensity_indicator(t)
    assert indicator_expected(indicator=intensity, on=D(2024, 4, 10)) == Decimal("0.9")


def test_a_share_uses_its_own_indicator_target(document: Document, drc: Unit) -> None:
    t, lead = task(document, drc)
    capacity = capacity_indicator(t)
    proportional = share(lead, unit("hohhot", "呼和浩特市"), indicator_targets={str(capacity.pk): 0.34})
    explicit = share(
        lead,
        unit("baotou", "包头市"),
        indicator_targets={str(capacity.pk): {"baseline": "0.1", "target": "0.5"}},
    )
    # baseline scaled like the target: 1.0 × 0.34 / 1.7 = 0.2, halfway to 0.34 on day 100
    assert indicator_expected(indicator=capacity, on=D(2024, 4, 10), assignment=proportional) == Decimal(
        "0.27"
    )
    assert indicator_expected(indicator=capacity, on=D(2024, 4, 10), assignment=explicit) == Decimal("0.3")
    assert indicator_expected(indicator=capacity, on=D(2024, 4, 10), assignment=lead) == Decimal("1.35")
