"""Plain data types shared by the text pipeline (no Django here).

The pipeline is: decoded text -> normalize() -> Normalized -> parse_structure()
-> Structure -> check_integrity() -> list[Finding].  All offsets are Python
string indices (code points); ``end`` is exclusive.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Removal:
    """A span of the source text that normalization dropped, and why.

    kind: "page_jump" (下转4版/上接第1版) or "furniture" (来源, 记者…摄, 字号 bar…).
    """

    kind: str
    text: str
    source_start: int
    source_end: int


@dataclass
class Normalized:
    """Normalized text plus a map back to the source.

    ``source_offsets[i]`` is the index in the source text of normalized
    character ``i``; it has ``len(text) + 1`` entries, the last one being the
    source offset just past the final character (so spans map with
    ``source_offsets[start]`` .. ``source_offsets[end]``).
    ``steps`` counts what each normalization step changed, e.g.
    ``{"cjk_space_removed": 120, "punct_to_fullwidth": 40, ...}``.
    """

    text: str
    source_offsets: list[int]
    removals: list[Removal] = field(default_factory=list)
    steps: dict[str, int] = field(default_factory=dict)

    def to_source_span(self, start: int, end: int) -> tuple[int, int]:
        return self.source_offsets[start], self.source_offsets[end]


@dataclass
class Section:
    """A node of the heading hierarchy.

    kind: one of "part" (一、), "chapter" (第X章), "section" (第X节),
    "article" (第X条), "item" ((一)), "point" (1.), "subpoint" ((1)),
    "enum" (一是…), "bullet" (——…), "heading" (unnumbered heading line).
    number: the number as printed ("一", "（三）", "第五条", "1").
    heading: the heading text without its number ("" when none).
    start/end: the whole section (heading included) in normalized text.
    heading_start/heading_end: the heading text span (number excluded).
    level: depth in the tree, 1 for top-level sections.
    """

    kind: str
    number: str
    heading: str
    start: int
    end: int
    heading_start: int
    heading_end: int
    level: int = 1
    children: list[Section] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "number": self.number,
            "heading": self.heading,
            "start": self.start,
            "end": self.end,
            "heading_start": self.heading_start,
            "heading_end": self.heading_end,
            "children": [c.to_dict() for c in self.children],
        }

    def walk(self) -> list[Section]:
        out = [self]
        for c in self.children:
            out.extend(c.walk())
        return out


@dataclass
class Paragraph:
    start: int
    end: int


@dataclass
class Sentence:
    """A sentence with the index path of its innermost section.

    path: indices into Structure.sections then .children ...; [] for text
    outside every section (title block, preamble).
    """

    start: int
    end: int
    path: list[int] = field(default_factory=list)


@dataclass
class Structure:
    title: str = ""
    title_span: tuple[int, int] | None = None
    issuer: str = ""
    doc_number: str = ""
    date: str = ""  # ISO yyyy-mm-dd when a date line is found
    date_line: str = ""  # the adoption/date line as printed
    date_span: tuple[int, int] | None = None
    preamble_span: tuple[int, int] | None = None
    sections: list[Section] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)

    def all_sections(self) -> list[Section]:
        out: list[Section] = []
        for s in self.sections:
            out.extend(s.walk())
        return out


@dataclass
class Finding:
    """An integrity finding, with a bilingual plain message.

    kind: "numbering_gap", "starts_mid_sentence", "truncated",
    "unbalanced", "garbled", "page_jump", "furniture", ...
    """

    kind: str
    message_zh: str
    message_en: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "message": self.message_zh,
            "message_en": self.message_en,
            "start": self.start,
            "end": self.end,
        }
