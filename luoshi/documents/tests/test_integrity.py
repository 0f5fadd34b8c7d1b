"""Tests for the integrity checks (pure Python, no database)."""

from __future__ import annotations

import random
import re
from collections import Counter

import pytest

from luoshi.documents.textproc.integrity import check_integrity, garble_scores, numeral_value
from luoshi.documents.textproc.model import Finding, Normalized, Paragraph, Removal, Section, Structure
from luoshi.documents.textproc.normalize import normalize
from luoshi.documents.textproc.structure import parse_structure
from luoshi.testing.corpus import Corpus
from luoshi.testing.paths import DOCUMENTS, document_text, seed_text

# ---------------------------------------------------------------------------
# Hand-built documents


def _norm(text: str, removals: list[Removal] | None = None) -> Normalized:
    return Normalized(text=text, source_offsets=list(range(len(text) + 1)), removals=removals or [])


def _paragraphs(text: str) -> list[Paragraph]:
    return [Paragraph(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]


def _sec(text: str, kind: str, number: str, line: str, children: list[Section] | None = None) -> Section:
    """A section whose heading line is ``line`` (first occurrence in text)."""
    start = text.index(line)
    return Section(
        kind=kind,
        number=number,
        heading=line[len(number) :],
        start=start,
        end=start + len(line),
        heading_start=start + len(number),
        heading_end=start + len(line),
        children=children or [],
    )


def _kinds(findings: list[Finding], kind: str) -> list[Finding]:
    return [f for f in findings if f.kind == kind]


def _numbered_doc(layout: list[tuple[str, list[str]]]) -> tuple[Normalized, Structure]:
    """Parts with item children: ``[("一、", ["（一）", "（二）"]), ...]``."""
    lines: list[str] = []
    for part, items in layout:
        lines.append(f"{part}总体要求")
        for item in items:
            lines.append(f"{item}加强组织领导。各地要抓好落实。")
    text = "\n".join(lines)
    sections: list[Section] = []
    pos = 0
    for part, items in layout:
        line = f"{part}总体要求"
        start = text.index(line, pos)
        part_sec = Section(
            "part",
            part.rstrip("、"),
            "总体要求",
            start,
            start + len(line),
            start + len(part),
            start + len(line),
        )
        pos = start + len(line)
        for item in items:
            iline = f"{item}加强组织领导。各地要抓好落实。"
            istart = text.index(iline, pos)
            part_sec.children.append(
                Section(
                    "item",
                    item,
                    "加强组织领导",
                    istart,
                    istart + len(iline),
                    istart + len(item),
                    istart + len(item) + 6,
                    2,
                )
            )
            pos = istart + len(iline)
        part_sec.end = pos
        sections.append(part_sec)
    return _norm(text), Structure(sections=sections, paragraphs=_paragraphs(text))


def test_numeral_value() -> None:
    assert numeral_value("（三）") == 3
    assert numeral_value("第十二条") == 12
    assert numeral_value("二十一") == 21
    assert numeral_value("（十一）") == 11
    assert numeral_value("1.") == 1
    assert numeral_value("（12）") == 12
    assert numeral_value("③") == 3
    assert numeral_value("四是") == 4
    assert numeral_value("第一百零五条") == 105
    assert numeral_value("——") is None


def test_numbering_continuous_across_parents_with_gaps() -> None:
    norm, st = _numbered_doc(
        [
            ("一、", ["（一）", "（二）", "（三）"]),
            ("二、", ["（四）", "（五）", "（七）"]),
            ("三、", ["（九）", "（十）", "（十一）"]),
        ]
    )
    gaps = _kinds(check_integrity(norm, st), "numbering_gap")
    assert [g.message_zh for g in gaps] == [
        "编号缺失：（五）之后应为（六），实为（七）",
        "编号缺失：（七）之后应为（八），实为（九）",
    ]
    assert gaps[0].message_en == "Numbering gap: after (5) expected (6), found (7)"
    assert norm.text[gaps[0].start : gaps[0].end].startswith("（七）")
    assert norm.text[gaps[1].start : gaps[1].end].startswith("（九）")


def test_numbering_restarting_per_parent_is_fine() -> None:
    norm, st = _numbered_doc(
        [("一、", ["（一）", "（二）"]), ("二、", ["（一）", "（二）", "（三）"]), ("三、", ["（一）"])]
    )
    assert _kinds(check_integrity(norm, st), "numbering_gap") == []


def test_numbering_gap_within_restarting_parent() -> None:
    norm, st = _numbered_doc([("一、", ["（一）", "（二）"]), ("二、", ["（一）", "（三）"])])
    gaps = _kinds(check_integrity(norm, st), "numbering_gap")
    assert len(gaps) == 1
    assert "（一）之后应为（二），实为（三）" in gaps[0].message_zh


def test_numbering_duplicate_and_backwards() -> None:
    norm, st = _numbered_doc([("一、", ["（一）", "（二）", "（二）", "（三）", "（二）", "（三）"])])
    gaps = _kinds(check_integrity(norm, st), "numbering_gap")
    kinds = [g.message_zh.split("：")[0] for g in gaps]
    # after a backward step the count resumes from the number found
    assert kinds == ["编号重复", "编号倒退"]
    assert "Duplicate number" in gaps[0].message_en
    assert "backwards" in gaps[1].message_en


def test_numbering_part_gap_and_missing_first() -> None:
    norm, st = _numbered_doc([("二、", ["（一）"]), ("三、", ["（二）"]), ("五、", ["（三）"])])
    msgs = [g.message_zh for g in _kinds(check_integrity(norm, st), "numbering_gap")]
    assert "编号缺失：应从一开始，实为二" in msgs
    assert "编号缺失：三之后应为四，实为五" in msgs
    assert len(msgs) == 2


def test_restart_missing_first_number_under_new_parent() -> None:
    norm, st = _numbered_doc([("一、", ["（一）", "（二）", "（三）"]), ("二、", ["（二）", "（三）"])])
    msgs = [g.message_zh for g in _kinds(check_integrity(norm, st), "numbering_gap")]
    assert msgs == ["编号缺失：应从（一）开始，实为（二）"]


# ---------------------------------------------------------------------------
# Paragraph flow


def test_starts_with_punctuation_and_fragment() -> None:
    text = "一、总体要求\n（一）加强领导。各地要抓好落实。\n，并做好统筹工作。\n观、文化观、宗教观。加强研究。\n省、自治区、直辖市人民政府应当加强管理。"
    st = Structure(sections=[_sec(text, "part", "一", "一、总体要求")], paragraphs=_paragraphs(text))
    starts = _kinds(check_integrity(_norm(text), st), "starts_mid_sentence")
    assert [text[f.start] for f in starts] == ["，", "观"]
    assert "mid-sentence" in starts[0].message_en
    # 省 is a word by itself: a legitimate list head, not a fragment


def test_ends_mid_sentence_but_headings_are_fine() -> None:
    text = (
        "二、在铸牢中华民族共同体意识上作模范\n"
        "（四）把铸牢中华民族共同体意识贯穿于各项工作之中。推动经济建设、政治建设都紧紧围绕这条主线，增强中华民族共同体意识\n"
        "（五）深化理论研究和宣传教育。完善学科体系。\n"
        "三、在民族地区推进中国式现代化建设中作模范\n"
        "坚持守土尽责，把祖国北疆安全稳定屏障构筑得坚不可摧。"
    )
    st = Structure(paragraphs=_paragraphs(text))
    f = check_integrity(_norm(text), st)
    ends = _kinds(f, "ends_mid_sentence")
    assert len(ends) == 1
    assert text[ends[0].start : ends[0].end].endswith("增强中华民族共同体意识")
    assert _kinds(f, "starts_mid_sentence") == []
    assert _kinds(f, "truncated") == []


def test_paragraph_after_unfinished_one_starts_mid_sentence() -> None:
    text = (
        "一、总体要求\n要全面深化各领域改革。加快推进基础性、关键性\n改革，增强内生发展动力。\n"
        "加快推进基础性、关键性改\n革，增强内生发展动力。"
    )
    st = Structure(paragraphs=_paragraphs(text))
    f = check_integrity(_norm(text), st)
    assert [text[x.start : x.start + 2] for x in _kinds(f, "starts_mid_sentence")] == ["改革", "革，"]
    # the second broken paragraph has no full stop: it could be a heading, so
    # only its successor's leading fragment gives the break away
    assert [text[x.end - 2 : x.end] for x in _kinds(f, "ends_mid_sentence")] == ["键性"]


# ---------------------------------------------------------------------------
# Truncation and removals


def test_truncated_at_page_jump_and_removals_reported() -> None:
    source = "（一）加强领导。各地要抓好落实。\n记者 张三 摄\n积极推进“三变”改革。\n(下转4版)"
    text = "（一）加强领导。各地要抓好落实。\n积极推进“三变”改革。"
    offsets = list(range(0, 17)) + list(range(25, 25 + len("积极推进“三变”改革。") + 1))
    removals = [
        Removal("furniture", "记者 张三 摄", 17, 24),
        Removal("page_jump", "(下转4版)", source.index("(下转"), len(source)),
    ]
    norm = Normalized(text=text, source_offsets=offsets, removals=removals)
    f = check_integrity(norm, Structure(paragraphs=_paragraphs(text)))
    trunc = _kinds(f, "truncated")
    assert len(trunc) == 1 and trunc[0].start == len(text)
    assert "下转4版" in trunc[0].message_zh and "page jump" in trunc[0].message_en
    assert [x.start for x in _kinds(f, "furniture")] == [17]
    assert len(_kinds(f, "page_jump")) == 1
    assert [x.start for x in f] == sorted(x.start for x in f)


def test_page_jump_in_the_middle_is_not_truncation() -> None:
    text = "积极推进改革。\n加强组织领导。"
    removals = [Removal("page_jump", "(下转4版)", 7, 13)]
    offsets = list(range(8)) + list(range(14, 14 + len(text) - 7))
    norm = Normalized(text=text, source_offsets=offsets, removals=removals)
    f = check_integrity(norm, Structure(paragraphs=_paragraphs(text)))
    assert _kinds(f, "truncated") == []
    assert len(_kinds(f, "page_jump")) == 1


def test_truncated_mid_sentence_but_not_after_signature() -> None:
    cut = "一、总体要求\n各地要加强组织领导，抓好各项任务落实。健全完善农企利益联结机制，积极推进"
    f = check_integrity(_norm(cut), Structure(paragraphs=_paragraphs(cut)))
    assert len(_kinds(f, "truncated")) == 1
    signed = "一、总体要求\n各地要加强组织领导，抓好各项任务落实。\n国务院\n2018年12月5日"
    f = check_integrity(_norm(signed), Structure(paragraphs=_paragraphs(signed)))
    assert _kinds(f, "truncated") == []


# ---------------------------------------------------------------------------
# Brackets and quotes


def test_unbalanced_quotes_and_brackets() -> None:
    text = (
        "积极推进‘三变”改革。\n"
        '坚持"两个确立。\n'
        "实施建设工程（2023-2027年，设立研究院。\n"
        "做到“两个维护”，用好《纲要》（试行）。\n"
        "1）加强领导；2）抓好落实。"
    )
    f = _kinds(check_integrity(_norm(text), Structure(paragraphs=_paragraphs(text))), "unbalanced")
    assert [text[x.start] for x in f] == ["”", '"', "（"]
    assert "不配对" in f[0].message_zh and "Unbalanced" in f[0].message_en


# ---------------------------------------------------------------------------
# Garbled text


def test_shuffled_text_is_garbled_and_clean_text_is_not() -> None:
    assert_shuffled_line_is_garbled(document_text("work_report.txt"))


def test_corpus_shuffled_text_is_garbled_and_clean_text_is_not(corpus: Corpus) -> None:
    assert_shuffled_line_is_garbled(corpus.text("src_gwr_national_2016.txt"))


def assert_shuffled_line_is_garbled(src: str) -> None:
    """The clean text has no garbled clause; its longest line shuffled (first 200 characters) has one."""
    clean = normalize(src)
    assert _kinds(check_integrity(clean, parse_structure(clean.text)), "garbled") == []
    lines = src.split("\n")
    i = max(range(len(lines)), key=lambda k: len(lines[k]))
    chars = list(lines[i][:200])
    random.Random(7).shuffle(chars)
    shuffled = "".join(chars)
    lines[i] = shuffled + lines[i][200:]
    norm = normalize("\n".join(lines))
    garbled = _kinds(check_integrity(norm, parse_structure(norm.text)), "garbled")
    assert len(garbled) == 1
    at = norm.text.index(shuffled[:20])
    assert garbled[0].start <= at + 20 and at < garbled[0].end
    assert "文字不通顺" in garbled[0].message_zh and "does not read as sentences" in garbled[0].message_en
    assert (
        "奈特" not in garbled[0].message_zh and "nats" not in garbled[0].message_en
    )  # in words, no statistics


def test_enumerations_and_numbers_are_not_garbled() -> None:
    body = (
        "用好一本辅导书、一本发展账、一张惠民卡、一套学生思政讲义、一张现代化发展蓝图等载体。"
        "全省生产总值增长5.5%，一般公共预算收入增长1.8%，城镇和农村居民人均可支配收入分别增长4.3%、5.5%。"
        "完成以电代煤、以气代煤300万户以上，淘汰黄标车和老旧车600万辆。"
    )
    text = "\n".join([body] * 12)
    rows = garble_scores(text)
    assert max(c.z for row in rows for c in row) < 6
    assert _kinds(check_integrity(_norm(text), Structure(paragraphs=_paragraphs(text))), "garbled") == []


# ---------------------------------------------------------------------------
# End to end on the seed


@pytest.fixture(scope="module")
def seed() -> tuple[Normalized, list[Finding]]:
    norm = normalize(seed_text())
    return norm, check_integrity(norm, parse_structure(norm.text))


def test_seed_numbering_gaps(seed: tuple[Normalized, list[Finding]]) -> None:
    norm, findings = seed
    gaps = _kinds(findings, "numbering_gap")
    assert [g.message_zh for g in gaps] == [
        "编号缺失：（五）之后应为（六），实为（七）",
        "编号缺失：（七）之后应为（八），实为（九）",
    ]
    assert norm.text[gaps[0].start :].startswith("（七）促进各民族广泛交往交流交融")
    assert norm.text[gaps[1].start :].startswith("（九）坚持守土尽责")


def test_seed_flow_breaks(seed: tuple[Normalized, list[Finding]]) -> None:
    norm, findings = seed
    starts = [norm.text[f.start : f.start + 6] for f in _kinds(findings, "starts_mid_sentence")]
    assert starts == ["观、文化观、", "军牢把握习近"]
    ends = [norm.text[f.start : f.end] for f in _kinds(findings, "ends_mid_sentence")]
    assert len(ends) == 2
    assert ends[0].endswith("增强中华民族共同体意识")
    assert ends[1].endswith("更好满足各族群众精神文化")


def test_seed_truncated_at_page_jump(seed: tuple[Normalized, list[Finding]]) -> None:
    norm, findings = seed
    trunc = _kinds(findings, "truncated")
    assert len(trunc) == 1
    assert "下转4版" in trunc[0].message_zh
    assert trunc[0].start == len(norm.text.rstrip())
    assert len(_kinds(findings, "page_jump")) == 1


def test_seed_garbled_passage(seed: tuple[Normalized, list[Finding]]) -> None:
    norm, findings = seed
    garbled = _kinds(findings, "garbled")
    assert len(garbled) == 1
    at = norm.text.index("深植厚培忠力维护")
    g = garbled[0]
    assert g.start < at + 8 and at < g.end
    assert g.end - g.start < 200
    assert "串栏或乱码" in g.message_zh


def test_seed_findings_sorted(seed: tuple[Normalized, list[Finding]]) -> None:
    _, findings = seed
    assert [f.start for f in findings] == sorted(f.start for f in findings)
    for f in findings:
        assert f.message_zh and f.message_en and f.start <= f.end


# ---------------------------------------------------------------------------
# Clean corpus: false positives


CLEAN_KINDS = (
    "garbled",
    "starts_mid_sentence",
    "ends_mid_sentence",
    "truncated",
    "unbalanced",
    "numbering_gap",
)


@pytest.mark.parametrize("name", sorted(p.name for p in DOCUMENTS.glob("*.txt") if "gbk" not in p.name))
def test_clean_documents_have_no_findings(name: str) -> None:
    # The test documents are whole and clean: only the furniture normalize removed is reported.
    norm = normalize(document_text(name))
    found = Counter(f.kind for f in check_integrity(norm, parse_structure(norm.text)))
    assert {kind: found[kind] for kind in CLEAN_KINDS if found[kind]} == {}


def test_corpus_false_positives(corpus: Corpus) -> None:
    files = corpus.files("texts/*.txt", "gold/*.txt")
    assert files, "corpus not found"
    counts: Counter[str] = Counter()
    per_file: dict[str, Counter[str]] = {}
    for path in files:
        norm = normalize(path.read_text(encoding="utf-8"))
        found = Counter(f.kind for f in check_integrity(norm, parse_structure(norm.text)))
        per_file[path.name] = found
        counts.update(found)
    print("corpus findings:", dict(counts))
    # These documents are clean: nothing garbled, cut or broken.
    for kind in ("garbled", "starts_mid_sentence", "ends_mid_sentence", "truncated", "unbalanced"):
        assert counts[kind] == 0, (kind, {k: v[kind] for k, v in per_file.items() if v[kind]})
    # One known: 四川 2025 notes list "8.6个重大科技专项", whose point 8 the
    # structure parser reads as the decimal 8.6, so 7 -> 9 looks like a gap.
    assert counts["numbering_gap"] <= 1
