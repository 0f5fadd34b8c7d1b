"""Issue 13: a control character pasted into a report or a task title never breaks an official
document, and only a period that has begun takes a serial number."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from luoshi.bulletins.data import OverdueItem, UrgingNoticeData
from luoshi.bulletins.errors import BulletinError
from luoshi.bulletins.models import Bulletin, GoodPractice
from luoshi.bulletins.query import bulletin_data
from luoshi.bulletins.services import (
    issue_bulletin,
    masthead,
    render,
    render_urging_notice,
    select_good_practice,
    urging_for_assignment,
)
from luoshi.bulletins.tests.conftest import PERIOD, TODAY
from luoshi.bulletins.tests.render_helpers import all_text, open_docx
from luoshi.reports.models import Report
from luoshi.site.demo import DemoSummary
from luoshi.tasks.models import Assignment, Task

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2024, 4, 5, 9, tzinfo=dt.UTC)
PASTED = "建立周调度机制。\x0b新开工风电项目3个\x01。"  # Word's line break (\x0b) and a stray \x01


def _energy_report() -> Report:
    found = (
        Report.objects.filter(obligation__period=PERIOD, obligation__assignment__unit__code="energy")
        .order_by("-version")
        .first()
    )
    return found or pytest.fail("no Q1 report of the energy department")


def test_a_stored_excerpt_with_control_characters_still_renders_and_issues(
    demo: DemoSummary, supervisor: Any
) -> None:
    report = _energy_report()
    Report.objects.filter(pk=report.pk).update(narrative=PASTED)  # a row stored before the bounds
    GoodPractice.objects.create(report=report, excerpt=PASTED, selected_by=supervisor, selected_at=NOW)
    data = bulletin_data(period=PERIOD, as_of=TODAY)
    text = all_text(open_docx(render(data, fmt="docx", head=masthead(data))))
    assert "新开工风电项目3个。" in text and "\x01" not in text
    bulletin = issue_bulletin(period=PERIOD, user=supervisor, as_of=TODAY, now=NOW)
    assert "新开工风电项目3个。" in all_text(open_docx(bytes(bulletin.docx)))


def test_an_excerpt_pasted_with_control_characters_is_stored_clean(
    demo: DemoSummary, supervisor: Any
) -> None:
    report = _energy_report()
    Report.objects.filter(pk=report.pk).update(narrative=PASTED)
    report.refresh_from_db()
    kept = select_good_practice(report=report, excerpt=PASTED, user=supervisor, now=NOW)
    assert kept.excerpt == "建立周调度机制。\n新开工风电项目3个。"


def test_an_urging_notice_for_a_task_title_with_control_characters_renders(demo: DemoSummary) -> None:
    data = UrgingNoticeData(
        unit="内蒙古自治区农牧厅",
        items=(OverdueItem("建设高标准\x0b农田\x01", "进展报告未报送", dt.date(2024, 3, 31), 5),),
        required_response="请于2024年4月10日前补报。",
        response_date=dt.date(2024, 4, 10),
        office="自治区党委督查室",
        date=dt.date(2024, 4, 5),
    )
    text = all_text(open_docx(render_urging_notice(data)))
    assert "建设高标准\n农田" in text or "建设高标准农田" in text.replace("\n", "")


def test_every_urging_docx_survives_a_stored_title_with_control_characters(demo: DemoSummary) -> None:
    assignment = (
        Assignment.objects.filter(unit__code="agriculture-animal", role="lead").select_related("task").first()
    )
    assert assignment is not None
    Task.objects.filter(pk=assignment.task_id).update(title="建设\x0b高标准农田\x01")
    assignment.refresh_from_db()
    assignment.task.refresh_from_db()
    notice = urging_for_assignment(assignment=assignment, as_of=TODAY)
    assert "高标准农田" in all_text(open_docx(render_urging_notice(notice)))


@pytest.mark.parametrize("period", ["2099-Q1", "2124-Q1", "2024-Q3"])
def test_a_period_not_begun_takes_no_serial_number(demo: DemoSummary, supervisor: Any, period: str) -> None:
    with pytest.raises(BulletinError) as refused:
        issue_bulletin(period=period, user=supervisor, now=NOW)
    assert refused.value.code in {"date_out_of_range", "period_not_begun"}
    assert getattr(refused.value, "field", None) == "period" or refused.value.code == "period_not_begun"
    assert not Bulletin.objects.filter(period=period).exists()


def test_a_period_not_begun_can_still_be_previewed(demo: DemoSummary) -> None:
    data = bulletin_data(period="2024-Q3", as_of=TODAY)
    assert data.period == "2024-Q3"
    with pytest.raises(BulletinError) as refused:
        bulletin_data(period="9999-Q4")
    assert refused.value.code == "date_out_of_range"


def test_the_number_is_taken_in_the_issuing_year(demo: DemoSummary, supervisor: Any) -> None:
    bulletin = issue_bulletin(
        period=PERIOD, user=supervisor, now=timezone.make_aware(dt.datetime(2024, 4, 6, 9))
    )
    assert bulletin.number.startswith("2024年第")
