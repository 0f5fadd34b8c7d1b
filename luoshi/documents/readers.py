"""Turn uploaded bytes (.txt, .docx, .pdf) into text, or refuse with a clear reason.

No Django here.  One entry point, ``read_document()``; every refusal is an
``IngestError`` whose ``code`` the caller can branch on and whose two messages
can be shown to an office worker as they are.

Text files are decoded strictly: UTF-8 (with or without BOM), UTF-16/32 with a
BOM, then GB18030 only if the result looks like real Chinese.  Nothing is
guessed silently: bytes that fit none of these are refused.

Word files: body paragraphs and tables in document order.  Automatic list
numbering ("一、", "（一）", "1.") is rendered into the text the way Word shows
it.  Each table row becomes one line with cells joined by ``TABLE_CELL_SEPARATOR``.
Headers, footers, footnotes, comments and text boxes are not read.

PDF files: the text layer via pdfminer.six, one page after another separated by
a newline.  PDFs without a text layer (scans) are refused: they need OCR first.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

import docx
from docx.oxml.ns import qn
from lxml import etree
from pdfminer.converter import TextConverter
from pdfminer.layout import LAParams
from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser

TABLE_CELL_SEPARATOR = " | "

# Total unpacked size allowed for a .docx, whatever max_bytes says (zip bombs).
MAX_DOCX_UNPACKED_BYTES = 512 * 1024 * 1024

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
# Magic bytes of common non-text files, with what to call them.
_BINARY_MAGICS: tuple[tuple[bytes, str, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "图片（PNG）", "an image (PNG)"),
    (b"\xff\xd8\xff", "图片（JPEG）", "an image (JPEG)"),
    (b"GIF87a", "图片（GIF）", "an image (GIF)"),
    (b"GIF89a", "图片（GIF）", "an image (GIF)"),
    (b"BM", "图片（BMP）", "an image (BMP)"),
    (b"II*\x00", "图片（TIFF）", "an image (TIFF)"),
    (b"MM\x00*", "图片（TIFF）", "an image (TIFF)"),
    (b"Rar!\x1a\x07", "压缩包（RAR）", "an archive (RAR)"),
    (b"7z\xbc\xaf\x27\x1c", "压缩包（7z）", "an archive (7z)"),
    (b"\x1f\x8b", "压缩包（gzip）", "an archive (gzip)"),
    (b"\x7fELF", "程序文件", "a program file"),
    (b"MZ", "程序文件", "a program file"),
)
_UNSUPPORTED_EXTENSIONS: dict[str, tuple[str, str]] = {
    ".doc": ("旧版 Word 文档（.doc）", "an old Word document (.doc)"),
    ".wps": ("WPS 文字文档（.wps）", "a WPS Writer document (.wps)"),
    ".rtf": ("RTF 文档", "an RTF document"),
    ".xls": ("Excel 表格", "an Excel spreadsheet"),
    ".xlsx": ("Excel 表格", "an Excel spreadsheet"),
    ".et": ("WPS 表格", "a WPS spreadsheet"),
    ".ppt": ("PowerPoint 演示文稿", "a PowerPoint presentation"),
    ".pptx": ("PowerPoint 演示文稿", "a PowerPoint presentation"),
    ".dps": ("WPS 演示文稿", "a WPS presentation"),
    ".ofd": ("OFD 版式文件", "an OFD document"),
    ".odt": ("OpenDocument 文档", "an OpenDocument file"),
    ".htm": ("网页文件", "a web page"),
    ".html": ("网页文件", "a web page"),
    ".mht": ("网页文件", "a web page"),
    ".mhtml": ("网页文件", "a web page"),
}
_WORD_MAIN_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_SAVE_AS_ZH = "请用 Word 或 WPS 打开后“另存为” .docx 或 .txt 格式再上传。"
_SAVE_AS_EN = "Please open it in Word or WPS, save it as .docx or .txt, and upload again."


class IngestError(Exception):
    """A file that cannot be read, with a reason for the user in Chinese and English.

    code: "empty", "too_large", "binary", "undecodable", "not_docx", "corrupt",
    "pdf_no_text", "pdf_encrypted" or "unsupported".
    """

    def __init__(self, code: str, message_zh: str, message_en: str) -> None:
        super().__init__(code, message_zh, message_en)
        self.code = code
        self.message_zh = message_zh
        self.message_en = message_en

    def __str__(self) -> str:
        return f"{self.message_zh} / {self.message_en}"


@dataclass
class ReadResult:
    """Text read from a file.

    encoding: "utf-8", "utf-8-sig", "gb18030", "utf-16-le"/"utf-16-be",
    "utf-32-le"/"utf-32-be" for text files; "docx" or "pdf" otherwise.
    format: "txt", "docx" or "pdf".
    warnings: things the user may want to know ("中文 / English" each).
    """

    text: str
    encoding: str
    format: str
    warnings: list[str] = field(default_factory=list)


def read_document(data: bytes, *, filename: str, max_bytes: int) -> ReadResult:
    """Read an uploaded file into text.

    1. Refuse empty and oversized files.
    2. Pick the format by magic bytes (PDF, zip, old OLE Office, images...),
       then by the file name's extension.
    3. Hand over to the reader for that format.
    """
    if not data:
        raise IngestError("empty", "文件是空的（0 字节）。", "The file is empty (0 bytes).")
    if len(data) > max_bytes:
        size, limit = _format_size(len(data)), _format_size(max_bytes)
        raise IngestError(
            "too_large",
            f"文件太大：{size}，上限为 {limit}。请删去附件、图片后再上传，或拆分成几个文件。",
            f"The file is too large: {size}; the limit is {limit}. "
            "Remove attachments or pictures, or split it into several files.",
        )
    extension = _extension(filename)
    head = data[:1024]
    if b"%PDF-" in head:
        return _read_pdf(data)
    if data.startswith(_ZIP_MAGICS):
        return _read_docx(data)
    if data.startswith(_OLE_MAGIC):
        raise _unsupported(
            _UNSUPPORTED_EXTENSIONS.get(
                extension,
                (
                    "旧版 Office/WPS 文件（如 .doc、.wps、.xls）",
                    "an old Office/WPS file (.doc, .wps, .xls...)",
                ),
            )
        )
    if data.startswith(b"{\\rtf"):
        raise _unsupported(_UNSUPPORTED_EXTENSIONS[".rtf"])
    for magic, kind_zh, kind_en in _BINARY_MAGICS:
        if data.startswith(magic) and (len(magic) > 2 or b"\x00" in head):
            raise _binary(kind_zh, kind_en)
    if extension in _UNSUPPORTED_EXTENSIONS:
        raise _unsupported(_UNSUPPORTED_EXTENSIONS[extension])
    if extension in (".docx", ".pdf"):
        kind = "Word 文档" if extension == ".docx" else "PDF 文件"
        raise IngestError(
            "corrupt",
            f"文件扩展名是 {extension}，但内容不是有效的{kind}，可能已损坏或被改过扩展名。请重新导出后上传。",
            f"The file is named {extension} but its content is not a valid {extension[1:].upper()} file; "
            "it may be damaged or renamed. Please export it again.",
        )
    return _read_text(data)


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


# --- .docx --------------------------------------------------------------------


_OTHER_ZIP_KINDS: tuple[tuple[str, str, str], ...] = (
    ("xl/workbook.xml", "Excel 表格（.xlsx）", "an Excel spreadsheet (.xlsx)"),
    ("ppt/presentation.xml", "PowerPoint 演示文稿（.pptx）", "a PowerPoint presentation (.pptx)"),
    ("OFD.xml", "OFD 版式文件", "an OFD document"),
    ("content.xml", "OpenDocument 文件（如 .odt）", "an OpenDocument file (.odt...)"),
)


def _read_docx(data: bytes) -> ReadResult:
    """Read a .docx: body paragraphs and tables in order, numbering rendered.

    1. Check the zip: readable, not a bomb, a Word main part inside.
    2. Load it with python-docx.
    3. Walk the body's children (w:p, w:tbl, content controls) in order.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        content_types = archive.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        NotImplementedError,
        EOFError,
        OSError,
    ) as exc:
        raise _corrupt("Word 文档（.docx）", "Word document (.docx)") from exc
    if "word/document.xml" not in names and b"wordprocessingml.document.main" not in content_types:
        for marker, kind_zh, kind_en in _OTHER_ZIP_KINDS:
            if marker in names:
                raise _unsupported((kind_zh, kind_en))
        raise IngestError(
            "not_docx",
            "这是一个压缩包，但里面没有 Word 正文（word/document.xml），不是有效的 .docx 文档。"
            "请上传 Word 保存的 .docx 文件。",
            "This is a zip archive without a Word body (word/document.xml), so it is not a .docx "
            "document. Please upload a .docx saved by Word or WPS.",
        )
    if b"macroEnabled" in content_types or b"template.main" in content_types:
        raise _unsupported(
            ("带宏的 Word 文档或 Word 模板", "a macro-enabled Word document or a Word template")
        )
    if sum(info.file_size for info in archive.infolist()) > MAX_DOCX_UNPACKED_BYTES:
        limit = _format_size(MAX_DOCX_UNPACKED_BYTES)
        raise IngestError(
            "too_large",
            f"这个 Word 文档解压后超过 {limit}，无法处理。请删去图片、附件后再上传。",
            f"This Word document unpacks to more than {limit}. Remove pictures or attachments and try again.",
        )
    try:
        document = docx.Document(io.BytesIO(data))
        body = document.element.body
        numbering = document.part.numbering_part.element
        styles = document.styles.element
    except Exception as exc:  # python-docx raises many kinds of errors on a damaged package
        raise _corrupt("Word 文档（.docx）", "Word document (.docx)") from exc
    reader = _DocxBodyReader(_Numbering(numbering, styles))
    reader.read_blocks(body)
    text = "\n".join(reader.lines)
    if not text.strip():
        raise IngestError("empty", "Word 文档里没有正文文字。", "The Word document contains no body text.")
    return ReadResult(text=text, encoding="docx", format="docx", warnings=reader.warnings())


_W_P, _W_TBL, _W_TR, _W_TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
_W_R, _W_T, _W_TAB, _W_PTAB = qn("w:r"), qn("w:t"), qn("w:tab"), qn("w:ptab")
_W_BR, _W_CR, _W_NBH = qn("w:br"), qn("w:cr"), qn("w:noBreakHyphen")
_W_RPR, _W_VANISH, _W_VAL = qn("w:rPr"), qn("w:vanish"), qn("w:val")
_W_INS, _W_DEL = qn("w:ins"), qn("w:del")
_W_ALT_CHUNK = qn("w:altChunk")
# Elements whose children carry a paragraph's or body's content.
_W_CONTAINERS = frozenset(
    qn(tag)
    for tag in (
        "w:hyperlink",
        "w:ins",
        "w:smartTag",
        "w:sdt",
        "w:sdtContent",
        "w:fldSimple",
        "w:customXml",
        "w:moveTo",
        "w:dir",
        "w:bdo",
    )
)
_TXBX = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}txbxContent"


class _DocxBodyReader:
    """Collect the lines of a document body, keeping list numbering state."""

    def __init__(self, numbering: _Numbering) -> None:
        self.numbering = numbering
        self.lines: list[str] = []
        self.has_revisions = False
        self.has_text_boxes = False
        self.has_alt_chunks = False

    def read_blocks(self, parent: etree._Element) -> None:
        for child in parent.iterchildren():
            if child.tag == _W_P:
                self.lines.append(self.paragraph_text(child))
            elif child.tag == _W_TBL:
                self.read_table(child)
            elif child.tag == _W_ALT_CHUNK:
                self.has_alt_chunks = True
            elif child.tag in _W_CONTAINERS:
                self.read_blocks(child)

    def read_table(self, table: etree._Element) -> None:
        for row in table.iter(_W_TR):
            if _nearest_table(row) is not table:
                continue  # a row of a nested table: read through its cell
            cells = [self.cell_text(cell) for cell in row.iterchildren(_W_TC)]
            self.lines.append(TABLE_CELL_SEPARATOR.join(cells))

    def cell_text(self, cell: etree._Element) -> str:
        inner = _DocxBodyReader(self.numbering)
        inner.read_blocks(cell)
        self.has_revisions |= inner.has_revisions
        self.has_text_boxes |= inner.has_text_boxes
        return " ".join(line.strip() for line in inner.lines if line.strip())

    def paragraph_text(self, paragraph: etree._Element) -> str:
        parts: list[str] = []
        self._collect_runs(paragraph, parts)
        label = self.numbering.label_for(paragraph)
        return label + "".join(parts)

    def _collect_runs(self, parent: etree._Element, parts: list[str]) -> None:
        for child in parent.iterchildren():
            if child.tag == _W_R:
                self._run_text(child, parts)
            elif child.tag in _W_CONTAINERS:
                self.has_revisions |= child.tag == _W_INS
                self._collect_runs(child, parts)
            elif child.tag == _W_DEL:
                self.has_revisions = True

    def _run_text(self, run: etree._Element, parts: list[str]) -> None:
        properties = run.find(_W_RPR)
        if properties is not None:
            vanish = properties.find(_W_VANISH)
            if vanish is not None and vanish.get(_W_VAL) not in ("0", "false", "off"):
                return  # hidden text
        for child in run.iterchildren():
            tag = child.tag
            if tag == _W_T:
                parts.append(child.text or "")
            elif tag in (_W_TAB, _W_PTAB):
                parts.append("\t")
            elif tag in (_W_BR, _W_CR):
                parts.append("\n")
            elif tag == _W_NBH:
                parts.append("-")
            elif any(True for _ in child.iter(_TXBX)):
                self.has_text_boxes = True

    def warnings(self) -> list[str]:
        found: list[str] = []
        if self.has_revisions:
            found.append(
                "文档含有修订痕迹，已按接受全部修订后的文字读取。 / The document has tracked "
                "changes; it was read as if all changes were accepted."
            )
        if self.has_text_boxes:
            found.append("文档中文本框里的文字没有读取。 / Text inside text boxes was not read.")
        if self.has_alt_chunks:
            found.append("文档中嵌入的其他文件内容没有读取。 / Embedded content (altChunk) was not read.")
        return found


def _nearest_table(element: etree._Element) -> etree._Element | None:
    parent = element.getparent()
    while parent is not None and parent.tag != _W_TBL:
        parent = parent.getparent()
    return parent


# --- .docx automatic numbering ------------------------------------------------


@dataclass
class _Level:
    """One level (w:lvl) of a list definition."""

    start: int = 1
    num_fmt: str = "decimal"
    text: str = ""
    restart: int | None = None  # w:lvlRestart: None = after any shallower level, 0 = never
    legal: bool = False  # w:isLgl: show every level's number in decimal
    suffix: str = "tab"
    style_id: str | None = None


@dataclass
class _Num:
    """A list instance (w:num): its definition plus per-level overrides."""

    abstract_id: str
    levels: dict[int, _Level] = field(default_factory=dict)
    starts: dict[int, int] = field(default_factory=dict)


_W_PPR, _W_NUMPR, _W_ILVL = qn("w:pPr"), qn("w:numPr"), qn("w:ilvl")
_W_STYLEID, _W_TYPE = qn("w:styleId"), qn("w:type")
_MAX_LEVELS = 9


class _Numbering:
    """Render the number label Word shows before a list paragraph.

    Counters are kept per abstract list definition, as Word does: two w:num
    sharing one w:abstractNum continue each other's count unless a
    w:startOverride restarts it.  A deeper level restarts whenever a shallower
    level is used, unless its w:lvlRestart says otherwise.
    """

    def __init__(self, numbering: etree._Element, styles: etree._Element) -> None:
        self.abstracts: dict[str, dict[int, _Level]] = {}
        self.style_links: dict[str, str] = {}  # abstractNumId -> numbering style id
        for abstract in numbering.iterchildren(qn("w:abstractNum")):
            abstract_id = abstract.get(qn("w:abstractNumId"), "")
            self.abstracts[abstract_id] = {
                level_index: level
                for level_index, level in map(_parse_level, abstract.iterchildren(qn("w:lvl")))
            }
            link = _child_val(abstract, "w:numStyleLink")
            if link:
                self.style_links[abstract_id] = link
        self.nums: dict[str, _Num] = {}
        for num in numbering.iterchildren(qn("w:num")):
            entry = _Num(abstract_id=_child_val(num, "w:abstractNumId") or "")
            for override in num.iterchildren(qn("w:lvlOverride")):
                index = _int(override.get(_W_ILVL), 0)
                start = _int(_child_val(override, "w:startOverride"), -1)
                if start >= 0:
                    entry.starts[index] = start
                level_element = override.find(qn("w:lvl"))
                if level_element is not None:
                    entry.levels[index] = _parse_level(level_element)[1]
            self.nums[num.get(qn("w:numId"), "")] = entry
        self.style_parents: dict[str, str] = {}
        self.style_numbers: dict[str, tuple[str | None, int | None]] = {}
        self.default_style: str | None = None
        for style in styles.iterchildren(qn("w:style")):
            style_id = style.get(_W_STYLEID, "")
            if style.get(_W_TYPE, "paragraph") == "paragraph" and style.get(qn("w:default")) in ("1", "true"):
                self.default_style = style_id
            parent = _child_val(style, "w:basedOn")
            if parent:
                self.style_parents[style_id] = parent
            num_pr = style.find(f"{_W_PPR}/{_W_NUMPR}")
            if num_pr is not None:
                ilvl = _child_val(num_pr, "w:ilvl")
                self.style_numbers[style_id] = (
                    _child_val(num_pr, "w:numId"),
                    _int(ilvl, 0) if ilvl else None,
                )
        self.counters: dict[str, list[int | None]] = {}
        self.used_nums: set[str] = set()

    def label_for(self, paragraph: etree._Element) -> str:
        """Advance the counters for this paragraph and return its label ("" if none)."""
        properties = paragraph.find(_W_PPR)
        num_id: str | None = None
        ilvl: int | None = None
        style_id = self.default_style
        if properties is not None:
            style_id = _child_val(properties, "w:pStyle") or style_id
            num_pr = properties.find(_W_NUMPR)
            if num_pr is not None:
                num_id = _child_val(num_pr, "w:numId")
                level_val = _child_val(num_pr, "w:ilvl")
                ilvl = _int(level_val, 0) if level_val else None
        if num_id is None and style_id:
            num_id, style_ilvl = self._style_numbering(style_id)
            ilvl = ilvl if ilvl is not None else style_ilvl
        if not num_id or num_id == "0" or num_id not in self.nums:
            return ""
        num = self.nums[num_id]
        abstract_id = self._resolve_abstract(num.abstract_id)
        levels = {**self.abstracts.get(abstract_id, {}), **num.levels}
        if ilvl is None:
            ilvl = next((i for i, level in levels.items() if style_id and level.style_id == style_id), 0)
        level = levels.get(ilvl)
        if level is None or not 0 <= ilvl < _MAX_LEVELS:
            return ""
        counters = self.counters.setdefault(abstract_id, [None] * _MAX_LEVELS)
        if num_id not in self.used_nums:
            self.used_nums.add(num_id)
            for index in num.starts:
                if 0 <= index < _MAX_LEVELS:
                    counters[index] = None

        def start_of(index: int) -> int:
            return num.starts.get(index, levels[index].start if index in levels else 1)

        current = counters[ilvl]
        counters[ilvl] = start_of(ilvl) if current is None else current + 1
        for deeper in range(ilvl + 1, _MAX_LEVELS):
            restart = levels[deeper].restart if deeper in levels else None
            if restart is None or (restart > 0 and ilvl < restart):
                counters[deeper] = None
        return _render_label(level, levels, counters, start_of)

    def _style_numbering(self, style_id: str) -> tuple[str | None, int | None]:
        seen: set[str] = set()
        current: str | None = style_id
        while current and current not in seen:
            seen.add(current)
            if current in self.style_numbers:
                return self.style_numbers[current]
            current = self.style_parents.get(current)
        return None, None

    def _resolve_abstract(self, abstract_id: str) -> str:
        """Follow w:numStyleLink to the definition that holds the levels."""
        for _ in range(3):
            link = self.style_links.get(abstract_id)
            if not link:
                break
            linked_num, _ilvl = self.style_numbers.get(link, (None, None))
            if not linked_num or linked_num not in self.nums:
                break
            abstract_id = self.nums[linked_num].abstract_id
        return abstract_id


def _render_label(
    level: _Level,
    levels: dict[int, _Level],
    counters: list[int | None],
    start_of: Callable[[int], int],
) -> str:
    if level.num_fmt == "bullet":
        label = level.text if level.text and not _is_private_use(level.text) else "•"
    else:

        def number(match: re.Match[str]) -> str:
            index = int(match.group(1)) - 1
            value = counters[index]
            value = start_of(index) if value is None else value
            fmt = "decimal" if level.legal else (levels[index].num_fmt if index in levels else "decimal")
            return format_number(value, fmt)

        label = re.sub(r"%([1-9])", number, level.text)
    if not label:
        return ""
    if level.suffix == "nothing" or _is_cjk_punctuation(label[-1]):
        return label
    return label + " "


def _parse_level(element: etree._Element) -> tuple[int, _Level]:
    text_element = element.find(qn("w:lvlText"))
    restart = _child_val(element, "w:lvlRestart")
    legal = element.find(qn("w:isLgl"))
    level = _Level(
        start=_int(_child_val(element, "w:start"), 1),
        num_fmt=_child_val(element, "w:numFmt") or "decimal",
        text=(text_element.get(_W_VAL) or "") if text_element is not None else "",
        restart=_int(restart, 0) if restart is not None else None,
        legal=legal is not None and legal.get(_W_VAL) not in ("0", "false", "off"),
        suffix=_child_val(element, "w:suff") or "tab",
        style_id=_child_val(element, "w:pStyle"),
    )
    return _int(element.get(_W_ILVL), 0), level


def _child_val(element: etree._Element, tag: str) -> str | None:
    child = element.find(qn(tag))
    if child is None:
        return None
    value = child.get(_W_VAL)
    return str(value) if value is not None else None


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _is_private_use(text: str) -> bool:
    return any(0xE000 <= ord(ch) <= 0xF8FF for ch in text)


def _is_cjk_punctuation(ch: str) -> bool:
    return 0x3000 <= ord(ch) <= 0x303F or 0xFF00 <= ord(ch) <= 0xFF65


_CN_DIGITS = "零一二三四五六七八九"
_CN_UNITS = ("千", "百", "十", "")
_CN_LEGAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_CN_LEGAL_UNITS = ("仟", "佰", "拾", "")
_HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"
_EARTHLY_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_ROMAN = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)
_CHINESE_COUNTING = frozenset(
    (
        "chineseCounting",
        "chineseCountingThousand",
        "japaneseCounting",
        "taiwaneseCounting",
        "taiwaneseCountingThousand",
        "koreanCounting",
    )
)
_DIGIT_BY_DIGIT = frozenset(
    ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand", "koreanDigital")
)


def format_number(value: int, num_fmt: str) -> str:
    """Format a list counter the way Word does for ``w:numFmt`` (decimal when unknown)."""
    if num_fmt == "none":
        return ""
    if value < 0:
        return str(value)
    if num_fmt in _CHINESE_COUNTING:
        return _chinese_number(value, _CN_DIGITS, _CN_UNITS, short_ten=True)
    if num_fmt in ("chineseLegalSimplified", "ideographLegalTraditional"):
        return _chinese_number(value, _CN_LEGAL_DIGITS, _CN_LEGAL_UNITS, short_ten=False)
    if num_fmt in _DIGIT_BY_DIGIT:
        return "".join("〇一二三四五六七八九"[int(d)] for d in str(value))
    if num_fmt == "ideographTraditional" and value > 0:
        return _HEAVENLY_STEMS[(value - 1) % 10]
    if num_fmt == "ideographZodiac" and value > 0:
        return _EARTHLY_BRANCHES[(value - 1) % 12]
    if num_fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= value <= 20:
        return chr(0x2460 + value - 1)
    if num_fmt == "decimalEnclosedParen" and 1 <= value <= 20:
        return chr(0x2474 + value - 1)
    if num_fmt == "decimalEnclosedFullstop" and 1 <= value <= 20:
        return chr(0x2488 + value - 1)
    if num_fmt == "ideographEnclosedCircle" and 1 <= value <= 10:
        return chr(0x3280 + value - 1)
    if num_fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return "".join(chr(0xFF10 + int(d)) for d in str(value))
    if num_fmt == "decimalZero":
        return f"{value:02d}"
    if num_fmt in ("upperRoman", "lowerRoman") and value > 0:
        roman = _roman(value)
        return roman if num_fmt == "upperRoman" else roman.lower()
    if num_fmt in ("upperLetter", "lowerLetter") and value > 0:
        letter = chr(ord("A") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letter if num_fmt == "upperLetter" else letter.lower()
    if num_fmt == "ordinal":
        suffix = "th" if 10 <= value % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(value % 10, "th")
        return f"{value}{suffix}"
    return str(value)


def _chinese_number(value: int, digits: str, units: tuple[str, ...], *, short_ten: bool) -> str:
    """1 -> 一, 10 -> 十, 21 -> 二十一, 105 -> 一百零五, 10001 -> 一万零一."""
    if value == 0:
        return "〇" if short_ten else digits[0]
    if value >= 10000:
        high, low = divmod(value, 10000)
        text = _chinese_number(high, digits, units, short_ten=short_ten) + "万"
        if low:
            text += (digits[0] if low < 1000 else "") + _chinese_number(low, digits, units, short_ten=False)
        return text
    text = ""
    pending_zero = False
    for unit, digit in zip(units, f"{value:04d}", strict=True):
        if digit == "0":
            pending_zero = bool(text)
            continue
        if pending_zero:
            text += digits[0]
            pending_zero = False
        text += digits[int(digit)] + unit
    if short_ten and 10 <= value < 20:
        text = text[1:]  # 十一, not 一十一
    return text


def _roman(value: int) -> str:
    parts: list[str] = []
    for amount, letters in _ROMAN:
        count, value = divmod(value, amount)
        parts.append(letters * count)
    return "".join(parts)


# --- .pdf ---------------------------------------------------------------------

_CID_PLACEHOLDER = re.compile(r"\(cid:\d+\)")


def _read_pdf(data: bytes) -> ReadResult:
    """Extract the text layer of a PDF, page by page.

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
        raise _corrupt("PDF 文件", "PDF file") from exc
    pages: list[str] = []
    try:
        resources = PDFResourceManager(caching=True)
        laparams = LAParams()
        for page in PDFPage.create_pages(document):
            buffer = io.StringIO()
            device = TextConverter(resources, buffer, laparams=laparams)
            PDFPageInterpreter(resources, device).process_page(page)
            device.close()
            pages.append(buffer.getvalue().replace("\f", "").rstrip("\n"))
    except PDFEncryptionError as exc:
        raise _encrypted() from exc
    except Exception as exc:
        raise _corrupt("PDF 文件", "PDF file") from exc
    if not pages:
        raise _corrupt("PDF 文件", "PDF file")
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
    return ReadResult(text=text, encoding="pdf", format="pdf", warnings=warnings)


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


# --- shared helpers -----------------------------------------------------------


def _extension(filename: str) -> str:
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    return "." + name.rsplit(".", 1)[1].lower() if "." in name else ""


def _format_size(n: int) -> str:
    mb = n / (1024 * 1024)
    if mb >= 10:
        return f"{mb:.0f} MB"
    if mb >= 0.1:
        return f"{mb:.1f} MB"
    return f"{mb:.2f} MB（{n} 字节/bytes）"


def _unsupported(kind: tuple[str, str]) -> IngestError:
    return IngestError(
        "unsupported",
        f"暂不支持{kind[0]}。{_SAVE_AS_ZH}",
        f"This is {kind[1]}, which is not supported. {_SAVE_AS_EN}",
    )


def _binary(kind_zh: str, kind_en: str) -> IngestError:
    return IngestError(
        "binary",
        f"这不是文字文件，而是{kind_zh}。请上传 .docx、.pdf 或 .txt 格式的文件；"
        "如果是扫描的图片，请先用 OCR（文字识别）转成文字。",
        f"This is not a text file but {kind_en}. Please upload a .docx, .pdf or .txt file; "
        "for scanned images, run OCR (text recognition) first.",
    )


def _corrupt(kind_zh: str, kind_en: str) -> IngestError:
    return IngestError(
        "corrupt",
        f"这个 {kind_zh}已损坏或不完整（可能没有上传完），无法打开。请重新保存或导出后再上传。",
        f"This {kind_en} is damaged or incomplete (perhaps the upload was cut off) and cannot be "
        "opened. Please save or export it again and re-upload.",
    )
