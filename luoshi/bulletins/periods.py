"""Bulletin periods: "2024-Q1", "2024-03", "2024-H1", "2024" → dates and a Chinese label.

The keys are the same as the reports' period keys (``luoshi.reports.periods``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from luoshi.bulletins.errors import BulletinError
from luoshi.lib.bounds import check_date

_PATTERN = re.compile(r"^(?P<year>\d{4})(?:-(?:Q(?P<q>[1-4])|H(?P<h>[12])|(?P<m>0[1-9]|1[0-2])))?$")
QUARTERS_ZH = "一二三四"
HALVES_ZH = ("上半年", "下半年")


@dataclass(frozen=True)
class BulletinPeriod:
    key: str
    start: dt.date
    end: dt.date
    label: str  # 2024年第一季度, 2024年3月, 2024年上半年, 2024年


def parse_period(key: str, *, bounded: bool = True) -> BulletinPeriod:
    """The period a key names; BulletinError("bad_period") for anything else.

    ``bounded``: refuse (BoundsError "date_out_of_range") a period outside the
    planning horizon (``luoshi.lib.bounds``); off only to label stored periods.
    """
    match = _PATTERN.match((key or "").strip().upper())
    if match is None:
        raise BulletinError(
            "bad_period",
            f"通报期次格式不正确：{key!r}（应为 2024-Q1、2024-03、2024-H1 或 2024）。",
            f"Bad period {key!r}: use 2024-Q1, 2024-03, 2024-H1 or 2024.",
        )
    year = int(match["year"])
    if match["q"]:
        quarter = int(match["q"])
        first, months = 3 * quarter - 2, 3
        label, norm = f"{year}年第{QUARTERS_ZH[quarter - 1]}季度", f"{year}-Q{quarter}"
    elif match["h"]:
        half = int(match["h"])
        first, months = 6 * half - 5, 6
        label, norm = f"{year}年{HALVES_ZH[half - 1]}", f"{year}-H{half}"
    elif match["m"]:
        first, months = int(match["m"]), 1
        label, norm = f"{year}年{first}月", f"{year}-{first:02d}"
    else:
        first, months = 1, 12
        label, norm = f"{year}年", str(year)
    start = dt.date(year, first, 1)
    index = year * 12 + first - 1 + months
    end = (
        dt.date(index // 12, index % 12 + 1, 1) - dt.timedelta(days=1) if index < 10000 * 12 else dt.date.max
    )
    if bounded:
        check_date(
            start,
            error=BulletinError,
            field="period",
            what_zh=f"通报期次 {norm} 的起始日",
            what_en=f"start of the period {norm}",
        )
        check_date(
            end,
            error=BulletinError,
            field="period",
            what_zh=f"通报期次 {norm} 的截止日",
            what_en=f"end of the period {norm}",
        )
    return BulletinPeriod(key=norm, start=start, end=end, label=label)


def date_zh(day: dt.date) -> str:
    """A date as GB/T 9704-2012 writes it: Arabic numerals, year, month and day in full, no leading zeros."""
    return f"{day.year}年{day.month}月{day.day}日"


def default_as_of(span: BulletinPeriod, *, today: dt.date) -> dt.date:
    """The bulletin's 截至 date when none is given: the period's last day, or today while it runs."""
    return min(span.end, today)


def as_of_warning(span: BulletinPeriod, *, as_of: dt.date, today: dt.date) -> tuple[str, str] | None:
    """(zh, en) when the bulletin cannot be complete: the period has not ended, or the date is before its end."""
    if span.end >= today:
        return (
            f"通报期 {span.key} 尚未结束（{span.end} 止），截至 {as_of} 的数字并非全期结果。",
            f"The period {span.key} has not ended yet (it ends {span.end}); the figures as of {as_of} "
            "are not the whole period's.",
        )
    if as_of < span.end:
        return (
            f"截至日期 {as_of} 早于通报期末（{span.end}），此后报送的报告和新增任务未计入。",
            f"The as-of date {as_of} is before the period's end ({span.end}); reports and tasks after "
            "it are not counted.",
        )
    return None
