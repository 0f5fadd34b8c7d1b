"""Chinese numerals as printed in policy texts: one parser for the whole product."""

from __future__ import annotations

import unicodedata

DIGITS = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
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


def int_to_chinese(n: int) -> str:
    """``n`` (0 ≤ n < 100,000,000) as headings and articles print it: 11 -> "十一", 105 -> "一百零五",
    12,345 -> "一万二千三百四十五"; the inverse of :func:`chinese_to_int`."""
    if not 0 <= n < 100_000_000:
        raise ValueError(f"{n} is outside 0..99,999,999")
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n >= 10_000:
        high, low = divmod(n, 10_000)
        if not low:
            return int_to_chinese(high) + "万"
        return (
            int_to_chinese(high) + "万" + ("零" if low < 1000 else "") + _below_10k(low, leading=low >= 1000)
        )
    return _below_10k(n, leading=True)


def _below_10k(n: int, *, leading: bool) -> str:
    """1..9999; ``leading`` False keeps the "一" of 一十 (一万零一十五), as the inner part of a larger number."""
    digits = "零一二三四五六七八九"
    out = ""
    zero = False
    for unit, name in ((1000, "千"), (100, "百"), (10, "十")):
        d = n // unit % 10
        if d:
            if zero:
                out += "零"
                zero = False
            out += ("" if unit == 10 and d == 1 and leading and not out else digits[d]) + name
        elif out:
            zero = True
    d = n % 10
    if d:
        out += ("零" if zero else "") + digits[d]
    return out
