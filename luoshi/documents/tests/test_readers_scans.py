"""Scans and photos read by OCR (image_reader, pdf_reader + pdf_scans, ocr): text, structure, the OCR layer,
and clear refusals of bad files.  The scans are typeset here from a test document (luoshi.testing.scans)."""

from __future__ import annotations

import io
import socket
import struct
import zlib
from collections.abc import Iterator
from typing import Any

import pypdfium2 as pdfium
import pytest
from PIL import Image

from luoshi.documents import ocr
from luoshi.documents.readers import IngestError, ReadResult, read_document
from luoshi.documents.textproc.pipeline import analyse
from luoshi.testing.fixtures import make_pdf
from luoshi.testing.paths import document_text
from luoshi.testing.scans import Variant, cjk_font_path, photo_jpeg, scanned_pdf, tiff, typeset

pytestmark = pytest.mark.skipif(cjk_font_path() is None, reason="no Chinese font to typeset the scans")
LIMIT = 50 * 1024 * 1024
PAGE = Variant("test", 200, 1, False)


# The notice's paragraphs that fit one page at 16 pt: title, 文号, three parts, four items, signature.
ON_ONE_PAGE = (0, 1, 2, 3, 4, 5, 6, 8, 9, 12, 14, 16, 17)


def paragraphs() -> list[str]:
    lines = [line.strip() for line in document_text("notice_stripped.txt").splitlines() if line.strip()]
    return [lines[i] for i in ON_ONE_PAGE]


def tree(result: Any) -> list[tuple[str, str, str]]:
    out = []

    def walk(sections: Any) -> None:
        for s in sections:
            out.append((s.kind, s.number, s.heading))
            walk(s.children)

    walk(result.structure.sections)
    return out


@pytest.fixture(scope="module")
def page_image() -> Image.Image:
    images = typeset(paragraphs(), PAGE)
    assert len(images) == 1
    return images[0]


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Any attempt to open a connection fails the test (the models must be in the package)."""

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    yield


@pytest.fixture(scope="module")
def png_read(page_image: Image.Image) -> ReadResult:
    buffer = io.BytesIO()
    page_image.save(buffer, "PNG")
    return read_document(buffer.getvalue(), filename="扫描件.png", max_bytes=LIMIT)


def test_the_engine_loads_its_shipped_models_with_the_network_blocked(
    no_network: None, page_image: Image.Image
) -> None:
    ocr._engine = None  # load again, under the block
    lines = ocr.recognise(page_image.crop((0, 0, page_image.width, page_image.height // 5)))
    assert any("养老服务" in text for _quad, text, _score, _chars in lines)


def test_a_scanned_png_reads_as_its_text_with_the_same_structure(png_read: ReadResult) -> None:
    assert (png_read.format, png_read.encoding) == ("png", "ocr")
    text_version = analyse("\n".join(paragraphs()) + "\n")
    scan = analyse(png_read.text)
    assert tree(scan) == tree(text_version)
    assert [s.number for s in scan.structure.sections] == ["一", "二", "三"]
    assert scan.structure.doc_number == "国办发〔2030〕12号"
    assert "现就有关事项通知如下" in scan.text and "（七）规范市场秩序。" in scan.text
    assert scan.structure.date == "2030-04-08"


def test_every_recognised_line_keeps_its_box_confidence_and_place_in_the_text(png_read: ReadResult) -> None:
    layer = png_read.ocr
    assert layer is not None and len(layer.pages) == 1 and layer.pages[0].unit == "px"
    assert layer.pages[0].width == PAGE.dpi * 210 / 25.4 // 1 or abs(layer.pages[0].width - 1654) <= 1
    assert len(layer.lines) >= 20
    for line in layer.lines:
        assert 0.0 <= line.confidence <= 1.0
        assert line.box[0] < line.box[2] and line.box[1] < line.box[3]
        assert png_read.text[line.start : line.end].replace(" ", "") == line.text.replace(" ", "")
    heading = next(line for line in layer.lines if line.text.startswith("一、完善设施网络"))
    assert heading.confidence > 0.9


def test_a_scanned_pdf_is_read_by_ocr(page_image: Image.Image) -> None:
    result = read_document(scanned_pdf([page_image], PAGE.dpi), filename="扫描件.pdf", max_bytes=LIMIT)
    assert (result.format, result.encoding) == ("pdf", "pdf-ocr")
    assert result.ocr is not None and result.ocr.pages[0].unit == "pt"
    assert abs(result.ocr.pages[0].width - 595) < 2
    assert "（一）加快社区养老服务设施建设。" in analyse(result.text).text


def test_a_mixed_pdf_reads_its_text_page_and_recognises_only_its_scanned_page(
    page_image: Image.Image,
) -> None:
    text_pdf = pdfium.PdfDocument(make_pdf([["附件：城乡社区养老服务设施建设任务分工表（共计七项任务）"]]))
    scan = pdfium.PdfDocument(scanned_pdf([page_image], PAGE.dpi))
    scan.import_pages(text_pdf)
    buffer = io.BytesIO()
    scan.save(buffer)
    result = read_document(buffer.getvalue(), filename="混合.pdf", max_bytes=LIMIT)
    assert result.encoding == "pdf-ocr" and result.ocr is not None
    assert [p.index for p in result.ocr.pages] == [0]  # only the scanned first page
    assert {line.page for line in result.ocr.lines} == {0}
    assert result.text.rstrip().endswith("附件：城乡社区养老服务设施建设任务分工表（共计七项任务）")


def test_a_photo_is_turned_upright_by_its_exif_tag(page_image: Image.Image) -> None:
    top = page_image.crop((0, 0, page_image.width, page_image.height // 3))
    result = read_document(photo_jpeg(top), filename="photo.jpg", max_bytes=LIMIT)
    assert result.format == "jpeg"
    assert "养老服务体系建设工作的通知" in result.text and "国办发〔2030〕12号" in result.text


def test_every_tiff_frame_is_a_page(page_image: Image.Image) -> None:
    top = page_image.crop((0, 0, page_image.width, page_image.height // 4))
    bottom = page_image.crop((0, page_image.height // 2, page_image.width, page_image.height * 3 // 4))
    result = read_document(tiff([top, bottom], PAGE.dpi), filename="fax.tif", max_bytes=LIMIT)
    assert result.format == "tiff" and result.ocr is not None
    assert [p.index for p in result.ocr.pages] == [0, 1]
    assert result.text.index("国办发〔2030〕12号") < result.text.index("三、强化保障措施")


# --- refusals --------------------------------------------------------------------


def refusal(data: bytes, filename: str) -> IngestError:
    with pytest.raises(IngestError) as caught:
        read_document(data, filename=filename, max_bytes=LIMIT)
    assert caught.value.message_zh and caught.value.message_en
    return caught.value


def _png_header(width: int, height: int) -> bytes:
    """A PNG that claims ``width``×``height`` pixels and holds a few bytes (a decompression bomb's shape)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def test_a_truncated_png_is_refused_as_damaged(page_image: Image.Image) -> None:
    buffer = io.BytesIO()
    page_image.save(buffer, "PNG")
    error = refusal(buffer.getvalue()[:5000], "scan.png")
    assert error.code == "corrupt" and "图片" in error.message_zh


def test_a_huge_image_is_refused_before_it_is_decoded() -> None:
    error = refusal(_png_header(40_000, 40_000), "bomb.png")
    assert error.code == "image_too_large"
    assert "40000×40000" in error.message_zh and "megapixels" in error.message_en


def test_a_pdf_holding_a_huge_picture_is_refused(
    monkeypatch: pytest.MonkeyPatch, page_image: Image.Image
) -> None:
    monkeypatch.setenv("LUOSHI_OCR_MAX_MEGAPIXELS", "1")  # the 200 dpi page has 3.9 megapixels
    error = refusal(scanned_pdf([page_image], PAGE.dpi), "scan.pdf")
    assert error.code == "image_too_large" and "PDF" in error.message_zh


def test_too_many_scanned_pages_are_refused_before_any_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LUOSHI_OCR_MAX_PAGES", "2")
    blank = Image.new("L", (400, 560), 255)
    error = refusal(scanned_pdf([blank, blank, blank], 72), "scan.pdf")
    assert error.code == "too_many_pages" and "3" in error.message_zh and "2" in error.message_en
    assert refusal(tiff([blank, blank, blank], 72), "fax.tiff").code == "too_many_pages"


def test_a_pdf_without_pages_says_so() -> None:
    data = (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
        b"trailer << /Root 1 0 R >>\n%%EOF\n"
    )
    error = refusal(data, "empty.pdf")
    assert error.code == "no_pages" and "没有任何页面" in error.message_zh


def test_an_image_without_text_says_nothing_was_recognised() -> None:
    buffer = io.BytesIO()
    Image.new("L", (600, 800), 255).save(buffer, "PNG")
    error = refusal(buffer.getvalue(), "blank.png")
    assert error.code == "empty" and "没有识别出文字" in error.message_zh
