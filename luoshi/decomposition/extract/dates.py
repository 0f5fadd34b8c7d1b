"""Deadlines, time ranges, relative periods and recurrences in policy text.

Rule-based: each form is one precompiled regular expression; candidates
from all rules are collected, then overlaps are resolved (earliest start,
then longest span wins).  No third-party date library is used: the forms
in Chinese policy documents are few and regular, and rules keep the cost
at a single regex pass per form.

Conventions
- "到2025年", "2025年前/以前/之前", "2025年底前" -> deadline 2025-12-31
  (policy usage: "by 2025", i.e. within that year).
- "2025年6月底前" -> 2025-06-30; "6月底前" needs ``reference_year``.
- "年底前", "年内", "今年底" -> end of ``reference_year`` (dates stay None
  when no reference year is given); "明年底" -> end of reference_year + 1.
- "2023-2027年" -> range 2023-01-01 .. 2027-12-31.
- "今后五年" -> range reference_year .. reference_year + 4.
- "“十四五”时期" -> range 2021-01-01 .. 2025-12-31; "十四五末" -> deadline.
- "三年内", "30个工作日内" -> relative, with an ISO 8601 ``duration``.
- "自2019年1月1日起" -> range with an open end.
- recurring: 每月/每季度/每半年/每年/每周 (+ "25日前" -> day 25),
  按月/按季度/按年, 定期 -> "regular"; 常态化/长效(机制)/持续推进 ->
  "regular" with ``explicit=False`` (a standing duty, no period).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ._common import cn_to_int, flat_asdict

KINDS = ("deadline", "range", "relative", "recurring")


@dataclass
class TimeExpr:
    """A time expression found in a text.

    kind: "deadline", "range", "relative" or "recurring".
    start_date/end_date: ISO dates (YYYY-MM-DD) or None when not derivable.
    duration: ISO 8601 duration for relative expressions ("P3Y", "P30D").
    recurrence: "daily", "weekly", "monthly", "quarterly", "semiannual",
      "yearly" or "regular" (定期/常态化/长效); ``interval`` e.g. 2 for 每两年.
    day/month: the day (每月25日前 -> 25) / month (每年3月底前 -> 3).
    explicit: False for soft recurrences (常态化, 长效机制, 持续推进).
    """

    text: str
    kind: str
    start: int
    end: int
    start_date: str | None = None
    end_date: str | None = None
    duration: str | None = None
    recurrence: str | None = None
    interval: int | None = None
    day: int | None = None
    month: int | None = None
    explicit: bool = True

    def to_dict(self) -> dict[str, Any]:
        return flat_asdict(self)


_D = r"\d{1,2}"
_CN = r"[一二两三四五六七八九十]{1,3}"
_NUMX = r"(?:\d{1,3}|[一二两三四五六七八九十百半]{1,4})"
_DASH = r"(?:[-—–－~～]{1,2}|至|到)"
_BEFORE = r"(?:前|以前|之前|为止|止)"

_MONTH_END_WORDS = {"底": None, "末": None, "上旬": 10, "中旬": 20, "下旬": None}
_QUARTER_END = {1: (3, 31), 2: (6, 30), 3: (9, 30), 4: (12, 31)}

# 2023-2027年, 2023年至2027年, 2023—2027年间
RE_YEAR_RANGE = re.compile(rf"(?P<y1>\d{{4}})\s*年?\s*{_DASH}\s*(?P<y2>\d{{4}})\s*年(?:间|期间|内)?")
# 2019年1月1日至12月31日, 2019年1月至2020年6月底
RE_DATE_RANGE = re.compile(
    rf"(?P<y1>\d{{4}})年(?P<m1>{_D})月(?:(?P<d1>{_D})[日号])?\s*(?:{_DASH}|起至)\s*"
    rf"(?:(?P<y2>\d{{4}})年)?(?P<m2>{_D})月(?:(?P<d2>{_D})[日号]|(?P<end2>底|末))?"
)
# 到2025年, 2025年底前, 2025年6月底前, 2025年6月30日前, 2019年起
RE_DATE = re.compile(
    rf"(?P<y>\d{{4}})\s*年"
    rf"(?:(?P<half>上半年|下半年|年中|年底|年末|底|末|(?:第?(?P<q>[一二三四1-4])季度))"
    rf"|(?P<m>{_D})月(?:(?P<d>{_D})[日号]|(?P<mend>底|末|上旬|中旬|下旬))?)?"
    rf"(?P<suf>{_BEFORE}|内|以内|之内|起|开始|以来|后|以后)?"
)
# 6月底前, 3月31日前, 十二月底前 (year from reference_year)
RE_MONTH = re.compile(
    rf"(?P<m>{_D}|十[一二]?|[一二三四五六七八九])月"
    rf"(?:(?P<d>{_D})[日号]|(?P<mend>底|末|上旬|中旬|下旬))?(?P<suf>{_BEFORE})"
)
# 年底前, 年内, 今年底, 明年6月底前
RE_REL_YEAR = re.compile(
    r"(?:(?P<which>今年|本年度?|当年|明年|下一年|次年)(?P<what>年底|年末|年内|内|底|末)"
    rf"|(?P<what2>年底|年末|年内|年度内))(?P<suf>{_BEFORE})?"
)
# 今后五年, 未来3年, 今后一个时期 (not derivable)
RE_NEXT_YEARS = re.compile(rf"(?:今后|未来|此后|接下来的?)(?P<n>{_NUMX})(?:个)?年")
# “十四五”时期, 十四五末, “十五五”规划期
RE_FIVE_YEAR = re.compile(
    r"(?P<n>十[一二三四五六七八九]|[一二三四五六七八九])五(?P<q2>[”\"’']?)"
    r"(?P<suf>规划期|规划期末|期间|时期|期末|末|规划)?"
)
# 三年内, 两年之内, 30个工作日内, 半年内
RE_RELATIVE = re.compile(
    rf"(?P<n>{_NUMX})(?P<u>个工作日|个自然日|个月|个季度|工作日|自然日|日|天|周|年|季度)(?:内|之内|以内)"
)
RE_CENTURY = re.compile(r"本世纪中叶")
# recurrences
RE_EVERY = re.compile(
    rf"(?<![人户])(?P<every>每(?:个)?(?P<n>[两二三四五六]|{_D})?(?:个)?"
    rf"(?P<u>月|季度|季|半年|年度|年|周|星期|旬|日|天|工作日))"
    rf"(?:(?P<m>{_D})月)?(?:(?P<d>{_D})[日号]|(?P<edge>末|底|初))?(?:{_BEFORE})?"
)
RE_BY_PERIOD = re.compile(r"按(?P<u>月|季度?|年度?|周|日)(?=[\u4e00-\u9fff])")
RE_REGULAR = re.compile(r"定期|常态化|长效机制|长效|持续推进|经常性|常抓不懈")

_UNIT_PERIOD = {
    "月": "monthly",
    "季度": "quarterly",
    "季": "quarterly",
    "半年": "semiannual",
    "年": "yearly",
    "年度": "yearly",
    "周": "weekly",
    "星期": "weekly",
    "旬": "regular",
    "日": "daily",
    "天": "daily",
    "工作日": "daily",
}
_DURATION_UNIT = {
    "年": "Y",
    "个月": "M",
    "月": "M",
    "个季度": "Q",
    "季度": "Q",
    "周": "W",
    "日": "D",
    "天": "D",
    "个工作日": "D",
    "工作日": "D",
    "个自然日": "D",
    "自然日": "D",
}


def _iso(y: int, m: int, d: int) -> str | None:
    if not (1 <= m <= 12) or y < 1900 or y > 2200:
        return None
    last = calendar.monthrange(y, m)[1]
    return f"{y:04d}-{m:02d}-{min(max(d, 1), last):02d}"


def _month_end(y: int, m: int) -> str | None:
    if not (1 <= m <= 12):
        return None
    return _iso(y, m, calendar.monthrange(y, m)[1])


def _year_end(y: int) -> str:
    return f"{y:04d}-12-31"


def _year_start(y: int) -> str:
    return f"{y:04d}-01-01"


def _num(s: str | None) -> int | None:
    if s is None:
        return None
    return cn_to_int(s)


def _five_year_plan(n: int) -> tuple[int, int] | None:
    """Years of the n-th five-year plan (一五 1953-57; 三五 from 1966)."""
    if n == 1:
        return 1953, 1957
    if n == 2:
        return 1958, 1962
    if n >= 3:
        start = 1966 + (n - 3) * 5
        return start, start + 4
    return None


def _date_end(y: int, m: int | None, d: int | None, mend: str | None) -> str | None:
    if m is None:
        return _year_end(y)
    if d is not None:
        return _iso(y, m, d)
    if mend in ("上旬", "中旬"):
        return _iso(y, m, _MONTH_END_WORDS[mend] or 1)
    return _month_end(y, m)


_PRE_DATE = ("截止到", "不晚于", "截至", "截止", "最迟", "到", "至", "于", "在")


def _from_date(m: re.Match[str], ref: int | None) -> TimeExpr | None:
    y = int(m["y"])
    suf = m["suf"]
    text = m.string
    before = text[max(0, m.start() - 3) : m.start()].rstrip()
    pre = next((p for p in _PRE_DATE if before.endswith(p)), None)
    if m.start() > 0 and text[m.start() - 1].isdigit():
        return None
    half, q = m["half"], m["q"]
    mo, d, mend = _num(m["m"]), _num(m["d"]), m["mend"]
    if suf in ("以来",):
        return None
    if suf in ("起", "开始", "后", "以后"):
        begin: str | None
        if mo is None:
            begin = _year_start(y) if suf in ("起", "开始") else _year_start(y + 1)
        else:
            begin = _iso(y, mo, d or 1)
        return TimeExpr(m.group(0), "range", m.start(), m.end(), start_date=begin)
    has_marker = bool(
        pre in ("到", "至", "截至", "截止", "截止到", "最迟", "不晚于")
        or suf
        or mend
        or half in ("年底", "年末", "底", "末")
    )
    if q or half in ("上半年", "下半年", "年中"):
        has_marker = True
    if not has_marker:
        return None
    end: str | None
    start = m.start()
    if pre in ("到", "至", "截至", "截止", "截止到", "最迟", "不晚于"):
        start = text.rfind(pre, 0, m.start())
    if q:
        qn = _num(q) or int(q)
        mm, dd = _QUARTER_END.get(qn, (12, 31))
        end = _iso(y, mm, dd)
    elif half in ("上半年", "年中"):
        end = _iso(y, 6, 30)
    elif half:
        end = _year_end(y)
    else:
        end = _date_end(y, mo, d, mend)
    return TimeExpr(text[start : m.end()], "deadline", start, m.end(), end_date=end)


def _from_month(m: re.Match[str], ref: int | None) -> TimeExpr | None:
    if m.start() > 0 and m.string[m.start() - 1] in "0123456789年":
        return None
    mo, d, mend = _num(m["m"]), _num(m["d"]), m["mend"]
    end = None
    if ref is not None and mo is not None:
        end = _date_end(ref, mo, d, mend)
    return TimeExpr(m.group(0), "deadline", m.start(), m.end(), end_date=end)


def _from_rel_year(m: re.Match[str], ref: int | None) -> TimeExpr | None:
    offset = 1 if m["which"] in ("明年", "下一年", "次年") else 0
    end = _year_end(ref + offset) if ref is not None else None
    return TimeExpr(m.group(0), "deadline", m.start(), m.end(), end_date=end)


def _from_year_range(m: re.Match[str], ref: int | None) -> TimeExpr | None:
    y1, y2 = int(m["y1"]), int(m["y2"])
    if y2 < y1 or y2 - y1 > 50:
        return None
    return TimeExpr(
        m.group(0), "range", m.start(), m.end(), start_date=_year_start(y1), end_date=_year_end(y2)
    )


def _from_date_range(m: re.Match[str], ref: int | None) -> TimeExpr | None:
    y1 = int(m["y1"])
    y2 = int(m["y2"]) if m["y2"] else y1
    m1, m2 = int(m["m1"]), int(m["m2"])
    d1 = int(m["d1"]) if m["d1"] else 1
    begin = _iso(y1, m1, d1)
    end = _iso(y2, m2, int(m["d2"])) if m["d2"] else _month_end(y2, m2)
    if begin is None or end is None or end < begin:
        return None
    return TimeExpr(m.group(0), "range", m.start(), m.end(), start_date=begin, end_date=end)


def _from_next_years(m: re.Match[str], ref: int | None) -> TimeExpr | None:
    n = _num(m["n"])
    if not n:
        return None
    if ref is None:
        return TimeExpr(m.group(0), "relative", m.start(), m.end(), duration=f"P{n}Y")
    return TimeExpr(
        m.group(0),
        "range",
        m.start(),
        m.end(),
        start_date=_year_start(ref),
        end_date=_year_end(ref + n - 1),
        duration=f"P{n}Y",
    )


def _from_five_year(m: re.Match[str], ref: int | None) -> TimeExpr | None:
    quoted = bool(m.start() > 0 and m.string[m.start() - 1] in "“\"‘'" and m["q2"])
    suf = m["suf"]
    if not quoted and not suf:
        return None
    n = cn_to_int(m["n"])
    years = _five_year_plan(n) if n else None
    if years is None:
        return None
    start = m.start() - 1 if quoted else m.start()
    text = m.string[start : m.end()]
    if suf in ("末", "期末", "规划期末"):
        return TimeExpr(text, "deadline", start, m.end(), end_date=_year_end(years[1]))
    return TimeExpr(
        text, "range", start, m.end(), start_date=_year_start(years[0]), end_date=_year_end(years[1])
    )


def _from_relative(m: re.Match[str], ref: int | None) -> TimeExpr | None:
    raw, unit = m["n"], m["u"]
    if raw == "半":
        value, code = (6, "M") if unit == "年" else (15, "D")
        return TimeExpr(m.group(0), "relative", m.start(), m.end(), duration=f"P{value}{code}")
    n = cn_to_int(raw)
    if not n or n > 1000:
        return None
    code = _DURATION_UNIT.get(unit, "D")
    if code == "Q":
        n, code = n * 3, "M"
    return TimeExpr(m.group(0), "relative", m.start(), m.end(), duration=f"P{n}{code}")


def _from_century(m: re.Match[str], ref: int | None) -> TimeExpr:
    start = m.start() - 1 if m.start() > 0 and m.string[m.start() - 1] in "到至" else m.start()
    return TimeExpr(m.string[start : m.end()], "deadline", start, m.end(), end_date="2050-12-31")


def _from_every(m: re.Match[str], ref: int | None) -> TimeExpr | None:
    text = m.string
    after = text[m.end() : m.end() + 4]
    # 每人每月700元, 每月70元: a rate, not a recurrence.
    if after[:1].isdigit() or (m.start() >= 1 and text[m.start() - 1] in "人户亩吨"):
        return None
    unit = m["u"]
    rec = _UNIT_PERIOD.get(unit, "regular")
    interval = _num(m["n"]) if m["n"] else None
    if unit == "半年":
        interval = None
    day = int(m["d"]) if m["d"] else None
    month = int(m["m"]) if m["m"] else None
    return TimeExpr(
        m.group(0),
        "recurring",
        m.start(),
        m.end(),
        recurrence=rec,
        interval=interval if interval and interval > 1 else None,
        day=day,
        month=month,
    )


def _from_by_period(m: re.Match[str], ref: int | None) -> TimeExpr:
    rec = _UNIT_PERIOD.get(m["u"], "regular")
    return TimeExpr(m.group(0), "recurring", m.start(), m.end(), recurrence=rec)


def _from_regular(m: re.Match[str], ref: int | None) -> TimeExpr:
    explicit = m.group(0) == "定期"
    return TimeExpr(m.group(0), "recurring", m.start(), m.end(), recurrence="regular", explicit=explicit)


_Rule = tuple[re.Pattern[str], Callable[[re.Match[str], int | None], TimeExpr | None]]

_DEADLINE_RULES: tuple[_Rule, ...] = (
    (RE_DATE_RANGE, _from_date_range),
    (RE_YEAR_RANGE, _from_year_range),
    (RE_DATE, _from_date),
    (RE_MONTH, _from_month),
    (RE_REL_YEAR, _from_rel_year),
    (RE_NEXT_YEARS, _from_next_years),
    (RE_FIVE_YEAR, _from_five_year),
    (RE_RELATIVE, _from_relative),
    (RE_CENTURY, _from_century),
)
_RECURRING_RULES: tuple[_Rule, ...] = (
    (RE_EVERY, _from_every),
    (RE_BY_PERIOD, _from_by_period),
    (RE_REGULAR, _from_regular),
)

# Cheap pre-check: skip the deadline rules on text without any trigger.
_TRIGGER = re.compile(r"\d|年|月|五|世纪")


def _run(text: str, rules: tuple[_Rule, ...], ref: int | None) -> list[TimeExpr]:
    found: list[TimeExpr] = []
    for regex, build in rules:
        for m in regex.finditer(text):
            if m.end() == m.start():
                continue
            expr = build(m, ref)
            if expr is not None:
                found.append(expr)
    found.sort(key=lambda t: (t.start, -(t.end - t.start)))
    out: list[TimeExpr] = []
    last_end = -1
    for expr in found:
        if expr.start >= last_end:
            out.append(expr)
            last_end = expr.end
    return out


def extract_recurring(text: str) -> list[TimeExpr]:
    """Recurrences: 每月25日前, 每季度, 每年, 按月, 定期, 常态化, 长效机制…"""
    return _run(text, _RECURRING_RULES, None)


def extract_deadlines(
    text: str, *, reference_year: int | None = None, recurring: bool = True
) -> list[TimeExpr]:
    """Deadlines, ranges and relative periods (and recurrences) in ``text``.

    ``reference_year`` resolves 年底前/年内/今后五年/6月底前.  With
    ``recurring=True`` (default) recurrences are folded into the list with
    kind "recurring".  Results are sorted by start offset.
    """
    out = _run(text, _DEADLINE_RULES, reference_year) if _TRIGGER.search(text) else []
    if recurring:
        taken = [(t.start, t.end) for t in out]
        for rec in extract_recurring(text):
            if not any(s < rec.end and rec.start < e for s, e in taken):
                out.append(rec)
        out.sort(key=lambda t: t.start)
    return out
