"""The GB/T 9704-2012 page (党政机关公文格式) for python-docx: one builder for bulletins and urging notices.

The numbers (all derived below, see docs/bulletins.md):

- A4, margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm: a type area
  of 156 mm × 225 mm.
- 22 lines of 28 characters of 3号 (16 pt) text. Line pitch = 225 mm / 22 =
  579.8 twips, rounded *down* to 579 twips (28.95 pt) so that 22 lines always
  fit; paragraphs use it as an exact line spacing, and the section's
  ``w:docGrid type="lines"`` carries it as ``linePitch``.
  Characters: 28 × 16 pt = 448 pt is wider than the 442.2 pt (8845 twips) type
  width, so body text is condensed by character spacing (``w:spacing`` in the
  run properties, twentieths of a point) rather than by a character grid:
  (8845 / 28 − 320) = −4.1 twips, and with the 2-character first-line indent
  (640 + 26 × pitch ≤ 8845) −4.04, both rounded down to **−5** (−0.25 pt), so
  the pitch is 15.75 pt and 28 characters take 441 pt. Word, WPS *and*
  LibreOffice apply character spacing alike; LibreOffice does not compress a
  ``linesAndChars`` grid narrower than the font (it gives each character two
  cells), which is why no character grid is used.
- Title 2号 (22 pt) 方正小标宋简体, at most 20 characters a line (440 pt); a
  longer title is split into two lines by ``title_lines`` at a natural break
  (before 落实情况 / 的通报 …), the most even one, never leaving one character
  alone; body 3号 仿宋_GB2312; level-1 headings
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

import copy
import io
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from docx import Document as new_document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor, Twips

from luoshi.lib.bounds import xml_safe

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


TYPE_WIDTH_TWIPS = (
    mm_to_twips(PAGE_WIDTH_MM) - mm_to_twips(LEFT_MM) - mm_to_twips(RIGHT_MM)
)  # 11906-1587-1474
TYPE_HEIGHT_TWIPS = (PAGE_HEIGHT_MM - TOP_MM - BOTTOM_MM) * 1440 / 25.4
LINE_PITCH_TWIPS = math.floor(TYPE_HEIGHT_TWIPS / LINES_PER_PAGE)  # 579 = 28.95 pt
TWO_CHARS_TWIPS = 2 * BODY_PT * 20
# Character spacing (twips = 1/20 pt) so that 28 body characters fit the type width, also after the
# 2-character first-line indent (which Word and LibreOffice measure at the full 16 pt): -5 = -0.25 pt.
CHAR_SPACING_TWIPS = math.floor(
    min(
        TYPE_WIDTH_TWIPS / CHARS_PER_LINE - BODY_PT * 20,
        (TYPE_WIDTH_TWIPS - TWO_CHARS_TWIPS) / (CHARS_PER_LINE - 2) - BODY_PT * 20,
    )
)
CHAR_PITCH_PT = BODY_PT + CHAR_SPACING_TWIPS / 20  # 15.75 pt; 28 x 15.75 = 441 pt <= 442.2 pt
TITLE_CHARS_PER_LINE = TYPE_WIDTH_TWIPS // (TITLE_PT * 20)  # 20 characters of 22 pt
# Where a two-line title may break (before these words), as GB/T 9704 7.3.1 asks: "词意完整，排列对称".
TITLE_BREAKS = (
    "重点任务",
    "落实情况",
    "工作情况",
    "进展情况",
    "推进情况",
    "完成情况",
    "执行情况",
    "办理情况",
    "的通报",
    "的通知",
    "的报告",
    "的意见",
    "的决定",
    "的批复",
    "的函",
)
# What follows w:spacing in w:rPr and w:snapToGrid in w:pPr (ECMA-376 order; Word is strict about it).
_AFTER_RPR_SPACING = (
    "w:w",
    "w:kern",
    "w:position",
    "w:sz",
    "w:szCs",
    "w:highlight",
    "w:u",
    "w:effect",
    "w:bdr",
    "w:shd",
    "w:fitText",
    "w:vertAlign",
    "w:rtl",
    "w:cs",
    "w:em",
    "w:lang",
    "w:eastAsianLayout",
    "w:specVanish",
    "w:oMath",
)
_AFTER_PPR_SNAP_TO_GRID = (
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)
_NO_LINE_START = "，。、；：？！）》」』”’%"
_NO_LINE_END = "（《「『“‘"


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


def set_char_spacing(element: object, twips: int = CHAR_SPACING_TWIPS) -> None:
    """Condense (or, with 0, reset) the character spacing of a style or run: ``w:rPr/w:spacing``."""
    rpr = element.get_or_add_rPr()  # type: ignore[attr-defined]
    spacing = rpr.find(qn("w:spacing"))
    if spacing is None:
        spacing = OxmlElement("w:spacing")
        rpr.insert_element_before(spacing, *_AFTER_RPR_SPACING)  # schema order
    spacing.set(qn("w:val"), str(twips))


def title_lines(text: str, per_line: int = TITLE_CHARS_PER_LINE) -> list[str]:
    """The title as it should be set: one line when it fits, else two lines split at a natural break.

    Breaks are tried before the words in ``TITLE_BREAKS`` (not inside a longer one of them); the most
    even split whose two lines both fit wins. Without one, the most even split anywhere a line may break
    (not inside a run of Latin letters or digits, no closing punctuation starting a line). A title too
    long for two lines is returned whole for the renderer to wrap.
    """
    if _set_width(text) <= per_line:
        return [text]

    def fits(i: int) -> bool:
        return _set_width(text[:i]) <= per_line and _set_width(text[i:]) <= per_line

    def imbalance(i: int) -> tuple[float, int]:
        return abs(_set_width(text[:i]) - _set_width(text[i:])), i

    spans = [(m, m + len(word)) for word in TITLE_BREAKS for m in _find_all(text, word)]
    natural = {
        start for start, _ in spans if 0 < start < len(text) and not any(s < start < e for s, e in spans)
    }
    candidates = [i for i in natural if fits(i)]
    if not candidates:
        candidates = [i for i in range(1, len(text)) if _may_break(text, i) and fits(i)]
    if not candidates:
        return [text]
    best = min(candidates, key=imbalance)
    return [text[:best], text[best:]]


def _set_width(text: str) -> float:
    """A cautious width in characters of the font size: ``text_width_chars`` plus what renderers add
    around Latin text, a quarter character at each CJK/Latin boundary (Word's and LibreOffice's automatic
    spacing) and a tenth per Latin character (fallback fonts' digits are wider than half a character)."""
    boundaries = sum(1 for a, b in itertools.pairwise(text) if a.isascii() != b.isascii())
    return text_width_chars(text) + 0.25 * boundaries + 0.1 * sum(1 for c in text if c.isascii())


def _find_all(text: str, word: str) -> list[int]:
    found, start = [], text.find(word)
    while start != -1:
        found.append(start)
        start = text.find(word, start + 1)
    return found


def _may_break(text: str, i: int) -> bool:
    before, after = text[i - 1], text[i]
    if before.isascii() and after.isascii() and before.isalnum() and after.isalnum():
        return False
    return after not in _NO_LINE_START and before not in _NO_LINE_END


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
        # Lines only: 22 lines a page. No character grid (see the module docstring): the 28 characters a
        # line come from the condensed character spacing of the body styles and runs.
        grid.set(qn("w:type"), "lines")
        grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))
        grid.attrib.pop(qn("w:charSpace"), None)

    def _styles(self) -> None:
        styles = self.doc.styles
        normal = styles["Normal"]
        set_fonts(normal.element, east_asian=BODY_FONT)
        normal.font.size = Pt(BODY_PT)
        set_char_spacing(normal.element)
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
                # 3号 by default too, so text in any style starts from the body size.
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
            set_char_spacing(style.element)
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
        set_char_spacing(title.element, 0)  # 20 characters of 22 pt fit uncondensed
        _no_grid(title.element)  # off the 22-line grid

        table = styles.add_style(TABLE_STYLE, 1)
        table.base_style = normal
        set_fonts(table.element, east_asian=BODY_FONT)
        table.font.size = Pt(TABLE_PT)
        set_char_spacing(table.element, 0)
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
        """The title, split by ``title_lines`` with a line break (``w:br``) in one paragraph."""
        p = self.doc.add_paragraph(style=TITLE_STYLE)
        lines = title_lines(xml_safe(text))
        for k, line in enumerate(lines):
            run = p.add_run(line)
            if k < len(lines) - 1:
                run.add_break()
        self._runs_follow_style()

    def subtitle(self, text: str) -> None:
        """A centered 楷体 line under the title (the bulletin number, a date)."""
        p = self.doc.add_paragraph(style="Normal")
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(xml_safe(text))
        set_fonts(run._r, east_asian=HEADING_FONTS[2])
        set_char_spacing(run._r)

    def blank(self) -> None:
        self.doc.add_paragraph(style="Normal")

    def heading(self, level: int, text: str) -> None:
        """A level 1–3 heading, kept with what follows (``w:keepNext``) and in one piece (``w:keepLines``).

        Set on the paragraph as well as on the style, so that a reader honouring only direct formatting
        still keeps it. LibreOffice needs more (no heading directly under another, see outline.blocks).
        """
        p = self.doc.add_paragraph(xml_safe(text), style=f"Heading {level}")
        p.paragraph_format.keep_with_next = True
        p.paragraph_format.keep_together = True
        self._runs_follow_style()

    def keep_with_next(self) -> None:
        """Keep the last paragraph on the page of what follows (e.g. the sentence introducing a table)."""
        self.doc.paragraphs[-1].paragraph_format.keep_with_next = True

    def paragraph(self, text: str, *, lead: str = "", indent: bool = True, addressee: bool = False) -> None:
        """A body paragraph, first line indented two characters; ``lead`` is set in 仿宋 bold before it."""
        p = self.doc.add_paragraph(style="Normal")
        if indent and not addressee:
            p.paragraph_format.first_line_indent = Twips(TWO_CHARS_TWIPS)
            _indent_chars(p._p.get_or_add_pPr(), first_line=200)
        if lead:
            run = p.add_run(xml_safe(lead))
            run.bold = True
            set_fonts(run._r, east_asian=BODY_FONT)
            set_char_spacing(run._r)
        run = p.add_run(xml_safe(text))
        set_fonts(run._r, east_asian=BODY_FONT)
        set_char_spacing(run._r)

    def table(self, columns: Sequence[Column], rows: Sequence[Sequence[object]]) -> None:
        """A table as wide as the type area, fixed layout, header row repeated on each page.

        The rows are written as XML (``_table_row``), not cell by cell through python-docx, whose
        ``row.cells`` walks the whole table on every call and whose style lookups scan every style:
        a table of a region's 2,000 tasks took minutes that way.
        """
        table = self.doc.add_table(rows=0, cols=len(columns))
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
        style_id = self.doc.styles[TABLE_STYLE].style_id
        header = [
            _cell_template(w, style_id=style_id, left=False, east_asian=HEADING_FONTS[1]) for w in widths
        ]
        body = [
            _cell_template(w, style_id=style_id, left=c.align == "left", east_asian=BODY_FONT)
            for w, c in zip(widths, columns, strict=True)
        ]
        tbl = table._tbl
        tbl.append(_table_row(header, [c.header for c in columns], repeat=True))  # repeated on every page
        for values in rows:
            tbl.append(_table_row(body, values, repeat=False))
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
            run = p.add_run(xml_safe(text))
            set_fonts(run._r, east_asian=BODY_FONT)
            set_char_spacing(run._r)

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()

    def _runs_follow_style(self) -> None:
        """Name the style's fonts and character spacing on the last paragraph's runs too (WPS reads runs
        first)."""
        p = self.doc.paragraphs[-1]
        rpr = p.style.element.rPr if p.style is not None else None
        fonts = rpr.rFonts if rpr is not None else None
        east_asian = fonts.get(qn("w:eastAsia")) if fonts is not None else BODY_FONT
        spacing = rpr.find(qn("w:spacing")) if rpr is not None else None
        for run in p.runs:
            set_fonts(run._r, east_asian=east_asian or BODY_FONT)
            if spacing is not None:
                set_char_spacing(run._r, int(spacing.get(qn("w:val"))))


def _cell_template(twips: int, *, style_id: str, left: bool, east_asian: str) -> object:
    """One table cell as python-docx writes it: width, the table text style (left-aligned for long
    text), and an empty run naming the fonts."""
    jc = '<w:jc w:val="left"/>' if left else ""
    return parse_xml(
        f'<w:tc {nsdecls("w")}><w:tcPr><w:tcW w:type="dxa" w:w="{twips}"/></w:tcPr>'
        f'<w:p><w:pPr><w:pStyle w:val="{style_id}"/>{jc}</w:pPr>'
        f'<w:r><w:rPr><w:rFonts w:ascii="{LATIN_FONT}" w:hAnsi="{LATIN_FONT}" w:eastAsia="{east_asian}" '
        f'w:cs="{LATIN_FONT}" w:hint="eastAsia"/></w:rPr></w:r></w:p></w:tc>'
    )


def _table_row(cells: Sequence[object], values: Sequence[object], *, repeat: bool) -> object:
    """A ``w:tr`` never split across pages (``w:cantSplit``), the header repeated (``w:tblHeader``)."""
    row = OxmlElement("w:tr")
    props = OxmlElement("w:trPr")
    props.append(OxmlElement("w:cantSplit"))
    if repeat:
        props.append(OxmlElement("w:tblHeader"))
    row.append(props)
    for template, value in zip(cells, values, strict=True):
        cell: Any = copy.deepcopy(template)
        if value is not None and (text := xml_safe(str(value))):
            cell.find(f"{qn('w:p')}/{qn('w:r')}").text = text  # CT_R.text: tabs and line breaks as Word's
        row.append(cell)
    return row


def _no_grid(style_element: object) -> None:
    ppr = style_element.get_or_add_pPr()  # type: ignore[attr-defined]
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    ppr.insert_element_before(snap, *_AFTER_PPR_SNAP_TO_GRID)  # schema order


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
    """ "— N —" with a PAGE field, 4号 宋体, one character in from the outer edge."""
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
        set_char_spacing(r._r, 0)  # the Footer style inherits Normal's condensed spacing
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
