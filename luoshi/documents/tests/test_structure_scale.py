"""Long documents: the fast lookups of parse_structure give what a plain scan of the tree gives (issue 12).

The documents are generated (``luoshi/testing/long_documents.py``) from sentences of the test documents,
so they parse into a tree known in advance; the sentence paths are checked against a scan of every
sibling list, the straightforward computation the bisecting index replaced.
"""

from __future__ import annotations

import random
from itertools import pairwise

import pytest

from luoshi.documents.textproc.model import Section, Structure
from luoshi.documents.textproc.normalize import normalize
from luoshi.documents.textproc.structure import SectionIndex, parse_structure
from luoshi.testing.long_documents import SHAPES, LongDocument, Node, clean_sentences, long_decision
from luoshi.testing.paths import DOCUMENTS, seed_text


@pytest.fixture(scope="module")
def sentences() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(DOCUMENTS.glob("*.txt")) if "gbk" not in p.name]
    return clean_sentences([*texts, seed_text()])


def parsed(doc: LongDocument) -> tuple[str, Structure]:
    text = normalize(doc.text).text
    return text, parse_structure(text)


def as_nodes(sections: list[Section]) -> list[Node]:
    return [Node(s.kind, s.number, s.heading, as_nodes(s.children)) for s in sections]


def scan_path(roots: list[Section], pos: int) -> list[int]:
    """The innermost section holding ``pos``, by looking at every sibling in turn."""
    path: list[int] = []
    nodes = roots
    while True:
        holding = [k for k, n in enumerate(nodes) if n.start <= pos < n.end]
        if not holding:
            return path
        path.append(holding[-1])
        nodes = nodes[holding[-1]].children


def scan_innermost(roots: list[Section], pos: int) -> Section | None:
    found = None
    nodes = roots
    while True:
        holding = [n for n in nodes if n.start <= pos < max(n.end, n.start + 1)]
        if not holding:
            return found
        found = holding[-1]
        nodes = found.children


def walk(nodes: list[Section]) -> list[Section]:
    return [x for n in nodes for x in n.walk()]


@pytest.mark.parametrize("shape", SHAPES)
def test_it_parses_a_long_document_into_the_tree_it_was_written_with(
    sentences: list[str], shape: str
) -> None:
    doc = long_decision(sentences=sentences, target_bytes=300_000, shape=shape)
    _, st = parsed(doc)
    assert len(walk(st.sections)) > 1500
    assert as_nodes(st.sections) == doc.tree


@pytest.mark.parametrize("shape", SHAPES)
def test_every_sentence_gets_the_path_a_scan_of_the_tree_gives(sentences: list[str], shape: str) -> None:
    doc = long_decision(sentences=sentences, target_bytes=300_000, shape=shape)
    _, st = parsed(doc)
    paths = [s.path for s in st.sentences]
    assert paths == [scan_path(st.sections, s.start) for s in st.sentences]
    assert sum(1 for p in paths if p) > 0.95 * len(paths)  # the preamble is the only text outside sections


@pytest.mark.parametrize("shape", SHAPES)
def test_sections_nest_inside_their_parents_in_document_order(sentences: list[str], shape: str) -> None:
    doc = long_decision(sentences=sentences, target_bytes=100_000, shape=shape)
    _, st = parsed(doc)

    def check(nodes: list[Section], lo: int, hi: int) -> None:
        for a, b in pairwise(nodes):
            assert a.end <= b.start
        for n in nodes:
            assert lo <= n.start < n.end <= hi
            check(n.children, n.start, n.end)

    check(st.sections, 0, len(normalize(doc.text).text))


def test_the_index_finds_the_innermost_section_a_scan_finds(sentences: list[str]) -> None:
    doc = long_decision(sentences=sentences, target_bytes=100_000, shape="report")
    text, st = parsed(doc)
    index = SectionIndex(st.sections)
    positions = random.Random(12).sample(range(len(text)), 2000) + [s.start for s in walk(st.sections)]
    assert [index.innermost(p) for p in positions] == [scan_innermost(st.sections, p) for p in positions]
    assert [index.path(p) for p in positions] == [scan_path(st.sections, p) for p in positions]


def test_an_inserted_section_is_found_where_it_was_inserted(sentences: list[str]) -> None:
    doc = long_decision(sentences=sentences, target_bytes=30_000, shape="articles")
    _, st = parsed(doc)
    index = SectionIndex(st.sections)
    index.path(0)  # the root starts are computed before the insertion and must follow it
    first = st.sections[0]
    inner = Section("enum", "一是", "", first.start + 1, first.start + 3, first.start + 3, first.start + 3)
    index.insert(first.children, inner)
    later = Section("heading", "", "", st.sections[-1].end + 1, st.sections[-1].end + 5, 0, 0)
    index.insert(st.sections, later)
    assert index.innermost(first.start + 2) is inner
    assert index.path(first.start + 2) == [0, 0]
    assert index.path(later.start) == [len(st.sections) - 1]
    assert st.sections[-1] is later
