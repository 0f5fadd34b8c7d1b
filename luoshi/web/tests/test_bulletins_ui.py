"""The bulletins page: preview, downloads, issuing, good practice, PDF availability, the issued list, the ledger,
the urging notice's link, and who may do what."""

from __future__ import annotations

import html
import io
import re
import sys
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import docx
import openpyxl
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from luoshi.bulletins.models import Bulletin, GoodPractice
from luoshi.bulletins.renderers import pdf
from luoshi.bulletins.services import BulletinError
from luoshi.reports.models import Report
from luoshi.site.demo import DEMO_PASSWORD

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_the_office_previews_the_bulletin_for_a_period(login: Callable[[str], Client]) -> None:
    client = login("duchashi")
    page = client.get("/bulletins/?period=2026-Q3").content.decode()
    assert 'id="bulletin-preview"' in page and "srcdoc=" not in page  # the frame loads the bulletin itself
    assert "印发" in page and "csrfmiddlewaretoken" in page
    src = _frame_src(page)
    assert src == "/bulletins/preview?period=2026-Q3&as_of=2026-09-30"
    preview = client.get(src)
    assert preview.status_code == 200 and preview["Content-Type"].startswith("text/html")
    assert "2026年第三季度重点任务落实情况的通报" in preview.content.decode()
    # Framed by our own page only; a user without the office's role gets no bulletin.
    policy = dict(d.strip().split(" ", 1) for d in preview["Content-Security-Policy"].split(";"))
    assert preview["X-Frame-Options"] == "SAMEORIGIN" and policy["frame-ancestors"] == "'self'"
    assert login("nengyuan").get(src).status_code == 403


def test_a_refused_choice_is_said_on_the_page_and_by_the_preview(login: Callable[[str], Client]) -> None:
    client = login("duchashi")
    page = client.get("/bulletins/?period=2026-Q9")
    assert page.status_code == 400 and 'id="bulletin-preview-frame"' not in page.content.decode()
    assert 'id="bulletin-error"' in page.content.decode()
    preview = client.get("/bulletins/preview?period=2026-Q3&level=nowhere")
    assert preview.status_code == 400 and "单位层级不正确" in preview.content.decode()


def test_the_default_period_is_the_last_full_quarter(login: Callable[[str], Client]) -> None:
    page = login("duchashi").get("/bulletins/").content.decode()
    assert 'name="period" value="2026-Q3"' in page


def test_it_downloads_a_docx_with_the_period_in_the_title(login: Callable[[str], Client]) -> None:
    response = login("lingdao").get("/bulletins/download?period=2026-Q3&format=docx")
    assert response.status_code == 200 and response["Content-Type"] == DOCX
    document = docx.Document(io.BytesIO(response.content))
    title = "".join(p.text for p in document.paragraphs[:3])
    assert "2026年第三季度" in title and "通报" in title


def test_it_downloads_html_and_xlsx(login: Callable[[str], Client]) -> None:
    client = login("duchashi")
    page = client.get("/bulletins/download?period=2026-Q3&format=html")
    assert page.status_code == 200 and "2026年第三季度" in page.content.decode()
    sheet = client.get("/bulletins/download?period=2026-Q3&format=xlsx")
    assert openpyxl.load_workbook(io.BytesIO(sheet.content)).sheetnames


def test_without_weasyprint_the_pdf_link_explains_why(
    login: Callable[[str], Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: Any, fmt: str, **kwargs: Any) -> bytes:
        raise BulletinError(
            "no_weasyprint",
            "无法生成 PDF：WeasyPrint 不可用。",
            "Cannot write PDF: WeasyPrint is unavailable.",
        )

    monkeypatch.setattr("luoshi.web.bulletins.pages.render", refuse)
    response = login("duchashi").get("/bulletins/download?period=2026-Q3&format=pdf")
    assert response.status_code == 409
    assert "PDF 版本需由系统管理员启用。" in response.content.decode()
    assert "WeasyPrint" not in response.content.decode()


def test_a_bad_period_is_explained(login: Callable[[str], Client]) -> None:
    response = login("duchashi").get("/bulletins/?period=2026-Q5")
    assert response.status_code == 400 and "通报期次格式不正确" in response.content.decode()


def test_issuing_creates_a_numbered_bulletin_listed_with_its_downloads(
    login: Callable[[str], Client],
) -> None:
    client = login("duchashi")
    response = client.post("/bulletins/issue", {"period": "2026-Q3", "document": "", "level": ""})
    assert response.status_code == 302
    first = Bulletin.objects.get()
    assert (first.number, first.version, first.period) == ("2026年第1期", 1, "2026-Q3")
    page = client.get(response["Location"]).content.decode()
    assert "已印发2026年第1期" in page and "2026年第1期" in page and "v1" in page
    assert f"/bulletins/{first.pk}.docx" in page
    issued = client.get(f"/bulletins/{first.pk}.docx")
    assert issued.status_code == 200 and issued.content == bytes(first.docx)
    client.post("/bulletins/issue", {"period": "2026-Q3"})
    second = Bulletin.objects.order_by("-pk").first()
    assert second is not None and (second.number, second.version, second.supersedes_id) == (
        "2026年第2期",
        2,
        first.pk,
    )


def test_issuing_needs_the_csrf_token(demo: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.login(username="duchashi", password=DEMO_PASSWORD)
    assert client.post("/bulletins/issue", {"period": "2026-Q3"}).status_code == 403
    assert not Bulletin.objects.exists()


def test_leaders_read_but_do_not_issue(login: Callable[[str], Client]) -> None:
    client = login("lingdao")
    page = client.get("/bulletins/?period=2026-Q3").content.decode()
    assert 'id="bulletin-preview"' in page and 'action="/bulletins/issue"' not in page
    assert client.post("/bulletins/issue", {"period": "2026-Q3"}).status_code == 403
    assert not Bulletin.objects.exists()


@pytest.mark.parametrize("username", ["nengyuan", "nongmu-head"])
def test_units_may_not_use_the_bulletins_pages(login: Callable[[str], Client], username: str) -> None:
    client = login(username)
    assert client.get("/bulletins/").status_code == 403
    assert client.get("/bulletins/download?period=2026-Q3&format=docx").status_code == 403
    assert client.get("/bulletins/preview?period=2026-Q3").status_code == 403
    assert client.post("/bulletins/issue", {"period": "2026-Q3"}).status_code == 403
    assert client.get("/bulletins/ledger.xlsx").status_code == 403
    assert (
        client.post(f"/bulletins/good-practice/{_q3_report().pk}", {"period": "2026-Q3"}).status_code == 403
    )
    assert not Bulletin.objects.exists()


def test_the_ledger_downloads_as_a_workbook(login: Callable[[str], Client], demo: Any) -> None:
    response = login("duchashi").get(f"/bulletins/ledger.xlsx?document={demo.document.pk}&as_of=2026-11-26")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book["台账"]
    assert sheet.max_row == 7  # header and one row per demo assignment


# ---------------------------------------------------------------- good practice (典型经验)


def _q3_report(unit_code: str = "energy") -> Report:
    report = (
        Report.objects.filter(obligation__period="2026-Q3", obligation__assignment__unit__code=unit_code)
        .select_related("obligation__assignment__task")
        .order_by("pk")
        .first()
    )
    return report or pytest.fail(f"no 2026-Q3 report of {unit_code}")


def _docx_text(content: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs)


def test_the_office_lists_the_periods_reports_to_quote(login: Callable[[str], Client]) -> None:
    page = login("duchashi").get("/bulletins/?period=2026-Q3").content.decode()
    section = page[page.index('id="good-practice"') : page.index('id="issued"')]
    rows = re.findall(r'id="gp-report-(\d+)"', section)
    # 农牧厅's Q3 report awaits its unit head (the demo's approval step): not quotable yet.
    expected = Report.objects.filter(obligation__period="2026-Q3").exclude(approval=Report.Approval.PENDING)
    assert sorted(map(int, rows)) == sorted(expected.values_list("pk", flat=True)) and len(rows) == 2
    assert "内蒙古自治区能源局" in section and "按计划组织实施，完成阶段性工作。" in section
    assert 'name="include"' in section and 'hx-trigger="change"' in section and "checked" not in section


def test_ticking_a_report_quotes_it_in_the_next_preview_and_issue(login: Callable[[str], Client]) -> None:
    """The plain form (no JavaScript): tick and save, back on the page; the bulletin now quotes it."""
    client = login("duchashi")
    report = _q3_report()
    response = client.post(
        f"/bulletins/good-practice/{report.pk}",
        {"period": "2026-Q3", "include": "1", "use": "text", "excerpt": report.narrative},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/bulletins/?period=2026-Q3&as_of=2026-09-30#gp-report-{report.pk}"
    assert list(GoodPractice.objects.values_list("report_id", "excerpt")) == [(report.pk, report.narrative)]
    page = client.get(response["Location"]).content.decode()
    assert f"已选录：“{report.narrative[:30]}”" in page
    row = page[page.index(f'id="gp-report-{report.pk}"') :]
    assert row.index("checked") < row.index("</article>")

    heading = f"（一）内蒙古自治区能源局：{report.obligation.assignment.task.title}"
    text = _docx_text(client.get("/bulletins/download?period=2026-Q3&format=docx").content)
    part = text[text.index("五、典型经验做法") : text.index("六、")]
    assert "本期选录典型经验做法1项" in part and heading in part and report.narrative in part
    html = client.get("/bulletins/download?period=2026-Q3&format=html").content.decode()
    assert f"<h3>{heading}</h3>" in html and report.narrative in html
    client.post("/bulletins/issue", {"period": "2026-Q3"})
    assert heading in _docx_text(bytes(Bulletin.objects.get().docx))


def test_htmx_toggles_a_report_and_redraws_its_row_and_the_preview(login: Callable[[str], Client]) -> None:
    client = login("duchashi")
    report = _q3_report()
    url = f"/bulletins/good-practice/{report.pk}"
    ticked = client.post(
        url, {"period": "2026-Q3", "include": "1", "excerpt": report.narrative}, HTTP_HX_REQUEST="true"
    )
    assert ticked.status_code == 200
    body = ticked.content.decode()
    assert body.lstrip().startswith(
        f'<article class="card good-practice selected" id="gp-report-{report.pk}"'
    )
    assert 'id="bulletin-preview-frame"' in body and 'hx-swap-oob="true"' in body
    assert (
        "本期选录典型经验做法1项" in client.get(_frame_src(body)).content.decode()
    )  # the frame reloads the redrawn preview
    assert GoodPractice.objects.filter(report=report).count() == 1

    unticked = client.post(url, {"period": "2026-Q3", "excerpt": report.narrative}, HTTP_HX_REQUEST="true")
    assert unticked.status_code == 200 and "checked" not in unticked.content.decode()
    assert "本期暂无选录的典型经验做法" in client.get(_frame_src(unticked.content.decode())).content.decode()
    assert not GoodPractice.objects.exists()


def test_an_excerpt_is_trimmed_to_sentences_or_edited_within_the_reports_words(
    login: Callable[[str], Client],
) -> None:
    client = login("duchashi")
    report = _q3_report()
    Report.objects.filter(pk=report.pk).update(
        narrative="建立周调度机制。新开工风电项目3个，完成投资12亿元。组建专班上门服务企业。下一步加快并网。"
    )
    url = f"/bulletins/good-practice/{report.pk}"
    page = client.get("/bulletins/?period=2026-Q3").content.decode()
    assert "<li>新开工风电项目3个，完成投资12亿元。</li>" in page and '<option value="4" selected>' in page

    client.post(url, {"period": "2026-Q3", "include": "1", "use": "sentences", "first": "2", "last": "3"})
    assert list(GoodPractice.objects.values_list("excerpt", flat=True)) == [
        "新开工风电项目3个，完成投资12亿元。组建专班上门服务企业。"
    ]

    client.post(url, {"period": "2026-Q3", "include": "1", "use": "text", "excerpt": "  完成投资12亿元\n"})
    assert list(GoodPractice.objects.values_list("excerpt", flat=True)) == ["完成投资12亿元"]  # replaced

    refused = client.post(
        url,
        {"period": "2026-Q3", "include": "1", "use": "text", "excerpt": "超额完成全年任务"},
        HTTP_HX_REQUEST="true",
    )
    assert refused.status_code == 200
    assert "选录内容须摘自该报告原文。" in refused.content.decode()
    assert "The excerpt must be quoted" not in refused.content.decode()  # one language
    bad_range = client.post(
        url, {"period": "2026-Q3", "include": "1", "use": "sentences", "first": "3", "last": "9"}, follow=True
    )
    assert "请选择报告中的句子范围（第1至第4句）。" in bad_range.content.decode()
    assert list(GoodPractice.objects.values_list("excerpt", flat=True)) == ["完成投资12亿元"]  # unchanged
    text = _docx_text(client.get("/bulletins/download?period=2026-Q3&format=docx").content)
    assert "\n完成投资12亿元\n" in text


def test_only_the_office_selects_good_practice(login: Callable[[str], Client]) -> None:
    report = _q3_report()
    leader = login("lingdao")
    assert 'id="good-practice"' not in leader.get("/bulletins/?period=2026-Q3").content.decode()
    assert (
        leader.post(
            f"/bulletins/good-practice/{report.pk}", {"period": "2026-Q3", "include": "1"}
        ).status_code
        == 403
    )
    for username in ("nengyuan", "nongmu-head"):  # the report's own unit included
        assert (
            login(username)
            .post(f"/bulletins/good-practice/{report.pk}", {"period": "2026-Q3", "include": "1"})
            .status_code
            == 403
        )
    assert login("duchashi").post("/bulletins/good-practice/999999", {"period": "2026-Q3"}).status_code == 404
    assert login("duchashi").get(f"/bulletins/good-practice/{report.pk}").status_code == 405
    assert not GoodPractice.objects.exists()


def test_good_practice_needs_the_csrf_token(demo: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.login(username="duchashi", password=DEMO_PASSWORD)
    report = _q3_report()
    assert (
        client.post(
            f"/bulletins/good-practice/{report.pk}", {"period": "2026-Q3", "include": "1"}
        ).status_code
        == 403
    )
    assert not GoodPractice.objects.exists()


# ------------------------------------------------------------------------------------------- PDF


def _pdf_support(monkeypatch: pytest.MonkeyPatch, *, weasyprint: bool, fonts: list[str] | None) -> None:
    """WeasyPrint importable (a stand-in that writes a fixed PDF) or not, and the CJK fonts fontconfig lists."""

    class HTML:
        def __init__(self, *, string: str) -> None:
            self.string = string

        def write_pdf(self) -> bytes:
            return b"%PDF-1.7 fake"

    monkeypatch.setitem(sys.modules, "weasyprint", SimpleNamespace(HTML=HTML) if weasyprint else None)
    monkeypatch.setattr(pdf, "cjk_fonts", lambda: fonts)


def test_without_weasyprint_the_page_shows_pdf_disabled_for_the_administrator_to_enable(
    login: Callable[[str], Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    _pdf_support(monkeypatch, weasyprint=False, fonts=["Noto Serif CJK SC"])
    client = login("duchashi")
    client.post("/bulletins/issue", {"period": "2026-Q3"})
    page = html.unescape(client.get("/bulletins/?period=2026-Q3").content.decode())
    assert "format=pdf" not in page and ".pdf" not in page  # neither the preview's nor the issued bulletin's
    assert page.count('<span class="muted format-disabled" aria-disabled="true"') == 2
    assert "PDF 版本需由系统管理员启用。" in page
    assert (
        "pip" not in page and "libpango" not in page and "WeasyPrint" not in page
    )  # commands are the operator's
    english = html.unescape(_english(client).get("/bulletins/?period=2026-Q3").content.decode())
    assert (
        "The PDF version has to be enabled by the system administrator." in english
        and "系统管理员" not in english
    )
    assert "format=docx" in page  # the other formats stay


def test_without_a_chinese_font_the_page_says_the_administrator_can_enable_pdf(
    login: Callable[[str], Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    _pdf_support(monkeypatch, weasyprint=True, fonts=[])
    client = login("duchashi")
    page = html.unescape(client.get("/bulletins/?period=2026-Q3").content.decode())
    assert "format=pdf" not in page and 'id="pdf-missing"' in page
    assert (
        "PDF 版本需由系统管理员启用。" in page and "fonts-noto-cjk" not in page and "No CJK font" not in page
    )
    refused = client.get(
        "/bulletins/download?period=2026-Q3&format=pdf"
    )  # a stale link still explains itself
    assert refused.status_code == 409 and "PDF 版本需由系统管理员启用。" in refused.content.decode()
    assert "apt-get" not in refused.content.decode()


def test_with_weasyprint_and_a_chinese_font_the_pdf_is_offered(
    login: Callable[[str], Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    _pdf_support(monkeypatch, weasyprint=True, fonts=["Noto Serif CJK SC"])
    client = login("duchashi")
    page = client.get("/bulletins/?period=2026-Q3").content.decode()
    assert "format=pdf" in page and "format-disabled" not in page and 'id="pdf-missing"' not in page
    response = client.get("/bulletins/download?period=2026-Q3&format=pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content == b"%PDF-1.7 fake"


# ---------------------------------------------------------------------------- the dashboard's numbers


def test_the_bulletins_numbers_are_the_dashboards_for_the_same_period(login: Callable[[str], Client]) -> None:
    """As of the period's last day (the bulletin's default date), task and unit figures read the same."""
    client = login("lingdao")
    board = client.get("/dashboard/?as_of=2026-09-30").content.decode()
    counts = {k: int(v) for k, v in re.findall(r'data-count="(\w+)">(\d+)<', board)}
    document = docx.Document(io.BytesIO(client.get("/bulletins/download?period=2026-Q3&format=docx").content))
    summary = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert int(summary["重点任务"]) == counts["total"]
    assert int(summary["按计划推进"]) == counts["green"]
    assert int(summary["滞后"]) == counts["amber"] + counts["red"]

    units = re.search(r'<table class="dashboard-table" id="table-units">(.*?)</table>', board, re.S)
    assert units is not None
    shown = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", units.group(1), re.S)[1:]:
        cells = [html.unescape(c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        shown[cells[0]] = (
            cells[1],
            cells[2],
            str(int(cells[3]) + int(cells[4])),
        )  # rated, green, amber + red
    ranking = {
        r.cells[1].text: (r.cells[2].text, r.cells[3].text, r.cells[4].text)
        for r in document.tables[1].rows[1:]
    }
    assert ranking == shown and len(ranking) == 3


# -------------------------------------------------------------------- urging notices (催办单)


def test_the_urging_notice_a_unit_receives_opens_the_urging_and_names_its_docx(
    login: Callable[[str], Client],
) -> None:
    from luoshi.notifications.models import Notice
    from luoshi.supervision.models import Urging
    from luoshi.supervision.scan import sweep

    sweep(now=timezone.now())
    urging = Urging.objects.filter(assignment__unit__code="ethnic-affairs").order_by("pk").first()
    assert urging is not None
    notice = Notice.objects.filter(
        recipient__username="minwei", kind="urging", dedupe_key__startswith=f"{urging.key}|"
    ).get()
    path = reverse("web:urging_docx", args=[urging.pk])
    assert path == f"/urgings/{urging.pk}.docx"
    assert notice.link == f"{settings.BASE_URL}{reverse('web:urging', args=[urging.pk])}"
    assert f"催办单 / Urging notice：{settings.BASE_URL}{path}" in notice.body
    assert f"/tasks/{urging.assignment.task_id}/#assignment-{urging.assignment_id}" in notice.body
    inbox = login("minwei").get("/inbox/").content.decode()
    assert f'href="{notice.link}"' in inbox
    page = login("minwei").get(notice.link.removeprefix(settings.BASE_URL)).content.decode()
    assert f'href="{path}"' in page, "the urging page offers its 催办单"
    download = login("minwei").get(path)
    assert download.status_code == 200 and download["Content-Type"] == DOCX
    assert f"督催〔2026〕{urging.pk}号" in _docx_text(download.content)


def _with_preview(client: Client, url: str) -> str:
    """The page at the URL, followed by the bulletin its preview frame loads."""
    page = client.get(url).content.decode()
    return page + client.get(_frame_src(page)).content.decode()


def _frame_src(page: str) -> str:
    found = re.search(r'id="bulletin-preview-frame"[^>]* src="([^"]+)"', page)
    assert found, "no preview frame"
    return html.unescape(found.group(1))


def _english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_as_of_date_defaults_to_the_periods_end_and_warns_before_it(
    login: Callable[[str], Client],
) -> None:
    client = login("duchashi")
    page = _with_preview(client, "/bulletins/?period=2026-Q3")
    assert 'name="as_of" value="2026-09-30"' in page and 'id="as-of-warning"' not in page
    assert "截至2026年9月30日" in html.unescape(page)
    early = _with_preview(client, "/bulletins/?period=2026-Q3&as_of=2026-09-01")
    assert (
        'id="as-of-warning"' in early
        and "早于通报期末" in early
        and "截至2026年9月1日" in html.unescape(early)
    )
    running = client.get("/bulletins/?period=2026-Q4").content.decode()
    assert (
        'name="as_of" value="2026-11-26"' in running and "尚未结束" in running
    )  # today, while the period runs
    bad = client.get("/bulletins/?period=2026-Q3&as_of=2026-13-01")
    assert bad.status_code == 400 and "截至日期格式应为 YYYY-MM-DD。" in bad.content.decode()
    later = client.get("/bulletins/?period=2026-Q3&as_of=2027-01-01")
    assert later.status_code == 400 and "截至日期不能晚于今天。" in later.content.decode()


def test_issuing_keeps_the_as_of_date_chosen(login: Callable[[str], Client]) -> None:
    client = login("duchashi")
    response = client.post("/bulletins/issue", {"period": "2026-Q3", "as_of": "2026-10-15"})
    assert response.status_code == 302
    assert Bulletin.objects.get().as_of.isoformat() == "2026-10-15"
