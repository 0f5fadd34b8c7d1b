"""A unit suggestion's reason in the page's language: the label translated, the words kept as data."""

from __future__ import annotations

from django.utils import translation

from luoshi.web.plan.reasons import reason_html, reason_parts, reason_text


def test_it_reads_stored_keywords_and_the_older_chinese_reasons() -> None:
    assert reason_parts({"source": "content", "why": "职能匹配：体育", "keywords": ["体育", "赛事"]}) == (
        "content",
        ("体育", "赛事"),
    )
    assert reason_parts({"source": "content", "why": "职能匹配：体育、赛事"}) == ("content", ("体育", "赛事"))
    assert reason_parts({"source": "text", "why": "原文点名“由财政部牵头”"}) == ("text", ("由财政部牵头",))
    assert reason_parts({"why": "别的理由"}) == ("", ("别的理由",))


def test_it_says_the_label_in_the_page_language_and_marks_the_words() -> None:
    with translation.override("en"):
        assert reason_text("content", ("体育", "赛事")) == "Duties match: 体育、赛事"
        assert str(reason_html("text", ("由财政部牵头",))) == (
            'Named in the text: <span class="data" lang="zh">“由财政部牵头”</span>'
        )
    with translation.override("zh-hans"):
        assert str(reason_html("content", ("体育",))) == '职能匹配：<span class="data" lang="zh">体育</span>'


def test_table_and_history_reasons_say_where_the_unit_comes_from() -> None:
    assert reason_parts({"source": "table", "why": "分工表牵头单位", "keywords": ["牵头单位"]}) == (
        "table",
        ("牵头单位",),
    )
    with translation.override("en"):
        assert reason_text("table", ("牵头单位",)) == "In the task-division table: 牵头单位"
        assert str(reason_html("history", ("健身步道建设",))) == (
            'Assigned before for similar tasks: <span class="data" lang="zh">“健身步道建设”</span>'
        )
    with translation.override("zh-hans"):
        assert reason_text("history", ("健身步道建设",)) == "以往同类任务的分工：“健身步道建设”"
