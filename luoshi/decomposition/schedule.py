"""What the review sets on a proposed task besides its owners: reporting cadence, milestones and
quantified indicators, checked here (pure: nothing is read or written) before the services store them
on the ``PlanTask`` and ``create_tasks_from_plan`` adds them to the task.

Also the indicators the task's own words suggest (its quantitative targets), shared by the review
page and the task page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from luoshi.decomposition.errors import PlanError

# The cadences a proposed task may have: custom report dates are set on the task page.
CADENCES = ("monthly", "quarterly", "half_yearly", "yearly")
DIRECTIONS = ("increase", "decrease")
LATEST_YEAR = 2100  # a milestone after this is a typing slip, not a plan
INDICATOR_LIMIT = Decimal(10) ** 16  # tasks.Indicator.baseline/target: 20 digits, 4 of them decimals


def clean_plan_cadence(cadence: str) -> str | None:
    """A proposed task's cadence; "" means the default chosen when the tasks are created (None)."""
    cadence = (cadence or "").strip()
    if not cadence:
        return None
    if cadence not in CADENCES:
        raise PlanError(
            "bad_cadence",
            f"无效的报告周期：{cadence}（可选：{'、'.join(CADENCES)}）",
            f"Invalid reporting cadence: {cadence} (one of {', '.join(CADENCES)})",
        )
    return cadence


def with_milestone(
    milestones: list[dict[str, Any]],
    *,
    date: dt.date,
    expected_progress: int,
    title: str,
    today: dt.date,
    deadline: dt.date | None,
) -> list[dict[str, Any]]:
    """The milestones with a new one, by date, as ``tasks.services.add_milestone`` will accept them.

    Refused: a date in the past, after the task's deadline or after 2100; progress outside 0..100;
    a second milestone on one date; progress that falls from one milestone to the next.
    """
    if date < today:
        raise PlanError(
            "milestone_past", f"里程碑日期 {date} 早于今天。", f"The milestone date {date} is in the past."
        )
    if date.year > LATEST_YEAR:
        raise PlanError(
            "milestone_far",
            f"里程碑日期 {date} 过远（应在 {LATEST_YEAR} 年以前）。",
            f"The milestone date {date} is too far ahead (before {LATEST_YEAR + 1}, please).",
        )
    if deadline is not None and date > deadline:
        raise PlanError(
            "milestone_after_deadline",
            f"里程碑日期 {date} 晚于完成时限 {deadline}。",
            f"The milestone date {date} is after the deadline {deadline}.",
        )
    if (
        isinstance(expected_progress, bool)
        or not isinstance(expected_progress, int)
        or not 0 <= expected_progress <= 100
    ):
        raise PlanError(
            "bad_progress",
            f"预期进度须为 0 至 100 的整数（现为 {expected_progress}）。",
            f"The expected progress must be a whole number from 0 to 100 (got {expected_progress}).",
        )
    for other in milestones:
        other_date = dt.date.fromisoformat(other["date"])
        if other_date == date:
            raise PlanError(
                "milestone_same_date", f"{date} 已有里程碑。", f"There is already a milestone on {date}."
            )
        progress = int(other["expected_progress"])
        if (other_date < date and progress > expected_progress) or (
            other_date > date and progress < expected_progress
        ):
            raise PlanError(
                "progress_decreases",
                f"里程碑进度不能倒退：{other_date} 为 {progress}%，{date} 为 {expected_progress}%。",
                f"Milestone progress cannot go down: {progress}% on {other_date}, "
                f"{expected_progress}% on {date}.",
            )
    added = {"date": date.isoformat(), "expected_progress": expected_progress, "title": title.strip()[:200]}
    return sorted([*milestones, added], key=lambda m: str(m["date"]))


def latest_milestone(milestones: Iterable[dict[str, Any]]) -> dt.date | None:
    dates = [dt.date.fromisoformat(m["date"]) for m in milestones]
    return max(dates) if dates else None


def with_indicator(
    indicators: list[dict[str, Any]],
    *,
    name: str,
    unit_of_measure: str,
    baseline: Any,
    target: Any,
    direction: str,
) -> list[dict[str, Any]]:
    """The indicators with a new one, as ``tasks.services.add_indicator`` will accept it.

    Numbers are read as add_indicator reads them (text, int or Decimal; four decimals kept) and
    stored as text. The target must be better than the baseline the way ``direction`` says; one
    indicator per name.
    """
    name = (name or "").strip()[:200]
    if not name:
        raise PlanError("empty_name", "指标名称不能为空。", "The indicator name cannot be empty.")
    if any(i["name"] == name for i in indicators):
        raise PlanError(
            "indicator_same_name", f"已有指标“{name}”。", f"There is already an indicator '{name}'."
        )
    if direction not in DIRECTIONS:
        raise PlanError(
            "bad_direction",
            f"无效的指标方向：{direction}（应为 increase 或 decrease）。",
            f"Invalid indicator direction: {direction} (increase or decrease).",
        )
    base = _number(baseline, code="bad_baseline", what_zh="基期值", what_en="baseline")
    goal = _number(target, code="bad_target", what_zh="目标值", what_en="target")
    shown_base, shown_goal = shown(base), shown(goal)
    if direction == "increase" and goal <= base:
        raise PlanError(
            "target_not_better",
            f"指标“{name}”越高越好，目标值 {shown_goal} 须高于基期值 {shown_base}。",
            f"Higher is better for '{name}': the target {shown_goal} must be above the baseline {shown_base}.",
        )
    if direction == "decrease" and goal >= base:
        raise PlanError(
            "target_not_better",
            f"指标“{name}”越低越好，目标值 {shown_goal} 须低于基期值 {shown_base}。",
            f"Lower is better for '{name}': the target {shown_goal} must be below the baseline {shown_base}.",
        )
    added = {
        "name": name,
        "unit_of_measure": (unit_of_measure or "").strip()[:40],
        "baseline": shown_base,
        "target": shown_goal,
        "direction": direction,
    }
    return [*indicators, added]


def _number(value: Any, *, code: str, what_zh: str, what_en: str) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        number = Decimal("NaN")
    if isinstance(value, bool) or not number.is_finite() or str(value).strip() == "":
        raise PlanError(
            code, f"{what_zh}“{value}”不是有效数字。", f"The {what_en} '{value}' is not a valid number."
        )
    if abs(number) >= INDICATOR_LIMIT:
        raise PlanError(code, f"{what_zh}“{value}”过大。", f"The {what_en} '{value}' is too large.")
    return number.quantize(Decimal("0.0001"))


def shown(value: Decimal) -> str:
    """A number as people write it: no exponent, no trailing zeros."""
    return format(value.normalize(), "f")


# Suggested indicators

# Units of a change that say nothing of the unit the indicator itself is measured in: 增长6% is
# relative to the baseline, 翻一番 is a multiple of it. Percentage points move a rate given in %.
RELATIVE_UNITS = frozenset({"%", "％", "‰", "倍"})
PERCENTAGE_POINTS = frozenset({"个百分点", "百分点"})
MULTIPLE = "倍"


@dataclass(frozen=True)
class SuggestedIndicator:
    """A quantitative target of the task's source words that is no indicator yet, as the add-indicator
    form takes it. ``target`` is None when the words give a change from the baseline or a multiple of
    it; ``from_baseline`` then says how the target follows from the baseline ("+ 6%", "− 5个百分点", "× 2")."""

    key: str  # "suggested<n>", n the target's place among its plan task's targets: stable between requests
    name: str
    unit_of_measure: str
    direction: str  # "increase" or "decrease" (tasks.Indicator.Direction)
    target: Decimal | None
    from_baseline: str
    text: str  # the words the target was read from


def suggest_indicators(targets: Any, *, taken: Iterable[str]) -> list[SuggestedIndicator]:
    """The indicators a plan task's quantitative targets suggest, leaving out the names ``taken``.

    1. Keep the quantitative targets with a metric and a number that do not report past results
       (``is_past``); the first of several with the same metric.
    2. Name the indicator after the metric. Its direction is the target's ("reach" counts as an
       increase, unless the number is a ceiling: 控制在…以内, 不超过…).
    3. The words give the target itself when they say what is reached (change "to": 达到60%);
       when they give a change ("by": 增长6%) or a multiple (翻一番), the target is left for the
       office, with how it follows from the baseline, and a relative unit is not the indicator's.
    """
    if not isinstance(targets, list):
        return []
    names = {name.strip() for name in taken}
    out = []
    for n, target in enumerate(targets):
        suggestion = _suggestion(f"suggested{n}", target)
        if suggestion is not None and suggestion.name not in names:
            names.add(suggestion.name)
            out.append(suggestion)
    return out


def _suggestion(key: str, target: Any) -> SuggestedIndicator | None:
    if not isinstance(target, dict) or target.get("kind") != "quantitative" or target.get("is_past"):
        return None
    name = str(target.get("metric") or "").strip()
    value, value_max = _decimal(target.get("value")), _decimal(target.get("value_max"))
    if not name or value is None:
        return None
    unit, change = str(target.get("unit") or ""), target.get("change")
    decrease = target.get("direction") == "decrease" or (
        target.get("direction") != "increase" and target.get("bound") == "max"
    )
    amount = _plain(value) + (f"–{_plain(value_max)}" if value_max is not None and value_max > value else "")
    if change == "by":
        goal, from_baseline = None, f"{'−' if decrease else '+'} {amount}{unit}"
    elif unit == MULTIPLE:
        goal, from_baseline = None, f"× {_plain(value)}"
    else:
        goal, from_baseline = value, ""
    if unit in PERCENTAGE_POINTS:
        measure = "%"
    elif goal is None and unit in RELATIVE_UNITS:
        measure = ""
    else:
        measure = unit
    return SuggestedIndicator(
        key=key,
        name=name[:200],
        unit_of_measure=measure[:40],
        direction="decrease" if decrease else "increase",
        target=goal,
        from_baseline=from_baseline,
        text=str(target.get("text") or ""),
    )


def _plain(value: Decimal) -> str:
    return format(value, "f")


def _decimal(raw: Any) -> Decimal | None:
    """A target's number (a float in the JSON) as the form shows it: 1.35, not 1.350000001 or 1.1E+3."""
    if raw is None or isinstance(raw, bool):
        return None
    try:
        number = Decimal(str(raw))
    except (InvalidOperation, ValueError):
        return None
    return Decimal(_plain(number.normalize())) if number.is_finite() else None
