"""The document's file said in words: "Word 文档", "文本文件（UTF-8）" — not the reader's internal name."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

register = template.Library()

# The text encodings readers.py reports, as people write them.
ENCODINGS = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8",
    "utf-16": "UTF-16",
    "gb18030": "GB18030",
    "gbk": "GBK",
    "gb2312": "GB2312",
    "big5": "Big5",
}


@register.filter
def file_kind(document: Any) -> str:
    encoding = (getattr(document, "encoding", "") or "").lower()
    if encoding == "docx":
        return _("Word document")
    if encoding == "pdf":
        return _("PDF document")
    if encoding == "pdf-ocr":
        return _("scanned PDF (text recognised by OCR)")
    if encoding == "ocr":
        return _("image (text recognised by OCR)")
    if encoding in ("doc", "wps"):
        return _("old Word document (.doc)") if encoding == "doc" else _("WPS Writer document (.wps)")
    if encoding == "ofd":
        return _("OFD document")
    if not encoding:
        return ""
    return _("text file, %(encoding)s encoding") % {"encoding": ENCODINGS.get(encoding, encoding.upper())}
