"""A document's text cut into runs at marked spans: the one helper of every page that highlights text.

The document page marks its findings, the plan page each task's words, the task page the words a task
came from. Each run is plain text (the template escapes it) with the mark it stands in, if any, so no
document text is ever rendered as HTML.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Run(Generic[T]):
    """A stretch of the text from ``start``; ``anchors`` are ids placed where it starts."""

    text: str
    start: int
    mark: T | None = None
    anchors: tuple[str, ...] = ()
    opens: bool = False  # the mark's first run
    closes: bool = False  # the mark's last run


def text_runs(
    text: str,
    marks: Iterable[tuple[int, int, T]],
    *,
    anchors: Iterable[tuple[int, str]] = (),
    begin: int = 0,
    end: int | None = None,
    points: bool = False,
) -> list[Run[T]]:
    """Cut ``text[begin:end]`` into runs at the edges of the marks ``(start, end, mark)`` and at the anchors.

    1. Marks are taken in order of their start; where two overlap, the earlier keeps the overlap and
       the later one is marked from where the earlier ends (nothing of it when it lies inside).
    2. An empty mark is dropped, or with ``points`` kept as a run with no text at its place (a removed
       page-jump marker on the document page).
    3. An anchor at the very end gets a run with no text of its own.
    """
    stop = len(text) if end is None else end
    kept = _without_overlaps(marks, begin=begin, stop=stop, points=points)
    at: dict[int, list[str]] = {}
    for offset, name in anchors:
        at.setdefault(min(max(offset, begin), stop), []).append(name)
    cuts = sorted({begin, stop, *at, *(s for s, _, _ in kept), *(e for _, e, _ in kept)})
    runs: list[Run[T]] = []
    pending = list(kept)
    for a, b in zip(cuts, [*cuts[1:], None], strict=True):
        names = tuple(at.pop(a, ()))
        while pending and pending[0][0] == pending[0][1] == a:
            runs.append(Run("", a, pending.pop(0)[2], names, opens=True, closes=True))
            names = ()
        if b is None:
            if names:
                runs.append(Run("", a, anchors=names))
            break
        current = pending[0] if pending and pending[0][0] <= a < pending[0][1] else None
        runs.append(
            Run(
                text[a:b],
                a,
                current[2] if current else None,
                names,
                opens=current is not None and current[0] == a,
                closes=current is not None and current[1] == b,
            )
        )
        if current is not None and current[1] == b:
            pending.pop(0)
    return runs


def _without_overlaps(
    marks: Iterable[tuple[int, int, T]], *, begin: int, stop: int, points: bool
) -> Sequence[tuple[int, int, T]]:
    kept: list[tuple[int, int, T]] = []
    pos = begin
    for start, end, mark in sorted(marks, key=lambda m: (m[0], m[1])):
        if start == end:
            if points and pos <= start <= stop:
                kept.append((start, end, mark))
            continue
        start, end = max(start, pos), min(end, stop)
        if start < end:
            kept.append((start, end, mark))
            pos = end
    return kept
