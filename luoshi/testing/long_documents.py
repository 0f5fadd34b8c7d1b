"""Long decisions generated for scale work, with the heading tree they were written with.

``long_decision(sentences=…, target_bytes=…, shape=…)`` writes a decision of about ``target_bytes``
bytes of UTF-8 out of the given sentences, in one of three layouts:

- ``report``: a work report: 一、 parts on their own line, （一） items and 1． points with running
  headings, some points holding an inline enumeration (…。一是…；二是…；三是…。);
- ``regulation``: 第X章 chapters of twenty 第X条 articles, some articles continued over a second
  paragraph or listing （一）（二）… conditions;
- ``articles``: one-sentence 第X条 articles and no chapters (a code of thousands of top-level articles;
  numbering stops at 第九千九百九十九条, about 1.5 MB: article numbers with 万 are not read as articles);
- ``short-articles``: the same with one-clause articles (9,999 articles, the most, make about 590 KB).

Numbering is continuous, so the text parses into exactly ``LongDocument.tree``. The tests feed it
sentences of the test documents (``luoshi/testing/documents``); ``bench/ingest_scale.py`` feeds it the
development corpus.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from luoshi.lib.numerals import int_to_chinese

SHAPES = ("report", "regulation", "articles", "short-articles")
_MARKER_START = re.compile(r"^[（(一二三四五六七八九十第0-9０-９—①-⑳附]")
_ENUM_LIKE = re.compile(r"[零〇一二两三四五六七八九十百千]是")
_CLAUSE = re.compile(r"[^。！？，；：、]+")
_Add = Callable[[str], None]


@dataclass
class Node:
    """A heading as written: kind and number as ``parse_structure`` reports them, its heading text."""

    kind: str
    number: str
    heading: str
    children: list[Node] = field(default_factory=list)


@dataclass
class LongDocument:
    text: str
    tree: list[Node]


def clean_sentences(texts: Iterable[str]) -> list[str]:
    """Whole sentences (15–120 characters, ending 。) that cannot be read as a heading or enumeration."""
    out: list[str] = []
    seen: set[str] = set()
    for text in texts:
        for line in text.splitlines():
            for s in re.findall(r"[^。！？\s]+。", line.strip(" \t\u3000")):
                if not 15 <= len(s) <= 120 or not s[0].isalnum() or s in seen:
                    continue
                if (
                    _MARKER_START.match(s)
                    or _ENUM_LIKE.search(s)
                    or re.search(r"[\"'“”‘’《》（）()【】「」—,;:!?]", s)
                ):
                    continue
                seen.add(s)
                out.append(s)
    return out


class _Source:
    """Sentences and short phrases, taken in turn."""

    def __init__(self, sentences: list[str]) -> None:
        if len(sentences) < 10:
            raise ValueError("long_decision needs at least 10 clean sentences")
        self.sentences = sentences
        self.phrases = [c for s in sentences for c in _CLAUSE.findall(s) if 4 <= len(c) <= 14]
        if len(self.phrases) < 10:
            raise ValueError("long_decision needs sentences with short clauses")
        self.k = 0
        self.p = 0

    def sentence(self) -> str:
        self.k += 1
        return self.sentences[(self.k - 1) % len(self.sentences)]

    def phrase(self) -> str:
        self.p += 1
        return self.phrases[(self.p - 1) % len(self.phrases)]


def long_decision(*, sentences: list[str], target_bytes: int, shape: str) -> LongDocument:
    """A decision of at least ``target_bytes`` bytes (UTF-8; the articles shapes stop at 9,999 articles) in
    ``shape`` (one of :data:`SHAPES`)."""
    if shape not in SHAPES:
        raise ValueError(f"shape must be one of {', '.join(SHAPES)}")
    src = _Source(sentences)
    lines: list[str] = []
    tree: list[Node] = []
    size = 0

    def add(line: str) -> None:
        nonlocal size
        lines.append(line)
        size += len(line.encode("utf-8")) + 1

    if shape == "report":
        add("测试省人民政府工作报告")
        add("（2030年1月10日在测试省第十五届人民代表大会第三次会议上）")
    else:
        add("测试省" + ("条例" if shape == "regulation" else "管理规定"))
        add("（2030年1月10日测试省第十五届人民代表大会常务委员会第九次会议通过）")
    add(src.sentence() + src.sentence())
    counter = 0
    while size < target_bytes and not (shape.endswith("articles") and counter == 9_999):
        counter += 1
        if shape == "report":
            tree.append(_report_part(counter, src, add))
        elif shape == "regulation":
            tree.append(_chapter(counter, src, add))
        else:
            add(
                f"第{int_to_chinese(counter)}条　{src.sentence() if shape == 'articles' else src.phrase() + '。'}"
            )
            tree.append(Node("article", f"第{int_to_chinese(counter)}条", ""))
    return LongDocument("\n".join(lines) + "\n", tree)


def _running(sentence: str) -> str:
    """The heading ``parse_structure`` reads from a running first sentence."""
    return sentence[:-1].rstrip("；;，,、：: ")


def _report_part(n: int, src: _Source, add: _Add) -> Node:
    title = src.phrase()
    add(f"{int_to_chinese(n)}、{title}")
    part = Node("part", int_to_chinese(n), title)
    add(src.sentence() + src.sentence())
    for i in range(1, 7):
        first = src.sentence()
        add(f"（{int_to_chinese(i)}）{first}{src.sentence()}")
        item = Node("item", f"（{int_to_chinese(i)}）", _running(first))
        part.children.append(item)
        for j in range(1, 6):
            first = src.sentence()
            point = Node("point", str(j), _running(first))
            if j % 2:
                add(f"{j}．{first}{src.sentence()}")
            else:
                phrases = [src.phrase() for _ in range(3)]
                add(f"{j}．{first}一是{phrases[0]}；二是{phrases[1]}；三是{phrases[2]}。")
                point.children = [
                    Node("enum", f"{int_to_chinese(k + 1)}是", p) for k, p in enumerate(phrases)
                ]
            item.children.append(point)
    return part


def _chapter(n: int, src: _Source, add: _Add) -> Node:
    title = src.phrase()
    add(f"第{int_to_chinese(n)}章　{title}")
    chapter = Node("chapter", f"第{int_to_chinese(n)}章", title)
    for k in range(20):
        number = f"第{int_to_chinese(20 * (n - 1) + k + 1)}条"
        add(f"{number}　{src.sentence()}")
        article = Node("article", number, "")
        if k % 5 == 1:
            add(src.sentence())
        if k % 5 == 3:
            for i in range(1, 4):
                phrase = src.phrase()
                add(f"（{int_to_chinese(i)}）{phrase}{'；' if i < 3 else '。'}")
                article.children.append(Node("item", f"（{int_to_chinese(i)}）", phrase))
        chapter.children.append(article)
    return chapter
