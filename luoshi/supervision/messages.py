"""The words of supervision notices: what is due, for which task, by when, with a link.

Titles and bodies are Chinese first, then English, because a notice may be
forwarded to a group chat where people read either.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from luoshi.notifications.channels import Message
from luoshi.notifications.services import absolute_url
from luoshi.tasks.models import Assignment


def task_link(assignment: Assignment) -> str:
    """Where a notice points: the task's page, at this unit's assignment."""
    return absolute_url(f"tasks/{assignment.task_id}/#assignment-{assignment.pk}")


def _head(assignment: Assignment) -> list[str]:
    return [f"任务 / Task：{assignment.task.title}", f"责任单位 / Unit：{assignment.unit.name}"]


def report_reminder(assignment: Assignment, *, period: str, due: dt.date, days_left: int) -> Message:
    when_zh = "今天到期" if days_left == 0 else f"还有{days_left}天到期"
    when_en = "due today" if days_left == 0 else f"due in {days_left} day{'s' if days_left != 1 else ''}"
    return Message(
        title=f"【报送提醒】{period}期进展报告{when_zh} / Report for {period} {when_en}",
        body="\n".join(
            [
                *_head(assignment),
                f"报告期 / Period：{period}",
                f"报送截止 / Due by：{due.isoformat()}",
                f"请于 {due.isoformat()} 前报送本期进展。 / Please submit the progress report by {due.isoformat()}.",
            ]
        ),
        link=task_link(assignment),
    )


def deadline_reminder(assignment: Assignment, *, deadline: dt.date, days_left: int) -> Message:
    return Message(
        title=f"【时限提醒】任务距完成时限还有{days_left}天 / {days_left} days to the deadline",
        body="\n".join(
            [
                *_head(assignment),
                f"完成时限 / Deadline：{deadline.isoformat()}",
                f"请抓紧推进，按期办结。 / Please make sure the task is completed by {deadline.isoformat()}.",
            ]
        ),
        link=task_link(assignment),
    )


def urging_docx_link(urging_id: int) -> str:
    """The urging notice (催办单) of an urging record, as the DOCX the unit files (web:urging_docx)."""
    return absolute_url(reverse("web:urging_docx", args=[urging_id]))


def urging_page_link(urging_id: int) -> str:
    """The urging's page: what is overdue, the 催办单, and the form the unit answers on (web:urging)."""
    return absolute_url(reverse("web:urging", args=[urging_id]))


def urging(
    assignment: Assignment,
    *,
    what_zh: str,
    what_en: str,
    due: dt.date,
    days_overdue: int,
    required: str,
    respond_by: dt.date,
    urging_id: int,
) -> Message:
    """The notice of an urging: it opens the urging's page (answer form, 催办单); the body names the DOCX too."""
    return Message(
        title=f"【催办】{what_zh}已逾期{days_overdue}天 / Urging: {what_en} {days_overdue} days overdue",
        body="\n".join(
            [
                *_head(assignment),
                f"事项 / Matter：{what_zh} / {what_en}",
                f"应于 / Was due：{due.isoformat()}（已逾期{days_overdue}天 / {days_overdue} days overdue）",
                f"要求 / Required：{required}",
                f"回复期限 / Respond by：{respond_by.isoformat()}",
                f"催办单 / Urging notice：{urging_docx_link(urging_id)}",
                f"任务页面 / Task page：{task_link(assignment)}",
            ]
        ),
        link=urging_page_link(urging_id),
    )


def escalation(
    assignment: Assignment, *, what_zh: str, what_en: str, due: dt.date, days_overdue: int, urged_on: dt.date
) -> Message:
    return Message(
        title=f"【督办升级】{assignment.unit.name}{what_zh}逾期{days_overdue}天 / Escalation: "
        f"{what_en} {days_overdue} days overdue",
        body="\n".join(
            [
                *_head(assignment),
                f"事项 / Matter：{what_zh} / {what_en}",
                f"应于 / Was due：{due.isoformat()}（已逾期{days_overdue}天 / {days_overdue} days overdue）",
                f"已于 {urged_on.isoformat()} 催办，仍未办理。 / Urged on {urged_on.isoformat()}; still outstanding.",
            ]
        ),
        link=task_link(assignment),
    )


def warning(
    assignment: Assignment, *, level: str, reason_zh: str, reason_en: str, deadline: dt.date
) -> Message:
    card_zh, card_en = ("黄牌预警", "Yellow warning") if level == "yellow" else ("红牌预警", "Red warning")
    return Message(
        title=f"【{card_zh}】{reason_zh} / {card_en}: {reason_en}",
        body="\n".join(
            [*_head(assignment), f"完成时限 / Deadline：{deadline.isoformat()}", f"{reason_zh} / {reason_en}"]
        ),
        link=task_link(assignment),
    )
