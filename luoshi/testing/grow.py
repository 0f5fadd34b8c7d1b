"""Grow a test database by generated tasks, for the tests that hold a query bound at two sizes.

``grow(document=…, count=n, …)`` adds ``n`` monthly tasks, each with a new lead unit, a co-unit (the
previous task's lead) and a share to a new county, the units' liaisons, every obligation, and reports on most of the
periods due so far (on time, late, some corrected, some missing) with evidence records, plus an
evaluation, an accountability measure and a good-practice excerpt on every third task. Everything a
ledger, a bulletin or a supervision pass reads per row, so a per-row query shows as a count that grows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from luoshi.accountability.models import WEIGHT, Kind, Measure
from luoshi.accounts.models import Profile, Role
from luoshi.bulletins.models import GoodPractice
from luoshi.documents.models import Document
from luoshi.evaluation.models import Effect, Evaluation
from luoshi.reports.models import Evidence, Obligation, Report
from luoshi.reports.services import ReportEntry, ensure_obligations_for, submit_reports
from luoshi.tasks.models import Assignment, Cadence, Status, Task
from luoshi.units.models import Unit

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


@dataclass
class Grown:
    tasks: list[Task] = field(default_factory=list)
    assignments: list[Assignment] = field(default_factory=list)
    reports: int = 0


def _moment(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=SHANGHAI)


def grow(
    *,
    document: Document,
    count: int,
    start: dt.date,
    deadline: dt.date,
    today: dt.date,
    supervisor: Any,
    prefix: str = "g",
    level: str = "league_city",
) -> Grown:
    """Add ``count`` tasks reported on up to ``today`` (see the module docstring); names start with ``prefix``."""
    users = get_user_model().objects
    grown = Grown()
    liaisons: dict[int, Any] = {}

    def new_unit(code: str, name: str, unit_level: str) -> Unit:
        unit = Unit.objects.create(
            code=code, name=name, level=unit_level, catalog="test", aliases=[name[-4:]]
        )
        liaison = users.create_user(username=f"liaison-{code}", password="x")
        Profile.objects.create(user=liaison, unit=unit, role=Role.LIAISON)
        liaisons[unit.pk] = liaison
        return unit

    previous = new_unit(f"{prefix}c", f"{prefix}生成配合单位", level)
    for n in range(count):
        unit = new_unit(f"{prefix}{n}", f"{prefix}生成单位{n}", level)
        county = new_unit(f"{prefix}{n}x", f"{prefix}生成旗县{n}", "county")
        task = Task.objects.create(
            document=document,
            title=f"{prefix}生成任务{n}",
            text="推进重点工作。",
            lead_unit=unit,
            start_date=start,
            deadline=deadline,
            cadence=Cadence.MONTHLY,
            report_day=10,
            status=Status.IN_PROGRESS,
        )
        task.co_units.add(previous)
        lead = Assignment.objects.create(task=task, unit=unit, role=Assignment.Role.LEAD, deadline=deadline)
        grown.tasks.append(task)
        grown.assignments += [
            lead,
            Assignment.objects.create(task=task, unit=previous, role=Assignment.Role.CO, deadline=deadline),
            Assignment.objects.create(
                task=task, unit=county, role=Assignment.Role.SHARE, parent=lead, deadline=deadline
            ),
        ]
        previous = unit
    ensure_obligations_for(
        assignments=Assignment.objects.filter(pk__in=[a.pk for a in grown.assignments]).select_related("task")
    )
    grown.reports = _report(grown.assignments, liaisons, today=today)
    _follow_up(grown.tasks, supervisor=supervisor, today=today)
    return grown


def _report(assignments: Sequence[Assignment], liaisons: dict[int, Any], *, today: dt.date) -> int:
    """Reports on the periods due by ``today``: every fourth one missing, every third one late, the
    latest corrected once; two evidence records each."""
    obligations = list(
        Obligation.objects.filter(assignment__in=[a.pk for a in assignments], due_date__lt=today)
        .select_related("assignment__task", "assignment__unit")
        .order_by("assignment_id", "due_date")
    )
    first: list[ReportEntry] = []
    for i, ob in enumerate(obligations):
        if i % 4 == 3:
            continue  # missing
        submitted = ob.due_date + dt.timedelta(days=5 if i % 3 == 2 else -2)
        first.append(
            ReportEntry(
                obligation=ob,
                user=liaisons[ob.assignment.unit_id],
                progress=min(90, 10 * (i % 9 + 1)),
                narrative=f"本期完成{ob.period}阶段工作。",
                problems="进度调整。",
                now=_moment(submitted),
            )
        )
    reports = submit_reports(entries=first)
    corrections = [
        ReportEntry(
            obligation=r.obligation,
            user=r.submitted_by,
            progress=r.progress,
            narrative=f"更正：{r.narrative}",
            problems="更正。",
            now=r.submitted_at + dt.timedelta(days=1),
        )
        for r in reports[::5]
    ]
    reports += submit_reports(entries=corrections)
    Evidence.objects.bulk_create(
        [
            Evidence(
                report=r,
                file=f"evidence/{r.pk}-{k}.pdf",
                original_name=f"佐证{r.pk}-{k}.pdf",
                content_type="application/pdf",
                size=100,
                sha256="0" * 64,
            )
            for r in reports
            for k in range(2)
        ]
    )
    return len(reports)


def _follow_up(tasks: Sequence[Task], *, supervisor: Any, today: dt.date) -> None:
    """An evaluation, a measure and a good-practice excerpt on every third task."""
    for task in tasks[::3]:
        Evaluation.objects.create(
            task=task,
            effect=Effect.GOOD,
            evaluated_by=supervisor,
            evaluated_at=_moment(today - dt.timedelta(days=20)),
        )
        measure = Measure.objects.create(
            kind=Kind.TALK,
            weight=WEIGHT[Kind.TALK],
            reason="报告逾期。",
            date=today - dt.timedelta(days=10),
            decided_by=supervisor,
            created_at=timezone.now(),
        )
        measure.units.add(task.lead_unit)
        measure.tasks.add(task)
        chosen = (
            Report.objects.filter(
                obligation__assignment__task=task, obligation__assignment__role=Assignment.Role.LEAD
            )
            .order_by("-obligation__due_date", "-version")
            .first()
        )
        if chosen is not None:
            GoodPractice.objects.create(
                report=chosen,
                excerpt=chosen.narrative,
                selected_by=supervisor,
                selected_at=_moment(today - dt.timedelta(days=5)),
            )
