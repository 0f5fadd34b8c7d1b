"""The interface speaks Chinese by default and English on request, and the Chinese catalogue is complete."""

from __future__ import annotations

import datetime as dt
import gettext
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.conf import settings
from django.test import Client
from django.utils import translation

from luoshi.accountability.models import Kind
from luoshi.accounts.models import Role
from luoshi.audit.models import Action
from luoshi.evaluation.models import Effect
from luoshi.notifications.models import ChannelKind
from luoshi.site.demo import DEMO_PASSWORD, load_demo
from luoshi.supervision import models as supervision
from luoshi.tasks.models import Assignment, Status

TODAY = dt.date(2026, 11, 26)
LC_MESSAGES = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES"
PO, MO = LC_MESSAGES / "django.po", LC_MESSAGES / "django.mo"
PLACEHOLDER = re.compile(r"%\([A-Za-z_]\w*\)[sdif]|\{\w*\}")
CJK = re.compile(r"[\u4e00-\u9fff]")
UNTRANSLATED_APP_NAMES = {"luoshi", "API", "Web"}  # the same in both languages


@pytest.fixture(autouse=True)
def chinese_by_default(settings: Any) -> None:
    settings.LANGUAGE_CODE = "zh-hans"  # the shipped default (LUOSHI_LANGUAGE), whatever the environment says


@pytest.fixture
def liaison(db: None) -> Iterator[Client]:
    """The demo world as of 2026-11-26 at 10:00, and the agriculture department's liaison logged in."""
    moment = dt.datetime.combine(TODAY, dt.time(10), tzinfo=ZoneInfo(settings.TIME_ZONE))
    with time_machine.travel(moment, tick=False):
        load_demo(today=TODAY)
        client = Client()
        assert client.login(username="nongmu", password=DEMO_PASSWORD)
        yield client


def test_the_login_page_is_chinese_by_default(client: Client, db: None) -> None:
    page = client.get("/accounts/login/").content.decode()
    assert '<html lang="zh-hans">' in page
    assert "登录" in page and "用户名" in page and "密码" in page
    assert "Log in" not in page and "User name" not in page and "Password" not in page


def test_the_header_switches_to_english_and_back(client: Client, db: None) -> None:
    page = client.get("/accounts/login/").content.decode()
    assert 'action="/i18n/setlang/"' in page and 'name="language" value="en"' in page

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    page = client.get("/accounts/login/").content.decode()
    assert '<html lang="en">' in page and "Log in" in page and "User name" in page

    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/accounts/login/"})
    assert "Log in" not in client.get("/accounts/login/").content.decode()


@pytest.mark.django_db  # the login page asks whether an administrator exists
def test_a_browser_asking_for_english_gets_english() -> None:
    page = Client(HTTP_ACCEPT_LANGUAGE="en").get("/accounts/login/").content.decode()
    assert "Log in" in page and "Password" in page


def test_a_liaison_sees_chinese_headings(liaison: Client) -> None:
    page = liaison.get("/my/").content.decode()
    for chinese in ("本单位任务", "报送记录", "收件箱", "退出登录", "报告期", "状态"):
        assert chinese in page, chinese
    for english in ("My unit's tasks", "Report history", "Log out", "Period"):
        assert english not in page, english

    task = Assignment.objects.filter(unit__code="agriculture-animal").order_by("pk").first()
    assert task is not None
    page = liaison.get(f"/tasks/{task.task_id}/").content.decode()
    for chinese in ("责任单位", "进度轨迹", "完成时限", "下载 CSV"):
        assert chinese in page, chinese
    for english in ("Owners", "Trajectory", "Download CSV"):
        assert english not in page, english


def test_the_same_liaison_can_read_it_in_english(liaison: Client) -> None:
    assert "牵头单位 · 完成时限" in liaison.get("/my/").content.decode()
    liaison.post("/i18n/setlang/", {"language": "en", "next": "/my/"})
    page = liaison.get("/my/").content.decode()
    assert "My unit's tasks" in page and "Report history" in page and "Log out" in page
    assert "lead unit · deadline" in page and "牵头" not in page


# --- model choices and app names ------------------------------------------------------------


def _label(label: Any, language: str) -> str:
    with translation.override(language):
        return str(label)


def _luoshi_choice_labels() -> list[tuple[str, Any]]:
    return [
        (f"{model.__name__}.{f.name}={value}", label)
        for config in apps.get_app_configs()
        if config.name.startswith("luoshi.")
        for model in config.get_models()
        for f in model._meta.get_fields()
        if getattr(f, "flatchoices", None)
        for value, label in f.flatchoices  # type: ignore[union-attr]
    ]


def test_choice_labels_are_english_in_english_and_chinese_in_chinese() -> None:
    labels = [
        (where, _label(label, "en"), _label(label, "zh-hans")) for where, label in _luoshi_choice_labels()
    ]
    assert len(labels) > 50
    assert [(where, en) for where, en, _ in labels if CJK.search(en)] == []
    assert [(where, zh) for where, _, zh in labels if not CJK.search(zh)] == []


def test_app_names_are_english_in_english_and_chinese_in_chinese() -> None:
    names = [c.verbose_name for c in apps.get_app_configs() if c.name.startswith("luoshi.")]
    assert [_label(n, "en") for n in names if CJK.search(_label(n, "en"))] == []
    assert [
        _label(n, "zh-hans")
        for n in names
        if not CJK.search(_label(n, "zh-hans")) and n not in UNTRANSLATED_APP_NAMES
    ] == []
    name = apps.get_app_config("supervision").verbose_name
    assert (_label(name, "en"), _label(name, "zh-hans")) == ("Supervision", "督办")


@pytest.mark.parametrize(
    ("label", "english", "chinese"),
    [
        (Assignment.Role.LEAD.label, "lead unit", "牵头单位"),
        (Assignment.Role.CO.label, "co-operating unit", "配合单位"),
        (Status.COMPLETION_REQUESTED.label, "completion requested", "申请办结"),
        (supervision.Warning.Level.YELLOW.label, "yellow warning", "黄牌"),
        (supervision.Warning.Level.RED.label, "red warning", "红牌"),
        (Effect.EXCELLENT.label, "excellent", "显著"),
        (Kind.TALK.label, "talk", "约谈"),
        (Kind.CRITICISM.label, "notice of criticism", "通报批评"),
        (Action.CREATE.label, "create", "新建"),
        (Role.SUPERVISOR.label, "supervisor", "督查室"),
        (Role.LIAISON.label, "unit liaison", "联络员"),
        (ChannelKind.WECOM.label, "WeCom group robot", "企业微信群机器人"),
    ],
)
def test_a_choice_label_in_each_language(label: Any, english: str, chinese: str) -> None:
    assert (_label(label, "en"), _label(label, "zh-hans")) == (english, chinese)


# --- the catalogue ---------------------------------------------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgstrs: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False


def _unquote(s: str) -> str:
    s = s.strip()
    assert s.startswith('"') and s.endswith('"'), s
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: escapes[m.group(1)], s[1:-1])


def read_po(path: Path) -> list[Entry]:
    """A small reader for the .po files makemessages writes (no msgctxt needed so far, but tolerated)."""
    entries: list[Entry] = []
    for block in path.read_text(encoding="utf-8").strip().split("\n\n"):
        entry, current = Entry(), ""
        for line in block.splitlines():
            if line.startswith("#~"):
                entry.obsolete = True
            elif line.startswith("#,"):
                entry.flags |= {f.strip() for f in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                value = _unquote(line)
                if current == "msgid":
                    entry.msgid += value
                elif current == "msgid_plural":
                    entry.msgid_plural = (entry.msgid_plural or "") + value
                elif current == "msgstr":
                    entry.msgstrs[-1] += value
            else:
                keyword, _, value = line.partition(" ")
                current = "msgstr" if keyword.startswith("msgstr") else keyword
                if keyword == "msgid":
                    entry.msgid = _unquote(value)
                elif keyword == "msgid_plural":
                    entry.msgid_plural = _unquote(value)
                elif current == "msgstr":
                    entry.msgstrs.append(_unquote(value))
        entries.append(entry)
    return entries


def _messages() -> list[Entry]:
    return [e for e in read_po(PO) if e.msgid and not e.obsolete]


def test_every_message_is_translated_and_none_is_fuzzy() -> None:
    entries = read_po(PO)
    header = entries[0]
    assert header.msgid == "" and "fuzzy" not in header.flags
    assert "Language: zh_Hans" in header.msgstrs[0]
    messages = _messages()
    assert len(messages) > 200
    assert [e.msgid for e in messages if not all(s.strip() for s in e.msgstrs)] == []
    assert [e.msgid for e in messages if "fuzzy" in e.flags] == []


def test_translations_keep_their_placeholders() -> None:
    for e in _messages():
        for source, msgstr in zip([e.msgid_plural or e.msgid] * len(e.msgstrs), e.msgstrs, strict=True):
            assert sorted(PLACEHOLDER.findall(msgstr)) == sorted(PLACEHOLDER.findall(source)), e.msgid


def test_the_compiled_catalogue_matches_the_po() -> None:
    with MO.open("rb") as f:
        mo = gettext.GNUTranslations(f)
    for e in _messages():
        if e.msgid_plural is None:
            assert mo.gettext(e.msgid) == e.msgstrs[0], f"django.mo is stale: {e.msgid!r}"
        else:
            assert mo.ngettext(e.msgid, e.msgid_plural, 2) == e.msgstrs[-1], (
                f"django.mo is stale: {e.msgid!r}"
            )


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext (msgfmt) is not installed")
def test_msgfmt_finds_nothing_untranslated_or_fuzzy() -> None:
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(PO)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"\d+ translated messages?\.\n", result.stderr), result.stderr


SOURCE = Path(settings.BASE_DIR)
TEMPLATE_LITERAL = re.compile(r'\{% (?:translate|trans) "([^"]+)"')
PYTHON_LITERAL = re.compile(r'\b(?:_|gettext|gettext_lazy|pgettext_lazy)\(\s*"([^"\\]+)"\s*[,)]')
SAME_IN_BOTH = {"luoshi", "API", "Web", "JSON", "CSV", "XLSX", "DOCX", "PDF", "HTML"}


def _source_msgids() -> dict[str, str]:
    """Every literal msgid in templates and Python code (not tests) -> the first file using it."""
    found: dict[str, str] = {}
    for path in sorted(SOURCE.rglob("*")):
        if "tests" in path.parts or path.suffix not in {".html", ".py"}:
            continue
        pattern = TEMPLATE_LITERAL if path.suffix == ".html" else PYTHON_LITERAL
        for msgid in pattern.findall(path.read_text(encoding="utf-8")):
            found.setdefault(msgid, str(path.relative_to(SOURCE)))
    return found


def test_every_literal_string_in_the_sources_has_its_chinese() -> None:
    """The catalogue is current: a string added to a template or view without `make messages` shows up here."""
    msgids = _source_msgids()
    assert len(msgids) > 300, "the scan found the sources"
    with translation.override("zh-hans"):
        missing = {
            m: where
            for m, where in msgids.items()
            if m not in SAME_IN_BOTH and not CJK.search(m) and translation.gettext(m) == m
        }
    assert not missing, f"untranslated (run `make messages` and translate): {missing}"
