"""parse_structure(): title block, heading tree, enums, bullets, sentences."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from luoshi.documents.textproc.model import Section, Structure
from luoshi.documents.textproc.normalize import normalize
from luoshi.documents.textproc.structure import chinese_numeral_value, parse_structure
from luoshi.testing.corpus import Corpus, corpus_params
from luoshi.testing.paths import document_text, seed_text


def parse(src: str) -> tuple[str, Structure]:
    text = normalize(src).text
    return text, parse_structure(text)


def parse_document(name: str) -> tuple[str, Structure]:
    """A test document from luoshi/testing/documents/, normalized and parsed."""
    return parse(document_text(name))


# --- chinese_numeral_value -----------------------------------------------------------


@pytest.mark.parametrize(
    ("s", "value"),
    [
        ("一", 1),
        ("十", 10),
        ("十一", 11),
        ("二十", 20),
        ("二十三", 23),
        ("三十", 30),
        ("一百零五", 105),
        ("两", 2),
        ("1", 1),
        ("12", 12),
        ("１２", 12),
        ("（十一）", 11),
        ("第三十二条", 32),
        ("五、", 5),
        ("一是", 1),
        ("", None),
        ("abc", None),
        ("十a", None),
    ],
)
def test_chinese_numeral_value(s: str, value: int | None) -> None:
    assert chinese_numeral_value(s) == value


# --- the seed ------------------------------------------------------------------------


def test_seed_title_block() -> None:
    text, st = parse(seed_text())
    assert st.title == "内蒙古自治区党委关于全方位建设模范自治区的决定"
    assert st.title_span is not None and text[st.title_span[0] : st.title_span[1]] == st.title
    assert st.issuer == "内蒙古自治区党委"
    assert st.date == "2023-07-05"
    assert st.date_line == "（2023年7月5日中国共产党内蒙古自治区第十一届委员会第六次全体会议通过）"
    assert st.date_span is not None and text[st.date_span[0] : st.date_span[1]] == st.date_line
    assert st.preamble_span is not None
    preamble = text[st.preamble_span[0] : st.preamble_span[1]]
    assert preamble.startswith("为全面贯彻党的二十大精神")
    assert preamble.endswith("就全方位建设模范自治区作出如下决定。")


def test_seed_parts_and_items() -> None:
    text, st = parse(seed_text())
    parts = st.sections
    assert [p.kind for p in parts] == ["part", "part", "part"]
    assert [p.number for p in parts] == ["一", "二", "三"]
    assert parts[0].heading == "在感党恩听党话、紧跟习近平总书记奋进新征程上作模范"
    assert parts[2].heading == "在民族地区推进中国式现代化建设中作模范"
    items = [[chinese_numeral_value(c.number) for c in p.children] for p in parts]
    assert items == [[1, 2, 3], [4, 5, 7], [9, 10, 11]]
    assert all(c.kind == "item" and c.level == 2 for p in parts for c in p.children)
    flat = [c for p in parts for c in p.children]
    headings = {c.number: c.heading for c in flat}
    assert headings["（一）"] == "始终同以习近平同志为核心的党中央保持高度一致"
    assert headings["（七）"] == "促进各民族广泛交往交流交融"
    assert headings["（十）"] == "着眼培优增效，把国家重要能源和战略资源基地建设得势强劲足"
    assert headings["（十一）"] == "着力提质增量，把国家重要农畜产品生产基地建设得量大质优"
    for k, c in enumerate(flat):
        assert text[c.start : c.heading_start] == c.number
        assert text[c.heading_start : c.heading_end] == c.heading
        assert text[c.heading_end] == "。"  # heading excludes the full stop
        if k + 1 < len(flat):
            nxt = flat[k + 1].start
            # Ends right before the next item (or before the next part heading).
            assert text[c.end : nxt].strip() == "" or text[c.end : nxt].strip().startswith(("二、", "三、"))
            assert c.end <= nxt
    assert flat[-1].end == len(text)
    # Items end at the part boundary; parts end before the next part.
    assert parts[0].end == flat[2].end and text[parts[0].end : parts[1].start] == "\n"
    assert text[flat[5].start : flat[5].end].endswith("越打越牢。")


def test_seed_sentences_have_paths() -> None:
    text, st = parse(seed_text())
    assert st.sentences[0].path == []
    first_item = st.sections[0].children[0]
    inside = [s for s in st.sentences if first_item.start <= s.start < first_item.end]
    assert inside and all(s.path == [0, 0] for s in inside)
    assert sum(1 for s in st.sentences if s.path[:1] == [2]) > 10
    assert len(st.paragraphs) == text.count("\n") + 1


# --- the test documents (luoshi/testing/documents/): counts as written --------------

# Heading counts per kind, as each document was written: see luoshi/testing/documents/README.md.
DOCUMENT_COUNTS: dict[str, dict[str, int]] = {
    "newspaper_reprint.txt": {"heading": 3, "part": 4, "point": 5},
    "web_reprint.txt": {"part": 3, "item": 2, "point": 3, "enum": 3},
    "regulation.txt": {"chapter": 5, "article": 11, "item": 4},
    "work_report.txt": {"part": 4, "item": 2, "point": 4, "subpoint": 2, "bullet": 3, "enum": 6},
    "word_report.txt": {"heading": 5, "part": 13, "item": 2, "point": 3, "bullet": 2},
    "notice_inline.txt": {"part": 3, "item": 7},
    "notice_stripped.txt": {"part": 3, "item": 7},
}

# (title, date, doc_number, issuer); "" where the document has none.
DOCUMENT_HEADER: dict[str, tuple[str, str, str, str]] = {
    "newspaper_reprint.txt": ("2026年青川省政府工作报告", "2026-01-20", "", ""),
    "web_reprint.txt": ("2026年临江市人民政府工作报告", "2026-01-22", "", ""),
    "regulation.txt": ("公共停车设施管理条例", "2030-03-20", "国务院令第999号", "国务院"),
    "work_report.txt": ("政府工作报告", "2030-03-05", "", ""),
    "word_report.txt": ("2030年临海省政府工作报告", "2030-01-18", "", ""),
    "notice_stripped.txt": (
        "国务院办公厅关于进一步做好城乡社区养老服务体系建设工作的通知",
        "2030-04-08",
        "国办发〔2030〕12号",
        "国务院办公厅",
    ),
}


# --- corpus (LUOSHI_CORPUS_DIR): counts verified by reading ---------------------------

# Heading counts per kind.  Verified by reading the files: `grep -c` on the raw
# text for line-initial 一、 / （一） / 1. / 第X章 / 第X条 / —— / 一是, then
# looking at every hit (subtitle lines "——2025年1月14日在…" are not bullets;
# "8.6个重大科技专项" in 四川2025 is point 8; wikisource hyperlink fragments
# "——\n改革开放" are one bullet).  "enum" counts paragraph-level 一是… lines
# plus inline "。一是…；二是…" members counted in the paragraphs by hand.
# "heading" = unnumbered headings: 四川2025 2024年工作回顾 / 2025年工作安排建议
# / 加强政府自身建设 / 名词解释; 内蒙古2026 the two “十四五”/“十五五” parts and
# 附件; 四川2026 名词解释; 广东 附件1 / 附件2.
EXPECTED_COUNTS: dict[str, dict[str, int]] = {
    "misc_cpc_congress_report_19.txt": {"part": 13, "item": 50},
    "misc_govcn_国令第706.txt": {"chapter": 5, "article": 32, "item": 14},
    "src_gwr_national_2013.txt": {"part": 3, "item": 4, "enum": 15},
    "src_gwr_national_2014.txt": {"part": 3, "item": 9, "bullet": 4, "enum": 5},
    "src_gwr_national_2015.txt": {"part": 6, "enum": 5},
    "src_gwr_national_2016.txt": {"part": 3, "item": 8, "bullet": 10, "enum": 27},
    "src_gwr_national_2017.txt": {"part": 3, "item": 9, "bullet": 7, "enum": 18},
    "src_gwr_national_2018.txt": {"part": 3, "item": 18, "enum": 3},
    "src_gwr_national_2019.txt": {"part": 3, "item": 10, "bullet": 6, "enum": 8},
    "src_gwr_prov2025_内蒙古自治区.txt": {"part": 2, "item": 11, "enum": 5},
    "src_gwr_prov2025_北京市.txt": {"part": 2, "item": 11, "bullet": 4, "enum": 7},
    "src_gwr_prov2025_四川省.txt": {"heading": 4, "item": 19, "point": 50, "bullet": 5, "enum": 5},
    "src_gwr_prov2025_广东省.txt": {
        "part": 12,
        "item": 12,
        "point": 18,
        "heading": 2,
        "bullet": 4,
        "enum": 19,
    },
    "src_gwr_prov2026_内蒙古自治区.txt": {
        "heading": 3,
        "part": 4,
        "item": 15,
        "point": 10,
        "bullet": 6,
        "enum": 13,
    },
    "src_gwr_prov2026_四川省.txt": {"part": 3, "item": 10, "point": 20, "heading": 1, "enum": 14},
    "src_gwr_prov2026_浙江省.txt": {"part": 3, "item": 26, "point": 10, "bullet": 10, "enum": 4},
    "src_stripped_国办发2018117.txt": {"part": 30},
    "src_stripped_国办发2018121.txt": {"part": 5, "item": 19},
    "src_stripped_国办发2018128.txt": {"part": 4, "item": 19},
    "src_stripped_国发20193.txt": {"part": 5, "item": 9, "point": 21},
    "gold_inline_国办发2018117.txt": {"part": 30},
    "gold_inline_国办发2018121.txt": {"part": 5, "item": 19},
    "gold_inline_国办发2018128.txt": {"part": 4, "item": 19},
    "gold_inline_国发20193.txt": {"part": 5, "item": 9, "point": 21},
}

# (title, date, doc_number, issuer); "" where the file has none.
EXPECTED_HEADER: dict[str, tuple[str, str, str, str]] = {
    "misc_cpc_congress_report_19.txt": (
        "决胜全面建成小康社会为夺取新时代中国特色社会主义伟大胜利",
        "2017-10-18",
        "",
        "",
    ),
    "misc_govcn_国令第706.txt": ("专利代理条例", "2018-11-06", "国务院令第706号", "国务院"),
    "src_gwr_national_2013.txt": ("", "", "", ""),
    "src_gwr_national_2016.txt": ("", "", "", ""),
    "src_gwr_national_2017.txt": ("政府工作报告", "2017-03-05", "", ""),
    "src_gwr_prov2025_内蒙古自治区.txt": ("2025年内蒙古自治区政府工作报告", "2025-01-14", "", ""),
    "src_gwr_prov2025_北京市.txt": ("2025年北京市政府工作报告", "2025-01-14", "", ""),
    "src_gwr_prov2025_四川省.txt": ("2025年四川省政府工作报告", "2025-01-20", "", ""),
    "src_gwr_prov2025_广东省.txt": ("2025年广东省政府工作报告", "2025-01-15", "", ""),
    "src_gwr_prov2026_内蒙古自治区.txt": ("2026年内蒙古自治区政府工作报告", "2026-02-04", "", ""),
    "src_gwr_prov2026_四川省.txt": ("2026年四川省人民政府工作报告", "2026-02-03", "", ""),
    "src_gwr_prov2026_浙江省.txt": ("2026年浙江省政府工作报告", "2026-01-14", "", ""),
    "src_stripped_国办发2018117.txt": (
        "国务院办公厅关于对真抓实干成效明显地方进一步加大激励支持力度的通知",
        "2018-12-06",
        "国办发〔2018〕117号",
        "国务院办公厅",
    ),
    "src_stripped_国办发2018121.txt": (
        "国务院办公厅关于加快发展体育竞赛表演产业的指导意见",
        "2018-12-11",
        "国办发〔2018〕121号",
        "国务院办公厅",
    ),
    "gold_inline_国办发2018128.txt": (
        "国务院办公厅关于印发“无废城市”建设试点工作方案的通知",
        "2018-12-29",
        "国办发〔2018〕128号",
        "国务院办公厅",
    ),
    "gold_inline_国发20193.txt": (
        "国务院关于促进综合保税区高水平开放高质量发展的若干意见",
        "2019-01-12",
        "国发〔2019〕3号",
        "国务院",
    ),
}


def check_tree(text: str, nodes: list[Section], lo: int, hi: int, level: int) -> None:
    prev_end = lo
    for node in nodes:
        assert lo <= node.start <= node.heading_start <= node.heading_end <= node.end <= hi
        assert node.start >= prev_end
        assert node.level == level
        assert text[node.heading_start : node.heading_end] == node.heading
        assert node.end == node.start or not text[node.end - 1].isspace()
        prev_end = node.end
        check_tree(text, node.children, node.start, node.end, level + 1)


def check_structure(text: str, st: Structure) -> Counter[str]:
    """The tree is consistent and every sentence's path leads to a section holding it; the kinds counted."""
    check_tree(text, st.sections, 0, len(text), 1)
    assert st.paragraphs and st.sentences
    for s in st.sentences:
        node: Section | None = None
        nodes = st.sections
        for k in s.path:
            node = nodes[k]
            nodes = node.children
        if node is not None:
            assert node.start <= s.start < node.end
    return Counter(s.kind for s in st.all_sections())


@pytest.mark.parametrize("name", sorted(DOCUMENT_COUNTS))
def test_documents_parse_consistently(name: str) -> None:
    text, st = parse_document(name)
    assert dict(check_structure(text, st)) == DOCUMENT_COUNTS[name]


@pytest.mark.parametrize("name", sorted(DOCUMENT_HEADER))
def test_document_title_block(name: str) -> None:
    text, st = parse_document(name)
    title, date, doc_number, issuer = DOCUMENT_HEADER[name]
    assert (st.title, st.date, st.doc_number, st.issuer) == (title, date, doc_number, issuer)
    if st.date:
        assert st.date_span is not None and text[st.date_span[0] : st.date_span[1]] == st.date_line


@pytest.mark.parametrize(
    "path", corpus_params("texts/*.txt", "gold/src_stripped_*.txt", "gold/gold_inline_*.txt")
)
def test_corpus_parses_consistently(path: Path) -> None:
    text, st = parse(path.read_text(encoding="utf-8"))
    assert dict(check_structure(text, st)) == EXPECTED_COUNTS[path.name]


@pytest.mark.parametrize("name", sorted(EXPECTED_HEADER))
def test_corpus_title_block(name: str, corpus: Corpus) -> None:
    text, st = parse(corpus.text(name))
    title, date, doc_number, issuer = EXPECTED_HEADER[name]
    assert (st.title, st.date, st.doc_number, st.issuer) == (title, date, doc_number, issuer)
    if st.date:
        assert st.date_span is not None and text[st.date_span[0] : st.date_span[1]] == st.date_line


def test_regulation_chapters_and_articles() -> None:
    text, st = parse_document("regulation.txt")
    chapters = st.sections
    assert [c.heading for c in chapters] == ["总则", "规划和建设", "经营和管理", "法律责任", "附则"]
    articles = [a for c in chapters for a in c.children]
    assert [chinese_numeral_value(a.number) for a in articles] == list(range(1, 12))
    assert all(a.kind == "article" and a.heading == "" for a in articles)
    assert text[articles[0].start : articles[0].end].startswith("第一条为了规范公共停车设施的规划")
    sixth = articles[5]
    assert [i.number for i in sixth.children] == ["（一）", "（二）", "（三）", "（四）"]
    assert sixth.children[0].heading == "有符合规定的企业名称和经营场所"


def test_unnumbered_headings_and_numbered_attachments() -> None:
    # A Word export: unnumbered top headings, then 附件1 (its title on the next line) and 附件2 名词解释.
    _text, st = parse_document("word_report.txt")
    tops = [(s.kind, s.number, s.heading) for s in st.sections]
    assert tops == [
        ("heading", "", "2029年工作回顾"),
        ("heading", "", "2030年工作安排建议"),
        ("heading", "", "加强政府自身建设"),
        ("heading", "附件1", "2030年省十件民生实事"),
        ("heading", "附件2", "名词解释"),
    ]
    assert [chinese_numeral_value(c.number) for c in st.sections[1].children if c.kind == "part"] == [1, 2, 3]
    assert [c.number for c in st.sections[2].children] == ["（一）", "（二）"]
    # 一、…十、 restart under the attachment.
    assert [chinese_numeral_value(c.number) for c in st.sections[3].children] == list(range(1, 11))
    assert [c.number for c in st.sections[4].children] == ["1", "2", "3"]


def test_unnumbered_parts_and_attachment_in_a_newspaper_reprint() -> None:
    _text, st = parse_document("newspaper_reprint.txt")
    tops = st.sections
    assert [s.heading for s in tops] == [
        "“十四五”时期发展成就和2025年工作回顾",
        "“十五五”时期主要目标和2026年重点工作",
        "2026年青川省民生实事",
    ]
    assert tops[2].number == "附件"
    parts = [c for c in tops[1].children if c.kind == "part"]
    assert [p.number for p in parts] == ["一", "二", "三", "四"]
    assert [c.number for c in tops[2].children] == [str(i) for i in range(1, 6)]


def test_four_heading_levels_and_enumerations_in_a_work_report() -> None:
    text, st = parse_document("work_report.txt")
    tasks = st.sections[2]
    assert (tasks.kind, tasks.number, tasks.heading) == ("part", "三", "2030年政府工作任务")
    first = tasks.children[0]
    assert (first.kind, first.number, first.heading) == ("item", "（一）", "扩大国内需求，推动经济稳定增长")
    point = first.children[0]
    assert (point.kind, point.number, point.heading) == ("point", "1", "促进消费持续恢复")
    assert [(c.kind, c.number) for c in point.children] == [("subpoint", "（1）"), ("subpoint", "（2）")]
    assert point.children[0].heading == "完善消费支持政策"
    # "…：一是…；二是…；三是…" inside a paragraph: enums under the part holding it.
    enums = [c for c in st.sections[0].children if c.kind == "enum"]
    assert [e.number for e in enums] == ["一是", "二是", "三是"]
    assert enums[0].heading == "加强宏观调控"
    assert [c.kind for c in st.sections[0].children].count("bullet") == 3
    for node in st.all_sections():
        assert text[node.heading_start : node.heading_end] == node.heading


def test_wikisource_subtitle_and_person_not_in_body() -> None:
    text, st = parse_document("work_report.txt")
    assert st.date_line == "——2030年3月5日在第十五届全国人民代表大会第五次会议上"
    assert st.preamble_span is not None
    assert text[st.preamble_span[0] : st.preamble_span[1]].startswith("各位代表：")


def test_notice_signature_outside_last_section() -> None:
    text, st = parse_document("notice_stripped.txt")
    last = st.sections[-1].children[-1]
    assert text[last.start : last.end].endswith("要及时报告国务院。")
    assert "国务院办公厅" not in text[last.start : last.end]


def test_corpus_regulation_chapters_and_articles(corpus: Corpus) -> None:
    text, st = parse(corpus.text("misc_govcn_国令第706.txt"))
    chapters = st.sections
    assert [c.heading for c in chapters] == [
        "总则",
        "专利代理机构和专利代理师",
        "专利代理执业",
        "法律责任",
        "附则",
    ]
    articles = [a for c in chapters for a in c.children]
    assert [chinese_numeral_value(a.number) for a in articles] == list(range(1, 33))
    assert all(a.kind == "article" and a.heading == "" for a in articles)
    assert text[articles[0].start : articles[0].end].startswith("第一条为了规范专利代理行为")
    eighth = articles[7]
    assert [i.number for i in eighth.children] == ["（一）", "（二）", "（三）", "（四）"]
    assert eighth.children[0].heading == "有符合法律、行政法规规定的专利代理机构名称"


def test_corpus_unnumbered_headings_sichuan_2025(corpus: Corpus) -> None:
    _text, st = parse(corpus.text("src_gwr_prov2025_四川省.txt"))
    tops = [(s.kind, s.heading) for s in st.sections]
    assert tops == [
        ("heading", "2024年工作回顾"),
        ("heading", "2025年工作安排建议"),
        ("heading", "加强政府自身建设"),
        ("heading", "名词解释"),
    ]
    assert [chinese_numeral_value(c.number) for c in st.sections[1].children if c.kind == "item"] == list(
        range(1, 10)
    )
    assert [c.number for c in st.sections[3].children] == [str(i) for i in range(1, 51)]


def test_corpus_unnumbered_parts_and_attachment_inner_mongolia_2026(corpus: Corpus) -> None:
    _text, st = parse(corpus.text("src_gwr_prov2026_内蒙古自治区.txt"))
    tops = st.sections
    assert [s.heading for s in tops] == [
        "“十四五”时期发展成就和2025年工作回顾",
        "“十五五”时期主要目标和2026年重点工作",
        "2026年自治区民生实事",
    ]
    assert tops[2].number == "附件"
    parts = [c for c in tops[1].children if c.kind == "part"]
    assert [p.number for p in parts] == ["一", "二", "三", "四"]
    assert [c.number for c in tops[2].children] == [str(i) for i in range(1, 11)]


def test_corpus_attachments_are_top_level_guangdong(corpus: Corpus) -> None:
    _text, st = parse(corpus.text("src_gwr_prov2025_广东省.txt"))
    tops = [(s.kind, s.number, s.heading) for s in st.sections]
    assert tops[-2:] == [("heading", "附件1", "2025年省十件民生实事"), ("heading", "附件2", "名词解释")]
    assert len(st.sections[-2].children) == 10  # 一、…十、 restart under the attachment


def test_corpus_wikisource_subtitle_and_person_not_in_body(corpus: Corpus) -> None:
    text, st = parse(corpus.text("src_gwr_national_2017.txt"))
    assert st.date_line == "——2017年3月5日在第十二届全国人民代表大会第五次会议上"
    assert st.preamble_span is not None
    assert text[st.preamble_span[0] : st.preamble_span[1]].startswith("各位代表：")


def test_corpus_gold_signature_outside_last_section(corpus: Corpus) -> None:
    text, st = parse(corpus.text("src_stripped_国办发2018121.txt"))
    last = st.sections[-1].children[-1]
    assert text[last.start : last.end].endswith("及时报告国务院。")
    assert "国务院办公厅" not in text[last.start : last.end]


# --- unit cases -------------------------------------------------------------------------


def test_heading_running_into_paragraph() -> None:
    text = "一、主要任务\n（三）完善农机装备创新体系。瞄准短板，加快研发。\n（四）推进机械化。\n具体措施另行制定。"
    st = parse_structure(text)
    part = st.sections[0]
    assert (part.kind, part.number, part.heading) == ("part", "一", "主要任务")
    c3, c4 = part.children
    assert (c3.kind, c3.number, c3.heading) == ("item", "（三）", "完善农机装备创新体系")
    assert c3.start == text.index("（三）")
    assert c3.heading_start == c3.start + 3 and text[c3.heading_end] == "。"
    assert c3.end == text.index("\n（四）")
    # A heading-only paragraph keeps its following body paragraphs.
    assert c4.heading == "推进机械化" and c4.end == len(text)


def test_inline_enumeration() -> None:
    text = "一、任务\n重点做好三方面工作：一是加强领导；二是完善制度，健全机制；三是强化考核。统一是原则。"
    st = parse_structure(text)
    enums = st.sections[0].children
    assert [(e.kind, e.number, e.heading) for e in enums] == [
        ("enum", "一是", "加强领导"),
        ("enum", "二是", "完善制度"),
        ("enum", "三是", "强化考核"),
    ]
    assert text[enums[0].start : enums[0].end] == "一是加强领导；"
    assert text[enums[2].start : enums[2].end] == "三是强化考核。统一是原则。"
    assert all(e.level == 2 for e in enums)
    sent = next(s for s in st.sentences if text[s.start :].startswith("重点"))
    assert sent.path == [0]


def test_paragraph_level_enumeration_and_restart_inside() -> None:
    text = (
        "一、回顾\n主要工作：\n一是稳增长。先后出台政策。\n二是促改革。一是放权；二是减税。\n三是惠民生\n"
        "民生投入继续增加。"
    )
    st = parse_structure(text)
    enums = st.sections[0].children
    assert [e.number for e in enums] == ["一是", "二是", "三是"]
    assert [e.heading for e in enums] == ["稳增长", "促改革", "惠民生"]
    assert text[enums[0].start : enums[0].end] == "一是稳增长。先后出台政策。"
    assert [c.heading for c in enums[1].children] == ["放权", "减税"]
    assert enums[2].end == len(text)  # heading-only enum line keeps its body


def test_bullets() -> None:
    text = "一、2013年工作回顾\n过去一年成绩显著。\n——经济运行稳中向好。国内生产总值增长7.7%。\n——结构调整取得积极成效。粮食增产。\n我们也清醒看到问题。"
    st = parse_structure(text)
    bullets = st.sections[0].children
    assert [(b.kind, b.number, b.heading) for b in bullets] == [
        ("bullet", "——", "经济运行稳中向好"),
        ("bullet", "——", "结构调整取得积极成效"),
    ]
    assert text[bullets[1].start : bullets[1].end] == "——结构调整取得积极成效。粮食增产。"
    last = st.sentences[-1]
    assert text[last.start : last.end] == "我们也清醒看到问题。" and last.path == [0]


def test_numbering_restart_nests() -> None:
    text = "一、总体要求\n（一）指导思想。内容。\n（二）基本原则。内容。\n二、主要任务\n（一）强化引领。内容。\n1.完善制度。内容。\n2.加强考核。内容。\n（二）推动生产。内容。"
    st = parse_structure(text)
    assert [(p.number, [c.number for c in p.children]) for p in st.sections] == [
        ("一", ["（一）", "（二）"]),
        ("二", ["（一）", "（二）"]),
    ]
    points = st.sections[1].children[0].children
    assert [(p.kind, p.number, p.heading, p.level) for p in points] == [
        ("point", "1", "完善制度", 3),
        ("point", "2", "加强考核", 3),
    ]


def test_numbering_gaps_are_siblings() -> None:
    st = parse_structure("一、甲\n（五）五。\n（七）七。\n（九）九。\n三、丙\n（十）十。")
    assert [[chinese_numeral_value(c.number) for c in p.children] for p in st.sections] == [[5, 7, 9], [10]]


def test_decimal_and_inline_numbers_are_not_headings() -> None:
    text = "一、目标\n国内生产总值增长5.7%左右，完成以下任务。1.加强领导。\n2.5万亿元专项债券发行完毕。\n二、在会上指出一、二、三条要求。"
    st = parse_structure(text)
    assert [s.kind for s in st.all_sections()] == ["part", "part"]
    assert st.sections[1].heading == "在会上指出一、二、三条要求"


def test_preamble_list_does_not_outrank_parts() -> None:
    text = "关于做好工作的通知\n各单位：\n现通知如下：\n1.高度重视。\n2.认真落实。\n一、总体要求\n1.指导思想。\n二、主要任务\n1.加强领导。"
    st = parse_structure(text)
    assert [(s.kind, s.number) for s in st.sections] == [
        ("point", "1"),
        ("point", "2"),
        ("part", "一"),
        ("part", "二"),
    ]
    assert [c.number for c in st.sections[2].children] == ["1"]


def test_document_order_nesting_when_unusual() -> None:
    # （一） encloses 一、 here: 一、 restarts under each （X）.
    text = "（一）甲\n一、子一\n二、子二\n（二）乙\n一、子三"
    st = parse_structure(text)
    assert [(s.number, [c.number for c in s.children]) for s in st.sections] == [
        ("（一）", ["一", "二"]),
        ("（二）", ["一"]),
    ]


def test_title_split_over_two_lines_and_doc_number() -> None:
    text = "国务院办公厅关于加快发展\n体育竞赛表演产业的指导意见\n国办发〔2018〕121号\n各省、自治区、直辖市人民政府：\n为破解难题，现提出以下意见：\n一、总体要求\n（一）指导思想。内容。\n国务院办公厅\n2018年12月11日\n（此件公开发布）"
    st = parse_structure(text)
    assert st.title == "国务院办公厅关于加快发展体育竞赛表演产业的指导意见"
    assert st.issuer == "国务院办公厅"
    assert st.doc_number == "国办发〔2018〕121号"
    assert st.date == "2018-12-11"
    assert st.sections[0].end == text.index("\n国务院办公厅\n2018")
    assert st.preamble_span is not None
    assert text[st.preamble_span[0] : st.preamble_span[1]].endswith("现提出以下意见：")


def test_order_wrapper() -> None:
    text = "中华人民共和国国务院令\n第706号\n《专利代理条例》已经国务院常务会议修订通过，现予公布。\n总理李克强\n2018年11月6日\n专利代理条例\n第一章总则\n第一条为了规范专利代理行为，制定本条例。"
    st = parse_structure(text)
    assert (st.title, st.doc_number, st.issuer, st.date) == (
        "专利代理条例",
        "国务院令第706号",
        "国务院",
        "2018-11-06",
    )
    assert st.sections[0].kind == "chapter" and st.sections[0].children[0].kind == "article"


def test_empty_text() -> None:
    st = parse_structure("")
    assert st.sections == [] and st.paragraphs == [] and st.title == ""


def test_it_parses_a_100k_text_deterministically() -> None:
    # Speed is measured in bench/ingest.py, not here.
    big = "\n".join(document_text(name) for name in sorted(DOCUMENT_COUNTS))
    text = normalize((big * (100_000 // len(big) + 1))[:100_000]).text
    assert parse_structure(text) == parse_structure(text)
