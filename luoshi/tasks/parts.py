"""A task's milestones and indicators: the checks of one row, shared by ``add_milestone`` /
``add_indicator`` and their set-wise twins in ``bulk.py``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from luoshi.lib.bounds import check_date, xml_safe
from luoshi.tasks.errors import TaskError
from luoshi.tasks.models import Indicator, Milestone, Task
from luoshi.tasks.validation import check_open, to_decimal

INDICATOR_LIMIT = Decimal(10) ** 16  # Indicator.baseline/target: 20 digits, 4 of them decimals
MILESTONE_FIELDS = ("task", "date", "expected_progress")
INDICATOR_FIELDS = ["task", "name", "baseline", "target", "baseline_date", "target_date", "direction"]


def milestone_row(*, task: Task, date: dt.date, expected_progress: int, title: str = "") -> Milestone:
    """An unsaved milestone of an open task, its date within the task's span and its progress 0..100."""
    check_open(task)
    check_date(date, error=TaskError, field="date", what_zh="里程碑日期", what_en="milestone date")
    if not task.start_date <= date <= task.deadline:
        raise TaskError(
            "milestone_outside",
            f"里程碑日期 {date} 须在 {task.start_date} 至 {task.deadline} 之间。",
            f"The milestone date {date} must be within {task.start_date} – {task.deadline}.",
            field="date",
        )
    if (
        isinstance(expected_progress, bool)
        or not isinstance(expected_progress, int)
        or not 0 <= expected_progress <= 100
    ):
        raise TaskError(
            "bad_progress",
            f"预期进度须为 0 至 100 的整数（现为 {expected_progress}）。",
            f"The expected progress must be a whole number from 0 to 100 (got {expected_progress}).",
        )
    return Milestone(
        task=task, date=date, expected_progress=expected_progress, title=xml_safe(title or "").strip()[:200]
    )


def check_milestone_order(new: Milestone, others: Iterable[Milestone]) -> None:
    """Refuse a second milestone on one date, and progress that falls from one milestone to the next."""
    before: Milestone | None = None
    after: Milestone | None = None
    for other in others:
        if other.date == new.date:
            raise TaskError(
                "milestone_same_date",
                f"{new.date} 已有里程碑。",
                f"There is already a milestone on {new.date}.",
            )
        if other.date < new.date and other.expected_progress > new.expected_progress:
            before = other if before is None or other.date > before.date else before
        if other.date > new.date and other.expected_progress < new.expected_progress:
            after = other if after is None or other.date < after.date else after
    for found in (before, after):
        if found is not None:
            raise TaskError(
                "progress_decreases",
                f"里程碑进度不能倒退：{found.date} 为 {found.expected_progress}%，"
                f"{new.date} 为 {new.expected_progress}%。",
                f"Milestone progress cannot go down: {found.expected_progress}% on {found.date}, "
                f"{new.expected_progress}% on {new.date}.",
            )


def indicator_row(
    *,
    task: Task,
    name: str,
    unit_of_measure: str,
    baseline: Any,
    target: Any,
    baseline_date: dt.date,
    target_date: dt.date,
    direction: str = "increase",
) -> Indicator:
    """An unsaved indicator of an open task whose target lies beyond the baseline the way ``direction`` says."""
    check_open(task)
    name = xml_safe(name or "").strip()
    unit_of_measure = xml_safe(unit_of_measure or "")
    if not name:
        raise TaskError("empty_name", "指标名称不能为空。", "The indicator name cannot be empty.")
    if direction not in Indicator.Direction.values:
        raise TaskError(
            "bad_direction",
            f"无效的指标方向：{direction}（应为 increase 或 decrease）。",
            f"Invalid indicator direction: {direction} (increase or decrease).",
        )
    check_date(
        baseline_date, error=TaskError, field="baseline_date", what_zh="基期日期", what_en="baseline date"
    )
    check_date(target_date, error=TaskError, field="target_date", what_zh="目标日期", what_en="target date")
    if target_date < baseline_date:
        raise TaskError(
            "target_before_baseline",
            f"目标日期 {target_date} 早于基期日期 {baseline_date}。",
            f"The target date {target_date} is before the baseline date {baseline_date}.",
        )
    base = _indicator_number(baseline, what_zh="基期值", what_en="baseline", field="baseline")
    goal = _indicator_number(target, what_zh="目标值", what_en="target", field="target")
    shown_base, shown_goal = format(base.normalize(), "f"), format(goal.normalize(), "f")
    if direction == Indicator.Direction.INCREASE and goal <= base:
        raise TaskError(
            "target_not_better",
            f"指标“{name}”越高越好，目标值 {shown_goal} 须高于基期值 {shown_base}。",
            f"Higher is better for '{name}': the target {shown_goal} must be above the baseline {shown_base}.",
        )
    if direction == Indicator.Direction.DECREASE and goal >= base:
        raise TaskError(
            "target_not_better",
            f"指标“{name}”越低越好，目标值 {shown_goal} 须低于基期值 {shown_base}。",
            f"Lower is better for '{name}': the target {shown_goal} must be below the baseline {shown_base}.",
        )
    return Indicator(
        task=task,
        name=name[:200],
        unit_of_measure=(unit_of_measure or "").strip()[:40],
        baseline=base,
        target=goal,
        baseline_date=baseline_date,
        target_date=target_date,
        direction=direction,
    )


def _indicator_number(value: Any, *, what_zh: str, what_en: str, field: str) -> Decimal:
    """A number that fits Indicator's columns: below 10^16, four decimals."""
    number = to_decimal(value, what_zh=what_zh, what_en=what_en, field=field)
    if abs(number) >= INDICATOR_LIMIT:
        raise TaskError(
            "bad_number", f"{what_zh}“{value}”过大。", f"The {what_en} '{value}' is too large.", field=field
        )
    return number.quantize(Decimal("0.0001"))
