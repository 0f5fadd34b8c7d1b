"""Checks shared by task creation and editing; each refuses with a bilingual TaskError."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import translation

from luoshi.lib.bounds import MAX_TEXT, check_date, clean_text, xml_safe
from luoshi.tasks.errors import TaskError
from luoshi.tasks.models import Cadence, Status, Task

FINAL = frozenset({Status.COMPLETED, Status.CANCELLED})
MAX_WEIGHT = Decimal("9999.99")  # Task.weight / Assignment.weight: 6 digits, 2 decimals

# Chinese names of the statuses, as a supervision office says them.
STATUS_ZH = {
    Status.DRAFT: "草稿",
    Status.ASSIGNED: "已交办",
    Status.IN_PROGRESS: "办理中",
    Status.COMPLETION_REQUESTED: "申请办结",
    Status.COMPLETED: "已办结",
    Status.CANCELLED: "已撤销",
}


def status_names(status: str) -> tuple[str, str]:
    """The (Chinese, English) names of a status."""
    if status in Status.values:
        value = Status(status)
        with translation.override(
            "en"
        ):  # the label is lazy: without this it follows the active (Chinese) language
            return STATUS_ZH[value], str(value.label)
    return status, status


def check_open(task: Task) -> None:
    """Refuse to change a completed or cancelled task."""
    if task.status in FINAL:
        zh, en = status_names(task.status)
        raise TaskError(
            "final",
            f"任务“{task.title}”{zh}，不能再修改。",
            f"Task '{task.title}' is {en} and can no longer be changed.",
        )


def clean_title(title: str) -> str:
    title = re.sub(r"\s*[\r\n]+\s*", " ", xml_safe(title or "")).strip()  # one line, whatever was pasted
    if not title:
        raise TaskError("empty_title", "任务名称不能为空。", "The task title cannot be empty.")
    return title[:200]


def check_dates(*, start_date: dt.date, deadline: dt.date, title: str = "", field: str = "deadline") -> None:
    """Refuse a deadline before the start date (``field``: the one of the two that was given)."""
    if deadline < start_date:
        what_zh = f"任务“{title}”的" if title else ""
        what_en = f" of task '{title}'" if title else ""
        raise TaskError(
            "deadline_before_start",
            f"{what_zh}完成时限 {deadline} 早于开始日期 {start_date}。",
            f"The deadline {deadline}{what_en} is before the start date {start_date}.",
            field=field,
        )


def check_horizon(*, start_date: dt.date | None = None, deadline: dt.date | None = None) -> None:
    """Refuse a start date or deadline outside the planning horizon (``luoshi.lib.bounds``)."""
    if start_date is not None:
        check_date(start_date, error=TaskError, field="start_date", what_zh="开始日期", what_en="start date")
    if deadline is not None:
        check_date(deadline, error=TaskError, field="deadline", what_zh="完成时限", what_en="deadline")


def clean_task_text(text: str | None) -> str:
    """A task's text (its words in the decision), XML-safe and at most ``MAX_TEXT`` characters."""
    return clean_text(
        text, error=TaskError, field="text", what_zh="任务内容", what_en="task text", limit=MAX_TEXT
    )


def check_not_past(*, deadline: dt.date, today: dt.date) -> None:
    if deadline < today:
        raise TaskError(
            "past_deadline",
            f"完成时限 {deadline} 早于今天（{today}）。",
            f"The deadline {deadline} is in the past (today is {today}).",
        )


def clean_cadence(cadence: str) -> str:
    if cadence not in Cadence.values:
        raise TaskError(
            "bad_cadence",
            f"无效的报告周期：{cadence}（可选：{'、'.join(Cadence.values)}）",
            f"Invalid reporting cadence: {cadence} (one of {', '.join(Cadence.values)})",
        )
    return cadence


def clean_custom_dates(
    dates: Iterable[dt.date | str], *, cadence: str, start_date: dt.date, deadline: dt.date
) -> list[str]:
    """Custom report dates as sorted, distinct ISO strings within [start_date, deadline].

    Required when the cadence is "custom", refused otherwise.
    """
    parsed: set[dt.date] = set()
    for value in dates:
        day = parse_date(value) if isinstance(value, str) else value
        check_date(
            day, error=TaskError, field="custom_dates", what_zh="自定义报告日期", what_en="custom report date"
        )
        if not start_date <= day <= deadline:
            raise TaskError(
                "custom_date_outside",
                f"自定义报告日期 {day} 不在 {start_date} 至 {deadline} 之间。",
                f"The custom report date {day} is outside {start_date} – {deadline}.",
            )
        parsed.add(day)
    if cadence == Cadence.CUSTOM and not parsed:
        raise TaskError(
            "custom_dates_missing",
            "报告周期为自定义时，须填写报告日期。",
            "A custom reporting cadence needs its report dates.",
        )
    if cadence != Cadence.CUSTOM and parsed:
        raise TaskError(
            "custom_dates_unused",
            "只有自定义报告周期才能填写报告日期。",
            "Report dates can only be given with the custom cadence.",
        )
    return [d.isoformat() for d in sorted(parsed)]


def parse_date(value: str) -> dt.date:
    """A date written YYYY-MM-DD."""
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise TaskError(
            "bad_date",
            f"日期“{value}”格式不对，应为 YYYY-MM-DD。",
            f"The date '{value}' is not in the form YYYY-MM-DD.",
        ) from None


def to_decimal(value: Any, *, what_zh: str, what_en: str, field: str | None = None) -> Decimal:
    """A number given as int, float, Decimal or text; refuse anything else."""
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        number = Decimal("NaN")
    if isinstance(value, bool) or not number.is_finite():
        raise TaskError(
            "bad_number",
            f"{what_zh}“{value}”不是有效数字。",
            f"The {what_en} '{value}' is not a valid number.",
            field=field,
        )
    return number


def clean_weight(weight: Any) -> Decimal:
    """A positive weight of at most 9999.99, rounded to cents."""
    number = to_decimal(weight, what_zh="权重", what_en="weight", field="weight")
    if Decimal("0.01") <= number <= MAX_WEIGHT:
        return number.quantize(Decimal("0.01"))
    raise TaskError(
        "bad_weight",
        f"权重须在 0.01 至 {MAX_WEIGHT} 之间（现为 {weight}）。",
        f"A weight must be between 0.01 and {MAX_WEIGHT} (got {weight}).",
    )
