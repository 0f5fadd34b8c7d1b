"""Render a PDF's scanned pages with pypdfium2 and read them by OCR.

No Django here.  Before anything is rendered: the number of scanned pages is checked against
LUOSHI_OCR_MAX_PAGES, and every picture on those pages against LUOSHI_OCR_MAX_MEGAPIXELS (a small
PDF can hold a picture that decodes to gigabytes).  A page is rendered so that its longer side is
``ocr.MAX_SIDE`` pixels (300 dpi at most); recognised boxes are stored in PDF points.
"""

from __future__ import annotations

from collections.abc import Mapping

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from luoshi import conf
from luoshi.documents.errors import IngestError, corrupt_error
from luoshi.documents.image_reader import check_pixels, too_many_pages
from luoshi.documents.ocr import MAX_SIDE, OcrLayer, ocr_page
from luoshi.lib.package_limits import check_time, extend_time

MAX_DPI = 300


def render_scale(width_pt: float, height_pt: float) -> float:
    """Pixels per PDF point for a page: its longer side at MAX_SIDE pixels, never above MAX_DPI."""
    return min(MAX_DPI / 72, MAX_SIDE / max(width_pt, height_pt, 1.0))


def open_pdf(data: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise IngestError(
                "pdf_encrypted",
                "这个 PDF 设置了打开密码（已加密），无法读取。请上传未加密的版本，或请发文单位提供 Word 原文。",
                "This PDF is password-protected (encrypted) and cannot be read. Please upload an "
                "unencrypted copy or the original Word file.",
            ) from exc
        raise corrupt_error("PDF 文件", "PDF file") from exc


def ocr_pdf_pages(data: bytes, candidates: Mapping[int, int]) -> tuple[dict[int, str], OcrLayer]:
    """OCR the scanned pages among ``candidates`` (0-based page index → characters in its text layer):
    a page without text, or with a little text and a picture.  Return each OCR'd page's text, and one
    layer for them all (line spans relative to their own page's text)."""
    document = open_pdf(data)
    try:
        indexes = [i for i, chars in sorted(candidates.items()) if chars == 0 or has_pictures(document[i])]
        if len(indexes) > conf.get_int("LUOSHI_OCR_MAX_PAGES"):
            raise too_many_pages(len(indexes), kind_zh="PDF 文件", kind_en="PDF file")
        pages = [document[i] for i in indexes]
        for page in pages:
            _check_pictures(page)
        texts: dict[int, str] = {}
        layer = OcrLayer()
        for index, page in zip(indexes, pages, strict=True):
            check_time()
            extend_time(conf.get_int("LUOSHI_OCR_PAGE_SECONDS"))
            width, height = page.get_size()
            scale = render_scale(width, height)
            try:
                image = page.render(scale=scale, grayscale=True).to_pil()
            except pdfium.PdfiumError as exc:
                raise corrupt_error("PDF 文件", "PDF file") from exc
            text, page_layer = ocr_page(image, page=index, scale=scale, unit="pt")
            texts[index] = text
            layer.pages.extend(page_layer.pages)
            layer.lines.extend(page_layer.lines)
        return texts, layer
    finally:
        document.close()


def _check_pictures(page: pdfium.PdfPage) -> None:
    for picture in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,)):
        if isinstance(picture, pdfium.PdfImage):
            width, height = picture.get_px_size()
            check_pixels(
                max(int(width), 1), max(int(height), 1), kind_zh="PDF 里的图片", kind_en="picture in the PDF"
            )


def has_pictures(page: pdfium.PdfPage) -> bool:
    return any(True for _ in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,)))
