"""Planned trajectories (计划进度): where an assignment and its indicators should be on a date.

Progress: piecewise linear through (task start, 0%), the task's milestones
and (assignment deadline, 100%); with no milestones, a straight line.
Indicators: a straight line from (baseline_date, baseline) to
(target_date, target); a share uses its own target from
``Assignment.indicator_targets`` when one is set.

Both read ``task.milestones.all()`` / the assignment's fields only, so a
prefetched queryset costs no query per assignment.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal, InvalidOperation

from luoshi.tasks.models import Assignment, Indicator

VALUE_PLACES = Decimal("0.0001")  # Indicator values are stored with 4 decimal places.


def planned_progress(*, assignment: Assignment, on: dt.date) -> float:
    """Percent (0..100) the assignment should have reached on the date.

    1. Before the task's start: 0; on or after the assignment's deadline: 100.
    2. Milestones strictly between start and deadline are the knots; their
       expected progress is clamped to 0..100 and never allowed to fall back
       (a lower later milestone counts as the earlier value).
    3. Between two knots, interpolate by calendar days.
    """
    start, deadline = assignment.task.start_date, assignment.deadline
    if on >= deadline:
        return 100.0
    if on <= start:
        return 0.0
    knots: list[tuple[dt.date, float]] = [(start, 0.0)]
    for milestone in sorted(assignment.task.milestones.all(), key=lambda m: m.date):
        if start < milestone.date < deadline:
            value = min(100.0, max(float(milestone.expected_progress), knots[-1][1]))
            knots.append((milestone.date, value))
    knots.append((deadline, 100.0))
    for (d0, v0), (d1, v1) in itertools.pairwise(knots):
        if d0 <= on <= d1:
            if d1 == d0:
                return v1
            return v0 + (v1 - v0) * (on - d0).days / (d1 - d0).days
    return 100.0  # unreachable: start < on < deadline lies on some segment


def indicator_span(*, indicator: Indicator, assignment: Assignment | None = None) -> tuple[Decimal, Decimal]:
    """(baseline, target) of the indicator for the assignment.

    A share's ``indicator_targets[str(indicator.id)]`` is either a number (its
    target; its baseline is then the indicator's baseline scaled in the same
    proportion, target_share / target) or ``{"target": x, "baseline": y}``.
    """
    baseline, target = indicator.baseline, indicator.target
    raw = _share_target(indicator=indicator, assignment=assignment)
    if raw is None:
        return baseline, target
    if isinstance(raw, dict):
        share_target = _decimal(raw.get("target"))
        share_baseline = _decimal(raw.get("baseline"))
        if share_target is None:
            return baseline, target
        if share_baseline is not None:
            return share_baseline, share_target
        raw = share_target
    share_target = _decimal(raw)
    if share_target is None:
        return baseline, target
    if target == 0:
        return baseline, share_target
    return (baseline * share_target / target).quantize(VALUE_PLACES), share_target


def indicator_expected(*, indicator: Indicator, on: dt.date, assignment: Assignment | None = None) -> Decimal:
    """The value the indicator should show on the date, on a straight line from baseline to target."""
    baseline, target = indicator_span(indicator=indicator, assignment=assignment)
    if on <= indicator.baseline_date:
        return baseline
    if on >= indicator.target_date:
        return target
    elapsed = (on - indicator.baseline_date).days
    total = (indicator.target_date - indicator.baseline_date).days
    return (baseline + (target - baseline) * Decimal(elapsed) / Decimal(total)).quantize(VALUE_PLACES)


def _share_target(*, indicator: Indicator, assignment: Assignment | None) -> object:
    if assignment is None or not assignment.indicator_targets:
        return None
    targets = assignment.indicator_targets
    if str(indicator.pk) in targets:
        return targets[str(indicator.pk)]
    return targets.get(indicator.pk)


def _decimal(value: object) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
