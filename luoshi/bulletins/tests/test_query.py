"""bulletin_data: the numbers are the roll-up's, the sentences are built from them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from luoshi.bulletins.errors import BulletinError
from luoshi.bulletins.periods import parse_period
from luoshi.bulletins.query import bulletin_data
from luoshi.bulletins.services import select_good_practice
from luoshi.bulletins.tests.conftest import PERIOD, TODAY
from luoshi.ratings.services import rollup
from luoshi.reports.models import Report
from luoshi.site.demo import DemoSummary

pytestmark = pytest.mark.django_db


def test_it_reads_the_period_keys() -> None:
    assert parse_period("2024-Q1") == parse_period("2024-q1")
    assert (parse_period("2024-Q1").start, parse_period("2024-Q1").end) == (
        dt.date(2024, 1, 1),
        dt.date(2024, 3, 31),
    )
    assert parse_period("2024-02").end == dt.date(2024, 2, 29)
    assert parse_period("2024-H2").label == "2024年下半年"
    assert parse_period("2024").end == dt.date(2024, 12, 31)
    for bad in ("2024-Q5", "24-Q1", "2024-13", "Q1", ""):
        with pytest.raises(BulletinError) as refused:
            parse_period(bad)
        assert refused.value.code == "bad_period" and "2024-Q1" in str(refused.value)


def test_task_and_unit_figures_equal_the_rollup(demo: DemoSummary) -> None:
    data = bulletin_data(period=PERIOD, as_of=TODAY)
    rolled = rollup(as_of=TODAY)
    s = data.summary
    assert (s.tasks, s.green, s.amber, s.red) == (
        rolled.counts.total,
        rolled.counts.green,
        rolled.counts.amber,
        rolled.counts.red,
    )
    assert s.on_track == rolled.counts.green and s.lagging == rolled.counts.amber + rolled.counts.red
    assert {p.task_id for p in data.problem_tasks} == {
        t.task_id for t in rolled.tasks if t.rag in ("amber", "red")
    }
    by_unit = {u.unit_id: u for u in rolled.units}
    assert {u.unit_id for u in data.units} == set(by_unit)
    for u in data.units:
        row = by_unit[u.unit_id]
        assert (u.assignments, u.green, u.amber, u.red) == (
            row.counts.total,
            row.counts.green,
            row.counts.amber,
            row.counts.red,
        )
        assert (u.total_reports_due, u.total_on_time_rate) == (row.reports_due, row.on_time_rate)
    sections = {(d.document_id, s.section_id): s for d in rolled.documents for s in d.sections}
    for part in data.parts:
        section = sections[(part.document_id, part.section_id)]
        assert part.tasks == section.counts.total and part.on_track == section.counts.green
        assert part.lagging == section.counts.amber + section.counts.red


def test_the_periods_reports_add_up_to_the_rollups(demo: DemoSummary) -> None:
    """The demo starts in 2023-Q3: the three quarters' report figures sum to the roll-up's totals."""
    quarters = [bulletin_data(period=p, as_of=TODAY) for p in ("2023-Q3", "2023-Q4", "2024-Q1")]
    for row in rollup(as_of=TODAY).units:
        mine = [next(u for u in q.units if u.unit_id == row.unit_id) for q in quarters]
        assert sum(u.reports_due for u in mine) == row.reports_due
        assert sum(u.reports_on_time for u in mine) == row.reports_on_time
        assert sum(u.reports_late for u in mine) == row.reports_late
        assert sum(u.reports_missing for u in mine) == row.reports_missing
    q1 = quarters[2].summary
    assert (q1.reports_due, q1.reports_on_time, q1.reports_missing) == (6, 2, 4)


def test_the_period_end_is_the_default_date(demo: DemoSummary) -> None:
    data = bulletin_data(period=PERIOD)
    assert data.as_of == dt.date(2024, 3, 31)
    assert data.summary.tasks == rollup(as_of=dt.date(2024, 3, 31)).counts.total


def test_units_are_ranked_by_on_time_reporting_then_on_track_rate(demo: DemoSummary) -> None:
    data = bulletin_data(period=PERIOD, as_of=TODAY)
    assert data.units[0].name == "内蒙古自治区能源局" and data.units[0].rank == 1
    assert data.units[0].on_time_rate == 1.0 and data.units[0].on_track_rate == 1.0
    keys = [(-(u.on_time_rate or 0), -(u.on_track_rate or 0)) for u in data.units]
    assert keys == sorted(keys)


def test_each_part_gets_a_sentence_from_its_numbers(demo: DemoSummary) -> None:
    data = bulletin_data(period=PERIOD, as_of=TODAY)
    assert [p.label for p in data.parts] == ["第二部分", "第三部分"]
    # 农牧厅's latest report awaits its unit head (the demo's approval step), so an earlier one counts.
    assert data.parts[1].narrative == (
        "第三部分共3项任务，2项按计划推进，1项滞后（农牧厅“着力提质增量，把国家重要…”进度落后46个百分点）。"
    )
    assert data.parts[0].narrative.startswith("第二部分共3项任务，3项滞后（民委“")
    assert data.summary_text.startswith(
        "截至2024年4月5日，纳入督查的重点任务共6项，其中按计划推进2项，滞后4项。"
    )


def test_a_level_keeps_only_its_units(demo: DemoSummary) -> None:
    assert bulletin_data(period=PERIOD, as_of=TODAY, level="region").summary.tasks == 6
    none = bulletin_data(period=PERIOD, as_of=TODAY, level="league_city")
    assert none.summary.tasks == 0 and none.units == [] and none.parts == []
    with pytest.raises(BulletinError) as refused:
        bulletin_data(period=PERIOD, level="province")
    assert refused.value.code == "bad_level"


def test_selected_good_practice_appears_in_its_period(
    demo: DemoSummary, supervisor: Any, liaison: Any
) -> None:
    report = Report.objects.filter(
        obligation__period="2024-Q1", obligation__assignment__unit__code="energy"
    ).first()
    assert report is not None
    picked = select_good_practice(report=report, excerpt="按计划组织实施，完成阶段性工作", user=supervisor)
    assert (
        select_good_practice(report=report, excerpt="按计划组织实施，完成阶段性工作", user=supervisor)
        == picked
    )
    items = bulletin_data(period=PERIOD, as_of=TODAY).good_practices
    assert [(i.unit, i.excerpt) for i in items] == [("内蒙古自治区能源局", "按计划组织实施，完成阶段性工作")]
    assert bulletin_data(period="2023-Q4", as_of=TODAY).good_practices == []

    with pytest.raises(BulletinError) as invented:
        select_good_practice(report=report, excerpt="超额完成全年任务", user=supervisor)
    assert invented.value.code == "excerpt_not_in_report"
    with pytest.raises(BulletinError) as stranger:
        select_good_practice(report=report, excerpt="按计划组织实施", user=liaison)
    assert stranger.value.code == "not_allowed"


def test_accountability_measures_of_the_period_are_listed(demo: DemoSummary, supervisor: Any) -> None:
    from luoshi.accountability.services import record_measure
    from luoshi.units.models import Unit

    ethnic = Unit.objects.get(catalog="inner-mongolia", code="ethnic-affairs")
    task = demo.document.tasks.filter(lead_unit=ethnic).first()
    assert task is not None
    record_measure(
        kind="talk",
        units=[ethnic],
        tasks=[task],
        reason="连续2期未报送进展报告",
        date=dt.date(2024, 3, 20),
        user=supervisor,
        now=dt.datetime(2024, 3, 20, 10, tzinfo=dt.UTC),
    )
    record_measure(
        kind="reminder",
        units=[ethnic],
        reason="上年度事项",
        date=dt.date(2023, 12, 1),
        user=supervisor,
        now=dt.datetime(2023, 12, 1, 10, tzinfo=dt.UTC),
    )
    measures = bulletin_data(period=PERIOD, as_of=TODAY).measures
    assert measures is not None and len(measures) == 1
    assert (measures[0].unit, measures[0].kind, measures[0].date) == (
        "内蒙古自治区民族事务委员会",
        "约谈",
        dt.date(2024, 3, 20),
    )


def test_without_the_accountability_app_there_is_no_measures_part(
    demo: DemoSummary, monkeypatch: Any
) -> None:
    from luoshi.bulletins.optional import SOURCES

    # What an installation without luoshi.accountability has: nothing gave the bulletins its measures.
    monkeypatch.setattr(SOURCES, "measures_in_period", None)
    assert bulletin_data(period=PERIOD, as_of=TODAY).measures is None


def test_the_snapshot_reads_back_the_same(demo: DemoSummary) -> None:
    data = bulletin_data(period=PERIOD, as_of=TODAY)
    assert type(data).from_dict(data.to_dict()) == data


def test_the_stages_above_give_their_parts_and_nothing_else() -> None:
    """Accountability, evaluation and instructions are installed here: each gave its parts in ready()."""
    from luoshi.bulletins.optional import SOURCES, provide

    assert all(
        getattr(SOURCES, name) is not None
        for name in (
            "measures_in_period",
            "kind_names",
            "latest_evaluations",
            "closed_on",
            "instructions_in_period",
            "instruction_ledger",
        )
    )
    with pytest.raises(TypeError, match="unknown bulletin source"):
        provide(measures=lambda: [])
