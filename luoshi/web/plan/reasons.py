"""Why a unit is suggested for a task, in the page's language: the kind of reason as a label, the words it
rests on (the catalog's duty words, or the text quoted) as data, in the language they were written in."""

from __future__ import annotations

import re
from typing import Any

from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from luoshi.catalogs.suggest import CONTENT_REASON, TEXT_REASON

LEGACY_QUOTE = re.compile(rf"^{TEXT_REASON}“(?P<quote>.*)”$")


def reason_parts(stored: dict[str, Any]) -> tuple[str, tuple[str, ...]]:
    """(source, keywords) of a stored suggestion; one stored before the keywords were is read from its
    Chinese ``why`` ("职能匹配：体育、赛事", "原文点名“…”"). An unknown source is ("", (why,))."""
    source, why = str(stored.get("source") or ""), str(stored.get("why") or "")
    keywords = stored.get("keywords")
    if isinstance(keywords, list) and source in ("content", "text", "history", "table"):
        return source, tuple(str(k) for k in keywords)
    if why.startswith(CONTENT_REASON + "："):
        return "content", tuple(w for w in why[len(CONTENT_REASON) + 1 :].split("、") if w)
    quoted = LEGACY_QUOTE.match(why)
    if quoted:
        return "text", (quoted["quote"],)
    return "", (why,) if why else ()


def reason_label(source: str) -> str:
    if source == "content":
        return gettext("Duties match")
    if source == "text":
        return gettext("Named in the text")
    if source == "history":
        return gettext("Assigned before for similar tasks")
    if source == "table":
        return gettext("In the task-division table")
    return ""


def reason_words(source: str, keywords: tuple[str, ...]) -> str:
    joined = "、".join(keywords)
    return f"“{joined}”" if source in ("text", "history") and joined else joined


def reason_text(source: str, keywords: tuple[str, ...]) -> str:
    """The reason as plain text (a hover title): "Duties match: 体育、赛事"."""
    label, words = reason_label(source), reason_words(source, keywords)
    return gettext("%(label)s: %(words)s") % {"label": label, "words": words} if label else words


def reason_html(source: str, keywords: tuple[str, ...]) -> SafeString:
    """The reason for the page: the label in the page's language, the words marked as (Chinese) data."""
    label, words = reason_label(source), reason_words(source, keywords)
    marked = format_html('<span class="data" lang="zh">{}</span>', words) if words else ""
    if not label:
        return format_html("{}", marked)
    return format_html(gettext("{label}: {words}"), label=label, words=marked)
