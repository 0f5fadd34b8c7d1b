"""Findings for text read by OCR: passages the engine was unsure of.

No Django here.  Each recognised line carries its confidence and its span in the source text; lines
below the threshold that follow one another in the text are one passage, reported as a
``low_confidence`` finding over its span in the normalized text.  The message quotes the passage and
names the page; the document page shows the scanned line beside it (``documents/scans.py``).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

from luoshi.documents.textproc.model import Finding, Normalized

QUOTE = 40  # characters of the passage quoted in the message


@dataclass(frozen=True)
class RecognisedLine:
    """A line as the findings need it: source span, confidence, 0-based page."""

    start: int
    end: int
    confidence: float
    page: int


def normalized_span(norm: Normalized, start: int, end: int) -> tuple[int, int]:
    """The normalized span covering the source span ``[start, end)`` (empty where all of it was removed)."""
    offsets = norm.source_offsets
    a = bisect.bisect_left(offsets, start, 0, len(offsets) - 1)
    b = bisect.bisect_left(offsets, end, a, len(offsets) - 1)
    return a, max(a, b)


def low_confidence_findings(
    norm: Normalized, lines: Sequence[RecognisedLine], *, threshold: float
) -> list[Finding]:
    """One finding per run of low-confidence lines that follow one another in the text."""
    ordered = sorted((ln for ln in lines if ln.end > ln.start), key=lambda ln: (ln.start, ln.end))
    runs: list[list[RecognisedLine]] = []
    previous_low = -2
    for index, line in enumerate(ordered):
        if line.confidence >= threshold:
            continue
        if previous_low == index - 1 and runs:
            runs[-1].append(line)
        else:
            runs.append([line])
        previous_low = index
    return [finding for run in runs if (finding := _finding(norm, run)) is not None]


def _finding(norm: Normalized, run: Sequence[RecognisedLine]) -> Finding | None:
    start, end = normalized_span(norm, run[0].start, run[-1].end)
    passage = norm.text[start:end].strip()
    if not passage:
        return None
    lowest = min(line.confidence for line in run)
    pages = sorted({line.page + 1 for line in run})
    where_zh = "、".join(f"第 {p} 页" for p in pages)
    where_en = ", ".join(f"page {p}" for p in pages)
    quoted = passage if len(passage) <= QUOTE else passage[: QUOTE - 1] + "…"
    return Finding(
        kind="low_confidence",
        message_zh=f"这段文字是从扫描图像识别出来的（{where_zh}），识别把握不大（置信度最低 {lowest:.2f}），"
        f"请对照原图核对：“{quoted}”",
        message_en=f"This passage was recognised from the scanned image ({where_en}) with low confidence "
        f"(lowest {lowest:.2f}); check it against the image: “{quoted}”",
        start=start,
        end=end,
    )
