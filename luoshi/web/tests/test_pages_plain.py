"""Pages read as a finished product: one language (refusals included), and no developer text — no character
offsets, statistics, catalog codes or JSON — on the pages the office works with, using the demo data."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from luoshi.audit.services import record
from luoshi.documents.models import Document
from luoshi.site.demo import DemoSummary
from luoshi.tasks.models import Task

HTMX = {"HX-Request": "true"}
OFFSETS = re.compile(r"\[\d+[–-]\d+\]")
CODES = ("inner-mongolia", "state-council", "party-office")


def _in(client: Client, language: str) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _text(page: str) -> str:
    """What a reader sees: the page without its scripts, tags and attributes, unescaped."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"<head>.*?</head>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def _options(page: str) -> list[str]:
    return [html.unescape(o) for o in re.findall(r"<option[^>]*>(.*?)</option>", page, re.S)]


def _developer_text(text: str) -> list[str]:
    found = [m.group(0) for m in OFFSETS.finditer(text)]
    found += [w for w in ("奈特", "标准差", "nats", "robust SD", *CODES) if w in text]
    found += re.findall(r"\{\"|\[\]|\{\}|\w+ object \(\d+\)", text)
    return found


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_office_pages_show_no_offsets_statistics_codes_or_json(
    login: Callable[[str], Client], demo: DemoSummary, language: str
) -> None:
    client = _in(login("duchashi"), language)
    document = Document.objects.get(pk=demo.plan.document_id)
    task = Task.objects.order_by("pk").first()
    assert task is not None
    pages = [
        f"/documents/{document.pk}/",
        "/documents/",
        f"/plans/{demo.plan.pk}/",
        "/people/units/",
        "/people/users/",
        "/audit/",
        f"/tasks/{task.pk}/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert _developer_text(_text(page)) == [], url
        assert [o for o in _options(page) if any(code in o for code in CODES)] == [], url


def test_the_document_page_says_where_and_what_in_words(
    login: Callable[[str], Client], demo: DemoSummary
) -> None:
    document = Document.objects.get(pk=demo.plan.document_id)
    text = _text(login("duchashi").get(f"/documents/{document.pk}/").content.decode())
    assert "这一段文字不通顺" in text  # the garbled passage, in words
    assert re.search(r"（第\d+段）", text)  # where a finding is: its paragraph
    assert "编码" not in text or document.encoding not in ("docx", "pdf")
    page = login("duchashi").get(f"/documents/{document.pk}/").content.decode()
    findings = re.search(r'<section class="card" id="findings">.*?</section>', page, re.S)
    assert findings
    numbers = re.findall(r"\[(\d+)\]", _text(findings.group(0)))
    assert numbers and len(numbers) == len(set(numbers))  # each finding number once in the list
    assert "内蒙古自治区" in text  # the task division's catalog by name


def test_a_docx_document_is_a_word_document_not_an_encoding(
    login: Callable[[str], Client], demo: DemoSummary
) -> None:
    document = Document.objects.get(pk=demo.plan.document_id)
    document.encoding = "docx"
    document.save(update_fields=["encoding"])
    client = login("duchashi")
    for url in (f"/documents/{document.pk}/", "/documents/"):
        text = _text(client.get(url).content.decode())
        assert "Word 文档" in text and "编码" not in text


@pytest.mark.parametrize(
    ("language", "said"), [("zh-hans", "报告期结束当日报送"), ("en", "due on the day the period ends")]
)
def test_a_report_due_when_the_period_ends_says_so(
    login: Callable[[str], Client], demo: DemoSummary, language: str, said: str
) -> None:
    task = Task.objects.order_by("pk").first()
    assert task is not None
    Task.objects.filter(pk=task.pk).update(report_day=0)
    text = _text(_in(login("duchashi"), language).get(f"/tasks/{task.pk}/").content.decode())
    assert said in text and "0 天" not in text and "0 days" not in text


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_audit_log_says_changes_as_field_old_to_new(
    login: Callable[[str], Client], demo: DemoSummary, language: str
) -> None:
    task = Task.objects.order_by("pk").first()
    assert task is not None
    entry = record(
        action="update",
        obj=task,
        changes={
            "status": ["draft", "assigned"],
            "co_units": [[], []],
            "lead_unit": [None, task.lead_unit_id],
        },
        note="来自分工方案任务 #3 / from plan task #3",
    )
    page = _in(login("duchashi"), language).get("/audit/").content.decode()
    row = _text(re.search(rf'<tr id="audit-{entry.pk}">.*?</tr>', page, re.S).group(0))  # type: ignore[union-attr]
    if language == "zh-hans":
        assert re.search(r"状态：\s*草稿\s*→\s*已交办", row) and f"牵头单位：{task.lead_unit.name}" in re.sub(
            r"\s+", "", row
        )
        assert "from plan task" not in row and "来自分工方案任务 #3" in row
    else:
        assert re.search(r"status：\s*draft\s*→\s*assigned", row) and "lead unit" in row
        assert "来自分工方案任务" not in row and "from plan task #3" in row
    assert "lead_unit" not in row and "co_units" not in row and "tasks.task" not in row


@pytest.mark.parametrize(
    ("language", "said", "unsaid"),
    [
        ("zh-hans", "不能停用自己的账号。", "You cannot deactivate your own account."),
        ("en", "You cannot deactivate your own account.", "不能停用自己的账号。"),
    ],
)
def test_a_refusal_is_shown_in_the_pages_language_only(
    login: Callable[[str], Client], language: str, said: str, unsaid: str
) -> None:
    client = _in(login("admin"), language)
    me = get_user_model().objects.get(username="admin")
    partial = client.post(f"/people/users/{me.pk}/active", {"active": "0"}, headers=HTMX).content.decode()
    assert said in partial and unsaid not in partial  # the htmx row
    page = client.post(f"/people/users/{me.pk}/active", {"active": "0"}, follow=True).content.decode()
    assert said in page and unsaid not in page  # the messages framework
    form = client.post(
        "/people/units/new",
        {"catalog": "inner-mongolia", "code": "drc", "name": "另一个发改委", "level": "region"},
    ).content.decode()
    assert form.count("已有代码") + form.count("already has a unit") == 1  # the form error, in one language
    assert (" / " + ("The catalog" if language == "zh-hans" else "目录")) not in form


@pytest.mark.parametrize(
    ("language", "said", "unsaid"),
    [
        (
            "zh-hans",
            ["【催办】进展报告已逾期3天", "任务：推进新能源装备制造", "（已逾期3天）"],
            ["Urging:", "Task", "overdue"],
        ),
        (
            "en",
            ["Urging: the report 3 days overdue", "Task: 推进新能源装备制造", "(3 days overdue)"],
            ["【催办】", "任务：", "已逾期"],
        ),
    ],
)
def test_a_notice_stored_in_both_languages_reads_in_one(
    login: Callable[[str], Client], language: str, said: list[str], unsaid: list[str]
) -> None:
    from django.utils import timezone

    from luoshi.notifications.models import Notice

    client = _in(login("nengyuan"), language)
    Notice.objects.create(
        recipient=get_user_model().objects.get(username="nengyuan"),
        kind="urging",
        title="【催办】进展报告已逾期3天 / Urging: the report 3 days overdue",
        body="任务 / Task：推进新能源装备制造\n应于 / Was due：2026-11-01（已逾期3天 / 3 days overdue）",
        created_at=timezone.now() + dt.timedelta(days=1),
        dedupe_key="pages-test",
    )
    page = client.get("/inbox/").content.decode()
    notice = _text(
        page[page.index("【催办】进展报告" if language == "zh-hans" else "Urging: the report") - 200 :]
    )
    notice = notice[: notice.index("2026-11-01") + 40]
    for text in said:
        assert text in notice, text
    for text in unsaid:
        assert text not in notice, text
