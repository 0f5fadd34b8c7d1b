"""Submitting reports: who may, what is checked, on time or late, corrections as new versions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from luoshi.reports.models import Obligation, Report
from luoshi.reports.services import ReportError, ensure_obligations, refresh_states, submit_report
from luoshi.reports.tests.conftest import World, owed
from luoshi.tasks.models import Indicator
from luoshi.testing.world import at

pytestmark = pytest.mark.django_db


def test_a_report_by_the_due_date_is_on_time(world: World) -> None:
    obligation = owed(world.lead)
    report = submit_report(
        obligation=obligation,
        user=world.lead_liaison,
        progress=25,
        narrative="  完成项目前期调研。 ",
        next_steps="开展招商。",
        indicator_values={world.indicator.pk: "120.5"},
        now=at("2024-04-10", hour=23),
    )
    assert (report.version, report.progress, report.narrative, report.supersedes) == (
        1,
        25,
        "完成项目前期调研。",
        None,
    )
    assert report.approval == Report.Approval.NOT_REQUIRED and report.counts
    assert [(v.indicator.name, v.value) for v in report.indicator_values.all()] == [
        ("新能源装机容量", Decimal("120.5"))
    ]
    obligation.refresh_from_db()
    assert obligation.state == "submitted"
    assert obligation.first_submitted_at == at("2024-04-10", hour=23)


def test_a_report_after_the_due_date_is_late_even_once_recorded_missing(world: World) -> None:
    obligation = owed(world.lead)
    refresh_states(today=dt.date(2024, 4, 20))
    obligation.refresh_from_db()
    assert obligation.state == "missing"
    submit_report(
        obligation=obligation,
        user=world.lead_liaison,
        progress=10,
        narrative="补报。",
        now=at("2024-04-21", 10),
    )
    obligation.refresh_from_db()
    assert obligation.state == "late"


def test_a_correction_is_version_two_and_keeps_version_one(world: World) -> None:
    obligation = owed(world.lead)
    first = submit_report(
        obligation=obligation,
        user=world.lead_liaison,
        progress=30,
        narrative="初报。",
        now=at("2024-04-05", 10),
    )
    second = submit_report(
        obligation=obligation,
        user=world.lead_head,
        progress=35,
        narrative="更正：数据有误。",
        now=at("2024-04-15", 10),
    )
    assert (second.version, second.supersedes_id) == (2, first.pk)
    first.refresh_from_db()
    assert (first.version, first.progress, first.narrative) == (1, 30, "初报。")
    assert list(obligation.reports.values_list("version", "progress")) == [(1, 30), (2, 35)]
    obligation.refresh_from_db()
    # The first submission was on time; a later correction does not make it late.
    assert obligation.state == "submitted" and obligation.first_submitted_at == at("2024-04-05", 10)


@pytest.mark.parametrize("who", ["co_liaison", "share_liaison", "supervisor"])
def test_someone_outside_the_unit_is_refused_and_nothing_is_stored(world: World, who: str) -> None:
    obligation = owed(world.lead)
    with pytest.raises(ReportError) as caught:
        submit_report(
            obligation=obligation,
            user=getattr(world, who),
            progress=30,
            narrative="越权报送。",
            now=at("2024-04-05", 10),
        )
    assert caught.value.code == "not_your_unit"
    assert "联络员" in caught.value.message_zh and "liaison" in caught.value.message_en
    assert Report.objects.count() == 0
    obligation.refresh_from_db()
    assert obligation.state == "pending"


def test_each_unit_reports_on_its_own_obligation(world: World) -> None:
    ensure_obligations(assignment=world.co)
    co_q1 = Obligation.objects.get(assignment=world.co, period="2024-Q1")
    report = submit_report(
        obligation=co_q1, user=world.co_liaison, progress=40, narrative="配合完成。", now=at("2024-04-01", 10)
    )
    assert report.obligation.assignment.unit.name == "自治区工业和信息化厅"
    with pytest.raises(ReportError) as caught:
        submit_report(
            obligation=owed(world.lead),
            user=world.co_liaison,
            progress=1,
            narrative="x",
            now=at("2024-04-01", 10),
        )
    assert caught.value.code == "not_your_unit"


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"progress": 101}, "bad_progress"),
        ({"progress": -1}, "bad_progress"),
        ({"progress": 50.5}, "bad_progress"),
        ({"narrative": "   "}, "empty_narrative"),
        ({"indicator_values": {"x": 1}}, "foreign_indicator"),
        ({"indicator_values": {10**9: 1}}, "foreign_indicator"),
        ({"indicator_values": {"own": "很多"}}, "bad_indicator_value"),
    ],
)
def test_it_refuses_bad_input_with_bilingual_reasons(
    world: World, fields: dict[str, object], code: str
) -> None:
    values = fields.get("indicator_values")
    if isinstance(values, dict) and "own" in values:
        fields = {"indicator_values": {world.indicator.pk: values["own"]}}
    arguments: dict[str, object] = {"progress": 50, "narrative": "推进中。", **fields}
    with pytest.raises(ReportError) as caught:
        submit_report(
            obligation=owed(world.lead),
            user=world.lead_liaison,
            now=at("2024-04-05", 10),
            **arguments,  # type: ignore[arg-type]
        )
    assert caught.value.code == code
    assert caught.value.message_zh and caught.value.message_en
    assert str(caught.value) == f"{caught.value.message_zh} / {caught.value.message_en}"
    assert Report.objects.count() == 0


def test_an_indicator_of_another_task_is_refused(world: World) -> None:
    other = Indicator.objects.get(pk=world.indicator.pk)
    other.pk = None
    other.task = type(world.task).objects.create(
        document=world.task.document,
        title="另一任务",
        text="x",
        lead_unit=world.lead.unit,
        start_date=world.task.start_date,
        deadline=world.task.deadline,
    )
    other.save()
    with pytest.raises(ReportError) as caught:
        submit_report(
            obligation=owed(world.lead),
            user=world.lead_liaison,
            progress=5,
            narrative="x",
            indicator_values={other: 3},
            now=at("2024-04-05", 10),
        )
    assert caught.value.code == "foreign_indicator"


def test_lower_progress_than_last_period_needs_an_explanation(world: World) -> None:
    q1, q2 = owed(world.lead, "2024-Q1"), owed(world.lead, "2024-Q2")
    submit_report(
        obligation=q1, user=world.lead_liaison, progress=40, narrative="一季度。", now=at("2024-04-05", 10)
    )
    with pytest.raises(ReportError) as caught:
        submit_report(
            obligation=q2,
            user=world.lead_liaison,
            progress=30,
            narrative="二季度。",
            now=at("2024-07-05", 10),
        )
    assert caught.value.code == "progress_drop_unexplained"
    assert "40%" in caught.value.message_zh
    report = submit_report(
        obligation=q2,
        user=world.lead_liaison,
        progress=30,
        narrative="二季度。",
        problems="一季度统计口径有误，已核减。",
        now=at("2024-07-05", 10),
    )
    assert report.progress == 30 and report.problems == "一季度统计口径有误，已核减。"


def test_a_period_that_has_not_started_cannot_be_reported(world: World) -> None:
    with pytest.raises(ReportError) as caught:
        submit_report(
            obligation=owed(world.lead, "2024-Q3"),
            user=world.lead_liaison,
            progress=50,
            narrative="提前报。",
            now=at("2024-06-30", 10),
        )
    assert caught.value.code == "period_not_started"
