"""The accountability register (监督问责): record measures, read them back, suggest the next one.

Errors: ``AccountabilityError`` (code, message_zh, message_en); a user whose
role may not "rate" (accounts.scope) gets ``PermissionDenied``. The read
functions below are a stable interface (the bulletins read
``measures_in_period``): each returns a list of ``Measure`` ordered by
(date, id), with units, tasks and attachments prefetched.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from luoshi.accountability.errors import AccountabilityError
from luoshi.accountability.models import LADDER, NAMES, WEIGHT, Attachment, Kind, Measure
from luoshi.accountability.suggestions import Suggestion, suggest_measures
from luoshi.accounts.scope import require
from luoshi.audit.services import record
from luoshi.lib.bounds import check_date, clean_text
from luoshi.reports.errors import ReportError
from luoshi.reports.evidence import check_files, store
from luoshi.tasks.models import Task
from luoshi.units.models import Unit

__all__ = [
    "LADDER",
    "AccountabilityError",
    "Kind",
    "Suggestion",
    "measures",
    "measures_for_task",
    "measures_for_unit",
    "measures_in_period",
    "next_kind",
    "record_measure",
    "suggest_measures",
]


def next_kind(kind: str | None) -> str | None:
    """The next rung of the ladder after ``kind`` (the first for None); None above the top."""
    if kind is None:
        return LADDER[0]
    index = LADDER.index(kind) + 1
    return LADDER[index] if index < len(LADDER) else None


def record_measure(
    *,
    kind: str,
    units: Iterable[Unit],
    tasks: Iterable[Task] = (),
    reason: str,
    date: dt.date,
    user: Any,
    attachments: Iterable[UploadedFile] = (),
    now: dt.datetime | None = None,
) -> Measure:
    """Record a measure decided by the supervision office, with its documents.

    1. Only a supervisor or administrator ("rate"); a known kind, at least one
       unit, a reason, a date not after today.
    2. Check every attachment as evidence is checked (type by content, size)
       before anything is written.
    3. Store the measure, its units and tasks, and the files under
       MEDIA_ROOT/measures/ with random names; files written before a failure
       are deleted again.
    """
    require(user, "rate")
    now = now or timezone.now()
    if kind not in Kind.values:
        raise AccountabilityError(
            "bad_kind",
            f"未知的问责措施：{kind}（可选：{'、'.join(Kind.values)}）。",
            f"Unknown measure: {kind} (choose one of: {', '.join(Kind.values)}).",
        )
    unit_list = list({u.pk: u for u in units}.values())
    task_list = list({t.pk: t for t in tasks}.values())
    if not unit_list:
        raise AccountabilityError("unit_required", "请至少指定一个被问责单位。", "Name at least one unit.")
    reason = clean_text(
        reason, error=AccountabilityError, field="reason", what_zh="理由", what_en="reason"
    ).strip()
    if not reason:
        raise AccountabilityError(
            "reason_required", "请写明采取措施的理由。", "Please give the reason for the measure."
        )
    check_date(
        date,
        error=AccountabilityError,
        field="date",
        what_zh="措施日期",
        what_en="measure date",
        today=timezone.localdate(now),
    )
    if date > timezone.localdate(now):
        raise AccountabilityError(
            "future_date", f"措施日期 {date} 晚于今天。", f"The date {date} is in the future."
        )
    try:
        files = check_files(attachments)
    except ReportError as exc:
        raise AccountabilityError(exc.code, exc.message_zh, exc.message_en) from None

    storage = Attachment._meta.get_field("file").storage
    stored: list[str] = []
    try:
        with transaction.atomic():
            measure = Measure.objects.create(
                kind=kind, weight=WEIGHT[kind], reason=reason, date=date, decided_by=user, created_at=now
            )
            measure.units.set(unit_list)
            measure.tasks.set(task_list)
            for checked in files:
                name, sha256 = store(checked, storage=storage, now=now, folder="measures")
                stored.append(name)
                Attachment.objects.create(
                    measure=measure,
                    file=name,
                    original_name=checked.original_name,
                    content_type=checked.content_type,
                    size=checked.size,
                    sha256=sha256,
                    uploaded_at=now,
                )
            record(
                action="create",
                obj=measure,
                actor=user,
                at=now,
                note=reason,
                changes={
                    "kind": [None, kind],
                    "date": [None, date],
                    "units": [None, sorted(u.pk for u in unit_list)],
                    "tasks": [None, sorted(t.pk for t in task_list)],
                    "attachments": [None, len(files)],
                },
            )
    except BaseException:
        for name in stored:
            storage.delete(name)
        raise
    return measure


def measures(
    *,
    task: Task | None = None,
    unit: Unit | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> QuerySet[Measure]:
    """Measures naming ``task`` and ``unit``, dated from ``start`` to ``end`` inclusive (each filter
    optional), ordered by (date, id), with units, tasks and attachments prefetched (the API pages it)."""
    found = Measure.objects.all()
    if task is not None:
        found = found.filter(
            pk__in=Measure.tasks.through.objects.filter(task_id=task.pk).values("measure_id")
        )
    if unit is not None:
        found = found.filter(
            pk__in=Measure.units.through.objects.filter(unit_id=unit.pk).values("measure_id")
        )
    if start is not None:
        found = found.filter(date__gte=start)
    if end is not None:
        found = found.filter(date__lte=end)
    return (
        found.select_related("decided_by")
        .prefetch_related("units", "tasks", "attachments")
        .order_by("date", "id")
    )


def measures_for_task(*, task: Task) -> list[Measure]:
    """Measures naming the task, oldest first."""
    return list(measures(task=task))


def measures_for_unit(*, unit: Unit) -> list[Measure]:
    """Measures naming the unit, oldest first."""
    return list(measures(unit=unit))


def measures_in_period(*, start: dt.date, end: dt.date) -> list[Measure]:
    """Measures dated from ``start`` to ``end`` inclusive, oldest first (by date, then id)."""
    return list(measures(start=start, end=end))


def kind_names(kind: str) -> tuple[str, str]:
    """(中文, English) name of a measure kind."""
    return NAMES[kind]
