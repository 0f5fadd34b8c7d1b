"""Template sentences built from the numbers: no free text, so the words always match the tables."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from luoshi.bulletins.data import ProblemTask, Summary

SHORT_TITLE_CHARS = 12
NAMED_PER_PART = 3
_CHINESE_NUMBER = re.compile(r"^[一二三四五六七八九十百零〇]+$")


def round_half(value: float | None) -> int:
    """Round half up to a whole number, as the rating rule does (59.5 → 60)."""
    if value is None:
        return 0
    return int(Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def percent(value: float | None) -> str:
    """A 0..1 rate as "83.3%", "—" when there is none."""
    if value is None:
        return "—"
    text = f"{value * 100:.1f}".rstrip("0").rstrip(".")
    return f"{text}%"


def part_label(number: str, heading: str) -> str:
    """第二部分 for a section numbered 二 (or 2); the heading when the section has no number."""
    number = number.strip().rstrip("、.．")
    if _CHINESE_NUMBER.match(number) or number.isdigit():
        return f"第{number}部分"
    return heading or "其他"


def short_title(title: str) -> str:
    title = title.strip()
    return title if len(title) <= SHORT_TITLE_CHARS else title[:SHORT_TITLE_CHARS] + "…"


def what_is_wrong(task: ProblemTask) -> str:
    """The one fact that makes the task lag: overdue days, points behind, else its first adverse reason."""
    if task.overdue_days > 0:
        return f"已逾期{task.overdue_days}天"
    if task.behind_points > 0:
        return f"进度落后{task.behind_points}个百分点"
    adverse = [r for r in task.reasons if "超前" not in r and "符合计划" not in r]
    return adverse[0] if adverse else "需关注"


def part_narrative(
    *,
    label: str,
    tasks: int,
    on_track: int,
    lagging: int,
    overdue: int,
    completed: int,
    problems: list[ProblemTask],
) -> str:
    """E.g. 第二部分共3项任务，2项按计划推进，1项滞后（农牧厅“高标准农田…”进度落后20个百分点）。"""
    text = f"{label}共{tasks}项任务"
    if tasks and on_track == tasks:
        text += "，均按计划推进" if tasks > 1 else "，按计划推进"
    elif on_track:
        text += f"，{on_track}项按计划推进"
    if completed:
        text += f"（其中已办结{completed}项）"
    if lagging:
        named = "、".join(
            f"{p.lead_unit_short}“{short_title(p.title)}”{what_is_wrong(p)}"
            for p in problems[:NAMED_PER_PART]
        )
        more = "等" if len(problems) > NAMED_PER_PART else ""
        text += f"，{lagging}项滞后（{named}{more}）"
        if overdue:
            text += f"，其中{overdue}项已逾期"
    unrated = tasks - on_track - lagging
    if unrated > 0:
        text += f"，{unrated}项尚未评价"
    return text + "。"


def summary_narrative(*, summary: Summary, period_label: str, as_of_text: str) -> str:
    s = summary
    text = f"截至{as_of_text}，纳入督查的重点任务共{s.tasks}项，其中按计划推进{s.on_track}项"
    if s.completed:
        text += f"（已办结{s.completed}项）"
    text += f"，滞后{s.lagging}项"
    if s.overdue:
        text += f"（其中逾期{s.overdue}项）"
    if s.not_rated:
        text += f"，尚未评价{s.not_rated}项"
    text += "。"
    if s.reports_due:
        text += (
            f"{period_label}应报送进展报告{s.reports_due}份，按时报送{s.reports_on_time}份，"
            f"逾期报送{s.reports_late}份，未报送{s.reports_missing}份，按时报送率{percent(s.on_time_rate)}。"
        )
    else:
        text += f"{period_label}暂无到期应报送的进展报告。"
    return text
