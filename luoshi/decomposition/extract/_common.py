"""Shared helpers for the rule-based extractors.

Everything here is compiled once at import time (or lazily, once) so that the
extractors never compile patterns per call.  Offsets are Python string
indices into the text handed to an extractor; ``end`` is exclusive.
"""

from __future__ import annotations

import dataclasses
import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from luoshi.lib.numerals import NUMERAL_CHARS, chinese_to_int

HERE = Path(__file__).resolve().parent
ACTION_VERBS_FILE = HERE / "action_verbs.txt"

# Clause and sentence boundaries, full- and half-width.
SENT_END_CHARS = "。！？!?\n"
CLAUSE_END_CHARS = SENT_END_CHARS + "，；：,;:"
CLAUSE_END_RE = re.compile(r"[。！？!?\n，；：,;:]")
SENT_END_RE = re.compile(r"[。！？!?\n]")

CJK = "\u4e00-\u9fff"
CJK_RE = re.compile(f"[{CJK}]")

CN_NUM_CHARS = NUMERAL_CHARS
cn_to_int = chinese_to_int


def trie_pattern(words: Iterable[str]) -> str:
    """A regex alternation for ``words`` that prefers the longest match.

    The words are arranged as a character trie, so matching costs one pass
    over the text rather than one attempt per word.
    """
    root: dict[str, dict] = {}
    for word in words:
        if not word:
            continue
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, dict]) -> str:
        alts = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if "" in node:
            return "(?:" + body + ")?"
        return body

    pattern = build(root)
    return pattern or "(?!)"


def trie_regex(words: Iterable[str]) -> re.Pattern[str]:
    return re.compile(trie_pattern(words))


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def flat_asdict(obj: Any) -> dict[str, Any]:
    """``dataclasses.asdict`` for a dataclass of scalar fields, without its deep copy (much faster)."""
    names = _FIELD_NAMES.get(type(obj))
    if names is None:
        names = _FIELD_NAMES[type(obj)] = tuple(f.name for f in dataclasses.fields(obj))
    return {name: getattr(obj, name) for name in names}


def words(s: str) -> list[str]:
    """Whitespace-separated words of a literal word list."""
    return s.split()


def read_lexicon(path: Path) -> list[str]:
    """Lines of a lexicon file, without comments (#) and blank lines."""
    out: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            out.append(line.split()[0])
    return out


@lru_cache(maxsize=1)
def action_verbs() -> frozenset[str]:
    """The curated action-verb lexicon (action_verbs.txt)."""
    return frozenset(read_lexicon(ACTION_VERBS_FILE))


def clause_spans(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """(start, end) of clauses in text[start:end], split at ，；：。！？ etc.

    Spans exclude the delimiter and surrounding whitespace; empty spans are
    skipped.
    """
    stop = len(text) if end is None else end
    cuts = [m.start() for m in CLAUSE_END_RE.finditer(text, start, stop)]
    cuts.append(stop)
    pos = start
    for cut in cuts:  # (trimming inlined: this runs for every clause of every sentence)
        s, e = pos, cut
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            yield s, e
        pos = cut + 1


class Bounds:
    """Sentence and clause boundaries of one text, computed once.

    ``sentence(pos)`` / ``clause(pos)`` return the (start, end) span around
    ``pos`` by bisection, so repeated look-ups stay cheap on long texts.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._sent = [m.start() for m in SENT_END_RE.finditer(text)]
        self._clause = [m.start() for m in CLAUSE_END_RE.finditer(text)]

    @staticmethod
    def _around(marks: list[int], pos: int, n: int) -> tuple[int, int]:
        i = bisect_left(marks, pos)
        left = marks[i - 1] + 1 if i > 0 else 0
        right = marks[i] if i < len(marks) else n
        return left, right

    def sentence(self, pos: int) -> tuple[int, int]:
        return self._around(self._sent, pos, len(self.text))

    def clause(self, pos: int) -> tuple[int, int]:
        return self._around(self._clause, pos, len(self.text))
