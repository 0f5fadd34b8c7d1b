"""The bulletin DOCX follows GB/T 9704-2012 and says what the roll-up says."""

from __future__ import annotations

import itertools

import pytest
from docx.enum.text import WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Length, Pt

from luoshi.bulletins.query import bulletin_data
from luoshi.bulletins.renderers.gbt9704 import (
    CHAR_SPACING_TWIPS,
    LINE_PITCH_TWIPS,
    TYPE_WIDTH_TWIPS,
    OfficialDocument,
    title_lines,
)
from luoshi.bulletins.services import masthead, render
from luoshi.bulletins.tests.conftest import PERIOD, TODAY
from luoshi.bulletins.tests.render_helpers import all_text, char_spacing, east_asian, footer_xml, open_docx
from luoshi.ratings.services import rollup
from luoshi.site.demo import DemoSummary

pytestmark = pytest.mark.django_db


@pytest.fixture
def docx_bytes(demo: DemoSummary) -> bytes:
    data = bulletin_data(period=PERIOD, as_of=TODAY)
    return render(data, fmt="docx", head=masthead(data, number="2024年第1期", issue_date=TODAY))


def test_it_uses_the_a4_page_and_margins(docx_bytes: bytes) -> None:
    section = open_docx(docx_bytes).sections[0]
    assert section.page_width is not None and section.page_height is not None
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m.mm, 1) for m in margins if m is not None] == [37.0, 35.0, 28.0, 26.0]


def test_22_lines_of_28_characters_by_line_grid_and_condensed_character_spacing(docx_bytes: bytes) -> None:
    doc = open_docx(docx_bytes)
    grid = doc.sections[0]._sectPr.find(qn("w:docGrid"))
    # Lines only: a character grid narrower than the font is letter-spaced by LibreOffice (two cells a character).
    assert grid.get(qn("w:type")) == "lines" and grid.get(qn("w:charSpace")) is None
    assert grid.get(qn("w:linePitch")) == str(LINE_PITCH_TWIPS) == "579"
    height_pt = (297 - 37 - 35) / 25.4 * 72
    assert 22 * LINE_PITCH_TWIPS / 20 <= height_pt < 23 * LINE_PITCH_TWIPS / 20
    normal = doc.styles["Normal"]
    assert normal.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert normal.paragraph_format.line_spacing == Pt(28.95)
    # 28 characters: 16 pt condensed by w:spacing (twentieths of a point) fit the 156 mm line, 29 do not,
    # and after the two-character first-line indent (measured at the full 16 pt) 26 still fit.
    assert char_spacing(normal.element) == CHAR_SPACING_TWIPS == -5
    pitch = 16 * 20 + CHAR_SPACING_TWIPS
    assert 28 * pitch <= TYPE_WIDTH_TWIPS < 29 * pitch
    assert 2 * 16 * 20 + 26 * pitch <= TYPE_WIDTH_TWIPS
    assert normal.font.size == Pt(16)
    for level in (1, 2, 3):
        assert char_spacing(doc.styles[f"Heading {level}"].element) == CHAR_SPACING_TWIPS
    # On the runs too (WPS reads runs first); the title (20 characters of 22 pt fit) and tables are not condensed.
    body = next(p for p in doc.paragraphs if p.text.startswith("截至2024年4月5日"))
    assert body.runs and all(char_spacing(r._r) == CHAR_SPACING_TWIPS for r in body.runs)
    heading = next(p for p in doc.paragraphs if p.style is not None and p.style.name == "Heading 1")
    assert all(char_spacing(r._r) == CHAR_SPACING_TWIPS for r in heading.runs)
    assert char_spacing(doc.styles["Official Title"].element) == 0
    assert all(char_spacing(r._r) == 0 for r in doc.paragraphs[0].runs)
    assert TYPE_WIDTH_TWIPS >= 20 * 22 * 20
    assert char_spacing(doc.styles["Table Text"].element) == 0


def test_character_spacing_is_written_in_schema_order() -> None:
    doc = OfficialDocument()
    doc.paragraph("正文", lead="一是")
    for rpr in doc.doc.element.body.iter(qn("w:rPr")):
        tags = [child.tag for child in rpr]
        if qn("w:spacing") in tags and qn("w:lang") in tags:
            assert tags.index(qn("w:spacing")) < tags.index(qn("w:lang"))
    normal = doc.doc.styles["Normal"].element.rPr
    tags = [child.tag for child in normal]
    assert tags.index(qn("w:rFonts")) < tags.index(qn("w:spacing")) < tags.index(qn("w:sz"))


def test_fonts_are_named_for_east_asian_text(docx_bytes: bytes) -> None:
    doc = open_docx(docx_bytes)
    normal = doc.styles["Normal"]
    assert east_asian(normal.element) == "仿宋_GB2312" and normal.font.size == Pt(16)
    title = doc.paragraphs[0]
    assert title.text.replace("\n", "") == "关于2024年第一季度重点任务落实情况的通报"
    assert title.style is not None and title.style.font.size == Pt(22)
    assert east_asian(title.style.element) == "方正小标宋简体"
    assert all(east_asian(r._r) == "方正小标宋简体" for r in title.runs)
    body = next(p for p in doc.paragraphs if p.text.startswith("截至2024年4月5日"))
    assert body.runs and all(east_asian(r._r) == "仿宋_GB2312" for r in body.runs)


def test_headings_use_the_three_official_fonts(docx_bytes: bytes) -> None:
    doc = open_docx(docx_bytes)
    expected = {
        "Heading 1": ("黑体", False),
        "Heading 2": ("楷体_GB2312", False),
        "Heading 3": ("仿宋_GB2312", True),
    }
    for name, (font, bold) in expected.items():
        style = doc.styles[name]
        assert (
            east_asian(style.element) == font and bool(style.font.bold) is bold and style.font.size == Pt(16)
        )
    headings = [p.text for p in doc.paragraphs if p.style is not None and p.style.name == "Heading 1"]
    assert headings[:2] == ["一、总体情况", "二、分部分推进情况"]
    level2 = [p.text for p in doc.paragraphs if p.style is not None and p.style.name == "Heading 2"]
    assert level2[0] == "（一）第二部分：在铸牢中华民族共同体意识上作模范"


def test_tables_fit_the_type_area(docx_bytes: bytes) -> None:
    doc = open_docx(docx_bytes)
    section = doc.sections[0]
    assert (
        section.page_width is not None
        and section.left_margin is not None
        and section.right_margin is not None
    )
    type_area = Length(section.page_width - section.left_margin - section.right_margin)
    assert type_area.twips == TYPE_WIDTH_TWIPS and round(type_area.mm) == 156  # 210 - 28 - 26
    assert len(doc.tables) >= 3
    for table in doc.tables:
        widths = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        assert sum(widths) <= type_area.twips
        assert table._tbl.tblPr.find(qn("w:tblW")).get(qn("w:w")) == str(TYPE_WIDTH_TWIPS)
        first = table.rows[1].cells[0].paragraphs[0]
        assert first.style is not None and first.style.font.size == Pt(10.5)
        assert east_asian(first.style.element) == "仿宋_GB2312"


def test_page_numbers_sit_outside_on_odd_and_even_pages(docx_bytes: bytes) -> None:
    doc = open_docx(docx_bytes)
    assert doc.settings.odd_and_even_pages_header_footer
    section = doc.sections[0]
    for part, side in ((section.footer, "right"), (section.even_page_footer, "left")):
        xml = footer_xml(part)
        assert "PAGE" in xml and ('w:fldCharType="begin"' in xml or "fldSimple" in xml)
        assert f'w:jc w:val="{side}"' in xml
        assert part.paragraphs[0].text.startswith("— ") and part.paragraphs[0].text.endswith(" —")


def test_signature_block_is_right_aligned_with_the_date_in_full(docx_bytes: bytes) -> None:
    doc = open_docx(docx_bytes)
    office, date = doc.paragraphs[-2], doc.paragraphs[-1]
    assert (office.text, date.text) == ("督查室", "2024年4月5日")
    assert office.alignment == date.alignment == 2  # right


def test_the_numbers_are_the_rollups(docx_bytes: bytes) -> None:
    doc = open_docx(docx_bytes)
    counts = rollup(as_of=TODAY).counts
    summary = {row.cells[0].text: row.cells[1].text for row in doc.tables[0].rows}
    assert summary["重点任务"] == str(counts.total)
    assert summary["按计划推进"] == str(counts.green)
    assert summary["滞后"] == str(counts.amber + counts.red)
    text = all_text(doc)
    assert f"纳入督查的重点任务共{counts.total}项" in text
    assert "（2024年第1期）" in text


def test_a_long_title_breaks_into_two_even_lines_without_an_orphan(docx_bytes: bytes) -> None:
    title = open_docx(docx_bytes).paragraphs[0]
    assert title.text.split("\n") == ["关于2024年第一季度", "重点任务落实情况的通报"]  # a w:br between them
    assert title_lines("督查催办单") == ["督查催办单"]
    for text in (
        "关于2024年第一季度重点任务落实情况的通报",
        "关于2024年上半年自治区党委重点工作推进情况的通报",
        "关于进一步加强和改进督查检查考核工作推动各项决策部署落地见效的通知",
    ):
        lines = title_lines(text)
        assert "".join(lines) == text and len(lines) == 2
        assert all(2 < len(line) <= 20 for line in lines)
    # At a natural break, not inside a word: before 推进情况 / 落实情况, never 推进|情况.
    assert title_lines("关于2024年上半年自治区党委重点工作推进情况的通报")[1].startswith("推进情况")


def test_headings_keep_with_the_next_paragraph_and_rows_do_not_split(docx_bytes: bytes) -> None:
    doc = open_docx(docx_bytes)
    for level in (1, 2, 3):
        style = doc.styles[f"Heading {level}"].paragraph_format
        assert style.keep_with_next and style.keep_together
    headings = [p for p in doc.paragraphs if p.style is not None and p.style.name.startswith("Heading")]
    assert len(headings) >= 8
    for p in headings:  # on the paragraph itself too (w:keepNext, w:keepLines), not only inherited
        assert p.paragraph_format.keep_with_next is True and p.paragraph_format.keep_together is True
        p_pr = p._p.pPr
        assert p_pr is not None and p_pr.find(qn("w:keepNext")) is not None
    # A table stays with the sentence that introduces it ("…具体如下。"), and no row breaks across pages.
    body = list(doc.element.body.iterchildren())
    for table in doc.tables:
        before = body[body.index(table._tbl) - 1]
        assert before.tag == qn("w:p") and before.pPr.find(qn("w:keepNext")) is not None
        for row in table.rows:
            tr_pr = row._tr.trPr
            assert tr_pr is not None and tr_pr.find(qn("w:cantSplit")) is not None
        header = table.rows[0]._tr.trPr
        assert header is not None
        tags = [child.tag for child in header]
        assert tags.index(qn("w:cantSplit")) < tags.index(qn("w:tblHeader"))  # schema order


def test_every_heading_is_followed_by_text_before_the_next_heading(demo: DemoSummary) -> None:
    """LibreOffice does not carry a chain of keep-with-next headings (一、 then （一）) to the next page after a
    table, and left 二、 alone at the foot of page 1; a sentence under each level-1 heading breaks the chain."""
    data = bulletin_data(period=PERIOD, as_of=TODAY)
    doc = open_docx(render(data, fmt="docx", head=masthead(data)))
    styles = [p.style.name if p.style is not None else "" for p in doc.paragraphs]
    for this, following in itertools.pairwise(styles):
        assert not (this.startswith("Heading") and following.startswith("Heading")), (this, following)
    texts = [p.text for p in doc.paragraphs]
    assert texts[texts.index("二、分部分推进情况") + 1] == "纳入督查的重点任务分属2个部分，推进情况如下。"


def test_several_decisions_get_a_sentence_each_between_their_headings() -> None:
    from luoshi.bulletins.data import BulletinData, DocumentRef, PartSummary, Summary
    from luoshi.bulletins.renderers.outline import Heading, Paragraph, blocks

    def part(doc: int, label: str) -> PartSummary:
        return PartSummary(
            document_id=doc,
            section_id=None,
            label=label,
            heading="标题",
            tasks=2,
            on_track=2,
            lagging=0,
            overdue=0,
            completed=0,
            average_progress=50.0,
            narrative=f"{label}共2项任务，均按计划推进。",
        )

    summary = Summary(
        tasks=6,
        on_track=6,
        lagging=0,
        overdue=0,
        completed=0,
        not_rated=0,
        green=6,
        amber=0,
        red=0,
        reports_due=0,
        reports_on_time=0,
        reports_late=0,
        reports_missing=0,
        on_time_rate=None,
    )
    data = BulletinData(
        period=PERIOD,
        period_label="2024年第一季度",
        start=TODAY,
        end=TODAY,
        as_of=TODAY,
        document_id=None,
        level="",
        level_label="",
        documents=[DocumentRef(1, "甲决定"), DocumentRef(2, "乙方案")],
        summary=summary,
        parts=[part(1, "第一部分"), part(2, "第一部分"), part(2, "第二部分")],
    )
    out = blocks(data)
    for this, following in itertools.pairwise(out):
        assert not (isinstance(this, Heading) and isinstance(following, Heading))
    texts = [b.text for b in out if isinstance(b, Heading | Paragraph)]
    i = texts.index("二、分部分推进情况")
    assert texts[i + 1 : i + 5] == [
        "纳入督查的重点任务涉及2个文件、3个部分，推进情况如下。",
        "（一）《甲决定》",
        "该文件纳入督查的任务共2项，分属1个部分。",
        "1.第一部分：标题",
    ]
    assert "（二）《乙方案》" in texts and "2.第二部分：标题" in texts
