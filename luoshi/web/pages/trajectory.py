"""A task's trajectory: planned progress at each period end against the progress reported.

One query function feeds the chart (JSON), the table and the CSV download.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext

from luoshi.ratings.services import planned_progress
from luoshi.reports.models import Obligation, Report
from luoshi.tasks.models import Assignment


@dataclass(frozen=True)
class Point:
    assignment_id: int
    unit: str
    period: str
    period_end: dt.date
    planned: float  # percent, one decimal
    actual: int | None  # the latest counting report for the period; None when nothing counts yet


def trajectory(*, assignments: Sequence[Assignment]) -> list[Point]:
    """Every obligation of the assignments, in period order: planned at its end, actual reported."""
    obligations = (Obligation.objects.filter(assignment__in=assignments)
                   .select_related("assignment__unit", "assignment__task").order_by("period_end", "assignment_id"))
    counting: dict[int, int] = {}
    for report in Report.objects.filter(obligation__assignment__in=assignments).order_by("version"):
        if report.counts:
            counting[report.obligation_id] = report.progress
    points = []
    for obligation in obligations:
        assignment = obligation.assignment
        planned = planned_progress(assignment=assignment, on=obligation.period_end)
        points.append(Point(assignment.pk, assignment.unit.name, obligation.period, obligation.period_end,
                            round(planned, 1), counting.get(obligation.pk)))
    return points


def chart_data(points: Sequence[Point]) -> dict[str, Any]:
    """The JSON the chart script reads: periods on the x axis, a planned and an actual series per unit,
    and the series' names in the active language."""
    periods: list[str] = []
    for p in points:
        if p.period not in periods:
            periods.append(p.period)
    series: dict[int, dict[str, Any]] = {}
    for p in points:
        s = series.setdefault(p.assignment_id, {"assignment": p.assignment_id, "unit": p.unit,
                                                "planned": [None] * len(periods), "actual": [None] * len(periods)})
        index = periods.index(p.period)
        s["planned"][index], s["actual"][index] = p.planned, p.actual
    return {"periods": periods, "series": list(series.values()),
            "names": {"planned": gettext("Planned"), "actual": gettext("Actual")}}


def to_csv(points: Sequence[Point]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["unit", "period", "period_end", "planned_progress", "actual_progress"])
    for p in points:
        writer.writerow([p.unit, p.period, p.period_end.isoformat(), f"{p.planned:.1f}",
                         "" if p.actual is None else p.actual])
    return out.getvalue()
