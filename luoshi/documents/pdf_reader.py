"""Read the text layer of a PDF with pdfminer.six, one page after another.

No Django here.  PDFs without a text layer (scans) are refused: they need OCR first.
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
from luoshi.lib.package_limits import TimeBudgetExceeded, check_time

_CID_PLACEHOLDER = re.compile(r"\(cid:\d+\)")


def read_pdf(data: bytes) -> tuple[str, list[str]]:
    """Extract the text layer of a PDF, page by page; return the text and warnings.

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
        raise corrupt_error("PDF 文件", "PDF file")
    text = "\n".join(pages) + "\n"
    warnings: list[str] = []
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
    return text, warnings


def _no_text_layer(page_count: int) -> IngestError:
    return IngestError(
        "pdf_no_text",
        f"这个 PDF（共 {page_count} 页）里没有可复制的文字，可能是扫描件或图片。"
        "请先用 OCR（文字识别）软件转成文字，再上传 .docx 或 .txt；或上传原始的 Word 文件。",
        f"This PDF ({page_count} pages) has no text layer; it is probably a scan or made of images. "
        "Run it through OCR (text recognition) first and upload the result as .docx or .txt, "
        "or upload the original Word file.",
    )


def _encrypted() -> IngestError:
    return IngestError(
        "pdf_encrypted",
        "这个 PDF 设置了打开密码（已加密），无法读取。请上传未加密的版本，或请发文单位提供 Word 原文。",
        "This PDF is password-protected (encrypted) and cannot be read. Please upload an "
        "unencrypted copy or the original Word file.",
    )
