"""Render Word's automatic list numbering ("一、", "（一）", "1.") the way Word shows it.

No Django here.  ``Numbering`` reads word/numbering.xml and the styles part once;
``Numbering.label_for(paragraph)`` then returns each list paragraph's label in
document order.  ``format_number`` formats one counter for a ``w:numFmt``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from docx.oxml.ns import qn
from lxml import etree


@dataclass
class _Level:
    """One level (w:lvl) of a list definition."""

    start: int = 1
    num_fmt: str = "decimal"
    text: str = ""
    restart: int | None = None  # w:lvlRestart: None = after any shallower level, 0 = never
    legal: bool = False  # w:isLgl: show every level's number in decimal
    suffix: str = "tab"
    style_id: str | None = None


@dataclass
class _Num:
    """A list instance (w:num): its definition plus per-level overrides."""

    abstract_id: str
    levels: dict[int, _Level] = field(default_factory=dict)
    starts: dict[int, int] = field(default_factory=dict)


_W_PPR, _W_NUMPR, _W_ILVL = qn("w:pPr"), qn("w:numPr"), qn("w:ilvl")
_W_STYLEID, _W_TYPE = qn("w:styleId"), qn("w:type")
_W_VAL = qn("w:val")
_MAX_LEVELS = 9


class Numbering:
    """Render the number label Word shows before a list paragraph.

    Counters are kept per abstract list definition, as Word does: two w:num
    sharing one w:abstractNum continue each other's count unless a
    w:startOverride restarts it.  A deeper level restarts whenever a shallower
    level is used, unless its w:lvlRestart says otherwise.
    """

    def __init__(self, numbering: etree._Element, styles: etree._Element) -> None:
        self.abstracts: dict[str, dict[int, _Level]] = {}
        self.style_links: dict[str, str] = {}  # abstractNumId -> numbering style id
        for abstract in numbering.iterchildren(qn("w:abstractNum")):
            abstract_id = abstract.get(qn("w:abstractNumId"), "")
            self.abstracts[abstract_id] = {
                level_index: level
                for level_index, level in map(_parse_level, abstract.iterchildren(qn("w:lvl")))
            }
            link = _child_val(abstract, "w:numStyleLink")
            if link:
                self.style_links[abstract_id] = link
        self.nums: dict[str, _Num] = {}
        for num in numbering.iterchildren(qn("w:num")):
            entry = _Num(abstract_id=_child_val(num, "w:abstractNumId") or "")
            for override in num.iterchildren(qn("w:lvlOverride")):
                index = _int(override.get(_W_ILVL), 0)
                start = _int(_child_val(override, "w:startOverride"), -1)
                if start >= 0:
                    entry.starts[index] = start
                level_element = override.find(qn("w:lvl"))
                if level_element is not None:
                    entry.levels[index] = _parse_level(level_element)[1]
            self.nums[num.get(qn("w:numId"), "")] = entry
        self.style_parents: dict[str, str] = {}
        self.style_numbers: dict[str, tuple[str | None, int | None]] = {}
        self.default_style: str | None = None
        for style in styles.iterchildren(qn("w:style")):
            style_id = style.get(_W_STYLEID, "")
            if style.get(_W_TYPE, "paragraph") == "paragraph" and style.get(qn("w:default")) in ("1", "true"):
                self.default_style = style_id
            parent = _child_val(style, "w:basedOn")
            if parent:
                self.style_parents[style_id] = parent
            num_pr = style.find(f"{_W_PPR}/{_W_NUMPR}")
            if num_pr is not None:
                ilvl = _child_val(num_pr, "w:ilvl")
                self.style_numbers[style_id] = (
                    _child_val(num_pr, "w:numId"),
                    _int(ilvl, 0) if ilvl else None,
                )
        self.counters: dict[str, list[int | None]] = {}
        self.used_nums: set[str] = set()

    def label_for(self, paragraph: etree._Element) -> str:
        """Advance the counters for this paragraph and return its label ("" if none)."""
        properties = paragraph.find(_W_PPR)
        num_id: str | None = None
        ilvl: int | None = None
        style_id = self.default_style
        if properties is not None:
            style_id = _child_val(properties, "w:pStyle") or style_id
            num_pr = properties.find(_W_NUMPR)
            if num_pr is not None:
                num_id = _child_val(num_pr, "w:numId")
                level_val = _child_val(num_pr, "w:ilvl")
                ilvl = _int(level_val, 0) if level_val else None
        if num_id is None and style_id:
            num_id, style_ilvl = self._style_numbering(style_id)
            ilvl = ilvl if ilvl is not None else style_ilvl
        if not num_id or num_id == "0" or num_id not in self.nums:
            return ""
        num = self.nums[num_id]
        abstract_id = self._resolve_abstract(num.abstract_id)
        levels = {**self.abstracts.get(abstract_id, {}), **num.levels}
        if ilvl is None:
            ilvl = next((i for i, level in levels.items() if style_id and level.style_id == style_id), 0)
        level = levels.get(ilvl)
        if level is None or not 0 <= ilvl < _MAX_LEVELS:
            return ""
        counters = self.counters.setdefault(abstract_id, [None] * _MAX_LEVELS)
        if num_id not in self.used_nums:
            self.used_nums.add(num_id)
            for index in num.starts:
                if 0 <= index < _MAX_LEVELS:
                    counters[index] = None

        def start_of(index: int) -> int:
            return num.starts.get(index, levels[index].start if index in levels else 1)

        current = counters[ilvl]
        counters[ilvl] = start_of(ilvl) if current is None else current + 1
        for deeper in range(ilvl + 1, _MAX_LEVELS):
            restart = levels[deeper].restart if deeper in levels else None
            if restart is None or (restart > 0 and ilvl < restart):
                counters[deeper] = None
        return _render_label(level, levels, counters, start_of)

    def _style_numbering(self, style_id: str) -> tuple[str | None, int | None]:
        seen: set[str] = set()
        current: str | None = style_id
        while current and current not in seen:
            seen.add(current)
            if current in self.style_numbers:
                return self.style_numbers[current]
            current = self.style_parents.get(current)
        return None, None

    def _resolve_abstract(self, abstract_id: str) -> str:
        """Follow w:numStyleLink to the definition that holds the levels."""
        for _ in range(3):
            link = self.style_links.get(abstract_id)
            if not link:
                break
            linked_num, _ilvl = self.style_numbers.get(link, (None, None))
            if not linked_num or linked_num not in self.nums:
                break
            abstract_id = self.nums[linked_num].abstract_id
        return abstract_id


def _render_label(
    level: _Level,
    levels: dict[int, _Level],
    counters: list[int | None],
    start_of: Callable[[int], int],
) -> str:
    if level.num_fmt == "bullet":
        label = level.text if level.text and not _is_private_use(level.text) else "•"
    else:

        def number(match: re.Match[str]) -> str:
            index = int(match.group(1)) - 1
            value = counters[index]
            value = start_of(index) if value is None else value
            fmt = "decimal" if level.legal else (levels[index].num_fmt if index in levels else "decimal")
            return format_number(value, fmt)

        label = re.sub(r"%([1-9])", number, level.text)
    if not label:
        return ""
    if level.suffix == "nothing" or _is_cjk_punctuation(label[-1]):
        return label
    return label + " "


def _parse_level(element: etree._Element) -> tuple[int, _Level]:
    text_element = element.find(qn("w:lvlText"))
    restart = _child_val(element, "w:lvlRestart")
    legal = element.find(qn("w:isLgl"))
    level = _Level(
        start=_int(_child_val(element, "w:start"), 1),
        num_fmt=_child_val(element, "w:numFmt") or "decimal",
        text=(text_element.get(_W_VAL) or "") if text_element is not None else "",
        restart=_int(restart, 0) if restart is not None else None,
        legal=legal is not None and legal.get(_W_VAL) not in ("0", "false", "off"),
        suffix=_child_val(element, "w:suff") or "tab",
        style_id=_child_val(element, "w:pStyle"),
    )
    return _int(element.get(_W_ILVL), 0), level


def _child_val(element: etree._Element, tag: str) -> str | None:
    child = element.find(qn(tag))
    if child is None:
        return None
    value = child.get(_W_VAL)
    return str(value) if value is not None else None


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _is_private_use(text: str) -> bool:
    return any(0xE000 <= ord(ch) <= 0xF8FF for ch in text)


def _is_cjk_punctuation(ch: str) -> bool:
    return 0x3000 <= ord(ch) <= 0x303F or 0xFF00 <= ord(ch) <= 0xFF65


_CN_DIGITS = "零一二三四五六七八九"
_CN_UNITS = ("千", "百", "十", "")
_CN_LEGAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_CN_LEGAL_UNITS = ("仟", "佰", "拾", "")
_HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"
_EARTHLY_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_ROMAN = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)
_CHINESE_COUNTING = frozenset(
    (
        "chineseCounting",
        "chineseCountingThousand",
        "japaneseCounting",
        "taiwaneseCounting",
        "taiwaneseCountingThousand",
        "koreanCounting",
    )
)
_DIGIT_BY_DIGIT = frozenset(
    ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand", "koreanDigital")
)


def format_number(value: int, num_fmt: str) -> str:
    """Format a list counter the way Word does for ``w:numFmt`` (decimal when unknown)."""
    if num_fmt == "none":
        return ""
    if value < 0:
        return str(value)
    if num_fmt in _CHINESE_COUNTING:
        return _chinese_number(value, _CN_DIGITS, _CN_UNITS, short_ten=True)
    if num_fmt in ("chineseLegalSimplified", "ideographLegalTraditional"):
        return _chinese_number(value, _CN_LEGAL_DIGITS, _CN_LEGAL_UNITS, short_ten=False)
    if num_fmt in _DIGIT_BY_DIGIT:
        return "".join("〇一二三四五六七八九"[int(d)] for d in str(value))
    if num_fmt == "ideographTraditional" and value > 0:
        return _HEAVENLY_STEMS[(value - 1) % 10]
    if num_fmt == "ideographZodiac" and value > 0:
        return _EARTHLY_BRANCHES[(value - 1) % 12]
    if num_fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= value <= 20:
        return chr(0x2460 + value - 1)
    if num_fmt == "decimalEnclosedParen" and 1 <= value <= 20:
        return chr(0x2474 + value - 1)
    if num_fmt == "decimalEnclosedFullstop" and 1 <= value <= 20:
        return chr(0x2488 + value - 1)
    if num_fmt == "ideographEnclosedCircle" and 1 <= value <= 10:
        return chr(0x3280 + value - 1)
    if num_fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return "".join(chr(0xFF10 + int(d)) for d in str(value))
    if num_fmt == "decimalZero":
        return f"{value:02d}"
    if num_fmt in ("upperRoman", "lowerRoman") and value > 0:
        roman = _roman(value)
        return roman if num_fmt == "upperRoman" else roman.lower()
    if num_fmt in ("upperLetter", "lowerLetter") and value > 0:
        letter = chr(ord("A") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letter if num_fmt == "upperLetter" else letter.lower()
    if num_fmt == "ordinal":
        suffix = "th" if 10 <= value % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(value % 10, "th")
        return f"{value}{suffix}"
    return str(value)


def _chinese_number(value: int, digits: str, units: tuple[str, ...], *, short_ten: bool) -> str:
    """1 -> 一, 10 -> 十, 21 -> 二十一, 105 -> 一百零五, 10001 -> 一万零一."""
    if value == 0:
        return "〇" if short_ten else digits[0]
    if value >= 10000:
        high, low = divmod(value, 10000)
        text = _chinese_number(high, digits, units, short_ten=short_ten) + "万"
        if low:
            text += (digits[0] if low < 1000 else "") + _chinese_number(low, digits, units, short_ten=False)
        return text
    text = ""
    pending_zero = False
    for unit, digit in zip(units, f"{value:04d}", strict=True):
        if digit == "0":
            pending_zero = bool(text)
            continue
        if pending_zero:
            text += digits[0]
            pending_zero = False
        text += digits[int(digit)] + unit
    if short_ten and 10 <= value < 20:
        text = text[1:]  # 十一, not 一十一
    return text


def _roman(value: int) -> str:
    parts: list[str] = []
    for amount, letters in _ROMAN:
        count, value = divmod(value, amount)
        parts.append(letters * count)
    return "".join(parts)
