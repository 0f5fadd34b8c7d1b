"""Chinese numerals as printed in policy texts: one parser for the whole product."""

from __future__ import annotations

import unicodedata

DIGITS = {
    "零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
    "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_BIG = {"万": 10_000, "亿": 100_000_000}
NUMERAL_CHARS = "".join(DIGITS) + "".join(_UNITS) + "".join(_BIG)


def chinese_to_int(s: str) -> int | None:
    """The value of a bare numeral: "二十一" -> 21, "一百零五" -> 105, "二〇二三" -> 2023,
    "两" -> 2, "１２" / "12" -> 12. None when ``s`` is not a number.
    """
    s = s.strip()
    if not s:
        return None
    if all(unicodedata.category(c) == "Nd" for c in s):
        return int("".join(str(unicodedata.digit(c)) for c in s))
    if len(s) > 1 and all(c in DIGITS for c in s):
        value = 0  # positional digits, as in years: 二〇二三
        for c in s:
            value = value * 10 + DIGITS[c]
        return value
    total = section = 0
    digit = -1
    for ch in s:
        if ch in DIGITS:
            digit = DIGITS[ch]
        elif ch in _UNITS:
            section += (digit if digit >= 0 else 1) * _UNITS[ch]
            digit = -1
        elif ch in _BIG:
            section += max(digit, 0)
            total += (section or 1) * _BIG[ch]
            section = 0
            digit = -1
        else:
            return None
    if digit >= 0:
        section += digit
    return total + section
