"""The review pages: the flow through the forms, scope (another unit gets 404), one language per page."""

from __future__ import annotations

import html
import io
import re

import pytest
from django.conf import settings
from django.test import Client
from docx import Document as Docx
from openpyxl import load_workbook

from luoshi.review.models import FindingStatus, Status, Submission
from luoshi.review.tests.passages import FAITHFUL, faithful_with
from luoshi.review.tests.world import ReviewWorld, build, submit
from luoshi.testing.world import PASSWORD

pytestmark = pytest.mark.django_db
WEAK = faithful_with("必须严格落实", "鼓励落实")
CJK = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture
def world() -> ReviewWorld:
    return build()


def client_for(user: object, language: str = "zh-hans") -> Client:
    client = Client()
    client.login(username=user.get_username(), password=PASSWORD)  # type: ignore[attr-defined]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def test_a_unit_submits_through_the_form_and_sees_the_findings(world: ReviewWorld) -> None:
    unit = client_for(world.liaison)
    assert unit.get("/review/new/").status_code == 200
    upload = io.BytesIO(WEAK.encode())
    upload.name = "方案.txt"
    response = unit.post(
        "/review/new/",
        {
            "review_kind": "pre_review",
            "unit": world.unit.pk,
            "title": "某市城乡供水一体化实施方案",
            "doc_kind": "plan",
            "issuing_body": "某市人民政府",
            "governing": [world.decision.pk],
            "explanation": "起草说明。",
            "file": upload,
        },
    )
    assert response.status_code == 302
    s = Submission.objects.get()
    page = unit.get(response["Location"]).content.decode()
    assert "要求弱化" in page and "约束力减弱" in page and s.number in page
    assert "鼓励落实农村供水工程管护责任" in page
    assert 'id="assign"' not in page and 'class="decide"' not in page  # a unit neither assigns nor decides


def test_a_bad_upload_is_explained_next_to_the_form(world: ReviewWorld) -> None:
    upload = io.BytesIO(b"\x00\x01\x02" * 50)
    upload.name = "x.txt"
    response = client_for(world.liaison).post(
        "/review/new/",
        {
            "review_kind": "pre_review",
            "unit": world.unit.pk,
            "title": "t",
            "doc_kind": "plan",
            "issuing_body": "b",
            "file": upload,
        },
    )
    assert response.status_code == 400 and not Submission.objects.exists()
    assert "field-error" in response.content.decode() or "errorlist" in response.content.decode()


def test_another_unit_gets_404_and_an_outsider_403(world: ReviewWorld) -> None:
    s = submit(world, FAITHFUL)
    other = client_for(world.other_liaison)
    for url in (
        f"/review/{s.pk}/",
        f"/review/{s.pk}/opinion.docx",
        f"/review/{s.pk}/versions/{s.latest.pk}/original",  # type: ignore[union-attr]
    ):
        assert other.get(url).status_code == 404, url
    assert other.post(f"/review/{s.pk}/assign", {"reviewer": world.reviewer.pk}).status_code == 404
    assert str(s.number) not in other.get("/review/").content.decode()


def test_reviewer_decides_returns_and_concludes_through_the_page(world: ReviewWorld) -> None:
    s = submit(world, WEAK)
    head = client_for(world.head)
    assert head.post(f"/review/{s.pk}/assign", {"reviewer": world.reviewer.pk}).status_code == 302
    reviewer = client_for(world.reviewer)
    (finding,) = s.latest.findings.all()  # type: ignore[union-attr]
    refused = reviewer.post(f"/review/{s.pk}/findings/{finding.pk}/decide", {"decision": "dismiss"})
    assert refused.status_code == 400 and "不采纳须说明理由" in refused.content.decode()
    ok = reviewer.post(
        f"/review/{s.pk}/findings/{finding.pk}/decide", {"decision": "accept", "opinion": "恢复“必须”。"}
    )
    assert ok.status_code == 302
    finding.refresh_from_db()
    assert finding.status == FindingStatus.ACCEPTED
    missing = reviewer.post(
        f"/review/{s.pk}/findings/add", {"cls": "other", "passage": "不在文中的话", "basis": "x"}
    )
    assert missing.status_code == 400
    assert reviewer.post(f"/review/{s.pk}/return", {"comment": "请修改。"}).status_code == 302
    upload = io.BytesIO(FAITHFUL.encode())
    upload.name = "v2.txt"
    assert (
        client_for(world.liaison).post(f"/review/{s.pk}/revise", {"file": upload, "note": "已改"}).status_code
        == 302
    )
    page = reviewer.get(f"/review/{s.pk}/").content.decode()
    assert 'id="comparison"' in page and 'class="resolved"' in page and 'class="unresolved"' not in page
    assert (
        reviewer.post(
            f"/review/{s.pk}/conclude", {"conclusion": "pass_with_changes", "reason": "已按意见修改。"}
        ).status_code
        == 302
    )
    s.refresh_from_db()
    assert s.status == Status.CONCLUDED
    docx = client_for(world.liaison).get(f"/review/{s.pk}/opinion.docx")
    assert docx.status_code == 200
    text = "\n".join(p.text for p in Docx(io.BytesIO(docx.content)).paragraphs)
    cells = "\n".join(
        c.text for t in Docx(io.BytesIO(docx.content)).tables for row in t.rows for c in row.cells
    )
    assert "审核意见书" in text and "修改后通过" in text and "某市水利局" in text
    assert "恢复“必须”。" in cells and "要求弱化" in cells and "已修改" in cells


def test_the_register_lists_filings_with_their_deadlines_and_downloads(world: ReviewWorld) -> None:
    import datetime as dt

    s = submit(
        world,
        FAITHFUL,
        review_kind="filing",
        doc_number="某政发〔2024〕8号",
        published_on=dt.date(2024, 7, 15),
        effective_on=dt.date(2024, 8, 15),
    )
    submit(world, FAITHFUL + "\n附：说明。")  # a pre-review: not in the register
    page = client_for(world.head).get("/review/register/?period=2024-Q3").content.decode()
    assert s.number in page and "2024-08-14" in page and page.count("/review/") >= 1
    workbook = client_for(world.head).get("/review/register.xlsx?period=2024-Q3")
    assert workbook.status_code == 200
    rows = list(load_workbook(io.BytesIO(workbook.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("序号", "登记编号", "文件名称") and len(rows) == 2
    assert rows[1][1] == s.number and "逾期" in str(rows[1][11])  # filed 2024-09-02, due 2024-08-14
    assert client_for(world.head).get("/review/register/?period=2024-Q9").status_code == 200


def test_english_review_pages_have_no_chinese_labels(world: ReviewWorld) -> None:
    s = submit(world, WEAK)
    head, office = client_for(world.head, "en"), client_for(world.supervisor, "en")
    for client, url in (
        (head, "/review/"),
        (head, "/review/register/"),
        (head, f"/review/{s.pk}/"),
        (office, "/review/new/"),
        (office, f"/review/rules/{world.decision.pk}/"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        for tag, attrs, inner in re.findall(r"<(h1|h2|th|label|button)\b([^>]*)>(.*?)</\1>", page, re.S):
            if 'lang="zh' in attrs:
                continue  # the language switch says its language in itself
            text = html.unescape(
                re.sub(r"<[^>]+>", " ", re.sub(r'<span class="data" lang="zh">.*?</span>', "", inner))
            )
            assert not CJK.search(text), (url, tag, text)
