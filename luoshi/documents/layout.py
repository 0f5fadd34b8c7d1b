"""Reading order of positioned text: lines on a page → columns → paragraphs → text.

No Django here.  Used for OCR output (``ocr.py``) and for OFD pages (``ofd_reader.py``): both give text
lines with boxes, not a text flow.  The steps:

1. ``merge_fragments``: pieces on one baseline that touch (OFD often writes one character per object)
   become one line.
2. ``order_page``: a recursive cut of the page into horizontal bands and, where a band holds a vertical
   gap that no line crosses (a gutter), into columns, read top to bottom and left to right.  Bands whose
   gutters line up (a newspaper page whose columns share one baseline grid) are read as one block, so
   columns are never read across (串栏).
3. ``assemble``: lines become paragraphs by their geometry — an indented line starts a paragraph, a line
   that stops well short of its column's right edge ends one, a wide vertical gap separates two — and
   paragraphs are written one per line, the lines inside one joined (Chinese without a space).  The
   span of every line in the resulting text is returned, so confidence and position stay attached.

Coordinates: x to the right, y downwards, in any unit (pixels or millimetres), one unit per page.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

# A gap between two pieces on one baseline narrower than this share of the text height joins them.
JOIN_GAP_EM = 0.6
# A vertical gap at least this share of the line height (boxes are padded, so about one character) that no
# line crosses is a gutter between columns.
GUTTER_EM = 0.5
# A line starting this many character widths right of its column's edge (more than a paragraph's
# two-character indent) stands alone: a centred title line, a date set to the right.
ALONE_EM = 4.5
# A column is at least this many line heights wide (a newspaper column holds eight characters or more).
MIN_COLUMN_EM = 6.0
# A line starting this many character widths right of its column's left edge is indented (a new paragraph).
INDENT_EM = 1.0
# A line stopping this many character widths short of its column's right edge ends its paragraph.
SHORT_EM = 1.6
# Pieces on one row further apart than this many character widths are separate paragraphs (a 文号 on the
# left and a date on the right), not one line.
SEPARATE_EM = 3.0

_LATIN_END = re.compile(r"[A-Za-z0-9.,;:!?%)\]-]$")
_LATIN_START = re.compile(r"^[A-Za-z0-9(\[]")


@dataclass(frozen=True)
class TextBox:
    """A line (or a piece of one) with its box; ``key`` says which source item it came from."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    confidence: float = 1.0
    key: int = 0
    parts: tuple[int, ...] = ()  # keys of the pieces merged into this line (itself when empty)

    @property
    def height(self) -> float:
        return max(self.y1 - self.y0, 1e-6)

    @property
    def width(self) -> float:
        return max(self.x1 - self.x0, 1e-6)

    @property
    def keys(self) -> tuple[int, ...]:
        return self.parts or (self.key,)


@dataclass
class Column:
    """Lines read one after another, with the edges of the column they stand in."""

    lines: list[TextBox]
    x0: float = 0.0
    x1: float = 0.0
    em: float = 1.0  # a character's width in this column

    def __post_init__(self) -> None:
        if self.lines:
            self.x0 = min(line.x0 for line in self.lines)
            self.x1 = max(line.x1 for line in self.lines)
            self.em = char_width(self.lines)


@dataclass
class Assembled:
    """The text of the pages and, per input line key, its span in that text."""

    text: str
    spans: dict[int, tuple[int, int]] = field(default_factory=dict)
    # The first line continues a paragraph from before (not indented); the last one runs on (not short).
    open_start: bool = False
    open_end: bool = False


def char_width(lines: Sequence[TextBox]) -> float:
    """A typical character width: the median of width/characters over lines of 4+ characters."""
    widths = [line.width / len(line.text) for line in lines if len(line.text.strip()) >= 4]
    if widths:
        return statistics.median(widths)
    return statistics.median(line.height for line in lines) if lines else 1.0


def merge_fragments(pieces: Sequence[TextBox]) -> list[TextBox]:
    """Join pieces standing on one row with less than ``JOIN_GAP_EM`` between them into lines.

    A Latin word boundary wider than a quarter of the text height gets a space.
    """
    rows = _rows(pieces)
    lines: list[TextBox] = []
    for row in rows:
        row.sort(key=lambda b: b.x0)
        current = row[0]
        merged = [current.key]
        for piece in row[1:]:
            gap = piece.x0 - current.x1
            height = max(min(current.height, piece.height), 1e-6)
            if gap < JOIN_GAP_EM * height:
                joiner = " " if gap > 0.25 * height and _needs_space(current.text, piece.text) else ""
                weight = len(current.text) + len(piece.text) or 1
                current = TextBox(
                    text=current.text + joiner + piece.text,
                    x0=min(current.x0, piece.x0),
                    y0=min(current.y0, piece.y0),
                    x1=max(current.x1, piece.x1),
                    y1=max(current.y1, piece.y1),
                    confidence=(current.confidence * len(current.text) + piece.confidence * len(piece.text))
                    / weight,
                    key=current.key,
                )
                merged.append(piece.key)
            else:
                lines.append(replace(current, parts=tuple(merged)))
                current, merged = piece, [piece.key]
        lines.append(replace(current, parts=tuple(merged)))
    return lines


def _needs_space(left: str, right: str) -> bool:
    return bool(_LATIN_END.search(left) and _LATIN_START.search(right))


def _rows(boxes: Sequence[TextBox]) -> list[list[TextBox]]:
    """Group boxes whose vertical centres lie within half a line height of their row's first box."""
    rows: list[list[TextBox]] = []
    for box in sorted(boxes, key=lambda b: (b.y0 + b.y1) / 2):
        if rows:
            first = rows[-1][0]
            if abs((box.y0 + box.y1) / 2 - (first.y0 + first.y1) / 2) < 0.5 * min(box.height, first.height):
                rows[-1].append(box)
                continue
        rows.append([box])
    return rows


def order_page(lines: Sequence[TextBox]) -> list[Column]:
    """The page's lines as columns in reading order (see the module's docstring)."""
    if not lines:
        return []
    em = statistics.median(line.height for line in lines)
    return _order(list(lines), em)


def _order(lines: list[TextBox], em: float) -> list[Column]:
    columns: list[Column] = []
    for block in _blocks(_bands(lines), em):
        gutters = _gutters(block, em)
        if not gutters:
            columns.append(Column(_read_rows(block, em)))
            continue
        edges = [float("-inf"), *((a + b) / 2 for a, b in gutters), float("inf")]
        parts = [
            [line for line in block if left <= (line.x0 + line.x1) / 2 < right]
            for left, right in itertools.pairwise(edges)
        ]
        parts = [part for part in parts if part]
        narrow = any(max(b.x1 for b in part) - min(b.x0 for b in part) < MIN_COLUMN_EM * em for part in parts)
        if narrow or (len(_rows(block)) < 3 and any(len(part) < 2 for part in parts)):
            # Pieces in rows (a 文号 and a date, "第七条" set apart from its text) are not columns.
            columns.append(Column(_read_rows(block, em)))
            continue
        for part in parts:
            columns.extend(_order(part, em))
    return columns


def _bands(lines: list[TextBox]) -> list[list[TextBox]]:
    """Horizontal bands: runs of lines that overlap vertically, top to bottom."""
    bands: list[list[TextBox]] = []
    bottom = float("-inf")
    for line in sorted(lines, key=lambda b: b.y0):
        if bands and line.y0 < bottom - 0.2 * line.height:
            bands[-1].append(line)
            bottom = max(bottom, line.y1)
        else:
            bands.append([line])
            bottom = line.y1
    return bands


def _gutters(lines: Sequence[TextBox], em: float) -> list[tuple[float, float]]:
    """Vertical gaps at least ``GUTTER_EM`` wide that no line crosses, between lines on both sides."""
    spans = sorted((line.x0, line.x1) for line in lines)
    gaps: list[tuple[float, float]] = []
    reach = spans[0][1]
    for x0, x1 in spans[1:]:
        if x0 - reach >= GUTTER_EM * em:
            gaps.append((reach, x0))
        reach = max(reach, x1)
    return gaps


def _blocks(bands: list[list[TextBox]], em: float) -> list[list[TextBox]]:
    """Join consecutive bands into blocks that keep the same gutters (or that both have none)."""
    blocks: list[list[TextBox]] = []
    for band in bands:
        if blocks:
            block = blocks[-1]
            before = _gutters(block, em)
            after = _gutters(block + band, em)
            if (not before and not _gutters(band, em) and not after) or (
                before and _same_gutters(before, after, em)
            ):
                block.extend(band)
                continue
        blocks.append(list(band))
    return blocks


def _same_gutters(before: list[tuple[float, float]], after: list[tuple[float, float]], em: float) -> bool:
    """Every gutter of ``before`` survives, possibly narrowed or split, in ``after``."""
    return bool(after) and all(any(a0 < b1 and b0 < a1 for b0, b1 in after) for a0, a1 in before)


def _read_rows(lines: list[TextBox], em: float) -> list[TextBox]:
    """Lines of a block without gutters: top to bottom, the pieces of one row left to right."""
    return [piece for row in _rows(lines) for piece in sorted(row, key=lambda b: b.x0)]


def assemble(pages: Sequence[Sequence[Column]]) -> Assembled:
    """Write the pages' columns as paragraphs, one per line; record each line key's span."""
    parts: list[str] = []
    spans: dict[int, tuple[int, int]] = {}
    length = 0
    previous: TextBox | None = None
    previous_column: Column | None = None
    for columns in pages:
        for column in columns:
            pitch = _pitch(column.lines)
            for index, line in enumerate(column.lines):
                text = line.text.strip()
                if not text:
                    continue
                if previous is not None and previous_column is not None:
                    gap = line.y0 - previous.y0 if index else 0.0
                    joiner = _joiner(
                        previous,
                        previous_column,
                        line,
                        column,
                        new_column=index == 0,
                        wide_gap=bool(pitch) and gap > 1.6 * pitch,
                    )
                    parts.append(joiner)
                    length += len(joiner)
                parts.append(text)
                for key in line.keys:
                    spans[key] = (length, length + len(text))
                length += len(text)
                previous, previous_column = line, column
    if parts:
        parts.append("\n")
    lines = [
        (line, column)
        for columns in pages
        for column in columns
        for line in column.lines
        if line.text.strip()
    ]
    open_start = open_end = False
    if lines:
        (first, first_column), (last, last_column) = lines[0], lines[-1]
        open_start = first.x0 - first_column.x0 <= INDENT_EM * first_column.em
        open_end = last_column.x1 - last.x1 <= SHORT_EM * last_column.em and len(last_column.lines) > 1
    return Assembled(text="".join(parts), spans=spans, open_start=open_start, open_end=open_end)


def _pitch(lines: Sequence[TextBox]) -> float:
    steps = [b.y0 - a.y0 for a, b in itertools.pairwise(lines) if b.y0 > a.y0]
    return statistics.median(steps) if steps else 0.0


def _joiner(
    a: TextBox, a_column: Column, b: TextBox, b_column: Column, *, new_column: bool, wide_gap: bool
) -> str:
    """ "\n" between paragraphs; inside one, "" between Chinese and " " between Latin words.

    Two pieces of one row are one line unless far apart (a 文号 on the left, a date on the right).
    """
    overlap = min(a.y1, b.y1) - max(a.y0, b.y0)
    if overlap > 0.5 * min(a.height, b.height) and b.x0 > a.x0:
        gap = b.x0 - a.x1
        if gap > SEPARATE_EM * a_column.em:
            return "\n"
        return " " if gap > JOIN_GAP_EM * a.height or _needs_space(a.text, b.text) else ""
    short = a_column.x1 - a.x1 > SHORT_EM * a_column.em
    # A line starting far right of the column's edge (centred, or a date set to the right) stands alone.
    short = short or a.x0 - a_column.x0 > ALONE_EM * a_column.em
    indented = b.x0 - b_column.x0 > INDENT_EM * b_column.em
    if short or indented or wide_gap:
        return "\n"
    return " " if _needs_space(a.text, b.text) else ""
