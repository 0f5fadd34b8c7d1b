"""The original beside the normalized text: only the passages that differ, with what was deleted and inserted."""

from __future__ import annotations

from luoshi.documents.compare import Block, Piece, compare
from luoshi.documents.textproc.normalize import normalize
from luoshi.testing.paths import seed_text


def _compare(source: str, *, limit: int | None = 50) -> tuple[str, list[Block], int]:
    norm = normalize(source)
    result = compare(source, norm.text, norm.source_offsets, limit=limit)
    assert result.exact
    return norm.text, result.blocks, result.changed


def _shown(pieces: tuple[Piece, ...]) -> str:
    marks = {"del": "[-{}-]", "ins": "{{+{}+}}", "same": "{}", "skip": "{}"}
    return "".join(marks[p.kind].format(p.text) for p in pieces)


def test_ocr_spaces_and_ascii_commas_are_deleted_and_replaced() -> None:
    _, blocks, changed = _compare("一、总体要求\n坚持以人民为 中心,推动高质量发展。")
    assert changed == 1
    (block,) = blocks
    assert _shown(block.original) == "坚持以人民为[- -]中心[-,-]推动高质量发展。"
    assert _shown(block.normalized) == "坚持以人民为中心{+，+}推动高质量发展。"


def test_unchanged_paragraphs_blank_lines_and_crlf_are_not_differences() -> None:
    text, blocks, changed = _compare("一、总体要求\r\n\r\n\r\n坚持以人民为中心。  \r\n二、主要任务\r\n")
    assert text == "一、总体要求\n坚持以人民为中心。\n二、主要任务"
    assert (blocks, changed) == ([], 0)


def test_a_soft_line_break_shows_as_a_deleted_line_break() -> None:
    _, blocks, _ = _compare("一、总体要求\n全面加强高标准农田建设，\n打造特色产业带。")
    (block,) = blocks
    assert _shown(block.original) == "全面加强高标准农田建设，[-\n-]打造特色产业带。"
    assert [p.shown for p in block.original if p.kind == "del"] == ["↵\n"]
    assert _shown(block.normalized) == "全面加强高标准农田建设，打造特色产业带。"


def test_a_removed_page_jump_line_is_a_block_of_its_own() -> None:
    text, blocks, _ = _compare("一、总体要求\n坚持以人民为中心。\n\n(下转4版)\n")
    assert "下转" not in text
    assert blocks[-1].original == (Piece("del", "(下转4版)"),) and blocks[-1].normalized == ()
    assert blocks[-1].start == blocks[-1].end == len(text)


def test_long_unchanged_stretches_are_shortened_alike_on_both_sides() -> None:
    before, after = "甲" * 100, "乙" * 100
    _, blocks, _ = _compare(f"一、总体要求\n{before}为 中心{after}。")
    (block,) = blocks
    for pieces in (block.original, block.normalized):
        assert pieces[0].kind == pieces[-1].kind == "skip"
        assert sum(len(p.text) for p in pieces if p.kind == "same") == 60
    assert _shown(block.original) == "…" + "甲" * 29 + "为[- -]中心" + "乙" * 28 + "…"
    assert _shown(block.normalized) == "…" + "甲" * 29 + "为中心" + "乙" * 28 + "…"


def test_only_the_first_blocks_are_taken_apart_but_all_are_counted() -> None:
    source = "\n".join(f"（{i}）坚持以人民为 中心,推动发展。" for i in range(1, 121))
    _, blocks, changed = _compare(source, limit=50)
    assert (len(blocks), changed) == (50, 120)
    _, blocks, changed = _compare(source, limit=None)
    assert (len(blocks), changed) == (120, 120)


def test_the_seed_shows_its_ocr_spaces_and_the_page_jump() -> None:
    source = seed_text()
    _, blocks, changed = _compare(source, limit=None)
    assert changed == len(blocks) > 10
    deleted = [p.text for b in blocks for p in b.original if p.kind == "del"]
    inserted = [p.text for b in blocks for p in b.normalized if p.kind == "ins"]
    assert " " in deleted and "," in deleted and "，" in inserted
    assert "(下转4版)" in deleted
    for block in blocks:  # each side is its own text with the other side's changes left out
        assert "".join(p.text for p in block.original if p.kind != "skip") in source


def test_without_the_offset_map_difflib_finds_the_same_changes() -> None:
    source = "一、总体要求\n坚持以人民为 中心,推动高质量发展。\n二、主要任务\n"
    norm = normalize(source)
    for offsets in (None, [0, 1, 2]):  # missing, or not fitting the texts
        result = compare(source, norm.text, offsets)
        assert not result.exact and result.changed == 1
        (block,) = result.blocks
        assert _shown(block.original) == "坚持以人民为[- -]中心[-,-]推动高质量发展。"
        assert _shown(block.normalized) == "坚持以人民为中心{+，+}推动高质量发展。"


def test_identical_texts_have_nothing_to_show() -> None:
    result = compare("一、总体要求\n坚持。", "一、总体要求\n坚持。", None)
    assert (result.blocks, result.changed, result.truncated) == ([], 0, False)
