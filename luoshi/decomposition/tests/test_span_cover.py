"""The heading-line test of ``decompose`` (a sentence inside a heading line) equals a scan of every line."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from luoshi.decomposition.builder import _SpanCover

spans = st.lists(
    st.tuples(st.integers(0, 200), st.integers(0, 60)).map(lambda p: (p[0], p[0] + p[1])), max_size=40
)


def scan(lines: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(a <= start and end <= b + 1 for a, b in lines)


@given(lines=spans, queries=st.lists(st.tuples(st.integers(0, 260), st.integers(0, 40)), max_size=40))
def test_it_answers_as_a_scan_of_every_heading_line(
    lines: list[tuple[int, int]], queries: list[tuple[int, int]]
) -> None:
    cover = _SpanCover(lines)
    for start, length in queries:
        assert cover.covers(start, start + length) == scan(lines, start, start + length)


def test_a_sentence_in_an_earlier_long_line_is_covered_behind_a_short_later_one() -> None:
    cover = _SpanCover([(10, 20), (0, 50), (30, 31)])
    assert cover.covers(35, 45)
    assert not cover.covers(35, 60)
    assert not cover.covers(-1, 5)
