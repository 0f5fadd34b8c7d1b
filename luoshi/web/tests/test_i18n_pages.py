"""One language per page: Chinese under zh-hans (the default), English under en, never "红灯 · Red" side by side."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import re
from collections.abc import Callable

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from luoshi.ratings.services import override_rating
from luoshi.site.demo import DemoSummary
from luoshi.supervision.services import request_extension
from luoshi.testing.demo import TODAY, lead_assignment

CJK = re.compile(r"[\u3400-\u9fff\uff08\uff09\u3001\uff1b\uff1a]")
# A Chinese label joined to an English one by "·", either way round ("红灯 · Red", "missing · 未报").
BILINGUAL = re.compile(r"[\u3400-\u9fff][）)]?\s*·\s*[A-Za-z]|[A-Za-z][.)]?\s*·\s*[\u3400-\u9fff]")
LABELS = re.compile(r"<(h1|h2|th|label|button|legend|summary)\b[^>]*>(.*?)</\1>", re.S)


def _labels(page: str) -> list[str]:
    """The text of the page's headings, table headers, labels and buttons (tags stripped)."""
    return [html.unescape(re.sub(r"<[^>]+>", " ", inner)).strip() for _, inner in LABELS.findall(page)]


def _in(client: Client, language: str) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _chart(page: str, script_id: str) -> dict[str, object]:
    match = re.search(rf'<script id="{script_id}" type="application/json">(.*?)</script>', page, re.S)
    assert match, f"no {script_id}"
    data: dict[str, object] = json.loads(match.group(1))
    return data


def _pages(demo: DemoSummary) -> list[str]:
    return ["/office/", "/dashboard/", f"/plans/{demo.plan.pk}/"]


def test_english_pages_have_no_chinese_labels(login: Callable[[str], Client], demo: DemoSummary) -> None:
    client = _in(login("duchashi"), "en")
    for url in _pages(demo):
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert '<html lang="en"' in page or 'lang="en"' in page, url
        for label in _labels(page):
            assert not BILINGUAL.search(label), (url, label)
        # Headings and column headers are the interface's own words (data sits in rows): no Chinese in English.
        for tag, inner in [
            *LABELS.findall(page),
            *(("thead", t) for t in re.findall(r"<thead>(.*?)</thead>", page, re.S)),
        ]:
            text = html.unescape(re.sub(r"<[^>]+>", " ", inner))
            if tag in ("h1", "h2", "thead"):
                assert not CJK.search(text), (url, tag, text)
        for bilingual in (
            "红灯 ·",
            "黄灯 ·",
            "迟报 ·",
            "未报 ·",
            "单位排名 ·",
            "进度趋势 ·",
            "逾期清单 ·",
            "任务分工方案 #",
            "生成任务并分派 ·",
            "建议 · suggested",
            "全文 · overall",
        ):
            assert bilingual not in page, (url, bilingual)


def test_english_office_and_dashboard_say_it_in_english(login: Callable[[str], Client]) -> None:
    client = _in(login("duchashi"), "en")
    office = client.get("/office/").content.decode()
    assert "Red assignments" in office and "Amber assignments" in office and "missing" in office
    assert "红灯任务" not in office and "牵头单位" not in office
    dashboard = client.get("/dashboard/").content.decode()
    assert "Units by on-time and on-track rates" in dashboard and "Overdue list" in dashboard
    assert _chart(dashboard, "dashboard-rag-data")["labels"] == ["Green", "Amber", "Red"]
    assert _chart(dashboard, "dashboard-units-data")["names"] == {
        "on_time": "On-time rate",
        "on_track": "On-track rate",
    }
    assert _chart(dashboard, "dashboard-trend-data")["names"] == {
        "progress": "Average progress",
        "planned": "Average planned",
    }
    header = next(csv.reader(io.StringIO(client.get("/dashboard/units.csv").content.decode("utf-8-sig"))))
    assert header[0] == "Unit" and header[-1] == "On-time rate"


def test_chinese_is_the_default_and_shows_chinese_labels(
    login: Callable[[str], Client], demo: DemoSummary
) -> None:
    client = login("duchashi")  # no language chosen: the default, zh-hans
    office = client.get("/office/").content.decode()
    assert "红灯任务" in office and "黄灯任务" in office and "牵头单位" in office and "未报送" in office
    assert "Red assignments" not in office
    dashboard = client.get("/dashboard/").content.decode()
    assert "红灯" in dashboard and "单位排名" in dashboard and "逾期清单" in dashboard
    assert _chart(dashboard, "dashboard-rag-data")["labels"] == ["绿灯", "黄灯", "红灯"]
    assert _chart(dashboard, "dashboard-units-data")["names"] == {
        "on_time": "按时报送率",
        "on_track": "按计划推进率",
    }
    plan = client.get(f"/plans/{demo.plan.pk}/").content.decode()
    assert f"任务分工方案 #{demo.plan.pk}" in plan and "牵头单位" in plan and "Task division plan" not in plan
    for url in _pages(demo):
        for label in _labels(client.get(url).content.decode()):
            assert not BILINGUAL.search(label), (url, label)


@pytest.mark.parametrize(
    ("accept", "expected", "absent"),
    [("en", "Red assignments", "红灯任务"), ("zh-Hans", "红灯任务", "Red assignments")],
)
def test_the_browsers_language_is_followed(
    login: Callable[[str], Client], accept: str, expected: str, absent: str
) -> None:
    page = login("duchashi").get("/office/", headers={"Accept-Language": accept}).content.decode()
    assert expected in page and absent not in page


def test_the_trajectory_chart_names_its_series_in_the_language(login: Callable[[str], Client]) -> None:
    client = login("nengyuan")
    url = f"/tasks/{lead_assignment('energy').task_id}/"
    assert _chart(client.get(url).content.decode(), "trajectory-data")["names"] == {
        "planned": "计划",
        "actual": "实际",
    }
    english = _in(client, "en").get(url).content.decode()
    assert _chart(english, "trajectory-data")["names"] == {"planned": "Planned", "actual": "Actual"}


@pytest.mark.parametrize(
    ("language", "said", "unsaid"), [("en", "approved", "已批准"), ("zh-hans", "已批准", "approved")]
)
def test_a_decision_is_confirmed_in_one_language(
    login: Callable[[str], Client], language: str, said: str, unsaid: str
) -> None:
    liaison = get_user_model().objects.get(username="nengyuan")
    extension = request_extension(
        assignment=lead_assignment("energy"),
        user=liaison,
        new_deadline=dt.date(2028, 6, 30),
        reason="项目审批延后",
    )
    row = (
        _in(login("duchashi"), language)
        .post(f"/office/extensions/{extension.pk}/decide", {"decision": "approve"}, HTTP_HX_REQUEST="true")
        .content.decode()
    )
    assert said in row and unsaid not in row and " / " not in row


def test_suggested_measures_are_named_and_explained_in_the_language(login: Callable[[str], Client]) -> None:
    assignment = lead_assignment("ethnic-affairs")
    office = get_user_model().objects.get(username="duchashi")
    for day in (dt.date(2026, 9, 15), TODAY):  # red in two rating periods: a reminder is suggested
        override_rating(assignment=assignment, rag="red", reason="连续未报送", user=office, as_of=day)

    def suggestions(language: str) -> str:
        page = _in(login("duchashi"), language).get("/office/").content.decode()
        return page[page.index('id="suggestions"') :]

    chinese, english = suggestions("zh-hans"), suggestions("en")
    assert "<td>提醒</td>" in chinese and "连续2期评价为红灯" in chinese
    assert "<td>reminder</td>" in english and "连续2期评价为红灯" not in english and "2026-Q3" in english
