"""Where the normalized text differs from the decoded source, paragraph by paragraph.

For the side-by-side view of a document: ``compare()`` returns the blocks
that differ, each as two lists of pieces (the original with ``del`` pieces,
the normalized text with ``ins`` pieces), and how many blocks differ in all.

Normalization only deletes characters or substitutes them one for one, and
it stores a map from every normalized character back to the source
(``Document.offset_runs``, see textproc.offsets). With that map the
comparison is exact and linear in the length of the text:

1. Split the normalized text into paragraphs (lines). A paragraph's source
   is the span from its first character's source offset to its line break's.
2. A paragraph whose source equals its normalized text is skipped with one
   string comparison, so a 100k-character document costs little.
3. Only the first ``limit`` paragraphs that differ are taken apart
   character by character: source characters the map skips were deleted,
   mapped characters that changed were substituted.
4. What lies between paragraphs (blank lines, removed page furniture, the
   whitespace around line breaks) is a block of its own only when it holds
   more than whitespace: line-ending whitespace is not a difference a reader
   needs to see.

Without a usable map (a document stored by hand, or a map that does not fit
the texts) the blocks come from difflib instead: lines first, then
characters inside each changed block, up to ``CHAR_DIFF_MAX`` characters.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher
from itertools import accumulate, pairwise
from typing import Literal

PieceKind = Literal["same", "del", "ins", "skip"]

SHOWN_BLOCKS = 50  # blocks taken apart by default; the page offers the rest on request
CONTEXT = 30  # unchanged characters kept on each side of a change
CHAR_DIFF_MAX = 4000  # difflib fallback: longer changed blocks are shown whole


@dataclass(frozen=True)
class Piece:
    """A run of text that is the same on both sides, deleted, inserted, or skipped ("…")."""

    kind: PieceKind
    text: str

    @property
    def blank(self) -> bool:
        """Whitespace only: the page gives it a visible box."""
        return not self.text.strip()

    @property
    def shown(self) -> str:
        """The text as displayed: a deleted line break gets a visible mark before it."""
        return self.text.replace("\n", "↵\n") if self.kind == "del" else self.text


@dataclass(frozen=True)
class Block:
    """A passage that differs; ``start``/``end`` in the normalized text, ``source_*`` in the source."""

    source_start: int
    source_end: int
    start: int
    end: int
    original: tuple[Piece, ...]
    normalized: tuple[Piece, ...]


@dataclass(frozen=True)
class Comparison:
    blocks: list[Block]  # the first blocks that differ, in document order
    changed: int  # how many blocks differ in all
    exact: bool  # True when computed from the offset map, False when guessed by difflib

    @property
    def truncated(self) -> bool:
        return self.changed > len(self.blocks)


def compare(
    source: str, text: str, offsets: list[int] | None, *, limit: int | None = SHOWN_BLOCKS
) -> Comparison:
    """The blocks where ``text`` (normalized) differs from ``source``; ``limit=None`` takes them all.

    ``offsets`` is the expanded map (``len(text) + 1`` source offsets, see
    textproc.model.Normalized); when it is missing or does not fit, difflib
    aligns the texts.
    """
    if offsets is not None and _fits(source, text, offsets):
        spans = _mapped_spans(source, text, offsets)
        exact = True
    else:
        spans = _difflib_spans(source, text)
        exact = False
    blocks: list[Block] = []
    changed = 0
    for span in spans:
        changed += 1
        if limit is None or len(blocks) < limit:
            blocks.append(span.block(source, text, offsets if exact else None))
    return Comparison(blocks=blocks, changed=changed, exact=exact)


@dataclass(frozen=True)
class _Span:
    source_start: int
    source_end: int
    start: int
    end: int

    def block(self, source: str, text: str, offsets: list[int] | None) -> Block:
        old, new = source[self.source_start : self.source_end], text[self.start : self.end]
        if offsets is not None:
            ops = _mapped_ops(source, text, offsets, self)
        elif len(old) + len(new) <= CHAR_DIFF_MAX:
            ops = _difflib_ops(old, new)
        else:
            ops = [_Op(False, old, new)]
        original, normalized = _sides(_elide(_merge(ops)))
        return Block(self.source_start, self.source_end, self.start, self.end, original, normalized)


@dataclass(frozen=True)
class _Op:
    """Aligned text: ``old`` in the source became ``new``; the same on both sides when ``same``."""

    same: bool
    old: str
    new: str


# --- with the offset map -----------------------------------------------------------


def _fits(source: str, text: str, offsets: list[int]) -> bool:
    """The map has one entry per character plus one, rises strictly and stays inside the source."""
    if len(offsets) != len(text) + 1 or not offsets or offsets[0] < 0 or offsets[-1] > len(source):
        return False
    return all(a < b for a, b in pairwise(offsets))


def _mapped_spans(source: str, text: str, offsets: list[int]) -> Iterator[_Span]:
    n = len(text)
    line_starts = [0, *(i + 1 for i, c in enumerate(text) if c == "\n")]
    gap_start = 0  # source offset where the text between paragraphs begins
    for a in line_starts:
        b = text.find("\n", a)
        b = n if b < 0 else b
        src_a = offsets[a] if a < n else offsets[n]
        yield from _gap(source, gap_start, src_a, a)
        src_b = offsets[b]
        # Whitespace deleted at the end of the line belongs to the gap.
        last_kept = offsets[b - 1] + 1 if b > a else src_a
        while src_b > last_kept and source[src_b - 1].isspace():
            src_b -= 1
        if source[src_a:src_b] != text[a:b]:
            yield _Span(src_a, src_b, a, b)
        gap_start = src_b
    yield from _gap(source, gap_start, len(source), n)


def _gap(source: str, start: int, end: int, at: int) -> Iterator[_Span]:
    """Deleted source text between paragraphs, as a block when it holds more than whitespace."""
    chunk = source[start:end]
    if chunk.strip():
        lead = len(chunk) - len(chunk.lstrip())
        yield _Span(start + lead, start + len(chunk.rstrip()), at, at)


def _mapped_ops(source: str, text: str, offsets: list[int], span: _Span) -> list[_Op]:
    ops: list[_Op] = []
    pos = span.source_start
    for i in range(span.start, span.end):
        s = offsets[i]
        if s > pos:
            ops.append(_Op(False, source[pos:s], ""))
        ops.append(_Op(source[s] == text[i], source[s], text[i]))
        pos = s + 1
    if span.source_end > pos:
        ops.append(_Op(False, source[pos : span.source_end], ""))
    return ops


# --- without it: difflib ------------------------------------------------------------


def _difflib_spans(source: str, text: str) -> Iterator[_Span]:
    old_lines, new_lines = source.split("\n"), text.split("\n")
    old_at = [0, *accumulate(len(line) + 1 for line in old_lines)]
    new_at = [0, *accumulate(len(line) + 1 for line in new_lines)]
    matcher = SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        old, new = "\n".join(old_lines[i1:i2]), "\n".join(new_lines[j1:j2])
        if (
            tag != "equal" and old.strip() != new.strip()
        ):  # blank lines and line-edge spaces are no difference
            yield _Span(
                old_at[i1], max(old_at[i1], old_at[i2] - 1), new_at[j1], max(new_at[j1], new_at[j2] - 1)
            )


def _difflib_ops(old: str, new: str) -> list[_Op]:
    return [
        _Op(tag == "equal", old[i1:i2], new[j1:j2])
        for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    ]


# --- shaping ----------------------------------------------------------------------


def _merge(ops: list[_Op]) -> list[_Op]:
    out: list[_Op] = []
    for op in ops:
        if out and out[-1].same == op.same:
            out[-1] = _Op(op.same, out[-1].old + op.old, out[-1].new + op.new)
        elif op.old or op.new:
            out.append(op)
    return out


def _elide(ops: list[_Op], context: int = CONTEXT) -> list[_Op | None]:
    """Shorten long unchanged stretches to ``context`` characters around each change (None marks a cut)."""
    out: list[_Op | None] = []
    last = len(ops) - 1
    for i, op in enumerate(ops):
        keep_head = context if i > 0 else 0
        keep_tail = context if i < last else 0
        if not op.same or len(op.old) <= keep_head + keep_tail + 1:
            out.append(op)
            continue
        if keep_head:
            out.append(_Op(True, op.old[:keep_head], op.old[:keep_head]))
        out.append(None)
        if keep_tail:
            out.append(_Op(True, op.old[-keep_tail:], op.old[-keep_tail:]))
    return out


def _sides(ops: list[_Op | None]) -> tuple[tuple[Piece, ...], tuple[Piece, ...]]:
    original: list[Piece] = []
    normalized: list[Piece] = []
    for op in ops:
        if op is None:
            original.append(Piece("skip", "…"))
            normalized.append(Piece("skip", "…"))
        elif op.same:
            original.append(Piece("same", op.old))
            normalized.append(Piece("same", op.new))
        else:
            if op.old:
                original.append(Piece("del", op.old))
            if op.new:
                normalized.append(Piece("ins", op.new))
    return tuple(original), tuple(normalized)
