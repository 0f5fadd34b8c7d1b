"""What an urging notice (催办单) says: the overdue items of one assignment, or of all a unit's assignments.

``render_urging_notice`` (renderers/urging.py) turns ``data.UrgingNoticeData`` into a
DOCX and reads nothing else, so the supervision app can build the data its
own way and attach the file to its urging record.
"""

from __future__ import annotations

import datetime as dt

from luoshi.bulletins.data import DEFAULT_OFFICE, OverdueItem, UrgingNoticeData
from luoshi.bulletins.errors import BulletinError
from luoshi.bulletins.periods import date_zh, parse_period
from luoshi.ratings.errors import RatingError
from luoshi.ratings.facts import load_obligations, submitted_on
from luoshi.ratings.services import rate
from luoshi.tasks.models import REPORTING_STATUSES, Assignment
from luoshi.units.models import Unit

RESPONSE_DAYS = 5


def default_response(response_date: dt.date, office: str) -> str:
    return (
        f"请你单位高度重视，认真分析原因，采取有效措施抓紧推进，并于{date_zh(response_date)}前"
        f"将办理情况和整改措施书面报送{office}。"
    )


def overdue_items(*, assignment: Assignment, as_of: dt.date) -> list[OverdueItem]:
    """The assignment's missing reports (due before the date, nothing submitted) and its passed deadline."""
    title = assignment.task.title
    items = []
    for ob in load_obligations(assignments=[assignment.pk], as_of=as_of).get(assignment.pk, []):
        if ob.due_date < as_of and submitted_on(ob, as_of) is None:
            try:
                label = parse_period(ob.period, bounded=False).label
            except BulletinError:
                label = f"截至{date_zh(ob.period_end)}"
            items.append(
                OverdueItem(title, f"{label}进展报告未报送", ob.due_date, (as_of - ob.due_date).days)
            )
    try:
        result = rate(assignment=assignment, as_of=as_of)
    except RatingError:
        return []  # cancelled
    if result.overdue_days > 0:
        items.append(
            OverdueItem(
                title,
                f"未在完成时限内完成（当前进度{result.actual:g}%）",
                assignment.deadline,
                result.overdue_days,
            )
        )
    return items


def urging_for_assignment(
    *,
    assignment: Assignment,
    as_of: dt.date,
    office: str = DEFAULT_OFFICE,
    response_days: int = RESPONSE_DAYS,
    number: str = "",
) -> UrgingNoticeData:
    """The notice for one assignment as of the date; BulletinError("nothing_overdue") when nothing is."""
    items = overdue_items(assignment=assignment, as_of=as_of)
    return _notice(
        assignment.unit, items, as_of=as_of, office=office, response_days=response_days, number=number
    )


def urging_for_unit(
    *,
    unit: Unit,
    as_of: dt.date,
    office: str = DEFAULT_OFFICE,
    response_days: int = RESPONSE_DAYS,
    number: str = "",
) -> UrgingNoticeData:
    """One notice listing everything overdue across the unit's assignments of open tasks."""
    assignments = (
        Assignment.objects.filter(unit=unit, task__status__in=REPORTING_STATUSES)
        .select_related("task", "unit")
        .order_by("task_id", "id")
    )
    items = [i for a in assignments for i in overdue_items(assignment=a, as_of=as_of)]
    return _notice(unit, items, as_of=as_of, office=office, response_days=response_days, number=number)


def _notice(
    unit: Unit, items: list[OverdueItem], *, as_of: dt.date, office: str, response_days: int, number: str
) -> UrgingNoticeData:
    if not items:
        raise BulletinError(
            "nothing_overdue",
            f"{unit.name}截至{date_zh(as_of)}没有逾期事项，无需催办。",
            f"{unit.name} has nothing overdue on {as_of.isoformat()}: no urging needed.",
        )
    response_date = as_of + dt.timedelta(days=response_days)
    return UrgingNoticeData(
        unit=unit.name,
        items=tuple(items),
        required_response=default_response(response_date, office),
        response_date=response_date,
        office=office,
        date=as_of,
        number=number,
    )
