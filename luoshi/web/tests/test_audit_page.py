"""The audit search page (/audit/) and its CSV, for the office and the administrators only."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import StreamingHttpResponse
from django.test import Client

from luoshi.audit.models import AuditEntry
from luoshi.audit.services import record
from luoshi.site.demo import DemoSummary
from luoshi.testing.demo import TODAY, lead_assignment


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9), tzinfo=ZoneInfo(settings.TIME_ZONE))


def _entries(demo: DemoSummary) -> tuple[AuditEntry, AuditEntry, AuditEntry]:
    """Three known entries: an update by the office with a diff, an export by the leader, one by the CLI."""
    users = get_user_model().objects
    task = lead_assignment("energy").task
    changed = record(
        action="update",
        obj=task,
        actor=users.get(username="duchashi"),
        at=_at(TODAY),
        changes={"deadline": ["2026-12-31", "2027-03-31"], "weight": [1, 2]},
        note="marker-alpha",
    )
    exported = record(
        action="export",
        obj=demo.document,
        actor=users.get(username="lingdao"),
        at=_at(TODAY - dt.timedelta(days=10)),
        note="marker-beta",
    )
    by_cli = record(
        action="import", obj=demo.document, at=_at(TODAY - dt.timedelta(days=40)), note="marker-gamma"
    )
    return changed, exported, by_cli


def _rows(page: str) -> list[str]:
    return [part.split('"', 1)[0] for part in page.split('<tr id="audit-')[1:]]


def test_the_office_sees_every_entry_with_who_when_and_the_diff(
    login: Callable[[str], Client], demo: DemoSummary
) -> None:
    changed, _, _ = _entries(demo)
    page = login("duchashi").get("/audit/", {"text": "marker-alpha"}).content.decode()
    assert _rows(page) == [str(changed.pk)]
    row = page[
        page.index(f'id="audit-{changed.pk}"') : page.index("</tr>", page.index(f'id="audit-{changed.pk}"'))
    ]
    assert (
        "duchashi" in row and f"{TODAY:%Y-%m-%d} 09:00" in row and "任务" in row and "tasks.task" not in row
    )
    assert "完成时限：<del>2026-12-31</del> → <ins>2027-03-31</ins>" in row  # the field by its name, in words
    assert "权重：<del>1</del> → <ins>2</ins>" in row


def test_a_new_value_shows_alone_and_user_text_is_escaped(
    login: Callable[[str], Client], demo: DemoSummary
) -> None:
    made = record(
        action="create",
        obj=lead_assignment("energy").task,
        changes={"progress": [None, 90]},
        note="<script>alert(1)</script> marker-xss",
    )
    page = login("duchashi").get("/audit/", {"text": "marker-xss"}).content.decode()
    assert _rows(page) == [str(made.pk)]
    assert "进度：<ins>90</ins>" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page


def test_each_filter_narrows_the_search(login: Callable[[str], Client], demo: DemoSummary) -> None:
    changed, exported, by_cli = _entries(demo)
    client = login("duchashi")

    def found(**params: str) -> set[str]:
        response = client.get("/audit/", {"text": "marker", **params})
        assert response.status_code == 200
        return set(_rows(response.content.decode()))

    assert found() == {str(changed.pk), str(exported.pk), str(by_cli.pk)}
    assert found(user="lingdao") == {str(exported.pk)}
    assert found(user="cli") == {str(by_cli.pk)}  # a label, not an account
    assert found(action="import") == {str(by_cli.pk)}
    assert found(object_type="documents.document") == {str(exported.pk), str(by_cli.pk)}
    assert found(date_from=str(TODAY - dt.timedelta(days=15)), date_to=str(TODAY - dt.timedelta(days=5))) == {
        str(exported.pk)
    }
    assert found(text="marker-gamma") == {str(by_cli.pk)}


def test_a_bad_date_range_is_explained_next_to_the_field(
    login: Callable[[str], Client], demo: DemoSummary
) -> None:
    response = login("duchashi").get(
        "/audit/", {"date_from": str(TODAY), "date_to": str(TODAY - dt.timedelta(1))}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'class="field has-error"' in page and "<tbody>" not in page
    assert login("duchashi").get("/audit.csv", {"date_from": "not a date"}).status_code == 400


def test_the_table_is_paginated_and_keeps_the_filters(
    login: Callable[[str], Client], demo: DemoSummary
) -> None:
    task = lead_assignment("energy").task
    made = [
        record(action="update", obj=task, at=_at(TODAY) + dt.timedelta(minutes=i), note=f"bulk-{i}")
        for i in range(55)
    ]
    client = login("admin")
    first = client.get("/audit/", {"text": "bulk-"}).content.decode()
    assert len(_rows(first)) == 50 and _rows(first)[0] == str(made[-1].pk)  # newest first
    assert "?text=bulk-&amp;page=2" in first
    second = client.get("/audit/", {"text": "bulk-", "page": "2"}).content.decode()
    assert _rows(second) == [str(e.pk) for e in reversed(made[:5])]


def test_the_csv_has_every_filtered_row(login: Callable[[str], Client], demo: DemoSummary) -> None:
    _entries(demo)
    client = login("duchashi")
    page = client.get("/audit/", {"object_type": "tasks.task", "text": "marker"}).content.decode()
    assert "/audit.csv?object_type=tasks.task&amp;text=marker" in page
    response = client.get("/audit.csv", {"object_type": "tasks.task", "text": "marker"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert isinstance(response, StreamingHttpResponse)
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [r["note"] for r in rows] == ["marker-alpha"]
    assert rows[0]["user"] == "duchashi" and rows[0]["action"] == "update"
    assert json.loads(rows[0]["changes"]) == {"deadline": ["2026-12-31", "2027-03-31"], "weight": [1, 2]}
    everything = client.get("/audit.csv")
    assert len(list(csv.reader(io.StringIO(b"".join(everything.streaming_content).decode("utf-8-sig"))))) == (
        AuditEntry.objects.count() + 1
    )


def test_liaisons_unit_heads_and_leaders_may_not_search(login: Callable[[str], Client]) -> None:
    for username in ("nongmu", "nongmu-head", "lingdao"):
        client = login(username)
        assert client.get("/audit/").status_code == 403, username
        assert client.get("/audit.csv").status_code == 403, username
    assert login("admin").get("/audit/").status_code == 200
    assert Client().get("/audit/").status_code == 302  # to the login page


def test_it_says_the_actor_objects_and_recorded_codes_in_the_page_language(
    login: Callable[[str], Client], demo: DemoSummary
) -> None:
    """The command line, an assignment's role, a user's role (recorded on the user, a profile's field) and a
    digest: in words of the page's language, never the stored codes."""
    assignment = lead_assignment("energy")
    user = get_user_model().objects.get(username="nengyuan")
    record(action="create", obj=assignment, note="marker-words")  # no actor: the command line
    record(action="update", obj=user, changes={"role": ["unit_head", "liaison"]}, note="marker-words")
    record(
        action="create", obj=demo.document, changes={"content_hash": [None, "ab" * 32]}, note="marker-words"
    )
    client = login("duchashi")
    zh = client.get("/audit/", {"text": "marker-words"}).content.decode()
    assert "<td>命令行" in zh and "<td>cli" not in zh
    assert f"{assignment.unit.name}（牵头单位）" in zh and "(lead)" not in zh
    assert "<del>单位负责人</del> → <ins>联络员</ins>" in zh
    assert f'<code lang="zxx" title="{"ab" * 32}">{"ab" * 6}</code>' in zh and f">{'ab' * 32}<" not in zh
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    en = client.get("/audit/", {"text": "marker-words"}).content.decode()
    assert "<td>command line" in en and "命令行" not in en
    assert f"{assignment.unit.name} (lead unit)" in en and "牵头单位" not in en
    assert "<del>unit head</del> → <ins>unit liaison</ins>" in en
