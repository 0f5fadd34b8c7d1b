"""How an instruction's subject, owners and state are said: in both languages for notices and the audit
trail, in the page's language for pages, in Chinese for bulletins and the ledger."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from luoshi.instructions.models import Instruction, Subject
from luoshi.lib.errors import pick
from luoshi.notifications.services import absolute_url
from luoshi.units.models import Unit

OFFICE_ZH, OFFICE_EN = "督查室", "supervision office"


def person(user: Any) -> str:
    """A person as the pages name them: the display name, else the user name."""
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def subject_words(instruction: Instruction) -> tuple[str, str]:
    """What the instruction is about, (中文, English)."""
    if instruction.subject == Subject.TASK and instruction.task is not None:
        return f"任务“{instruction.task.title}”", f"task '{instruction.task.title}'"
    if instruction.subject == Subject.UNIT and instruction.unit is not None:
        return f"{instruction.unit.name}的工作", f"the work of {instruction.unit.name}"
    if instruction.subject == Subject.REPORT and instruction.report is not None:
        r = instruction.report
        unit, period, title = (
            r.obligation.assignment.unit.name,
            r.obligation.period,
            r.obligation.assignment.task.title,
        )
        return f"{unit}关于“{title}”的{period}期报告", f"the {period} report of {unit} on '{title}'"
    if instruction.subject == Subject.BULLETIN and instruction.bulletin is not None:
        b = instruction.bulletin
        return f"通报《{b.title}》（{b.number}）", f"the bulletin '{b.title}' ({b.number})"
    return "", ""


def subject_text(instruction: Instruction, language: str | None = None) -> str:
    return pick(*subject_words(instruction), language)


def owner_words(unit: Unit | None) -> tuple[str, str]:
    """Who handles: the unit, or the supervision office for a handling without one."""
    return (OFFICE_ZH, OFFICE_EN) if unit is None else (unit.name, unit.name)


def instruction_link(instruction: Instruction) -> str:
    return absolute_url(reverse("web:instruction", args=[instruction.pk]))


def excerpt(text: str, limit: int = 40) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit] + "…"


def due_words(due: dt.date, today: dt.date) -> tuple[str, str]:
    days = (due - today).days
    if days < 0:
        return f"已逾期{-days}天", f"{-days} days overdue"
    if days == 0:
        return "今天到期", "due today"
    return f"还有{days}天到期", f"due in {days} days"
