"""The GB/T 9704-2012 page (党政机关公文格式) for python-docx: one builder for bulletins and urging notices.

The numbers (all derived below, see docs/bulletins.md):

- A4, margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm: a type area
  of 156 mm × 225 mm.
- 22 lines of 28 characters of 3号 (16 pt) text. Line pitch = 225 mm / 22 =
  579.8 twips, rounded *down* to 579 twips (28.95 pt) so that 22 lines always
  fit; paragraphs use it as an exact line spacing, and the section's
  ``w:docGrid type="linesAndChars"`` carries it as ``linePitch``.
  Character pitch = type width / 28 = 8845 twips / 28 = 15.795 pt;
  ``charSpace`` is the difference from the 16 pt font in 1/4096 pt, rounded
  down so that 28 characters always fit: (15.795 − 16) × 4096 → −842.
- Title 2号 (22 pt) 方正小标宋简体; body 3号 仿宋_GB2312; level-1 headings
  黑体, level-2 楷体_GB2312, level-3 仿宋_GB2312 bold; tables 仿宋_GB2312
  五号 (10.5 pt) at the full type width.
- Page numbers 4号 (14 pt) 宋体 "— 1 —" below the type area: odd pages
  right, even pages left, one character in from the edge (separate odd and
  even footers with a PAGE field).

Fonts are referred to by name only (Word and WPS on the intranet have them;
elsewhere the viewer substitutes). Chinese font names are set on the East
Asian attribute (``w:rFonts/@w:eastAsia``): python-docx's ``font.name`` sets
only the Latin ones.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass

from docx import Document as new_document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor, Twips

PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
TOP_MM, BOTTOM_MM, LEFT_MM, RIGHT_MM = 37, 35, 28, 26
FOOTER_DISTANCE_MM = 25  # puts the "— 1 —" line about 7 mm below the type area
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28
TITLE_PT, BODY_PT, PAGE_NUMBER_PT, TABLE_PT = 22, 16, 14, 10.5

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONTS = {1: "黑体", 2: "楷体_GB2312", 3: "仿宋_GB2312"}
PAGE_NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"

TITLE_STYLE = "Official Title"
TABLE_STYLE = "Table Text"


def mm_to_twips(mm: float) -> int:
    return round(mm * 1440 / 25.4)  # as python-docx writes Mm() lengths


TYPE_WIDTH_TWIPS = mm_to_twips(PAGE_WIDTH_MM) - mm_to_twips(LEFT_MM) - mm_to_twips(RIGHT_MM)  # 11906-1587-1474
TYPE_HEIGHT_TWIPS = (PAGE_HEIGHT_MM - TOP_MM - BOTTOM_MM) * 1440 / 25.4
LINE_PITCH_TWIPS = math.floor(TYPE_HEIGHT_TWIPS / LINES_PER_PAGE)  # 579 = 28.95 pt
CHAR_SPACE = math.floor((TYPE_WIDTH_TWIPS / 20 / CHARS_PER_LINE - BODY_PT) * 4096)  # -842
TWO_CHARS_TWIPS = 2 * BODY_PT * 20


def set_fonts(element: object, *, east_asian: str, latin: str = LATIN_FONT) -> None:
    """Name the fonts on an element with an rPr (a style, a run): Latin and, crucially, East Asian."""
    rpr = element.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = rpr.get_or_add_rFonts()
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:hint"), "eastAsia")


def text_width_chars(text: str) -> float:
    """Width in body characters: CJK and full-width count 1, ASCII 0.5."""
    return sum(0.5 if ord(c) < 128 else 1 for c in text)


@dataclass(frozen=True)
class Column:
    header: str
    weight: float  # share of the type width
    align: str = "center"  # "left" for long text


class OfficialDocument:
    """A GB/T 9704 document being written: title, headings, paragraphs, tables, signature."""

    def __init__(self) -> None:
        self.doc = new_document()
        self._page()
        self._styles()
        self._footers()

    # ----------------------------------------------------------------- page
    def _page(self) -> None:
        section = self.doc.sections[0]
        section.start_type = WD_SECTION.NEW_PAGE
        section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
        section.top_margin, section.bottom_margin = Mm(TOP_MM), Mm(BOTTOM_MM)
        section.left_margin, section.right_margin = Mm(LEFT_MM), Mm(RIGHT_MM)
        section.footer_distance = Mm(FOOTER_DISTANCE_MM)
        section.header_distance = Mm(15)
        grid = section._sectPr.find(qn("w:docGrid"))
        if grid is None:
            grid = OxmlElement("w:docGrid")
            section._sectPr.append(grid)
        grid.set(qn("w:type"), "linesAndChars")
        grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))
        grid.set(qn("w:charSpace"), str(CHAR_SPACE))

    def _styles(self) -> None:
        styles = self.doc.styles
        normal = styles["Normal"]
        set_fonts(normal.element, east_asian=BODY_FONT)
        normal.font.size = Pt(BODY_PT)
        fmt = normal.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Twips(LINE_PITCH_TWIPS)
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), "en-US")
        lang.set(qn("w:eastAsia"), "zh-CN")
        normal.element.get_or_add_rPr().append(lang)
        # Defaults too, so styles not based on Normal (tables) name the East Asian font.
        defaults = self.doc.styles.element.find(qn("w:docDefaults"))
        if defaults is not None:
            rpr_default = defaults.find(qn("w:rPrDefault"))
            rpr = rpr_default.find(qn("w:rPr")) if rpr_default is not None else None
            if rpr is not None:
                fonts = rpr.find(qn("w:rFonts"))
                if fonts is None:
                    fonts = OxmlElement("w:rFonts")
                    rpr.insert(0, fonts)
                for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                    fonts.attrib.pop(qn(attribute), None)
                fonts.set(qn("w:ascii"), LATIN_FONT)
                fonts.set(qn("w:hAnsi"), LATIN_FONT)
                fonts.set(qn("w:eastAsia"), BODY_FONT)
                # The character grid is measured from the default size (LibreOffice reads it here).
                for tag in ("w:sz", "w:szCs"):
                    size = rpr.find(qn(tag))
                    if size is None:
                        size = OxmlElement(tag)
                        rpr.append(size)
                    size.set(qn("w:val"), str(BODY_PT * 2))
                default_lang = rpr.find(qn("w:lang"))
                if default_lang is not None:
                    default_lang.set(qn("w:eastAsia"), "zh-CN")

        for level, font in HEADING_FONTS.items():
            style = styles[f"Heading {level}"]
            set_fonts(style.element, east_asian=font)
            style.font.size = Pt(BODY_PT)
            style.font.bold = level == 3
            style.font.italic = False
            style.font.color.rgb = RGBColor(0, 0, 0)
            f = style.paragraph_format
            f.space_before = f.space_after = Pt(0)
            f.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            f.line_spacing = Twips(LINE_PITCH_TWIPS)
            f.first_line_indent = Twips(TWO_CHARS_TWIPS)
            f.keep_with_next = True
            _indent_chars(style.element.get_or_add_pPr(), first_line=200)

        title = styles.add_style(TITLE_STYLE, 1)
        title.base_style = normal
        set_fonts(title.element, east_asian=TITLE_FONT)
        title.font.size = Pt(TITLE_PT)
        title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        title.paragraph_format.first_line_indent = Pt(0)
        _no_grid(title.element)  # 22 pt characters would take two grid cells each

        table = styles.add_style(TABLE_STYLE, 1)
        table.base_style = normal
        set_fonts(table.element, east_asian=BODY_FONT)
        table.font.size = Pt(TABLE_PT)
        tf = table.paragraph_format
        tf.line_spacing_rule = WD_LINE_SPACING.SINGLE
        tf.first_line_indent = Pt(0)
        tf.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _no_grid(table.element)  # table rows do not follow the 22-line grid

    def _footers(self) -> None:
        self.doc.settings.odd_and_even_pages_header_footer = True
        section = self.doc.sections[0]
        _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
        _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)

    # -------------------------------------------------------------- content
    def title(self, text: str) -> None:
        self.doc.add_paragraph(text, style=TITLE_STYLE)
        self._runs_follow_style()

    def subtitle(self, text: str) -> None:
        """A centered 楷体 line under the title (the bulletin number, a date)."""
        p = self.doc.add_paragraph(style="Normal")
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(text)
        set_fonts(run._r, east_asian=HEADING_FONTS[2])

    def blank(self) -> None:
        self.doc.add_paragraph(style="Normal")

    def heading(self, level: int, text: str) -> None:
        self.doc.add_paragraph(text, style=f"Heading {level}")
        self._runs_follow_style()

    def paragraph(self, text: str, *, lead: str = "", indent: bool = True, addressee: bool = False) -> None:
        """A body paragraph, first line indented two characters; ``lead`` is set in 仿宋 bold before it."""
        p = self.doc.add_paragraph(style="Normal")
        if indent and not addressee:
            p.paragraph_format.first_line_indent = Twips(TWO_CHARS_TWIPS)
            _indent_chars(p._p.get_or_add_pPr(), first_line=200)
        if lead:
            run = p.add_run(lead)
            run.bold = True
            set_fonts(run._r, east_asian=BODY_FONT)
        run = p.add_run(text)
        set_fonts(run._r, east_asian=BODY_FONT)

    def table(self, columns: Sequence[Column], rows: Sequence[Sequence[object]]) -> None:
        """A table as wide as the type area, fixed layout, header row repeated on each page."""
        table = self.doc.add_table(rows=1 + len(rows), cols=len(columns))
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        widths = _split(TYPE_WIDTH_TWIPS, [c.weight for c in columns])
        tbl_pr = table._tbl.tblPr
        width = tbl_pr.find(qn("w:tblW"))
        if width is None:
            width = OxmlElement("w:tblW")
            tbl_pr.append(width)
        width.set(qn("w:w"), str(TYPE_WIDTH_TWIPS))
        width.set(qn("w:type"), "dxa")
        for grid_col, twips in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
            grid_col.set(qn("w:w"), str(twips))
        header_row = table.rows[0]
        tr_pr = header_row._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")
        tr_pr.append(repeat)
        for r, values in enumerate([[c.header for c in columns], *rows]):
            for c, (value, column) in enumerate(zip(values, columns, strict=True)):
                cell = table.cell(r, c)
                cell.width = Twips(widths[c])
                p = cell.paragraphs[0]
                p.style = self.doc.styles[TABLE_STYLE]
                if r and column.align == "left":
                    p.alignment = WD_ALIGN_PARAGRAPH.LEFT
                run = p.add_run("" if value is None else str(value))
                set_fonts(run._r, east_asian=HEADING_FONTS[1] if r == 0 else BODY_FONT)
        self.doc.add_paragraph(style="Normal")  # GB/T 9704 wants text, not a table, to end a page

    def signature(self, *, office: str, date_text: str) -> None:
        """Issuing office over the date, both right-aligned, the date two characters in from the right
        and the office centred above it (GB/T 9704-2012 7.3.5.2, for documents without a seal)."""
        self.blank()
        offset = max(0.0, (text_width_chars(date_text) - text_width_chars(office)) / 2)
        for text, chars in ((office, 2 + offset), (date_text, 2.0)):
            p = self.doc.add_paragraph(style="Normal")
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            p.paragraph_format.right_indent = Twips(round(chars * BODY_PT * 20))
            _indent_chars(p._p.get_or_add_pPr(), right=round(chars * 100))
            run = p.add_run(text)
            set_fonts(run._r, east_asian=BODY_FONT)

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()

    def _runs_follow_style(self) -> None:
        """Name the style's fonts on the last paragraph's runs too (WPS reads runs first)."""
        p = self.doc.paragraphs[-1]
        fonts = p.style.element.rPr.rFonts if p.style is not None and p.style.element.rPr is not None else None
        east_asian = fonts.get(qn("w:eastAsia")) if fonts is not None else BODY_FONT
        for run in p.runs:
            set_fonts(run._r, east_asian=east_asian or BODY_FONT)


def _no_grid(style_element: object) -> None:
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    style_element.get_or_add_pPr().append(snap)  # type: ignore[attr-defined]


def _indent_chars(ppr: object, *, first_line: int | None = None, right: int | None = None) -> None:
    """Add Word's character-based indents (hundredths of a character) next to the twip values."""
    ind = ppr.find(qn("w:ind"))  # type: ignore[attr-defined]
    if ind is None:
        ind = OxmlElement("w:ind")
        ppr.append(ind)  # type: ignore[attr-defined]
    if first_line is not None:
        ind.set(qn("w:firstLineChars"), str(first_line))
    if right is not None:
        ind.set(qn("w:rightChars"), str(right))


def _page_number(paragraph: object, alignment: WD_ALIGN_PARAGRAPH) -> None:
    """"— N —" with a PAGE field, 4号 宋体, one character in from the outer edge."""
    p = paragraph
    p.alignment = alignment  # type: ignore[attr-defined]
    fmt = p.paragraph_format  # type: ignore[attr-defined]
    fmt.first_line_indent = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    one_char = Pt(PAGE_NUMBER_PT)
    if alignment == WD_ALIGN_PARAGRAPH.RIGHT:
        fmt.right_indent = one_char
    else:
        fmt.left_indent = one_char

    def run(text: str = "") -> object:
        r = p.add_run(text)  # type: ignore[attr-defined]
        r.font.size = Pt(PAGE_NUMBER_PT)
        set_fonts(r._r, east_asian=PAGE_NUMBER_FONT, latin=PAGE_NUMBER_FONT)
        return r

    run("— ")
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        r = run()
        if kind is not None:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            r._r.append(char)  # type: ignore[attr-defined]
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            r._r.append(instr)  # type: ignore[attr-defined]
        else:
            r.text = text  # type: ignore[attr-defined]
    run(" —")


def _split(total: int, weights: Sequence[float]) -> list[int]:
    """Whole twips in proportion to the weights, summing exactly to ``total``."""
    whole = sum(weights)
    widths = [int(total * w / whole) for w in weights]
    widths[-1] += total - sum(widths)
    return widths
