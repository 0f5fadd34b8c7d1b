"""Good practice: the reports a period's bulletin may quote, excerpts kept, trimmed, replaced and dropped."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from luoshi.audit.models import AuditEntry
from luoshi.bulletins.errors import BulletinError
from luoshi.bulletins.models import GoodPractice
from luoshi.bulletins.query import bulletin_data
from luoshi.bulletins.renderers.html import render_html
from luoshi.bulletins.services import (
    choose_good_practice,
    drop_good_practice,
    excerpt_of,
    good_practice_candidates,
    masthead,
    render,
    select_good_practice,
)
from luoshi.bulletins.tests.conftest import PERIOD, TODAY
from luoshi.bulletins.tests.render_helpers import open_docx
from luoshi.reports.models import Report
from luoshi.reports.services import submit_report
from luoshi.site.demo import DemoSummary

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2024, 4, 5, 9, tzinfo=dt.UTC)
TEXT = "建立周调度机制。新开工风电项目3个，完成投资12亿元！组建专班上门服务企业？\n下一步加快并网。"


def _report(unit_code: str, period: str = PERIOD) -> Report:
    found = (
        Report.objects.filter(obligation__period=period, obligation__assignment__unit__code=unit_code)
        .order_by("-version")
        .first()
    )
    return found or pytest.fail(f"no {period} report of {unit_code}")


def test_the_candidates_are_the_periods_counting_reports(demo: DemoSummary) -> None:
    found = good_practice_candidates(period=PERIOD)
    expected = Report.objects.filter(
        obligation__period_end__range=(dt.date(2024, 1, 1), dt.date(2024, 3, 31))
    )
    assert sorted(c.report_id for c in found) == sorted(expected.values_list("pk", flat=True))
    assert {c.unit for c in found} == {"内蒙古自治区能源局"}  # the others had not reported Q1 by 2024-04-05
    first = found[0]
    assert first.report_period == "2024-Q1" and first.sentences == (first.narrative,)
    assert not first.selected and first.excerpt == first.narrative
    assert good_practice_candidates(period=PERIOD, level="league_city") == []
    assert good_practice_candidates(period="2023-Q4", document=demo.document)
    with pytest.raises(BulletinError) as refused:
        good_practice_candidates(period=PERIOD, level="province")
    assert refused.value.code == "bad_level"


def test_a_report_awaiting_approval_is_not_offered_until_approved(demo: DemoSummary, liaison: Any) -> None:
    report = _report("energy")
    Report.objects.filter(pk=report.pk).update(approval=Report.Approval.PENDING)
    assert report.pk not in {c.report_id for c in good_practice_candidates(period=PERIOD)}
    Report.objects.filter(pk=report.pk).update(approval=Report.Approval.APPROVED)
    assert report.pk in {c.report_id for c in good_practice_candidates(period=PERIOD)}


def test_sentences_trim_the_excerpt(demo: DemoSummary) -> None:
    report = _report("energy")
    report.narrative = TEXT
    assert excerpt_of(report, first=2, last=3) == "新开工风电项目3个，完成投资12亿元！组建专班上门服务企业？"
    assert excerpt_of(report, first=4, last=4) == "下一步加快并网。"
    for first, last in ((0, 1), (3, 2), (1, 5)):
        with pytest.raises(BulletinError) as refused:
            excerpt_of(report, first=first, last=last)
        assert refused.value.code == "bad_sentences" and "1 to 4" in refused.value.message_en


def test_choosing_replaces_the_reports_excerpt_and_dropping_removes_it(
    demo: DemoSummary, supervisor: Any
) -> None:
    report = _report("energy")
    Report.objects.filter(pk=report.pk).update(narrative=TEXT)
    report.refresh_from_db()
    select_good_practice(report=report, excerpt="建立周调度机制。", user=supervisor, now=NOW)
    select_good_practice(report=report, excerpt="组建专班上门服务企业", user=supervisor, now=NOW)
    assert GoodPractice.objects.filter(report=report).count() == 2
    kept = choose_good_practice(
        report=report, excerpt=excerpt_of(report, first=2, last=2), user=supervisor, now=NOW
    )
    assert list(GoodPractice.objects.values_list("excerpt", flat=True)) == [
        "新开工风电项目3个，完成投资12亿元！"
    ]
    assert (
        choose_good_practice(report=report, excerpt=kept.excerpt, user=supervisor, now=NOW) == kept
    )  # idempotent
    candidate = next(c for c in good_practice_candidates(period=PERIOD) if c.report_id == report.pk)
    assert candidate.selected and candidate.excerpt == kept.excerpt and len(candidate.sentences) == 4

    assert drop_good_practice(report=report, user=supervisor, now=NOW) == 1
    assert drop_good_practice(report=report, user=supervisor, now=NOW) == 0
    assert not GoodPractice.objects.exists()
    trail = list(
        AuditEntry.objects.filter(object_type="bulletins.goodpractice")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert trail == ["create", "create", "delete", "delete", "create", "delete"]


def test_only_the_office_chooses_and_only_quotes(demo: DemoSummary, supervisor: Any, liaison: Any) -> None:
    report = _report("energy")
    for call in (
        lambda: choose_good_practice(report=report, excerpt="按计划组织实施", user=liaison),
        lambda: drop_good_practice(report=report, user=liaison),
    ):
        with pytest.raises(BulletinError) as refused:
            call()
        assert refused.value.code == "not_allowed"
    for excerpt, code in (("   ", "empty_excerpt"), ("超额完成全年任务", "excerpt_not_in_report")):
        with pytest.raises(BulletinError) as refused:
            choose_good_practice(report=report, excerpt=excerpt, user=supervisor)
        assert refused.value.code == code
    assert not GoodPractice.objects.exists()


def test_a_corrected_report_still_shows_the_excerpt_kept_from_its_earlier_version(
    demo: DemoSummary, supervisor: Any, liaison: Any
) -> None:
    first = _report("energy")
    select_good_practice(report=first, excerpt="按计划组织实施", user=supervisor, now=NOW)
    user = first.submitted_by
    corrected = submit_report(
        obligation=first.obligation,
        user=user,
        progress=first.progress,
        narrative="更正：按计划组织实施，超额完成阶段性工作。",
        now=timezone.make_aware(dt.datetime(2024, 4, 2, 10)),
    )
    ids = [
        c.report_id
        for c in good_practice_candidates(period=PERIOD)
        if c.report_id in (first.pk, corrected.pk)
    ]
    assert ids == [first.pk, corrected.pk]  # the kept excerpt's version, then the one that counts now


def test_the_bulletin_quotes_the_excerpts_under_numbered_level_2_headings(
    demo: DemoSummary, supervisor: Any
) -> None:
    report = _report("energy")
    select_good_practice(report=report, excerpt="按计划组织实施，完成阶段性工作。", user=supervisor, now=NOW)
    data = bulletin_data(period=PERIOD, as_of=TODAY)
    doc = open_docx(render(data, fmt="docx", head=masthead(data)))
    paragraphs = [(p.style.name if p.style is not None else "", p.text) for p in doc.paragraphs]
    start = paragraphs.index(("Heading 1", "五、典型经验做法"))
    title = report.obligation.assignment.task.title
    assert paragraphs[start + 1 : start + 4] == [
        ("Normal", "本期选录典型经验做法1项，供各单位学习借鉴。"),
        ("Heading 2", f"（一）内蒙古自治区能源局：{title}"),
        ("Normal", "按计划组织实施，完成阶段性工作。"),
    ]
    page = render_html(data, head=masthead(data))
    assert f"<h3>（一）内蒙古自治区能源局：{title}</h3>" in page
    assert '<p class="body">按计划组织实施，完成阶段性工作。</p>' in page
