"""Only complete sentences and headings are proposed: no date lines, signatures or fragments."""

from __future__ import annotations

from pathlib import Path

import pytest

from luoshi.catalogs.catalog import load_catalog
from luoshi.decomposition.builder import Decomposition, decompose
from luoshi.decomposition.extract.sentences import (
    SENTENCE_END_RE,
    is_date_line,
    is_fragment,
    is_heading,
    is_signature,
    proposable,
)
from luoshi.documents.textproc.pipeline import analyse
from luoshi.testing.corpus import corpus_params
from luoshi.testing.paths import seed_path


def _decompose(source: str, catalog: str) -> tuple[str, Decomposition]:
    analysis = analyse(source)
    return analysis.text, decompose(analysis.text, analysis.structure, load_catalog(catalog))


def assert_items_are_sentences_or_headings(text: str, result: Decomposition) -> None:
    for task in result.tasks:
        words = text[task.start : task.end]
        heading = bool(task.heading_path) and task.title == task.heading_path[-1].lstrip(
            "（(一二三四五六七八九十百0123456789）)、.． "
        )
        assert proposable(words) or heading or is_heading(words), words[:80]
        assert not is_date_line(task.title) and not is_signature(words), words[:80]
        sentences = [p.strip() for p in SENTENCE_END_RE.split(words) if p.strip()]
        assert task.title and (
            not is_fragment(task.title) or any(p.endswith(task.title) for p in sentences)
        ), (task.title, words[:80])


def test_the_seed_proposes_no_date_line_and_no_fragment() -> None:
    text, result = _decompose(seed_path().read_text(encoding="utf-8"), "inner-mongolia")
    titles = [t.title for t in result.tasks]
    assert not any(t.startswith(("（2023年7月5日", "(2023年7月5日")) for t in titles)
    assert "传承好心向党" not in titles
    assert_items_are_sentences_or_headings(text, result)


def test_headings_keep_the_documents_numbering() -> None:
    _text, result = _decompose(seed_path().read_text(encoding="utf-8"), "inner-mongolia")
    parts = {t.heading_path[0] for t in result.tasks if t.heading_path}
    assert "一、在感党恩听党话、紧跟习近平总书记奋进新征程上作模范" in parts
    assert all(p[1] == "、" or p.startswith("（") for p in parts if p[0] in "一二三四五六七八九十")


@pytest.mark.parametrize(
    ("line", "date", "signature"),
    [
        ("（2023年7月5日中国共产党内蒙古自治区第十一届委员会第六次全体会议通过）", True, True),
        ("2023年7月5日", True, True),
        ("中共内蒙古自治区委员会\n2023年7月5日", False, True),
        ("抄送：各盟市党委", False, True),
        ("加快推进新能源大基地建设。", False, False),
    ],
)
def test_date_lines_and_signature_blocks_are_recognised(line: str, date: bool, signature: bool) -> None:
    assert is_date_line(line) is date
    assert is_signature(line) is signature
    assert proposable(line) is (not signature)


def test_short_pieces_without_a_verb_are_fragments() -> None:
    assert is_fragment("共同体")
    assert not is_fragment("提高质量")
    assert not proposable("传承好心向党、心向党中央的红色基因")  # no sentence end: a piece of a sentence


@pytest.mark.parametrize("path", corpus_params("texts/*.txt"))
def test_every_item_proposed_on_the_corpus_is_a_sentence_or_heading(path: Path) -> None:
    text, result = _decompose(path.read_text(encoding="utf-8"), "state-council")
    assert_items_are_sentences_or_headings(text, result)
