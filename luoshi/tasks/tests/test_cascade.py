"""Dividing a region department's task among leagues, cities and counties; progress rolled back up."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied

from luoshi.accounts.models import Profile, Role
from luoshi.documents.models import Document
from luoshi.tasks.models import Assignment, Task
from luoshi.tasks.services import (
    Share,
    TaskError,
    cascade,
    create_task,
    rolled_up_progress,
    transition,
)
from luoshi.tasks.tests.conftest import DEADLINE, START, add_capacity, task_with, unit

pytestmark = pytest.mark.django_db
SEPT = dt.date(2025, 9, 30)


@pytest.fixture
def task(tasks: list[Task]) -> Task:
    return task_with("新能源倍增行动")  # led by 内蒙古自治区能源局, a region department


@pytest.fixture
def lead(task: Task) -> Assignment:
    return task.assignments.get(role=Assignment.Role.LEAD)


def _refused(assignment: Assignment, *shares: Share) -> TaskError:
    with pytest.raises(TaskError) as caught:
        cascade(assignment=assignment, shares=list(shares))
    return caught.value


def test_a_region_department_divides_its_task_among_cities(task: Task, lead: Assignment) -> None:
    capacity = add_capacity(task)
    shares = cascade(
        assignment=lead,
        shares=[
            Share(unit=unit("ordos"), weight=3, deadline=SEPT, indicator_targets={capacity.pk: 1200}),
            Share(
                unit=unit("baotou"),
                weight="1.5",
                deadline=dt.date(2025, 10, 31),
                indicator_targets={capacity.pk: "800.5"},
            ),
        ],
    )
    stored = Assignment.objects.filter(task=task, role=Assignment.Role.SHARE).order_by("id")
    assert [(a.unit.name, a.parent, a.weight, a.deadline, a.indicator_targets) for a in stored] == [
        ("鄂尔多斯市", lead, Decimal("3.00"), SEPT, {str(capacity.pk): 1200.0}),
        ("包头市", lead, Decimal("1.50"), dt.date(2025, 10, 31), {str(capacity.pk): 800.5}),
    ]
    assert [s.pk for s in shares] == [a.pk for a in stored]
    assert set(lead.shares.all()) == set(stored)


def test_progress_rolls_up_from_shares_by_weight(lead: Assignment) -> None:
    ordos, baotou = cascade(
        assignment=lead,
        shares=[
            Share(unit=unit("ordos"), weight=3, deadline=SEPT),
            Share(unit=unit("baotou"), weight=1, deadline=SEPT),
        ],
    )
    assert rolled_up_progress(assignment=lead, values={ordos.pk: 40, baotou.pk: 80}) == 50.0
    # The lead's own figure does not count once the work is divided; a silent share counts as 0.
    assert rolled_up_progress(assignment=lead, values={lead.pk: 90, baotou.pk: 80}) == 20.0
    assert rolled_up_progress(assignment=ordos, values={ordos.pk: 40}) == 40.0


def test_a_city_divides_its_share_among_its_counties_and_it_rolls_up_twice(lead: Assignment) -> None:
    ordos, baotou = cascade(
        assignment=lead,
        shares=[
            Share(unit=unit("ordos"), weight=1, deadline=SEPT),
            Share(unit=unit("baotou"), weight=1, deadline=SEPT),
        ],
    )
    jungar, ejin_horo = cascade(
        assignment=ordos,
        shares=[
            Share(unit=unit("ordos-jungar"), weight=1, deadline=dt.date(2025, 8, 31)),
            Share(unit=unit("ordos-ejin-horo"), weight=1, deadline=SEPT),
        ],
    )
    values = {jungar.pk: 20.0, ejin_horo.pk: 60.0, ordos.pk: 99.0, baotou.pk: 100.0}
    assert rolled_up_progress(assignment=ordos, values=values) == 40.0
    assert rolled_up_progress(assignment=lead, values=values) == 70.0
    error = _refused(ordos, Share(unit=unit("hohhot-xincheng"), weight=1, deadline=SEPT))
    assert error.code == "not_lower_level"
    assert error.message_zh == "呼和浩特市新城区不是鄂尔多斯市的下级单位，不能承担其分解任务。"
    assert (
        error.message_en == "呼和浩特市新城区 is not below 鄂尔多斯市, so it cannot take a share of its task."
    )
    assert (
        _refused(ordos, Share(unit=unit("ordos-dongsheng"), weight=1, deadline=dt.date(2025, 10, 31))).code
        == "share_deadline"
    )  # after the city's own deadline


def test_only_lower_level_units_take_shares(lead: Assignment) -> None:
    for code in ("drc", "energy"):
        assert _refused(lead, Share(unit=unit(code), weight=1, deadline=SEPT)).code == "not_lower_level"
    (baotou,) = cascade(assignment=lead, shares=[Share(unit=unit("baotou"), weight=1, deadline=SEPT)])
    assert _refused(baotou, Share(unit=unit("ordos"), weight=1, deadline=SEPT)).code == "not_lower_level"


def test_bad_shares_are_refused_and_nothing_is_written(task: Task, lead: Assignment) -> None:
    ordos, late = Share(unit=unit("ordos"), weight=1, deadline=SEPT), dt.date(2025, 11, 30)
    cases = [
        ([], "no_shares"),
        ([ordos, Share(unit=unit("ordos"), weight=2, deadline=SEPT)], "unit_twice"),
        ([ordos, Share(unit=unit("baotou"), weight=1, deadline=late)], "share_deadline"),
        ([ordos, Share(unit=unit("baotou"), weight=1, deadline=dt.date(2024, 12, 31))], "share_deadline"),
        ([ordos, Share(unit=unit("baotou"), weight=0, deadline=SEPT)], "bad_weight"),
        (
            [Share(unit=unit("ordos"), weight=1, deadline=SEPT, indicator_targets={999999: 1})],
            "unknown_indicator",
        ),
    ]
    for shares, code in cases:
        assert _refused(lead, *shares).code == code, code
    assert not task.assignments.filter(role=Assignment.Role.SHARE).exists()
    cascade(assignment=lead, shares=[ordos])
    assert _refused(lead, Share(unit=unit("ordos"), weight=1, deadline=SEPT)).code == "unit_already_assigned"


def test_a_co_unit_and_a_final_task_cannot_divide(task: Task, lead: Assignment, supervisor: Any) -> None:
    co = task.assignments.filter(role=Assignment.Role.CO).first()
    assert co is not None
    assert _refused(co, Share(unit=unit("ordos"), weight=1, deadline=SEPT)).code == "cascade_needs_lead"
    transition(task=task, to_status="cancelled", user=supervisor, reason="并入其他任务")
    assert _refused(lead, Share(unit=unit("ordos"), weight=1, deadline=SEPT)).code == "final"


def test_all_leagues_and_cities_divides_among_each_league_and_city(seed: Document) -> None:
    task = create_task(
        document=seed,
        title="抓好属地落实",
        text="各盟市抓好属地落实。",
        lead_unit=unit("all-leagues-cities"),
        start_date=START,
        deadline=DEADLINE,
    )
    lead = task.assignments.get(role=Assignment.Role.LEAD)
    shares = cascade(
        assignment=lead,
        shares=[Share(unit=unit(c), weight=1, deadline=DEADLINE) for c in ("hohhot", "alxa", "hinggan")],
    )
    assert [s.unit.name for s in shares] == ["呼和浩特市", "阿拉善盟", "兴安盟"]
    assert _refused(lead, Share(unit=unit("drc"), weight=1, deadline=DEADLINE)).code == "not_lower_level"


def test_it_refuses_someone_who_may_not_divide_the_assignment(task: Task, lead: Assignment) -> None:
    def person(name: str, role: str, unit_code: str | None = None) -> Any:
        user = get_user_model().objects.create_user(username=name)
        Profile.objects.create(user=user, role=role, unit=unit(unit_code) if unit_code else None)
        return user

    share = Share(unit=unit("ordos"), weight=1, deadline=SEPT)
    for refused in (person("lingdao", Role.LEADER), person("ordos_liaison", Role.LIAISON, "ordos")):
        with pytest.raises(PermissionDenied):
            cascade(assignment=lead, shares=[share], by=refused)
    assert not Assignment.objects.filter(role=Assignment.Role.SHARE).exists()
    (made,) = cascade(
        assignment=lead, shares=[share], by=person("energy_head", Role.UNIT_HEAD, lead.unit.code)
    )
    assert (made.unit, made.parent) == (unit("ordos"), lead)
