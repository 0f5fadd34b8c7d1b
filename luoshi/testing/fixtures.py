"""Build test documents (.docx, .pdf) in memory, from the seed or from given text.

Nothing here reads a file other than the seed: tests make the documents they
need, so every fixture is visible next to the assertion that uses it.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

import docx
from docx.document import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from luoshi.testing.paths import seed_text


@dataclass(frozen=True)
class Numbered:
    """A paragraph numbered automatically by Word.

    level 0 renders as "一、", 1 as "（一）", 2 as "1.", 3 as "（1）".
    """

    level: int
    text: str


# A .docx body block: a plain paragraph, a numbered paragraph, or a table (rows of cells).
DocxBlock = str | Numbered | list[list[str]]

# (numFmt, lvlText, suffix) of each level of the test list definition.
CHINESE_LIST_LEVELS: tuple[tuple[str, str, str], ...] = (
    ("chineseCounting", "%1、", "nothing"),
    ("chineseCounting", "（%2）", "nothing"),
    ("decimal", "%3.", "space"),
    ("decimal", "（%4）", "nothing"),
)


def make_docx(
    paragraphs: Sequence[str],
    *,
    numbered: Sequence[tuple[int, str]] | None = None,
    table: Sequence[Sequence[str]] | None = None,
) -> bytes:
    """A .docx with the plain paragraphs, then the numbered ones (level, text), then the table."""
    blocks: list[DocxBlock] = list(paragraphs)
    blocks.extend(Numbered(level, text) for level, text in numbered or ())
    if table:
        blocks.append([list(row) for row in table])
    return make_docx_blocks(blocks)


def make_docx_blocks(blocks: Sequence[DocxBlock]) -> bytes:
    """A .docx whose body holds the blocks in the order given."""
    document = docx.Document()
    num_id = add_chinese_list(document) if any(isinstance(b, Numbered) for b in blocks) else ""
    for block in blocks:
        if isinstance(block, str):
            document.add_paragraph(block)
        elif isinstance(block, Numbered):
            number_paragraph(document.add_paragraph(block.text), num_id=num_id, level=block.level)
        else:
            columns = max((len(row) for row in block), default=1)
            table = document.add_table(rows=len(block), cols=columns)
            for row, values in zip(table.rows, block, strict=True):
                for cell, value in zip(row.cells, values, strict=False):
                    cell.text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def add_chinese_list(document: Document) -> str:
    """Add a list definition with CHINESE_LIST_LEVELS to numbering.xml; return its numId."""
    numbering = document.part.numbering_part.element
    abstract_ids = [int(a.get(qn("w:abstractNumId"))) for a in numbering.iterchildren(qn("w:abstractNum"))]
    num_ids = [int(n.get(qn("w:numId"))) for n in numbering.iterchildren(qn("w:num"))]
    abstract_id, num_id = str(max(abstract_ids, default=0) + 1), str(max(num_ids, default=0) + 1)

    abstract = OxmlElement("w:abstractNum", {qn("w:abstractNumId"): abstract_id})
    multi_level = OxmlElement("w:multiLevelType", {qn("w:val"): "multilevel"})
    abstract.append(multi_level)
    for index, (num_fmt, lvl_text, suffix) in enumerate(CHINESE_LIST_LEVELS):
        level = OxmlElement("w:lvl", {qn("w:ilvl"): str(index)})
        for tag, value in (
            ("w:start", "1"),
            ("w:numFmt", num_fmt),
            ("w:suff", suffix),
            ("w:lvlText", lvl_text),
            ("w:lvlJc", "left"),
        ):
            level.append(OxmlElement(tag, {qn("w:val"): value}))
        abstract.append(level)
    # Schema order: every w:abstractNum comes before the first w:num.
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    num = OxmlElement("w:num", {qn("w:numId"): num_id})
    num.append(OxmlElement("w:abstractNumId", {qn("w:val"): abstract_id}))
    numbering.append(num)
    return num_id


def add_list_instance(document: Document, *, like_num_id: str, restart: bool) -> str:
    """Add a w:num sharing ``like_num_id``'s definition; restart=True adds a startOverride at level 0."""
    numbering = document.part.numbering_part.element
    nums = {n.get(qn("w:numId")): n for n in numbering.iterchildren(qn("w:num"))}
    abstract_id = nums[like_num_id].find(qn("w:abstractNumId")).get(qn("w:val"))
    num_id = str(max(int(n) for n in nums) + 1)
    num = OxmlElement("w:num", {qn("w:numId"): num_id})
    num.append(OxmlElement("w:abstractNumId", {qn("w:val"): abstract_id}))
    if restart:
        override = OxmlElement("w:lvlOverride", {qn("w:ilvl"): "0"})
        override.append(OxmlElement("w:startOverride", {qn("w:val"): "1"}))
        num.append(override)
    numbering.append(num)
    return num_id


def number_paragraph(paragraph: Paragraph, *, num_id: str, level: int) -> None:
    """Give a paragraph Word automatic numbering (w:numPr) from list ``num_id`` at ``level``."""
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = level
    num_pr.get_or_add_numId().val = int(num_id)


def seed_paragraphs() -> list[str]:
    """The seed's non-blank lines, as they are (one paragraph each)."""
    return [line for line in seed_text().splitlines() if line.strip()]


def seed_docx_bytes() -> bytes:
    """The seed as a .docx: one plain paragraph per non-blank line, no numbering."""
    return make_docx(seed_paragraphs())


# --- PDF ----------------------------------------------------------------------

PAGE_WIDTH, PAGE_HEIGHT = 595, 842  # A4 in points
FONT_SIZE, LEADING, MARGIN = 12, 16, 72
CHARS_PER_LINE = (PAGE_WIDTH - 2 * MARGIN) // FONT_SIZE
LINES_PER_PAGE = (PAGE_HEIGHT - 2 * MARGIN) // LEADING


def make_pdf(pages: Sequence[Sequence[str]]) -> bytes:
    """A PDF with a text layer: each page shows its lines, one under another.

    The text uses the standard Chinese font STSong-Light with the UniGB-UTF16-H
    encoding, which every PDF reader knows, so no font file is embedded.
    """
    streams = []
    for lines in pages:
        commands = [f"BT /F1 {FONT_SIZE} Tf {LEADING} TL {MARGIN} {PAGE_HEIGHT - MARGIN} Td"]
        for line in lines:
            commands.append(f"<{line.encode('utf-16-be').hex().upper()}> Tj T*")
        commands.append("ET")
        streams.append("\n".join(commands).encode("ascii"))
    return _pdf(streams)


def make_drawing_only_pdf(page_count: int = 1) -> bytes:
    """A PDF whose pages hold only a filled rectangle: no text layer, like a scan."""
    return _pdf([b"0.5 g 72 500 300 200 re f"] * page_count)


def make_encrypted_pdf() -> bytes:
    """A PDF that asks for a password to open (standard security handler, RC4 40-bit)."""
    return _pdf([b"BT /F1 12 Tf 72 700 Td <4E2D> Tj ET"], encrypt=True)


def seed_pdf_bytes() -> bytes:
    """The seed as a PDF: paragraphs wrapped to the page width, a blank line between them."""
    lines: list[str] = []
    for paragraph in seed_paragraphs():
        lines.extend(paragraph[i : i + CHARS_PER_LINE] for i in range(0, len(paragraph), CHARS_PER_LINE))
        lines.append("")
    pages = [lines[i : i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)]
    return make_pdf(pages)


def _pdf(contents: Sequence[bytes], *, encrypt: bool = False) -> bytes:
    """Assemble a PDF file: catalog, page tree, one font, the pages and their content streams."""
    page_count = len(contents)
    first_page = 6
    kids = " ".join(f"{first_page + 2 * i} 0 R" for i in range(page_count))
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {page_count} >>".encode(),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UTF16-H "
        b"/DescendantFonts [4 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> "
        b"/FontDescriptor 5 0 R /DW 1000 >>",
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] "
        b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>",
    ]
    for index, content in enumerate(contents):
        content_ref = first_page + 2 * index + 1
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {content_ref} 0 R >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    trailer_extra = b""
    if encrypt:
        # /O and /U that no empty or guessed password matches: readers must ask for one.
        objects.append(
            b"<< /Filter /Standard /V 1 /R 2 /Length 40 /P -44 "
            b"/O <" + b"5A" * 32 + b"> /U <" + b"A5" * 32 + b"> >>"
        )
        trailer_extra = b" /Encrypt %d 0 R /ID [<%s> <%s>]" % (len(objects), b"01" * 16, b"01" * 16)

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        trailer_extra,
        xref_at,
    )
    return bytes(out)


def pdf_text_chars(text: str) -> str:
    """Only the non-space characters of a text, to compare PDF output with its source."""
    return re.sub(r"\s+", "", text)
