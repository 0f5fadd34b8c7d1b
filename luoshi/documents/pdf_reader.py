"""Read a PDF page by page: its text layer with pdfminer.six, OCR where a page has none.

No Django here.  A page whose text layer holds fewer than ``MIN_PAGE_TEXT`` characters (none, or only
``(cid:N)`` placeholders) and that shows a picture is a scanned page: pypdfium2 renders it and
``ocr.py`` reads it.  So a text PDF keeps its text layer, a scanned one is read by OCR, and a mixed one
by OCR only on its scanned pages.  Pictures are checked against LUOSHI_OCR_MAX_MEGAPIXELS and the
scanned pages against LUOSHI_OCR_MAX_PAGES before anything is rendered.
"""

from __future__ import annotations

import io
import re

from pdfminer.converter import TextConverter
from pdfminer.layout import LAParams
from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser

from luoshi.documents.errors import IngestError, corrupt_error
from luoshi.documents.ocr import OcrLayer, page_joiner
from luoshi.lib.package_limits import TimeBudgetExceeded, check_time

_CID_PLACEHOLDER = re.compile(r"\(cid:\d+\)")
# A page with fewer characters than this in its text layer, and a picture on it, is read by OCR.
MIN_PAGE_TEXT = 20


def read_pdf(data: bytes) -> tuple[str, list[str]]:
    """The text of a PDF with a text layer on every page (see ``read_pdf_pages`` for scans)."""
    text, warnings, _layer = read_pdf_pages(data)
    return text, warnings


def read_pdf_pages(data: bytes) -> tuple[str, list[str], OcrLayer | None]:
    """Extract the text of a PDF, page by page; return the text, warnings and the OCR layer (None when
    no page needed OCR).

    Pages are separated by a newline and the text ends with one.

    pdfminer raises many kinds of errors on damaged files, so any failure
    outside encryption is reported as a damaged PDF.
    """
    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)))
    except PDFPasswordIncorrect as exc:
        raise _encrypted() from exc
    except PDFEncryptionError as exc:
        raise _encrypted() from exc
    except Exception as exc:
        raise corrupt_error("PDF 文件", "PDF file") from exc
    pages: list[str] = []
    try:
        resources = PDFResourceManager(caching=True)
        laparams = LAParams()
        for page in PDFPage.create_pages(document):
            check_time()
            buffer = io.StringIO()
            device = TextConverter(resources, buffer, laparams=laparams)
            PDFPageInterpreter(resources, device).process_page(page)
            device.close()
            pages.append(buffer.getvalue().replace("\f", "").rstrip("\n"))
    except PDFEncryptionError as exc:
        raise _encrypted() from exc
    except TimeBudgetExceeded:
        raise
    except Exception as exc:
        raise corrupt_error("PDF 文件", "PDF file") from exc
    if not pages:
        raise IngestError(
            "no_pages",
            "这个 PDF 没有任何页面，里面没有可读的内容。请重新导出后再上传。",
            "This PDF has no pages, so there is nothing to read. Please export it again and re-upload.",
        )
    warnings: list[str] = []
    scanned = {i: len(_visible(page)) for i, page in enumerate(pages) if len(_visible(page)) < MIN_PAGE_TEXT}
    layer: OcrLayer | None = None
    if scanned:
        from luoshi.documents.pdf_scans import ocr_pdf_pages

        texts, layer = ocr_pdf_pages(data, scanned)
        for index, page_text in texts.items():
            pages[index] = page_text.rstrip("\n")
    joiners = ["\n"] * len(pages)
    if layer is not None:
        for i in range(len(pages) - 1):
            joiners[i] = page_joiner(layer.page(i), layer.page(i + 1))
        layer = _shift_to_pages(layer, pages, joiners) if layer.lines or layer.pages else None
    text = "".join(page + joiner for page, joiner in zip(pages, joiners, strict=True))
    unmapped = len(_CID_PLACEHOLDER.findall(text))
    if unmapped:
        if not _CID_PLACEHOLDER.sub("", text).strip():
            raise _no_text_layer(len(pages))
        warnings.append(
            f"PDF 中有 {unmapped} 个字符无法识别（字体缺少编码信息），显示为 (cid:数字)。"
            f" / {unmapped} characters in the PDF have no Unicode mapping and appear as (cid:N)."
        )
    if not text.strip():
        raise _no_text_layer(len(pages))
    return text, warnings, layer


def _visible(page_text: str) -> str:
    return re.sub(r"\s+", "", _CID_PLACEHOLDER.sub("", page_text))


def _shift_to_pages(layer: OcrLayer, pages: list[str], joiners: list[str]) -> OcrLayer:
    """Move each recognised line's span from its page's text to the whole text (pages joined by ``joiners``)."""
    starts: list[int] = []
    offset = 0
    for page_text, joiner in zip(pages, joiners, strict=True):
        starts.append(offset)
        offset += len(page_text) + len(joiner)
    shifted = OcrLayer(pages=layer.pages)
    for line in layer.lines:
        base = starts[line.page]
        shifted.lines.append(
            type(line)(line.page, line.box, line.text, line.confidence, line.start + base, line.end + base)
        )
    return shifted


def _no_text_layer(page_count: int) -> IngestError:
    return IngestError(
        "pdf_no_text",
        f"这个 PDF（共 {page_count} 页）里既没有可复制的文字，文字识别（OCR）也没有从页面上识别出文字。"
        "请确认扫描清晰、方向正确，或上传原始的 Word 文件。",
        f"This PDF ({page_count} pages) has no text layer, and OCR recognised no text on its pages. "
        "Check that the scan is sharp and upright, or upload the original Word file.",
    )


def _encrypted() -> IngestError:
    return IngestError(
        "pdf_encrypted",
        "这个 PDF 设置了打开密码（已加密），无法读取。请上传未加密的版本，或请发文单位提供 Word 原文。",
        "This PDF is password-protected (encrypted) and cannot be read. Please upload an "
        "unencrypted copy or the original Word file.",
    )
