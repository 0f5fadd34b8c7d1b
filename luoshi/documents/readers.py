"""Turn uploaded bytes (.txt, .docx, .pdf, scans and photos, .doc/.wps, .ofd) into text, or refuse with a
clear reason.

No Django here.  One entry point, ``read_document()``; every refusal is an
``IngestError`` whose ``code`` the caller can branch on and whose two messages
can be shown to an office worker as they are.

This module picks the format and decodes text files; Word files are read by
``docx_reader`` (numbering in ``docx_numbering``), PDFs by ``pdf_reader`` (scanned pages by OCR,
``pdf_scans``/``ocr``), images by ``image_reader``, .doc/.wps by ``doc_reader`` (LibreOffice) and OFD
files by ``ofd_reader``.

Text files are decoded strictly: UTF-8 (with or without BOM), UTF-16/32 with a
BOM, then GB18030 only if the result looks like real Chinese.  Nothing is
guessed silently: bytes that fit none of these are refused.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from luoshi.documents.doc_reader import read_doc
from luoshi.documents.docx_numbering import format_number
from luoshi.documents.docx_reader import TABLE_CELL_SEPARATOR, read_docx
from luoshi.documents.errors import IngestError, too_large_error, too_slow_error, unsupported_error
from luoshi.documents.image_reader import read_image
from luoshi.documents.ocr import OcrLayer
from luoshi.documents.ofd_reader import is_ofd, read_ofd
from luoshi.documents.pdf_reader import read_pdf_pages
from luoshi.lib.package_limits import TimeBudgetExceeded, time_budget

__all__ = [
    "MAX_CONTROL_SHARE",
    "MIN_COMMON_CJK_SHARE",
    "TABLE_CELL_SEPARATOR",
    "IngestError",
    "ReadResult",
    "common_cjk_share",
    "format_number",
    "read_document",
]

# GB18030 decoding is accepted only when at least this share of the non-ASCII
# characters are common Chinese (GB2312 level-1 hanzi or common punctuation).
# Real Chinese prose scores above 0.95; Big5, Shift-JIS, EUC-JP and Latin-1
# read as GB18030 score below 0.5.
MIN_COMMON_CJK_SHARE = 0.8

# More control characters than this share of the text means it is not text.
MAX_CONTROL_SHARE = 0.01

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
# Images read by OCR (image_reader); "BM" only with a NUL byte in the head, like the binaries below.
_IMAGE_MAGICS: tuple[bytes, ...] = (
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",
    b"GIF87a",
    b"GIF89a",
    b"BM",
    b"II*\x00",
    b"MM\x00*",
)
# Magic bytes of common non-text files, with what to call them.
_BINARY_MAGICS: tuple[tuple[bytes, str, str], ...] = (
    (b"Rar!\x1a\x07", "压缩包（RAR）", "an archive (RAR)"),
    (b"7z\xbc\xaf\x27\x1c", "压缩包（7z）", "an archive (7z)"),
    (b"\x1f\x8b", "压缩包（gzip）", "an archive (gzip)"),
    (b"\x7fELF", "程序文件", "a program file"),
    (b"MZ", "程序文件", "a program file"),
)
# Names of formats that are read, for a file so named whose bytes are something else.
_NAMED_KINDS: dict[str, str] = {
    ".docx": "Word 文档",
    ".pdf": "PDF 文件",
    ".doc": "Word 文档",
    ".wps": "WPS 文字文档",
    ".ofd": "OFD 文件",
    ".png": "图片",
    ".jpg": "图片",
    ".jpeg": "图片",
    ".tif": "图片",
    ".tiff": "图片",
}
_UNSUPPORTED_EXTENSIONS: dict[str, tuple[str, str]] = {
    ".rtf": ("RTF 文档", "an RTF document"),
    ".xls": ("Excel 表格", "an Excel spreadsheet"),
    ".xlsx": ("Excel 表格", "an Excel spreadsheet"),
    ".et": ("WPS 表格", "a WPS spreadsheet"),
    ".ppt": ("PowerPoint 演示文稿", "a PowerPoint presentation"),
    ".pptx": ("PowerPoint 演示文稿", "a PowerPoint presentation"),
    ".dps": ("WPS 演示文稿", "a WPS presentation"),
    ".odt": ("OpenDocument 文档", "an OpenDocument file"),
    ".htm": ("网页文件", "a web page"),
    ".html": ("网页文件", "a web page"),
    ".mht": ("网页文件", "a web page"),
    ".mhtml": ("网页文件", "a web page"),
}


@dataclass
class ReadResult:
    """Text read from a file.

    encoding: "utf-8", "utf-8-sig", "gb18030", "utf-16-le"/"utf-16-be",
    "utf-32-le"/"utf-32-be" for text files; "docx", "pdf", "doc", "wps" or "ofd" for those
    files; "pdf-ocr" for a PDF with pages read by OCR, "ocr" for an image.
    format: "txt", "docx", "pdf", "doc", "wps", "ofd", or the image's "png", "jpeg", "tiff",
    "bmp", "gif".
    warnings: things the user may want to know ("中文 / English" each).
    ocr: the recognised lines with boxes and confidence, for text read by OCR.
    """

    text: str
    encoding: str
    format: str
    warnings: list[str] = field(default_factory=list)
    ocr: OcrLayer | None = None


def _within_budget(reader: Callable[[], ReadResult]) -> ReadResult:
    """Run a reader under the time budget (LUOSHI_PARSE_TIME_LIMIT, or the caller's if one is running)."""
    try:
        with time_budget():
            return reader()
    except TimeBudgetExceeded:
        raise too_slow_error() from None


def read_document(data: bytes, *, filename: str, max_bytes: int) -> ReadResult:
    """Read an uploaded file into text.

    1. Refuse empty and oversized files.
    2. Pick the format by magic bytes (PDF, zip, old OLE Office, images...),
       then by the file name's extension.
    3. Hand over to the reader for that format.
    4. Replace each NUL character (U+0000) of the text by U+FFFD, one for one: PostgreSQL text
       cannot hold NUL, and a file with a BOM (UTF-8/16/32) or a PDF may decode to one. The
       text keeps its length, so offsets into it (the OCR layer's, the normalizer's) still hold.
    """
    read = _read(data, filename=filename, max_bytes=max_bytes)
    if "\x00" in read.text:
        read.text = read.text.replace("\x00", "\ufffd")
    return read


def _read(data: bytes, *, filename: str, max_bytes: int) -> ReadResult:
    if not data:
        raise IngestError("empty", "文件是空的（0 字节）。", "The file is empty (0 bytes).")
    if len(data) > max_bytes:
        raise too_large_error(len(data), max_bytes)
    extension = _extension(filename)
    head = data[:1024]
    if b"%PDF-" in head:
        return _within_budget(lambda: _pdf(data))
    if data.startswith(_ZIP_MAGICS):
        return _within_budget(lambda: _zip(data))
    if data.startswith(_OLE_MAGIC):
        return _within_budget(lambda: _ole(data, extension))
    if any(data.startswith(magic) and (len(magic) > 2 or b"\x00" in head) for magic in _IMAGE_MAGICS):
        return _within_budget(lambda: _image(data))
    if data.startswith(b"{\\rtf"):
        raise unsupported_error(_UNSUPPORTED_EXTENSIONS[".rtf"])
    for magic, kind_zh, kind_en in _BINARY_MAGICS:
        if data.startswith(magic) and (len(magic) > 2 or b"\x00" in head):
            raise _binary(kind_zh, kind_en)
    if extension in _UNSUPPORTED_EXTENSIONS:
        raise unsupported_error(_UNSUPPORTED_EXTENSIONS[extension])
    if extension in _NAMED_KINDS:
        kind = _NAMED_KINDS[extension]
        raise IngestError(
            "corrupt",
            f"文件扩展名是 {extension}，但内容不是有效的{kind}，可能已损坏或被改过扩展名。请重新导出后上传。",
            f"The file is named {extension} but its content is not a valid {extension[1:].upper()} file; "
            "it may be damaged or renamed. Please export it again.",
        )
    return _read_text(data)


def _pdf(data: bytes) -> ReadResult:
    text, warnings, layer = read_pdf_pages(data)
    return ReadResult(
        text=text, encoding="pdf" if layer is None else "pdf-ocr", format="pdf", warnings=warnings, ocr=layer
    )


def _zip(data: bytes) -> ReadResult:
    if _zip_is_ofd(data):
        text, warnings = read_ofd(data)
        return ReadResult(text=text, encoding="ofd", format="ofd", warnings=warnings)
    text, warnings = read_docx(data)
    return ReadResult(text=text, encoding="docx", format="docx", warnings=warnings)


def _zip_is_ofd(data: bytes) -> bool:
    import io
    import zipfile

    try:
        return is_ofd(set(zipfile.ZipFile(io.BytesIO(data)).namelist()))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return False  # the .docx reader reports the damage


def _ole(data: bytes, extension: str) -> ReadResult:
    """An OLE file: a Word body (.doc, .wps) is converted; anything else is refused by ``doc_reader``."""
    text, warnings, fmt = read_doc(data, extension=extension)
    return ReadResult(text=text, encoding=fmt, format=fmt, warnings=warnings)


def _image(data: bytes) -> ReadResult:
    text, warnings, layer, fmt = read_image(data)
    return ReadResult(text=text, encoding="ocr", format=fmt, warnings=warnings, ocr=layer)


# --- plain text ---------------------------------------------------------------


def _read_text(data: bytes) -> ReadResult:
    """Decode a text file strictly.

    1. A BOM decides (UTF-8, UTF-16, UTF-32); bytes that do not fit it are refused.
    2. NUL bytes without a BOM mean a binary file.
    3. Strict UTF-8.
    4. Strict GB18030, kept only if it reads as plausible Chinese.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding.removesuffix("-sig"))
            except UnicodeDecodeError as exc:
                raise _undecodable(f"文件开头标明是 {encoding} 编码，但内容不符合该编码", data) from exc
            return _text_result(text, encoding)
    if b"\x00" in data:
        raise _binary("二进制文件（含有 NUL 字节）", "a binary file (it contains NUL bytes)")
    try:
        return _text_result(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise _undecodable("文件既不是 UTF-8 也不是 GBK/GB18030 编码，或混用了多种编码", data) from exc
    if common_cjk_share(text) < MIN_COMMON_CJK_SHARE:
        raise _undecodable("按 GBK/GB18030 解码得到的是乱码，不像正常的中文", data)
    return _text_result(text, "gb18030")


def _text_result(text: str, encoding: str) -> ReadResult:
    if text and _control_share(text) > MAX_CONTROL_SHARE:
        raise _binary("二进制文件（含有大量控制字符）", "a binary file (it contains many control characters)")
    if not text.strip():
        raise IngestError("empty", "文件里没有文字。", "The file contains no text.")
    return ReadResult(text=text, encoding=encoding, format="txt")


def common_cjk_share(text: str) -> float:
    """Share of non-ASCII characters that are common Chinese (1.0 when there are none)."""
    counts = Counter(text)
    common = _common_chinese_chars()
    non_ascii = sum(n for ch, n in counts.items() if ord(ch) > 0x7F)
    if not non_ascii:
        return 1.0
    return sum(n for ch, n in counts.items() if ch in common) / non_ascii


@cache
def _common_chinese_chars() -> frozenset[str]:
    """GB2312 level-1 hanzi plus its punctuation, fullwidth and box-drawing rows."""
    rows = [0xA1, 0xA2, 0xA3, 0xA9, *range(0xB0, 0xD8)]
    chars: set[str] = set()
    for row in rows:
        for cell in range(0xA1, 0xFF):
            try:
                chars.add(bytes((row, cell)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return frozenset(chars)


def _control_share(text: str) -> float:
    counts = Counter(text)
    controls = sum(
        n
        for ch, n in counts.items()
        if (ord(ch) < 0x20 and ch not in "\t\n\r\f\v") or 0x7F <= ord(ch) <= 0x9F or ch == "\ufffd"
    )
    return controls / len(text)


def _undecodable(reason_zh: str, data: bytes) -> IngestError:
    hint_zh, hint_en = _encoding_hint(data)
    return IngestError(
        "undecodable",
        f"无法识别文件的文字编码：{reason_zh}。{hint_zh}为避免出现乱码，系统没有读取它。"
        "请用记事本或 WPS 打开，确认文字显示正常后“另存为” UTF-8 编码的 .txt（或 .docx）再上传。",
        f"Cannot tell the text encoding of this file: it is neither valid UTF-8 nor plausible "
        f"GBK/GB18030 Chinese. {hint_en}To avoid garbled text it was not read. Open it in Notepad "
        "or WPS, check that the text looks right, then save it as UTF-8 .txt (or .docx) and upload again.",
    )


_ENCODING_FAMILIES: dict[str, tuple[str, str]] = {
    "big5": ("繁体中文（Big5）", "Traditional Chinese (Big5)"),
    "big5hkscs": ("繁体中文（Big5）", "Traditional Chinese (Big5)"),
    "cp950": ("繁体中文（Big5）", "Traditional Chinese (Big5)"),
    "shift_jis": ("日文", "Japanese"),
    "cp932": ("日文", "Japanese"),
    "euc_jp": ("日文", "Japanese"),
    "euc_kr": ("韩文", "Korean"),
    "cp949": ("韩文", "Korean"),
    "latin_1": ("西文（Latin-1）", "Western (Latin-1)"),
    "cp1252": ("西文（Windows-1252）", "Western (Windows-1252)"),
    "iso8859_15": ("西文（Latin-9）", "Western (Latin-9)"),
}


def _encoding_hint(data: bytes) -> tuple[str, str]:
    """A guess at the real encoding, only to help the user; never used to decode."""
    from charset_normalizer import from_bytes

    best = from_bytes(data[: 32 * 1024]).best()
    family = _ENCODING_FAMILIES.get(best.encoding) if best is not None else None
    if family is None:
        return "", ""
    return f"它可能是{family[0]}编码。", f"It may be {family[1]}. "


# --- shared helpers -----------------------------------------------------------


def _extension(filename: str) -> str:
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    return "." + name.rsplit(".", 1)[1].lower() if "." in name else ""


def _binary(kind_zh: str, kind_en: str) -> IngestError:
    return IngestError(
        "binary",
        f"这不是文字文件，而是{kind_zh}。请上传 .docx、.doc、.wps、.pdf、.ofd 或 .txt 格式的文件，"
        "或扫描件的 PDF、PNG、JPEG、TIFF 图片。",
        f"This is not a text file but {kind_en}. Please upload a .docx, .doc, .wps, .pdf, .ofd or .txt "
        "file, or a scan as PDF, PNG, JPEG or TIFF.",
    )
