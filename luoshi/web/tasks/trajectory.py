"""A task's trajectory: planned progress at each period end against the progress reported, and the
same for each quantified indicator (its straight line from baseline to target against the values reported).

One query function per series feeds the chart (JSON), the table and the CSV download.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext

from luoshi.ratings.services import indicator_expected, planned_progress
from luoshi.reports.queries import (
    indicator_values_in_version_order,
    obligations_in_period_order,
    reports_in_version_order,
)
from luoshi.tasks.models import Assignment, Indicator


@dataclass(frozen=True)
class Point:
    assignment_id: int
    unit: str
    period: str
    period_end: dt.date
    planned: float  # percent, one decimal
    actual: int | None  # the latest counting report for the period; None when nothing counts yet


@dataclass(frozen=True)
class IndicatorPoint:
    indicator_id: int
    assignment_id: int
    unit: str
    period: str
    period_end: dt.date
    planned: Decimal  # on the unit's straight line from baseline to target, as precise as the indicator
    actual: Decimal | None  # the latest counting report of the period that gives a value; None without one

    @property
    def planned_shown(self) -> str:
        return shown(self.planned)

    @property
    def actual_shown(self) -> str:
        return shown(self.actual)


@dataclass
class IndicatorTrajectory:
    """An indicator with its points (none when only the plan is listed), its numbers as the page shows them."""

    indicator: Indicator
    points: list[IndicatorPoint] = field(default_factory=list)

    @property
    def baseline(self) -> str:
        return shown(self.indicator.baseline.normalize())

    @property
    def target(self) -> str:
        return shown(self.indicator.target.normalize())


def by_indicator(
    points: Sequence[IndicatorPoint], indicators: Sequence[Indicator]
) -> list[IndicatorTrajectory]:
    """The points grouped per indicator, in the indicators' order."""
    grouped: dict[int, list[IndicatorPoint]] = {i.pk: [] for i in indicators}
    for q in points:
        grouped.setdefault(q.indicator_id, []).append(q)
    return [IndicatorTrajectory(i, grouped[i.pk]) for i in indicators]


@dataclass
class TaskTrajectory:
    """What the trajectory section shows: the progress points, each indicator's points, the chart's JSON."""

    task_id: int
    points: list[Point]
    indicators: list[IndicatorTrajectory]
    chart: dict[str, Any]


def task_trajectory(
    *, task_id: int, assignments: Sequence[Assignment], indicators: Sequence[Indicator]
) -> TaskTrajectory:
    points = trajectory(assignments=assignments)
    indicator_points = indicator_trajectory(assignments=assignments, indicators=indicators)
    return TaskTrajectory(
        task_id,
        points,
        by_indicator(indicator_points, indicators),
        chart_data(points, indicator_points, indicators),
    )


def trajectory(*, assignments: Sequence[Assignment]) -> list[Point]:
    """Every obligation of the assignments, in period order: planned at its end, actual reported."""
    counting: dict[int, int] = {}
    for report in reports_in_version_order(assignments=assignments):
        if report.counts:
            counting[report.obligation_id] = report.progress
    points = []
    for obligation in obligations_in_period_order(assignments=assignments):
        assignment = obligation.assignment
        planned = planned_progress(assignment=assignment, on=obligation.period_end)
        points.append(
            Point(
                assignment.pk,
                assignment.unit.name,
                obligation.period,
                obligation.period_end,
                round(planned, 1),
                counting.get(obligation.pk),
            )
        )
    return points


def indicator_trajectory(
    *, assignments: Sequence[Assignment], indicators: Sequence[Indicator]
) -> list[IndicatorPoint]:
    """For each indicator (in the given order) and each obligation of the assignments: the value planned
    at the period's end (a share's own target counts) and the value reported for the period.

    Two queries, whatever the number of indicators, periods or reports.
    """
    if not indicators:
        return []
    reported: dict[tuple[int, int], Decimal] = {}
    for value in indicator_values_in_version_order(assignments=assignments, indicators=indicators):
        if value.report.counts:  # a later counting version replaces an earlier one
            reported[(value.indicator_id, value.report.obligation_id)] = value.value
    obligations = list(obligations_in_period_order(assignments=assignments))
    points = []
    for indicator in indicators:
        places = _places(indicator)
        for obligation in obligations:
            assignment = obligation.assignment
            planned = indicator_expected(indicator=indicator, on=obligation.period_end, assignment=assignment)
            actual = reported.get((indicator.pk, obligation.pk))
            points.append(
                IndicatorPoint(
                    indicator.pk,
                    assignment.pk,
                    assignment.unit.name,
                    obligation.period,
                    obligation.period_end,
                    _rounded(planned, places),
                    None if actual is None else _rounded(actual, 4),
                )
            )
    return points


def _places(indicator: Indicator) -> int:
    """Decimals to show: at least two, more when the baseline or target has more (as the ratings' reasons)."""

    def decimals(value: Decimal) -> int:
        exponent = value.normalize().as_tuple().exponent
        return -exponent if isinstance(exponent, int) and exponent < 0 else 0

    return max(2, decimals(indicator.baseline), decimals(indicator.target))


def _rounded(value: Decimal, places: int) -> Decimal:
    rounded = value.quantize(Decimal(1).scaleb(-places)).normalize()
    return rounded + 0  # drop a negative zero's sign, keep the digits


def shown(value: Decimal | None) -> str:
    """A value as the table and the CSV show it: no exponent, no trailing zeros."""
    return "" if value is None else format(value, "f")


def _periods(points: Sequence[Point]) -> list[str]:
    periods: list[str] = []
    for p in points:
        if p.period not in periods:
            periods.append(p.period)
    return periods


def chart_data(
    points: Sequence[Point],
    indicator_points: Sequence[IndicatorPoint] = (),
    indicators: Sequence[Indicator] = (),
) -> dict[str, Any]:
    """The JSON the chart script reads: periods on the x axis, a planned and an actual series per unit,
    the same per unit for each indicator, and the series' names in the active language."""
    periods = _periods(points)
    index = {period: i for i, period in enumerate(periods)}
    series: dict[int, dict[str, Any]] = {}
    for p in points:
        s = series.setdefault(p.assignment_id, _series(p.assignment_id, p.unit, len(periods)))
        s["planned"][index[p.period]], s["actual"][index[p.period]] = p.planned, p.actual
    by_indicator: dict[int, dict[int, dict[str, Any]]] = {i.pk: {} for i in indicators}
    for q in indicator_points:
        if q.indicator_id not in by_indicator or q.period not in index:
            continue
        s = by_indicator[q.indicator_id].setdefault(
            q.assignment_id, _series(q.assignment_id, q.unit, len(periods))
        )
        s["planned"][index[q.period]] = float(q.planned)
        s["actual"][index[q.period]] = None if q.actual is None else float(q.actual)
    return {
        "periods": periods,
        "series": list(series.values()),
        "indicators": [
            {
                "id": i.pk,
                "name": i.name,
                "unit_of_measure": i.unit_of_measure,
                "baseline": float(i.baseline),
                "target": float(i.target),
                "series": list(by_indicator[i.pk].values()),
            }
            for i in indicators
        ],
        "names": {"planned": gettext("Planned"), "actual": gettext("Actual")},
    }


def _series(assignment_id: int, unit: str, length: int) -> dict[str, Any]:
    return {"assignment": assignment_id, "unit": unit, "planned": [None] * length, "actual": [None] * length}


TRAJECTORY_HEADERS = ["unit", "period", "period_end", "planned_progress", "actual_progress"]
INDICATOR_HEADERS = ["indicator", "unit_of_measure", "unit", "period", "period_end", "planned", "actual"]


def trajectory_rows(points: Sequence[Point]) -> list[list[object]]:
    """The trajectory's table for the CSV download (headers: TRAJECTORY_HEADERS)."""
    return [
        [p.unit, p.period, p.period_end.isoformat(), f"{p.planned:.1f}", "" if p.actual is None else p.actual]
        for p in points
    ]


def indicator_rows(points: Sequence[IndicatorPoint], indicators: Sequence[Indicator]) -> list[list[object]]:
    """The indicators' table: one row per indicator, unit and period (headers: INDICATOR_HEADERS)."""
    names = {i.pk: i for i in indicators}
    return [
        [
            names[q.indicator_id].name,
            names[q.indicator_id].unit_of_measure,
            q.unit,
            q.period,
            q.period_end.isoformat(),
            shown(q.planned),
            shown(q.actual),
        ]
        for q in points
    ]
