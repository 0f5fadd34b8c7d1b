"""A unit's urging notice (催办单 汇总): everything overdue across its assignments, numbered when the office issues it.

The notice lists everything overdue across the unit's assignments
(``urging_for_unit``, the query ``luoshi urging --unit`` renders too). When
the supervision office issues it, it is numbered in its own yearly series
(督催汇〔2026〕1号: per-assignment notices are 督催〔year〕<urging id>号, so the
two never share a number) and recorded in the audit trail on the unit, with
the assignments and items it covers and the file's SHA-256. The same notice
issued again the same day keeps its number.

Issuing is an explicit act (a POST on the office page, ``issue_unit_urging_notice``);
reading (``read_unit_urging_notice``, every GET download) writes nothing: it
carries the number the office gave the same notice today, else none.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, replace
from typing import Any

from django.conf import settings
from django.db import transaction

from luoshi.audit.services import AuditEntry, entries_for, object_type, record
from luoshi.bulletins.access import BULLETINS
from luoshi.bulletins.data import UrgingNoticeData
from luoshi.bulletins.errors import BulletinError
from luoshi.bulletins.renderers.urging import render_urging_notice
from luoshi.bulletins.urging import urging_for_assignment, urging_for_unit
from luoshi.tasks.models import REPORTING_STATUSES, Assignment
from luoshi.units.models import Unit

UNIT_SERIES = "督催汇"  # 汇: one notice gathering all of a unit's overdue matters
NOTE_PREFIX = (
    "催办单 "  # every audit note of a unit notice starts so: how the series and re-downloads are found
)
_SEQUENCE = re.compile(r"〔\d{4}〕(\d+)号")


@dataclass(frozen=True)
class UnitNotice:
    data: UrgingNoticeData
    assignments: list[int]  # the assignments with something overdue, in the notice's order
    content: bytes  # the DOCX
    entry: AuditEntry | None  # the office's issue; None for a copy only read


def issue_unit_urging_notice(*, unit: Unit, user: Any, today: dt.date) -> UnitNotice:
    """Issue the unit's notice as of today (the office only); BulletinError("nothing_overdue") when nothing is.

    1. What is overdue, and on which assignments.
    2. The number: that of the same notice (same date and items) already issued
       today, else the next in the year's series.
    3. The DOCX and an audit entry with the number, the assignments, the items,
       the response date and the file's SHA-256.
    """
    rule = BULLETINS["issue_urging_notice"]
    if not rule(user):
        raise BulletinError("not_allowed", rule.message_zh, rule.message_en)
    respond_days = settings.URGING_RESPONSE_DAYS
    data = urging_for_unit(unit=unit, as_of=today, response_days=respond_days)
    items, assignments = _covered(unit=unit, today=today, respond_days=respond_days)
    with transaction.atomic():
        # one issue of this unit at a time: the same notice keeps one number
        list(Unit.objects.select_for_update().filter(pk=unit.pk).values_list("pk"))
        number = _issued_today(unit=unit, today=today, items=items) or _next_number(today.year)
        data = replace(data, number=number)
        content = render_urging_notice(data)
        entry = record(
            action="export",
            obj=unit,
            actor=user,
            note=(
                f"{NOTE_PREFIX}{number}：{len(items)}项逾期事项，涉及任务分工{_ids(assignments)}，"
                f"{data.response_date.isoformat()}前回复 / urging notice {number}: {len(items)} overdue "
                f"items in assignments {_ids(assignments)}, respond by {data.response_date.isoformat()}"
            ),
            changes={
                "number": [None, number],
                "as_of": [None, today],
                "response_date": [None, data.response_date],
                "assignments": [None, assignments],
                "items": [None, items],
                "sha256": [None, hashlib.sha256(content).hexdigest()],
            },
        )
    return UnitNotice(data=data, assignments=assignments, content=content, entry=entry)


def read_unit_urging_notice(*, unit: Unit, today: dt.date) -> UnitNotice:
    """The unit's notice as of today, as issued today (its number) or else unnumbered; writes nothing."""
    respond_days = settings.URGING_RESPONSE_DAYS
    data = urging_for_unit(unit=unit, as_of=today, response_days=respond_days)
    items, assignments = _covered(unit=unit, today=today, respond_days=respond_days)
    data = replace(data, number=_issued_today(unit=unit, today=today, items=items))
    return UnitNotice(data=data, assignments=assignments, content=render_urging_notice(data), entry=None)


def _covered(*, unit: Unit, today: dt.date, respond_days: int) -> tuple[list[dict[str, Any]], list[int]]:
    """Each overdue item (JSON-safe, with its assignment) and the assignments covered, in the notice's order."""
    items: list[dict[str, Any]] = []
    for assignment in (
        Assignment.objects.filter(unit=unit, task__status__in=REPORTING_STATUSES)
        .select_related("task", "unit")
        .order_by("task_id", "id")
    ):
        try:
            one = urging_for_assignment(assignment=assignment, as_of=today, response_days=respond_days)
        except BulletinError:
            continue  # nothing overdue on this one
        items.extend(
            {
                "assignment": assignment.pk,
                "task": i.task_title,
                "what": i.what,
                "since": i.since.isoformat(),
                "days_overdue": i.days_overdue,
            }
            for i in one.items
        )
    return items, list(dict.fromkeys(i["assignment"] for i in items))


def _issued_today(*, unit: Unit, today: dt.date, items: list[dict[str, Any]]) -> str:
    """The number the office gave the same notice (date and items) of the unit, or ""."""
    for entry in (
        entries_for(unit).filter(action="export", note__startswith=NOTE_PREFIX).order_by("-at", "-id")
    ):
        changes = entry.changes
        if _after(changes, "as_of") == today.isoformat() and _after(changes, "items") == items:
            return str(_after(changes, "number") or "")
    return ""


def _next_number(year: int) -> str:
    prefix = f"{NOTE_PREFIX}{UNIT_SERIES}〔{year}〕"
    notes = AuditEntry.objects.filter(object_type=object_type(Unit), action="export", note__startswith=prefix)
    used = [int(m.group(1)) for note in notes.values_list("note", flat=True) if (m := _SEQUENCE.search(note))]
    return f"{UNIT_SERIES}〔{year}〕{max(used, default=0) + 1}号"


def _after(changes: dict[str, Any], key: str) -> Any:
    value = changes.get(key)
    return value[1] if isinstance(value, list) and len(value) == 2 else None


def _ids(assignments: list[int]) -> str:
    return "、".join(f"#{pk}" for pk in assignments)
