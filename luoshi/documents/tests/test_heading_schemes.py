"""Heading schemes as offices type them (issue 17 item 6): any Unicode space as indentation, full-width
digits and punctuation variants, 第一章/第一节/第一条, 一、/（一）/1./（1）, and 一是/二是 as item markers.

Every passage here was written for these tests (临江市, 青川省 are made up).
"""

from __future__ import annotations

import pytest

from luoshi.documents.textproc.model import Section, Structure
from luoshi.documents.textproc.normalize import normalize
from luoshi.documents.textproc.structure import parse_structure
from luoshi.testing.paths import document_text

BODY = "各地区各部门要高度重视，认真组织实施，确保各项任务落到实处。"
TITLE = "临江市人民政府关于加强城市精细化管理的实施意见"


def parse(src: str) -> tuple[str, Structure]:
    norm = normalize(src)
    return norm.text, parse_structure(norm.text)


Outline = list[tuple[str, str, str, "Outline"]]


def outline(sections: list[Section]) -> Outline:
    return [(s.kind, s.number, s.heading, outline(s.children)) for s in sections]


FOUR_LEVELS = [
    "一、总体要求",
    BODY,
    "（一）指导思想。" + BODY,
    "1．加强统筹协调。" + BODY,
    "（1）明确责任分工。" + BODY,
    "（2）细化工作措施。" + BODY,
    "2．强化督促检查。" + BODY,
    "（二）工作目标。" + BODY,
    "二、保障措施",
    BODY,
]
FOUR_LEVELS_TREE: Outline = [
    (
        "part",
        "一",
        "总体要求",
        [
            (
                "item",
                "（一）",
                "指导思想",
                [
                    (
                        "point",
                        "1",
                        "加强统筹协调",
                        [
                            ("subpoint", "（1）", "明确责任分工", []),
                            ("subpoint", "（2）", "细化工作措施", []),
                        ],
                    ),
                    ("point", "2", "强化督促检查", []),
                ],
            ),
            ("item", "（二）", "工作目标", []),
        ],
    ),
    ("part", "二", "保障措施", []),
]


def document(lines: list[str], indent: str = "") -> str:
    return TITLE + "\n" + "".join(indent + line + "\n" for line in lines)


def test_four_levels_nest_as_written() -> None:
    _, st = parse(document(FOUR_LEVELS))
    assert outline(st.sections) == FOUR_LEVELS_TREE


@pytest.mark.parametrize(
    "indent",
    [
        "\u2003\u2003",
        "\u3000\u3000",
        "\u00a0\u00a0\u00a0\u00a0",
        "\u2002\u2002",
        "\u2009\u2009",
        "\u202f\u202f",
        "\u205f",
        "\u2003\u3000",
        "\t",
        "    ",
    ],
    ids=["em", "ideographic", "nbsp", "en", "thin", "narrow-nbsp", "math", "em+ideographic", "tab", "ascii"],
)
def test_headings_indented_with_any_unicode_space_nest_as_unindented(indent: str) -> None:
    text, st = parse(document(FOUR_LEVELS, indent))
    assert outline(st.sections) == FOUR_LEVELS_TREE
    assert indent[0] not in text  # indentation is not part of any paragraph


def test_an_em_space_indented_report_keeps_its_map_to_the_source() -> None:
    src = document(FOUR_LEVELS, "\u2003\u2003")
    norm = normalize(src)
    st = parse_structure(norm.text)
    part = st.sections[0]
    start, _ = norm.to_source_span(part.start, part.end)
    assert src[start : start + 2] == "一、"
    assert src[start - 2 : start] == "\u2003\u2003"


def test_spaces_between_the_number_and_the_heading_are_not_part_of_the_heading() -> None:
    lines = [
        "一、\u2003总体要求",
        BODY,
        "（一）\u3000指导思想。" + BODY,
        "1. 加强统筹协调。" + BODY,
        "2.\u2003强化督促检查。" + BODY,
    ]
    _, st = parse(document(lines))
    item = st.sections[0].children[0]
    assert st.sections[0].heading == "总体要求"
    assert item.heading == "指导思想"
    assert [p.heading for p in item.children] == ["加强统筹协调", "强化督促检查"]


def test_the_word_export_indented_with_em_spaces_parses_like_the_original() -> None:
    original = document_text("word_report.txt")
    em = "\n".join("\u2003\u2003" + line.lstrip("\u3000") for line in original.split("\n"))
    assert outline(parse(em)[1].sections) == outline(parse(original)[1].sections)
    assert len(parse(em)[1].all_sections()) > 10


def test_full_width_digits_number_points_and_subpoints() -> None:
    lines = [
        "一、总体要求",
        BODY,
        "１．加强统筹协调。" + BODY,
        "（１）明确责任分工。" + BODY,
        "（２）细化工作措施。" + BODY,
        "２．强化督促检查。" + BODY,
        "二、保障措施",
        BODY,
    ]
    _, st = parse(document(lines))
    assert outline(st.sections) == [
        (
            "part",
            "一",
            "总体要求",
            [
                (
                    "point",
                    "１",
                    "加强统筹协调",
                    [
                        ("subpoint", "（１）", "明确责任分工", []),
                        ("subpoint", "（２）", "细化工作措施", []),
                    ],
                ),
                ("point", "２", "强化督促检查", []),
            ],
        ),
        ("part", "二", "保障措施", []),
    ]


@pytest.mark.parametrize("dot", ["、", "．", "."], ids=["comma", "full-width-stop", "ascii-stop"])
def test_parts_numbered_with_any_stop_after_the_numeral(dot: str) -> None:
    lines = [
        f"一{dot}总体要求",
        BODY,
        f"二{dot}主要任务",
        "（一）推进老旧小区改造。" + BODY,
        f"三{dot}保障措施",
        BODY,
    ]
    _, st = parse(document(lines))
    assert [(s.kind, s.number, s.heading) for s in st.sections] == [
        ("part", "一", "总体要求"),
        ("part", "二", "主要任务"),
        ("part", "三", "保障措施"),
    ]
    assert st.sections[1].children[0].number == "（一）"


def test_a_part_heading_may_start_with_a_year_after_an_ascii_stop() -> None:
    _, st = parse(TITLE + "\n一.2030年工作回顾\n" + BODY + "\n二.2031年工作安排\n" + BODY + "\n")
    assert [(s.kind, s.number, s.heading) for s in st.sections] == [
        ("part", "一", "2030年工作回顾"),
        ("part", "二", "2031年工作安排"),
    ]


@pytest.mark.parametrize(
    ("point", "subpoint"),
    [("1．", "（1）"), ("1.", "(1)"), ("1、", "（1）"), ("１．", "(１)")],
    ids=["full-width-stop", "ascii", "comma", "full-width-digits"],
)
def test_point_and_subpoint_punctuation_variants(point: str, subpoint: str) -> None:
    lines = [
        "（一）加强组织领导。" + BODY,
        f"{point}健全工作机制。" + BODY,
        f"{subpoint}建立联席会议。" + BODY,
        "（二）强化监督考核。" + BODY,
    ]
    _, st = parse(document(lines))
    assert [(s.kind, s.heading) for s in st.sections] == [("item", "加强组织领导"), ("item", "强化监督考核")]
    point_node = st.sections[0].children[0]
    assert (point_node.kind, point_node.heading) == ("point", "健全工作机制")
    assert [(c.kind, c.heading) for c in point_node.children] == [("subpoint", "建立联席会议")]


def test_chapters_sections_and_articles() -> None:
    src = (
        "\n".join(
            [
                "青川省城市停车设施管理条例",
                "第一章\u3000总\u3000\u3000则",
                "第一条\u3000为了规范城市停车设施管理，制定本条例。",
                "第二条\u3000本条例适用于本省行政区域内的停车设施。",
                "第二章\u2003规划与建设",
                "第一节\u2003规划",
                "第三条\u2003停车设施专项规划由市人民政府组织编制。",
                "第二节\u2003建设",
                "第四条\u2003新建居住区应当按照标准配建停车设施：",
                "（一）居住区按户配建；",
                "（二）商业区按面积配建。",
                "第三章　附则",
                "第五条　本条例自2031年1月1日起施行。",
            ]
        )
        + "\n"
    )
    _, st = parse(src)
    assert outline(st.sections) == [
        ("chapter", "第一章", "总则", [("article", "第一条", "", []), ("article", "第二条", "", [])]),
        (
            "chapter",
            "第二章",
            "规划与建设",
            [
                ("section", "第一节", "规划", [("article", "第三条", "", [])]),
                (
                    "section",
                    "第二节",
                    "建设",
                    [
                        (
                            "article",
                            "第四条",
                            "",
                            [
                                ("item", "（一）", "居住区按户配建", []),
                                ("item", "（二）", "商业区按面积配建", []),
                            ],
                        )
                    ],
                ),
            ],
        ),
        ("chapter", "第三章", "附则", [("article", "第五条", "", [])]),
    ]


def test_articles_with_full_width_digits() -> None:
    src = "临江市停车管理办法\n第１条\u3000为了规范停车管理，制定本办法。\n第２条\u3000本办法自公布之日起施行。\n"
    _, st = parse(src)
    assert [(s.kind, s.number) for s in st.sections] == [("article", "第１条"), ("article", "第２条")]


# --- 一是/二是: item markers within a paragraph, never a level of the numbered hierarchy --------------


def test_inline_enumeration_items_are_markers_inside_their_paragraph() -> None:
    para = "（一）加强组织领导。要抓好三项工作：一是健全工作机制；二是压实工作责任；三是强化督促检查。"
    text, st = parse(document([para, "（二）强化监督考核。" + BODY]))
    first, second = st.sections
    assert (first.kind, second.kind) == ("item", "item")
    enums = first.children
    assert [(e.kind, e.number, e.heading) for e in enums] == [
        ("enum", "一是", "健全工作机制"),
        ("enum", "二是", "压实工作责任"),
        ("enum", "三是", "强化督促检查"),
    ]
    line_end = text.index("\n", first.start)
    assert all(first.start < e.start and e.end <= line_end for e in enums)


def test_paragraph_enumerations_do_not_change_the_numbered_nesting() -> None:
    lines = [
        "（一）加强组织领导。" + BODY,
        "一是健全工作机制。各部门建立联席会议制度。",
        "二是压实工作责任。层层签订责任书。",
        "1．明确时间节点。" + BODY,
        "（二）强化监督考核。" + BODY,
    ]
    _, st = parse(document(lines))
    assert [(s.kind, s.number) for s in st.sections] == [("item", "（一）"), ("item", "（二）")]
    kids = st.sections[0].children
    assert [(c.kind, c.number) for c in kids] == [("enum", "一是"), ("enum", "二是"), ("point", "1")]
    assert kids[0].children == [] and kids[1].children == []


def test_the_sentences_of_an_enumeration_item_point_into_it() -> None:
    text, st = parse(document(["（一）加强组织领导。" + BODY, "一是健全工作机制。各部门建立联席会议制度。"]))
    inside = [s for s in st.sentences if text[s.start : s.end] == "各部门建立联席会议制度。"]
    assert [s.path for s in inside] == [[0, 0]]
