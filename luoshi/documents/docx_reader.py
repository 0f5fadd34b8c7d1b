"""Read a Word (.docx) file: body paragraphs and tables in document order.

No Django here.  Automatic list numbering is rendered into the text the way Word
shows it (``docx_numbering``).  Each table row becomes one line with cells joined
by ``TABLE_CELL_SEPARATOR``.  Headers, footers, footnotes, comments and text
boxes are not read.
"""

from __future__ import annotations

import io
import zipfile
import zlib

import docx
from docx.oxml.ns import qn
from lxml import etree

from luoshi.documents.docx_numbering import Numbering
from luoshi.documents.errors import IngestError, corrupt_error, unsupported_error
from luoshi.lib.package_limits import check_package, check_time

TABLE_CELL_SEPARATOR = " | "

# Total unpacked size allowed for a .docx, whatever max_bytes says (zip bombs).

_OTHER_ZIP_KINDS: tuple[tuple[str, str, str], ...] = (
    ("xl/workbook.xml", "Excel 表格（.xlsx）", "an Excel spreadsheet (.xlsx)"),
    ("ppt/presentation.xml", "PowerPoint 演示文稿（.pptx）", "a PowerPoint presentation (.pptx)"),
    ("OFD.xml", "OFD 版式文件", "an OFD document"),
    ("content.xml", "OpenDocument 文件（如 .odt）", "an OpenDocument file (.odt...)"),
)


def read_docx(data: bytes) -> tuple[str, list[str]]:
    """Read a .docx into its text and warnings: body paragraphs and tables in order, numbering rendered.

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
        raise corrupt_error("Word 文档（.docx）", "Word document (.docx)") from exc
    if "word/document.xml" not in names and b"wordprocessingml.document.main" not in content_types:
        for marker, kind_zh, kind_en in _OTHER_ZIP_KINDS:
            if marker in names:
                raise unsupported_error((kind_zh, kind_en))
        raise IngestError(
            "not_docx",
            "这是一个压缩包，但里面没有 Word 正文（word/document.xml），不是有效的 .docx 文档。"
            "请上传 Word 保存的 .docx 文件。",
            "This is a zip archive without a Word body (word/document.xml), so it is not a .docx "
            "document. Please upload a .docx saved by Word or WPS.",
        )
    if b"macroEnabled" in content_types or b"template.main" in content_types:
        raise unsupported_error(
            ("带宏的 Word 文档或 Word 模板", "a macro-enabled Word document or a Word template")
        )
    # Before python-docx builds a tree of it: bounded unpacked size, ratio, parts, elements; no DTD.
    check_package(data, kind_zh="Word 文档", kind_en="Word document", error=IngestError)
    try:
        document = docx.Document(io.BytesIO(data))
        body = document.element.body
        numbering = document.part.numbering_part.element
        styles = document.styles.element
    except Exception as exc:  # python-docx raises many kinds of errors on a damaged package
        raise corrupt_error("Word 文档（.docx）", "Word document (.docx)") from exc
    reader = _DocxBodyReader(Numbering(numbering, styles))
    reader.read_blocks(body)
    text = "\n".join(reader.lines)
    if not text.strip():
        raise IngestError("empty", "Word 文档里没有正文文字。", "The Word document contains no body text.")
    return text, reader.warnings()


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

    def __init__(self, numbering: Numbering) -> None:
        self.numbering = numbering
        self.lines: list[str] = []
        self.has_revisions = False
        self.has_text_boxes = False
        self.has_alt_chunks = False

    def read_blocks(self, parent: etree._Element) -> None:
        for child in parent.iterchildren():
            check_time()
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
            check_time()  # a single paragraph may hold hundreds of thousands of runs
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
