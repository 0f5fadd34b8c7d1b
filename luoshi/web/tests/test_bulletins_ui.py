"""The bulletins page: preview, downloads, issuing, the issued list, the ledger, and who may do what."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import docx
import openpyxl
import pytest
from django.test import Client

from luoshi.bulletins.models import Bulletin
from luoshi.bulletins.services import BulletinError
from luoshi.core.demo import DEMO_PASSWORD

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_the_office_previews_the_bulletin_for_a_period(login: Callable[[str], Client]) -> None:
    page = login("duchashi").get("/bulletins/?period=2026-Q3").content.decode()
    assert 'id="bulletin-preview"' in page and "srcdoc=" in page
    assert "2026年第三季度重点任务落实情况的通报" in page
    assert "印发" in page and "csrfmiddlewaretoken" in page


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


def test_without_weasyprint_the_pdf_link_explains_why(login: Callable[[str], Client],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, fmt: str, **kwargs: Any) -> bytes:
        raise BulletinError("no_weasyprint", "无法生成 PDF：WeasyPrint 不可用。", "Cannot write PDF: WeasyPrint is unavailable.")

    monkeypatch.setattr("luoshi.web.pages.bulletins.render", refuse)
    response = login("duchashi").get("/bulletins/download?period=2026-Q3&format=pdf")
    assert response.status_code == 409
    assert "无法生成 PDF：WeasyPrint 不可用。 / Cannot write PDF: WeasyPrint is unavailable." in response.content.decode()


def test_a_bad_period_is_explained(login: Callable[[str], Client]) -> None:
    response = login("duchashi").get("/bulletins/?period=2026-Q5")
    assert response.status_code == 400 and "通报期次格式不正确" in response.content.decode()


def test_issuing_creates_a_numbered_bulletin_listed_with_its_downloads(login: Callable[[str], Client]) -> None:
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
    assert second is not None and (second.number, second.version, second.supersedes_id) == ("2026年第2期", 2, first.pk)


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
    assert client.post("/bulletins/issue", {"period": "2026-Q3"}).status_code == 403
    assert client.get("/bulletins/ledger.xlsx").status_code == 403
    assert not Bulletin.objects.exists()


def test_the_ledger_downloads_as_a_workbook(login: Callable[[str], Client], demo: Any) -> None:
    response = login("duchashi").get(f"/bulletins/ledger.xlsx?document={demo.document.pk}&as_of=2026-11-26")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book["台账"]
    assert sheet.max_row == 7  # header and one row per demo assignment
