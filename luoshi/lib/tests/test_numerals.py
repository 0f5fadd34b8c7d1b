from __future__ import annotations

import pytest

from luoshi.lib.numerals import chinese_to_int


@pytest.mark.parametrize(
    ("printed", "value"),
    [("一", 1), ("十", 10), ("十一", 11), ("二十三", 23), ("一百零五", 105), ("两", 2), ("二〇二三", 2023),
     ("三万", 30000), ("12", 12), ("１２", 12), ("一千二百", 1200)],
)
def test_it_reads_numerals_as_printed(printed: str, value: int) -> None:
    assert chinese_to_int(printed) == value


@pytest.mark.parametrize("printed", ["", "  ", "第", "十a", "条"])
def test_it_says_none_for_what_is_not_a_number(printed: str) -> None:
    assert chinese_to_int(printed) is None
