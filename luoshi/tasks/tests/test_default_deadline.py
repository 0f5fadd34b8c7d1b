"""The default deadline follows the years the decision states, or there is none."""

from __future__ import annotations

import datetime as dt

import pytest

from luoshi.site.demo import SEED
from luoshi.tasks.default_deadline import stated_deadline

START = dt.date(2026, 12, 6)


@pytest.mark.parametrize(
    ("text", "reference_year", "expected"),
    [
        ("到2027年，基本建成现代化产业体系。", None, dt.date(2027, 12, 31)),
        ("实施三年行动（2025—2027年），逐年推进。", None, dt.date(2027, 12, 31)),
        ("2025-2028年间完成改造。到2027年底前完成一半。", None, dt.date(2028, 12, 31)),
        ("今后五年，全面推进乡村振兴。", 2024, dt.date(2028, 12, 31)),
        ("“十五五”时期是关键阶段。", None, dt.date(2030, 12, 31)),
        ("2027年6月底前出台实施细则。", None, dt.date(2027, 12, 31)),
    ],
)
def test_it_defaults_to_the_end_of_the_latest_stated_year(
    text: str, reference_year: int | None, expected: dt.date
) -> None:
    found = stated_deadline(text, start_date=START, reference_year=reference_year)
    assert found is not None
    assert found.date == expected
    assert found.words and found.words in text


@pytest.mark.parametrize(
    "text",
    [
        "坚持不懈抓好落实，建立长效机制。",  # no year at all
        "“十四五”时期，到2025年基本完成。",  # every stated year is before the start
        "到本世纪中叶，全面建成。",  # a year no one wrote down
        "今后五年，全面推进。",  # no reference year to count from
    ],
)
def test_it_offers_no_default_when_no_stated_year_is_after_the_start(text: str) -> None:
    assert stated_deadline(text, start_date=START) is None


def test_it_ignores_a_year_that_ends_before_the_start_but_keeps_a_later_one() -> None:
    found = stated_deadline("到2025年完成试点，到2030年全面推开。", start_date=START)
    assert found is not None and found.date == dt.date(2030, 12, 31)
    assert "2030" in found.words


def test_the_seed_decision_states_2027() -> None:
    text = SEED.read_text(encoding="utf-8")
    found = stated_deadline(text, start_date=START, reference_year=2023)
    assert found is not None and found.date == dt.date(2027, 12, 31)
    assert "2027" in found.words
