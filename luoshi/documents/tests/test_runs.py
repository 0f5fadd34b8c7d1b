"""The one text-run helper (no database): how the plan and task pages cut a text at marked spans."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from luoshi.documents.runs import Run, text_runs

TEXT = "一二三四五六七八九十"


def _cut(runs: Sequence[Run[Any]]) -> list[tuple[str, int, object]]:
    return [(r.text, r.start, r.mark) for r in runs]


def test_the_runs_cover_the_text_and_carry_each_span_mark() -> None:
    runs = text_runs(TEXT, [(5, 7, "b"), (1, 3, "a")])
    assert "".join(r.text for r in runs) == TEXT
    assert _cut(runs) == [
        ("一", 0, None),
        ("二三", 1, "a"),
        ("四五", 3, None),
        ("六七", 5, "b"),
        ("八九十", 7, None),
    ]
    assert [(r.opens, r.closes) for r in runs if r.mark] == [(True, True), (True, True)]


def test_an_overlap_goes_to_the_earlier_span_and_a_span_inside_another_marks_nothing() -> None:
    runs = text_runs(TEXT, [(1, 5, "a"), (3, 7, "b"), (2, 4, "c")])
    assert _cut(runs) == [("一", 0, None), ("二三四五", 1, "a"), ("六七", 5, "b"), ("八九十", 7, None)]


def test_empty_spans_are_dropped_unless_points_are_asked_for() -> None:
    assert _cut(text_runs(TEXT, [(4, 4, "p")])) == [(TEXT, 0, None)]
    assert _cut(text_runs(TEXT, [(4, 4, "p")], points=True)) == [
        ("一二三四", 0, None),
        ("", 4, "p"),
        ("五六七八九十", 4, None),
    ]


def test_a_window_of_the_text_keeps_the_offsets_of_the_whole() -> None:
    text = "甲乙\n一二三四\n丙丁"
    runs = text_runs(text, [(4, 6, True)], begin=3, end=7)
    assert _cut(runs) == [("一", 3, None), ("二三", 4, True), ("四", 6, None)]


def test_an_anchor_at_the_end_gets_a_run_of_its_own() -> None:
    runs: list[Run[object]] = text_runs("一二", [], anchors=[(0, "sec-0"), (9, "sec-1")])
    assert [(r.text, r.anchors) for r in runs] == [("一二", ("sec-0",)), ("", ("sec-1",))]
