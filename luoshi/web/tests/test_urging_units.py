"""A unit's urging notice (催办单) from the office page: all its overdue work in one DOCX, numbered and audited
when the office issues it (a POST); every GET download only reads."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable

import docx
import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from luoshi.audit.models import AuditEntry
from luoshi.reports.models import Obligation
from luoshi.tasks.models import Assignment
from luoshi.testing.demo import TODAY
from luoshi.units.models import Unit

ETHNIC = "内蒙古自治区民族事务委员会"


def _unit(code: str) -> Unit:
    return Unit.objects.get(catalog="inner-mongolia", code=code)


def _url(code: str) -> str:
    return f"/units/{_unit(code).pk}/urging.docx"


def _issue_url(code: str) -> str:
    return f"/units/{_unit(code).pk}/urging/issue/"


def _issue(client: Client, code: str) -> bytes:
    """The office issues the notice, then follows the redirect to its (read-only) download."""
    response = client.post(_issue_url(code))
    assert response.status_code == 302 and response["Location"] == _url(code)
    return client.get(response["Location"]).content


def _notices() -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(object_type="units.unit", action="export", note__startswith="催办单 ")
    )


def _open(content: bytes) -> tuple[list[str], list[list[str]]]:
    document = docx.Document(io.BytesIO(content))
    return [p.text for p in document.paragraphs], [
        [c.text for c in row.cells] for row in document.tables[0].rows
    ]


def test_the_office_page_lists_the_units_with_overdue_work(login: Callable[[str], Client]) -> None:
    page = login("duchashi").get("/office/").content.decode()
    table = page[page.index('id="urging-units"') : page.index('id="extensions"')]
    unit = _unit("ethnic-affairs")
    row = table[table.index(f'id="urging-unit-{unit.pk}"') :]
    row = row[: row.index("</tr>")]
    # 3 tasks × 2 quarters missing, the oldest due on 2026-06-30 (the demo's second quarter)
    assert ETHNIC in row and "<td>6</td><td>0</td>" in row and "2026-06-30" in row and "<td>149</td>" in row
    assert f'href="/units/{unit.pk}/urging.docx"' in row and f'action="/units/{unit.pk}/urging/issue/"' in row
    assert "内蒙古自治区能源局" not in table and "内蒙古自治区农牧厅" not in table


def test_the_office_downloads_the_units_notice_with_every_overdue_item(
    login: Callable[[str], Client],
) -> None:
    client = login("duchashi")
    client.post(_issue_url("ethnic-affairs"))
    response = client.get(_url("ethnic-affairs"))
    assert response.status_code == 200
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert f"urging-unit-{_unit('ethnic-affairs').pk}-2026-11-26.docx" in response["Content-Disposition"]
    paragraphs, rows = _open(response.content)
    assert f"{ETHNIC}：" in paragraphs  # the addressee
    assert f"督催汇〔{TODAY.year}〕1号" in paragraphs
    assert "回复时限：2026年11月29日前。" in paragraphs  # LUOSHI_URGING_RESPONSE_DAYS after today
    assert len(rows) == 1 + 6
    titles = {
        a.task.title for a in Assignment.objects.filter(unit__code="ethnic-affairs").select_related("task")
    }
    assert {r[1] for r in rows[1:]} == titles
    assert sorted((r[2], r[3], r[4]) for r in rows[1:]) == sorted(
        [("2026年第二季度进展报告未报送", "2026年6月30日", "149")] * 3
        + [("2026年第三季度进展报告未报送", "2026年9月30日", "57")] * 3
    )


def test_the_issue_is_recorded_with_its_number_and_assignments(login: Callable[[str], Client]) -> None:
    content = _issue(login("duchashi"), "ethnic-affairs")
    [entry] = _notices()
    assignments = sorted(Assignment.objects.filter(unit__code="ethnic-affairs").values_list("pk", flat=True))
    assert entry.actor_label == "duchashi" and entry.object_id == str(_unit("ethnic-affairs").pk)
    assert entry.changes["number"] == [None, "督催汇〔2026〕1号"]
    assert entry.changes["as_of"] == [None, "2026-11-26"] and entry.changes["response_date"] == [
        None,
        "2026-11-29",
    ]
    assert sorted(entry.changes["assignments"][1]) == assignments
    items = entry.changes["items"][1]
    assert len(items) == 6 and {i["assignment"] for i in items} == set(assignments)
    assert {(i["since"], i["days_overdue"]) for i in items} == {("2026-06-30", 149), ("2026-09-30", 57)}
    assert entry.changes["sha256"] == [None, hashlib.sha256(content).hexdigest()]
    assert (
        entry.note.startswith("催办单 督催汇〔2026〕1号：6项逾期事项")
        and "urging notice 督催汇〔2026〕1号" in entry.note
    )
    # found by the audit search, by its number
    search = login("duchashi").get("/audit/", {"text": "督催汇〔2026〕1号"}).content.decode()
    assert f'id="audit-{entry.pk}"' in search


def test_the_same_notice_keeps_its_number_and_a_new_one_gets_the_next(login: Callable[[str], Client]) -> None:
    client = login("duchashi")
    _issue(client, "ethnic-affairs")
    again, _ = _open(_issue(client, "ethnic-affairs"))
    assert "督催汇〔2026〕1号" in again
    # A missing report comes in: the unit's notice says something else, so it is a new notice.
    late = (
        Obligation.objects.filter(assignment__unit__code="ethnic-affairs", state="missing")
        .order_by("pk")
        .first()
    )
    assert late is not None
    Obligation.objects.filter(pk=late.pk).update(state="late", first_submitted_at=timezone.now())
    paragraphs, _ = _open(client.get(_url("ethnic-affairs")).content)
    assert not any("督催汇〔" in p for p in paragraphs), (
        "changed since it was issued: a GET gives an unnumbered copy"
    )
    paragraphs, rows = _open(_issue(client, "ethnic-affairs"))
    assert "督催汇〔2026〕2号" in paragraphs and len(rows) == 1 + 5
    assert [e.changes["number"][1] for e in _notices()] == ["督催汇〔2026〕1号"] * 2 + ["督催汇〔2026〕2号"]


def test_the_units_liaison_reads_its_own_notice_without_issuing_one(login: Callable[[str], Client]) -> None:
    liaison = login("minwei")
    paragraphs, rows = _open(liaison.get(_url("ethnic-affairs")).content)
    assert f"{ETHNIC}：" in paragraphs and len(rows) == 7
    assert (
        not any("督催汇" in p for p in paragraphs) and _notices() == []
    )  # not issued yet: no number, no record
    _issue(login("duchashi"), "ethnic-affairs")
    paragraphs, _ = _open(liaison.get(_url("ethnic-affairs")).content)
    assert "督催汇〔2026〕1号" in paragraphs and len(_notices()) == 1  # the office's notice, as issued


@pytest.mark.parametrize("username", ["nengyuan", "nongmu", "nongmu-head"])
def test_no_other_unit_may_download_it(login: Callable[[str], Client], username: str) -> None:
    assert login(username).get(_url("ethnic-affairs")).status_code == 404
    assert _notices() == []


def test_strangers_and_unknown_units(login: Callable[[str], Client], client: Client) -> None:
    assert client.get(_url("ethnic-affairs"))["Location"].startswith(settings.LOGIN_URL)
    assert login("duchashi").get("/units/999999/urging.docx").status_code == 404


def test_nothing_overdue_gives_a_message_not_a_file(login: Callable[[str], Client]) -> None:
    office = login("duchashi")
    response = office.get(_url("energy"))
    assert response.status_code == 302 and response["Location"] == "/office/#urging-units"
    issued = office.post(_issue_url("energy"))
    assert issued.status_code == 302 and issued["Location"] == "/office/#urging-units"
    page = office.get("/office/").content.decode()
    assert "内蒙古自治区能源局截至2026年11月26日没有逾期事项，无需催办。" in page
    assert _notices() == []
    own = login("nengyuan").get(_url("energy"), follow=True)
    assert own.redirect_chain == [("/my/", 302)] and "没有逾期事项" in own.content.decode()


def test_the_message_is_in_the_pages_language(login: Callable[[str], Client]) -> None:
    office = login("duchashi")
    office.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = office.get(_url("energy"), follow=True).content.decode()
    assert "has nothing overdue on 2026-11-26: no urging needed." in page and "没有逾期事项" not in page


def test_a_leader_reads_the_notice_but_only_the_office_issues_a_number(
    login: Callable[[str], Client],
) -> None:
    read = login("lingdao").get(_url("ethnic-affairs"))
    assert read.status_code == 200
    paragraphs, _ = _open(read.content)
    assert not any("督催汇〔" in p for p in paragraphs), "a reader's copy carries no number"
    assert _notices() == [], "nothing is recorded for a reader"
    _issue(login("duchashi"), "ethnic-affairs")
    again, _ = _open(login("lingdao").get(_url("ethnic-affairs")).content)
    assert f"督催汇〔{TODAY.year}〕1号" in again, "once issued today, readers see the office's number"
    assert len(_notices()) == 1


def test_a_get_never_issues_a_number(login: Callable[[str], Client]) -> None:
    office = login("duchashi")
    paragraphs, rows = _open(office.get(_url("ethnic-affairs")).content)
    assert len(rows) == 7 and not any("督催汇〔" in p for p in paragraphs)
    assert _notices() == [], "the office's GET download is a copy, not an issue"
    assert office.get(_issue_url("ethnic-affairs")).status_code == 405


@pytest.mark.parametrize("username", ["lingdao", "minwei"])
def test_only_the_office_may_issue(login: Callable[[str], Client], username: str) -> None:
    assert login(username).post(_issue_url("ethnic-affairs")).status_code == 404
    assert _notices() == []
