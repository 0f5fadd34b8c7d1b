"""The bulletin workbook repeats the DOCX tables; the ledger is one filtered, frozen, coloured sheet (+ per unit)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.utils import translation
from openpyxl import load_workbook

from luoshi.bulletins.query import bulletin_data
from luoshi.bulletins.services import masthead, render, render_ledger
from luoshi.bulletins.tests.conftest import PERIOD, TODAY
from luoshi.ratings.services import rollup
from luoshi.site.demo import DemoSummary

pytestmark = pytest.mark.django_db


def test_bulletin_workbook_has_a_sheet_per_table_with_the_rollups_numbers(demo: DemoSummary) -> None:
    data = bulletin_data(period=PERIOD, as_of=TODAY)
    book = load_workbook(io.BytesIO(render(data, fmt="xlsx", head=masthead(data))))
    assert book.sheetnames[:5] == ["总体情况", "分部分情况", "单位排名", "滞后逾期任务", "典型经验"]
    summary = {row[0]: row[1] for row in book["总体情况"].iter_rows(min_row=2, values_only=True)}
    counts = rollup(as_of=TODAY).counts
    assert (summary["重点任务"], summary["按计划推进"], summary["滞后"]) == (
        counts.total,
        counts.green,
        counts.amber + counts.red,
    )
    ranking = book["单位排名"]
    assert [c.value for c in ranking[1]][:3] == ["排名", "单位", "承担任务"]
    assert ranking["B2"].value == "内蒙古自治区能源局"
    assert ranking.freeze_panes == "A2" and ranking.auto_filter.ref == "A1:K4"
    assert book["滞后逾期任务"].max_row == 1 + counts.amber + counts.red


def test_ledger_has_a_row_per_assignment_with_report_and_rating(demo: DemoSummary) -> None:
    book = load_workbook(io.BytesIO(render_ledger(as_of=TODAY)))
    ws = book["台账"]
    headers = [c.value for c in ws[1]]
    assert headers[:6] == ["序号", "任务编号", "所属部分", "任务名称", "责任单位", "角色"]
    assert {"最近报告日期", "报告进度(%)", "报告摘要", "评价", "评价原因", "成效评估", "问责情况"} <= set(
        headers
    )
    rolled = rollup(as_of=TODAY)
    assert ws.max_row == 1 + len(rolled.assignments)
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:V{ws.max_row}"  # through 销号日期, 销号说明
    assert ws.column_dimensions["D"].width == 30
    assert ws["D2"].alignment.wrap_text
    rows = [dict(zip(headers, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)]
    energy = next(r for r in rows if r["责任单位"] == "内蒙古自治区能源局")
    assert (
        energy["评价"] == "绿"
        and energy["报告进度(%)"] == 70
        and energy["最近报告日期"] == dt.datetime(2024, 3, 30)
    )
    assert energy["报告期"] == "2024-Q1" and "按计划组织实施" in energy["报告摘要"]
    assert energy["佐证材料"] == "2024-Q1.txt"  # the counted report's evidence, by name
    assert sorted(r["评价"] for r in rows) == sorted(
        {"green": "绿", "amber": "黄", "red": "红"}[a.rag] for a in rolled.assignments
    )


def test_ledger_colours_the_rating_by_rule(demo: DemoSummary) -> None:
    ws = load_workbook(io.BytesIO(render_ledger(as_of=TODAY)))["台账"]
    rules = {}
    for cells, found in ws.conditional_formatting._cf_rules.items():
        for rule in found:
            rules[rule.formula[0]] = (
                str(cells.sqref),
                rule.dxf.fill.fgColor.rgb or rule.dxf.fill.bgColor.rgb,
            )
    assert rules['"红"'][0] == f"P2:P{ws.max_row}"
    assert rules['"绿"'][1].endswith("C6EFCE") and rules['"黄"'][1].endswith("FFEB9C")
    assert rules['"红"'][1].endswith("FFC7CE")


def test_ledger_adds_a_sheet_per_unit_on_request(demo: DemoSummary) -> None:
    book = load_workbook(io.BytesIO(render_ledger(as_of=TODAY, per_unit_sheets=True)))
    assert book.sheetnames[0] == "台账"
    assert set(book.sheetnames[1:-1]) == {
        "内蒙古自治区能源局",
        "内蒙古自治区农牧厅",
        "内蒙古自治区民族事务委员会",
    }
    assert book.sheetnames[-1] == "领导批示"  # the instructions' sheet (issue 14)
    assert book["内蒙古自治区民族事务委员会"].max_row == 1 + 3


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_ledger_shows_evaluation_and_accountability_in_chinese(
    demo: DemoSummary, supervisor: Any, language: str
) -> None:
    """The ledger is a Chinese document, whatever language the person downloading it reads."""
    from luoshi.accountability.services import record_measure
    from luoshi.evaluation.models import Evaluation
    from luoshi.units.models import Unit

    energy = Unit.objects.get(catalog="inner-mongolia", code="energy")
    ethnic = Unit.objects.get(catalog="inner-mongolia", code="ethnic-affairs")
    task = demo.document.tasks.filter(lead_unit=ethnic).order_by("id").first()
    other = demo.document.tasks.filter(lead_unit=energy).order_by("id").first()
    assert task is not None and other is not None
    record_measure(
        kind="talk",
        units=[ethnic],
        tasks=[task],
        reason="连续2期未报送",
        date=dt.date(2024, 3, 20),
        user=supervisor,
        now=dt.datetime(2024, 3, 20, 10, tzinfo=dt.UTC),
    )
    Evaluation.objects.create(
        task=other,
        effect="good",
        evaluated_by=supervisor,
        evaluated_at=dt.datetime(2024, 3, 1, 10, tzinfo=dt.UTC),
    )
    with translation.override(language):
        ws = load_workbook(io.BytesIO(render_ledger(as_of=TODAY)))["台账"]
    headers = [c.value for c in ws[1]]
    rows = [dict(zip(headers, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)]
    talked = next(r for r in rows if r["任务名称"] == task.title)
    assert talked["问责情况"] == "2024年3月20日约谈"
    assert next(r for r in rows if r["任务名称"] == other.title)["成效评估"] == "良好"
    before = load_workbook(io.BytesIO(render_ledger(as_of=dt.date(2024, 2, 1))))["台账"]
    assert all(r[18] in (None, "") for r in before.iter_rows(min_row=2, values_only=True))
