"""Reading order of positioned lines (layout.py): columns, paragraphs, pieces of one row."""

from __future__ import annotations

from luoshi.documents.layout import TextBox, assemble, merge_fragments, order_page

H = 10.0  # line height; a character is 10 wide


def line(text: str, x: float, y: float, key: int = 0) -> TextBox:
    return TextBox(text=text, x0=x, y0=y, x1=x + H * len(text), y1=y + H, key=key)


def column(texts: list[str], x: float, *, top: float = 100.0, first_key: int = 0) -> list[TextBox]:
    return [line(t, x, top + 16 * i, first_key + i) for i, t in enumerate(texts)]


def test_two_columns_on_one_baseline_grid_are_read_one_after_the_other() -> None:
    left = column(["　　甲一甲一甲一甲一", "甲二甲二甲二甲二甲二", "甲三甲三。"], 0)
    left = [
        TextBox(
            t.text.strip("　"), t.x0 + (20 if t.text.startswith("　") else 0), t.y0, t.x1, t.y1, key=t.key
        )
        for t in left
    ]
    right = column(["乙一乙一乙一乙一乙一", "乙二乙二乙二乙二乙二", "乙三。"], 110, first_key=10)
    columns = order_page([*right, *left])  # order of the input does not matter
    assert [[b.text for b in c.lines] for c in columns] == [
        ["甲一甲一甲一甲一", "甲二甲二甲二甲二甲二", "甲三甲三。"],
        ["乙一乙一乙一乙一乙一", "乙二乙二乙二乙二乙二", "乙三。"],
    ]
    text = assemble([columns]).text
    # The left column's last line is short: a paragraph ends; the right column continues as one paragraph.
    assert (
        text
        == "甲一甲一甲一甲一甲二甲二甲二甲二甲二甲三甲三。\n乙一乙一乙一乙一乙一乙二乙二乙二乙二乙二乙三。\n"
    )


def test_a_title_across_the_page_comes_before_the_columns_under_it() -> None:
    title = line("通知标题", 80, 40, key=99)
    left = column(["左栏第一行左栏第一行", "左栏第二行左栏第二行"], 0)
    right = column(["右栏第一行右栏第一行", "右栏第二行右栏第二行"], 110, first_key=10)
    columns = order_page([*left, title, *right])
    assert [b.text for c in columns for b in c.lines] == [
        "通知标题",
        "左栏第一行左栏第一行",
        "左栏第二行左栏第二行",
        "右栏第一行右栏第一行",
        "右栏第二行右栏第二行",
    ]


def test_an_indented_line_starts_a_paragraph_and_spans_point_at_the_text() -> None:
    lines = [
        line("一、总体要求", 20, 0, 0),
        line("到二〇三〇年，全市农机装备水平", 20, 16, 1),
        line("明显提升。", 0, 32, 2),
    ]
    lines[1] = TextBox(lines[1].text, 20, 16, 20 + 150, 26, key=1)
    lines[2] = TextBox("水平明显提升，服务更加完善。", 0, 32, 170, 42, key=2)
    assembled = assemble([order_page(lines)])
    assert assembled.text == "一、总体要求\n到二〇三〇年，全市农机装备水平水平明显提升，服务更加完善。\n"
    start, end = assembled.spans[2]
    assert assembled.text[start:end] == "水平明显提升，服务更加完善。"


def test_pieces_of_one_row_far_apart_are_separate_paragraphs_close_ones_one_line() -> None:
    number = line("国办发〔2030〕12号", 0, 0, 0)
    date = line("2030年4月8日", 400, 0, 1)
    chapter = line("第一章", 0, 20, 2)
    heading = line("总则", 50, 20, 3)
    text = assemble([order_page([number, date, chapter, heading])]).text
    assert text.splitlines() == ["国办发〔2030〕12号", "2030年4月8日", "第一章 总则"]


def test_fragments_on_one_baseline_merge_into_lines() -> None:
    chars = [TextBox(c, 10.0 * i, 0, 10.0 * i + 10, 10, key=i) for i, c in enumerate("推进农机装备")]
    words = [TextBox("OFD", 100, 0, 130, 10, key=10), TextBox("file", 133, 0, 173, 10, key=11)]
    merged = merge_fragments([*reversed(chars), *words])
    assert [m.text for m in merged] == ["推进农机装备", "OFD file"]
    assert merged[0].keys == (0, 1, 2, 3, 4, 5)
