from __future__ import annotations

import pytest

from luoshi.lib.numerals import chinese_to_int, int_to_chinese


@pytest.mark.parametrize(
    ("printed", "value"),
    [
        ("一", 1),
        ("十", 10),
        ("十一", 11),
        ("二十三", 23),
        ("一百零五", 105),
        ("两", 2),
        ("二〇二三", 2023),
        ("三万", 30000),
        ("12", 12),
        ("１２", 12),
        ("一千二百", 1200),
    ],
)
def test_it_reads_numerals_as_printed(printed: str, value: int) -> None:
    assert chinese_to_int(printed) == value


@pytest.mark.parametrize("printed", ["", "  ", "第", "十a", "条"])
def test_it_says_none_for_what_is_not_a_number(printed: str) -> None:
    assert chinese_to_int(printed) is None


@pytest.mark.parametrize(
    ("value", "printed"),
    [
        (1, "一"),
        (10, "十"),
        (11, "十一"),
        (23, "二十三"),
        (105, "一百零五"),
        (110, "一百一十"),
        (1015, "一千零一十五"),
        (9999, "九千九百九十九"),
        (10015, "一万零一十五"),
        (12345, "一万二千三百四十五"),
        (110000, "十一万"),
    ],
)
def test_it_prints_numerals_as_headings_do(value: int, printed: str) -> None:
    assert int_to_chinese(value) == printed


def test_printing_and_reading_are_inverse_up_to_two_hundred_thousand() -> None:
    assert [n for n in range(200_000) if chinese_to_int(int_to_chinese(n)) != n] == []


def test_it_refuses_numbers_it_cannot_print() -> None:
    with pytest.raises(ValueError):
        int_to_chinese(-1)
