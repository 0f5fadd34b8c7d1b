"""Urging notices: what is overdue, from the recorded facts, written by a pure DOCX function."""

from __future__ import annotations

import datetime as dt

import pytest
from docx.oxml.ns import qn

from luoshi.bulletins.data import OverdueItem, UrgingNoticeData
from luoshi.bulletins.errors import BulletinError
from luoshi.bulletins.services import render_urging_notice, urging_for_assignment, urging_for_unit
from luoshi.bulletins.tests.conftest import TODAY
from luoshi.bulletins.tests.render_helpers import all_text, east_asian, open_docx
from luoshi.site.demo import DemoSummary
from luoshi.tasks.models import Assignment
from luoshi.units.models import Unit


def _unit(code: str) -> Unit:
    return Unit.objects.get(catalog="inner-mongolia", code=code)


@pytest.mark.django_db
def test_an_assignment_with_missing_reports_is_urged(demo: DemoSummary) -> None:
    assignment = Assignment.objects.filter(unit=_unit("agriculture-animal"), role="lead").first()
    assert assignment is not None
    notice = urging_for_assignment(assignment=assignment, as_of=TODAY)
    assert notice.unit == "内蒙古自治区农牧厅"
    assert notice.items == (
        OverdueItem(assignment.task.title, "2024年第一季度进展报告未报送", dt.date(2024, 3, 31), 5),
    )
    assert notice.response_date == dt.date(2024, 4, 10) and "2024年4月10日前" in notice.required_response


@pytest.mark.django_db
def test_a_unit_notice_lists_every_overdue_assignment(demo: DemoSummary) -> None:
    notice = urging_for_unit(unit=_unit("ethnic-affairs"), as_of=TODAY, number="督催〔2024〕1号")
    assert len(notice.items) == 6 and notice.days_overdue == 96 and notice.since == dt.date(2023, 12, 31)
    text = all_text(open_docx(render_urging_notice(notice)))
    assert "督查催办单" in text and "督催〔2024〕1号" in text and "内蒙古自治区民族事务委员会：" in text
    assert "2023年第四季度进展报告未报送" in text and "96" in text
    document = open_docx(render_urging_notice(notice))
    intro = next(p for p in document.paragraphs if p.text.endswith("项事项已逾期："))
    assert intro.paragraph_format.keep_with_next  # stays with the table of overdue items
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in document.tables[0].rows)


@pytest.mark.django_db
def test_nothing_overdue_means_no_notice(demo: DemoSummary) -> None:
    with pytest.raises(BulletinError) as refused:
        urging_for_unit(unit=_unit("energy"), as_of=TODAY)
    assert refused.value.code == "nothing_overdue"


def test_the_notice_is_pure_and_in_the_official_layout() -> None:
    data = UrgingNoticeData(
        unit="内蒙古自治区农牧厅",
        items=(OverdueItem("建设高标准农田", "未在完成时限内完成（当前进度80%）", dt.date(2024, 3, 31), 12),),
        required_response="请于2024年4月17日前书面报送整改情况。",
        response_date=dt.date(2024, 4, 17),
        office="自治区党委督查室",
        date=dt.date(2024, 4, 12),
    )
    first, second = render_urging_notice(data), render_urging_notice(data)
    assert all_text(open_docx(first)) == all_text(open_docx(second))
    doc = open_docx(first)
    section = doc.sections[0]
    assert section.top_margin is not None and round(section.top_margin.mm) == 37
    assert east_asian(doc.styles["Normal"].element) == "仿宋_GB2312"
    text = all_text(doc)
    assert (
        "“建设高标准农田”任务未在完成时限内完成（当前进度80%），应于2024年3月31日前完成，截至2024年4月12日已逾期12天。"
        in text
    )
    assert doc.paragraphs[-2].text == "自治区党委督查室" and doc.paragraphs[-1].text == "2024年4月12日"
