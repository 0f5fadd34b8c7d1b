"""Test data for ratings, built with the models directly so each test shows the facts it rates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from luoshi.documents.models import Document, Section
from luoshi.reports.models import IndicatorValue, Obligation, Report
from luoshi.tasks.models import Assignment, Indicator, Milestone, Status, Task
from luoshi.testing.world import at
from luoshi.units.models import Unit

D = dt.date
START = D(2024, 1, 1)
YEAR_END = D(2024, 12, 31)  # 365 days after START (2024 is a leap year)


def unit(code: str, name: str) -> Unit:
    return Unit.objects.create(code=code, name=name, level="region", catalog="test")


def task(
    document: Document,
    lead: Unit,
    *,
    title: str = "推进新能源倍增行动",
    start: dt.date = START,
    deadline: dt.date = YEAR_END,
    status: str = Status.IN_PROGRESS,
    section: Section | None = None,
    heading_path: Sequence[str] = (),
    milestones: Sequence[tuple[dt.date, int]] = (),
) -> tuple[Task, Assignment]:
    """A task with its lead assignment (same deadline) and milestones."""
    t = Task.objects.create(
        document=document,
        title=title,
        text=title,
        lead_unit=lead,
        start_date=start,
        deadline=deadline,
        status=status,
        section=section,
        heading_path=list(heading_path),
    )
    for day, expected in milestones:
        Milestone.objects.create(task=t, date=day, expected_progress=expected)
    lead_assignment = Assignment.objects.create(
        task=t, unit=lead, role=Assignment.Role.LEAD, deadline=deadline
    )
    return t, lead_assignment


def share(
    parent: Assignment,
    to: Unit,
    *,
    weight: int = 1,
    deadline: dt.date | None = None,
    indicator_targets: dict[str, Any] | None = None,
) -> Assignment:
    return Assignment.objects.create(
        task=parent.task,
        unit=to,
        role=Assignment.Role.SHARE,
        parent=parent,
        weight=weight,
        deadline=deadline or parent.deadline,
        indicator_targets=indicator_targets or {},
    )


def indicator(
    t: Task,
    *,
    name: str,
    uom: str,
    baseline: str,
    target: str,
    baseline_date: dt.date,
    target_date: dt.date,
    direction: str = Indicator.Direction.INCREASE,
) -> Indicator:
    return Indicator.objects.create(
        task=t,
        name=name,
        unit_of_measure=uom,
        baseline=Decimal(baseline),
        target=Decimal(target),
        baseline_date=baseline_date,
        target_date=target_date,
        direction=direction,
    )


def capacity_indicator(t: Task) -> Indicator:
    """新能源装机 from 1.0 to 1.7 亿千瓦 between START and 2024-07-19: 200 days, 0.0035 a day."""
    return indicator(
        t,
        name="新能源装机",
        uom="亿千瓦",
        baseline="1.0",
        target="1.7",
        baseline_date=START,
        target_date=D(2024, 7, 19),
    )


def intensity_indicator(t: Task) -> Indicator:
    """单位GDP能耗 down from 1.0 to 0.8 吨标准煤/万元 between START and 2024-07-19 (a decreasing indicator)."""
    return indicator(
        t,
        name="单位GDP能耗",
        uom="吨标准煤/万元",
        baseline="1.0",
        target="0.8",
        baseline_date=START,
        target_date=D(2024, 7, 19),
        direction=Indicator.Direction.DECREASE,
    )


def obligation(
    a: Assignment, period: str, start: dt.date, end: dt.date, due: dt.date | None = None
) -> Obligation:
    return Obligation.objects.create(
        assignment=a, period=period, period_start=start, period_end=end, due_date=due or end
    )


def monthly(a: Assignment, *months: int, year: int = 2024) -> list[Obligation]:
    """Monthly obligations due on the last day of each month."""
    out = []
    for m in months:
        first = D(year, m, 1)
        last = (D(year + (m == 12), m % 12 + 1, 1)) - dt.timedelta(days=1)
        out.append(obligation(a, f"{year}-{m:02d}", first, last))
    return out


def submit(
    ob: Obligation,
    user: Any,
    *,
    progress: int,
    on: dt.date,
    values: dict[Indicator, str] | None = None,
    approval: str = Report.Approval.NOT_REQUIRED,
    approved_on: dt.date | None = None,
    version: int = 1,
) -> Report:
    """A report as reports.services would store it; the obligation's state follows its due date."""
    previous = ob.reports.filter(version=version - 1).first() if version > 1 else None
    report = Report.objects.create(
        obligation=ob,
        version=version,
        supersedes=previous,
        progress=progress,
        narrative="按计划推进",
        submitted_by=user,
        submitted_at=at(on, 10),
        approval=approval,
        approved_by=user if approved_on else None,
        approved_at=at(approved_on, 10) if approved_on else None,
    )
    for ind, value in (values or {}).items():
        IndicatorValue.objects.create(report=report, indicator=ind, value=Decimal(value))
    if ob.first_submitted_at is None:
        ob.first_submitted_at = report.submitted_at
        ob.state = Obligation.State.SUBMITTED if on <= ob.due_date else Obligation.State.LATE
        ob.save(update_fields=["first_submitted_at", "state"])
    return report


def mark_missing(*obligations: Obligation) -> None:
    for ob in obligations:
        ob.state = Obligation.State.MISSING
        ob.save(update_fields=["state"])
