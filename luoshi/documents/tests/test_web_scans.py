"""A scan ingested and shown: the OCR layer stored, low-confidence passages as findings with the scanned
line beside them, the crop cut from the original, findings for text read by OCR computed on spans."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image

from luoshi.accounts.models import Role
from luoshi.documents import services
from luoshi.documents.models import Document
from luoshi.documents.services import document_json, ingest_document
from luoshi.documents.textproc.normalize import normalize
from luoshi.documents.textproc.recognition import RecognisedLine, low_confidence_findings
from luoshi.people.services import create_user
from luoshi.testing.paths import document_text
from luoshi.testing.scans import Variant, cjk_font_path, scanned_pdf, typeset

needs_font = pytest.mark.skipif(cjk_font_path() is None, reason="no Chinese font to typeset the scans")


def scan_paragraphs() -> list[str]:
    lines = [line.strip() for line in document_text("notice_stripped.txt").splitlines() if line.strip()]
    return lines[:9]  # title, 文号, salutation, intro, 一、 (一) (二), 二、


@pytest.fixture
def office(client: Client, db: None, settings: Any) -> Client:
    """The supervision office, logged in, reading the pages in English."""
    settings.LANGUAGE_CODE = "en"
    client.force_login(create_user(username="office", password="pw-office-123", role=Role.SUPERVISOR))
    return client


@pytest.fixture
def scanned(db: None, monkeypatch: pytest.MonkeyPatch) -> Document:
    """A scanned PDF ingested with every line counted as uncertain (so the finding and its crops appear)."""
    monkeypatch.setattr(services, "LOW_CONFIDENCE", 1.01)
    image = typeset(scan_paragraphs(), Variant("test", 150, 1, False))[0]
    return ingest_document(data=scanned_pdf([image], 150), filename="扫描件.pdf").document


def test_recognised_lines_below_the_threshold_become_one_finding_per_run() -> None:
    source = "第一行识别清楚。\n第二行有点模糊\n第三行也模糊。\n第四行清楚。\n"
    norm = normalize(source)
    lines = [
        RecognisedLine(0, 8, 0.99, 0),
        RecognisedLine(9, 16, 0.61, 0),
        RecognisedLine(17, 24, 0.7, 1),
        RecognisedLine(25, 31, 0.98, 1),
    ]
    findings = low_confidence_findings(norm, lines, threshold=0.85)
    assert len(findings) == 1
    finding = findings[0]
    assert finding.kind == "low_confidence"
    assert norm.text[finding.start : finding.end] == "第二行有点模糊\n第三行也模糊。"
    assert "第 1 页、第 2 页" in finding.message_zh and "0.61" in finding.message_zh
    assert "pages 1, 2" not in finding.message_en and "page 1, page 2" in finding.message_en


@needs_font
def test_an_ingested_scan_keeps_its_ocr_layer_and_says_what_it_is(scanned: Document) -> None:
    assert (scanned.format, scanned.encoding) == ("pdf", "pdf-ocr")
    assert scanned.ocr["pages"][0]["recognised"] is True and scanned.ocr["lines"]
    assert [s.number for s in scanned.sections.filter(parent=None)] == ["一", "二"]
    payload = document_json(scanned)
    assert payload["ocr"]["lines"][0]["confidence"] > 0
    kinds = set(scanned.findings.values_list("kind", flat=True))
    assert "low_confidence" in kinds


@needs_font
def test_the_document_page_shows_the_scanned_lines_beside_the_uncertain_passage(
    office: Client, scanned: Document
) -> None:
    page = office.get(reverse("documents:detail", args=[scanned.pk])).content.decode()
    assert "scanned PDF (text recognised by OCR)" in page
    assert "Uncertain OCR reading" in page
    crop_url = reverse("documents:scan_line", args=[scanned.pk, 0])
    assert f'src="{crop_url}"' in page
    response = office.get(crop_url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    crop = Image.open(io.BytesIO(response.content))
    line = scanned.ocr["lines"][0]
    width_pt = line["box"][2] - line["box"][0]
    assert crop.width >= width_pt * 2 and crop.height < crop.width  # 144 dpi: a line, not the page
    assert office.get(reverse("documents:scan_line", args=[scanned.pk, 999])).status_code == 404


def test_a_text_document_has_no_scanned_lines(office: Client) -> None:
    doc = ingest_document(data="一、总体要求\n到2030年完成。\n".encode(), filename="a.txt").document
    assert doc.ocr == {}
    assert office.get(reverse("documents:scan_line", args=[doc.pk, 0])).status_code == 404
