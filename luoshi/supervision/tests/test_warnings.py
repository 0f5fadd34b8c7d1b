from __future__ import annotations

import pytest

from luoshi.reports.models import Obligation
from luoshi.reports.services import submit_report
from luoshi.site.tick import run_pass
from luoshi.supervision.models import Warning
from luoshi.supervision.services import warnings_for
from luoshi.supervision.tests.conftest import World
from luoshi.testing.world import at, kinds_of

pytestmark = pytest.mark.django_db


def test_it_warns_yellow_as_the_deadline_nears_then_red_once_it_passes(world: World) -> None:
    assert run_pass(now=at("2024-06-14")).warnings == 0  # 16 days left

    assert run_pass(now=at("2024-06-15")).warnings == 2  # 15 days left: yellow for both units
    assert run_pass(now=at("2024-06-30")).warnings == 0  # still yellow, already recorded
    assert run_pass(now=at("2024-07-01")).warnings == 2  # red

    levels = [(w.level, w.reason) for w in warnings_for(task=world.task, unit=world.lead_unit).order_by("id")]
    assert levels == [("yellow", "距完成时限还有15天，尚未完成"), ("red", "已超过完成时限1天，尚未完成")]
    assert [w.assignment.unit for w in warnings_for(unit=world.co_unit)] == [world.co_unit, world.co_unit]
    assert kinds_of(world.supervisor).count("warning_red") == 2
    assert "warning_yellow" not in kinds_of(world.supervisor)
    assert "warning_yellow" in kinds_of(world.liaison)


def test_a_first_pass_after_the_deadline_gives_only_red(world: World) -> None:
    run_pass(now=at("2024-07-05"))

    assert set(Warning.objects.values_list("level", flat=True)) == {"red"}


def test_work_reported_complete_is_not_warned(world: World) -> None:
    q1 = Obligation.objects.create(
        assignment=world.lead,
        period="2024-Q1",
        period_start=at("2024-01-01").date(),
        period_end=at("2024-03-31").date(),
        due_date=at("2024-04-10").date(),
    )
    submit_report(
        obligation=q1, user=world.liaison, progress=100, narrative="已全部完成", now=at("2024-04-08")
    )

    run_pass(now=at("2024-06-20"))

    assert list(Warning.objects.values_list("assignment", flat=True)) == [world.co.pk]
