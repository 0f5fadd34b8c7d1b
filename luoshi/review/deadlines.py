"""The review's deadlines and their reminders, sent by the supervision pass (``luoshi tick``).

Stages and who must act by when:

| stage | due | who is reminded |
|---|---|---|
| completion (限期补正) | ``completion_due``: LUOSHI_REVIEW_COMPLETION_DAYS working days after intake | the drafting unit |
| review (审核/审查) | ``review_due``: LUOSHI_REVIEW_WORKING_DAYS (pre-review) or LUOSHI_FILING_REVIEW_WORKING_DAYS (filing) working days after assignment | the reviewer |
| revision (退回修改) | ``revision_due``: LUOSHI_REVISION_DAYS working days after the return | the drafting unit |

Each is reminded LUOSHI_REVIEW_REMINDER_DAYS days before (3 and 1) and once when overdue, then to
the review heads as well. Every reminder is an inbox notice with a natural key
(``review:<stage>:submission=<id>:due=<date>:days=<d>``), so a second pass — or a second process —
sends nothing twice, as for the rest of supervision. Working days are Monday to Friday; public
holidays are not known to luoshi (a date that falls in one is the office's to move).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone

from luoshi.accounts.models import Role
from luoshi.notifications.services import notify
from luoshi.review.models import ReviewKind, Status, Submission


def add_working_days(day: dt.date, n: int) -> dt.date:
    """The date ``n`` working days (Monday–Friday) after ``day``."""
    out = day
    while n > 0:
        out += dt.timedelta(days=1)
        if out.weekday() < 5:
            n -= 1
    return out


def filing_due(published: dt.date | None) -> dt.date | None:
    """The statutory filing deadline: LUOSHI_FILING_DAYS calendar days after publication."""
    return published + dt.timedelta(days=settings.FILING_DAYS) if published else None


def review_days(submission: Submission) -> int:
    return (
        settings.FILING_REVIEW_WORKING_DAYS
        if submission.review_kind == ReviewKind.FILING
        else (settings.REVIEW_WORKING_DAYS)
    )


@dataclass(frozen=True)
class Stage:
    code: str
    status: str
    field: str
    label_zh: str
    label_en: str


STAGES = (
    Stage("completion", Status.INCOMPLETE, "completion_due", "补正材料", "complete the filing"),
    Stage("review", Status.IN_REVIEW, "review_due", "审核办结", "conclude the review"),
    Stage("revision", Status.RETURNED, "revision_due", "报送修改稿", "upload the revised draft"),
)


def _people(*, unit_id: int | None = None, roles: tuple[str, ...]) -> QuerySet[Any]:
    users = get_user_model().objects.filter(is_active=True, profile__role__in=roles)
    return users.filter(profile__unit_id=unit_id) if unit_id is not None else users


def _recipients(submission: Submission, stage: Stage, overdue: bool) -> list[Any]:
    if stage.code == "review":
        people = [submission.reviewer] if submission.reviewer else []
    else:
        people = list(_people(unit_id=submission.drafting_unit_id, roles=(Role.LIAISON, Role.UNIT_HEAD)))
    if overdue:
        people += list(_people(roles=(Role.REVIEW_HEAD,)))
    return people


def sweep(*, now: dt.datetime) -> int:
    """Send the review reminders due as of ``now``; return how many notices were created."""
    today = timezone.localdate(now)
    offsets = sorted(set(settings.REVIEW_REMINDER_DAYS), reverse=True)
    created = 0
    for stage in STAGES:
        open_ones = Submission.objects.filter(
            status=stage.status, **{f"{stage.field}__isnull": False}
        ).select_related("reviewer")
        for submission in open_ones:
            due: dt.date = getattr(submission, stage.field)
            left = (due - today).days
            if left < 0:
                days = -1
            else:
                due_offsets = [d for d in offsets if left <= d]
                if not due_offsets:
                    continue
                days = min(due_offsets)  # the current stage only: no stale "3 days" a day before
            created += _remind(submission, stage, due, days, now)
    return created


def _remind(submission: Submission, stage: Stage, due: dt.date, days: int, now: dt.datetime) -> int:
    overdue = days < 0
    when_zh = f"已逾期（期限 {due.isoformat()}）" if overdue else f"期限 {due.isoformat()}"
    when_en = f"overdue (due {due.isoformat()})" if overdue else f"due {due.isoformat()}"
    title = f"{submission.number} 请{stage.label_zh}：{when_zh} / {submission.number}: {stage.label_en}, {when_en}"
    body = (
        f"《{submission.title}》（{submission.get_review_kind_display()}）请于 {due.isoformat()} 前{stage.label_zh}。"
        f" / '{submission.title}': {stage.label_en} by {due.isoformat()}."
    )
    key = f"review:{stage.code}:submission={submission.pk}:due={due.isoformat()}:days={'overdue' if overdue else days}"
    notices = notify(
        recipients=_recipients(submission, stage, overdue),
        kind="review_deadline",
        title=title,
        body=body,
        link=f"/review/{submission.pk}/",
        key=key,
        now=now,
    )
    return len(notices)
