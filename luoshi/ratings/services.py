"""Ratings (对标对表): compute, record, override, read; one code path for pages, API, CLI and tests.

The rule itself is ``rules.evaluate`` (documented in docs/ratings.md);
``rate`` gathers its inputs as of a date and applies it. Ratings are stored
as history: every change is a new ``Rating`` row, never an update.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction

from luoshi.accounts.scope import can
from luoshi.audit.services import record
from luoshi.lib.bounds import check_date, clean_text
from luoshi.ratings.errors import RatingError
from luoshi.ratings.facts import build_inputs, load_obligations, with_plan
from luoshi.ratings.models import Rag, Rating
from luoshi.ratings.rollup import Rollup, rollup
from luoshi.ratings.rules import RatingResult, TaskState, evaluate
from luoshi.ratings.scoped import rollup_for
from luoshi.ratings.snapshots import snapshots
from luoshi.ratings.trajectory import indicator_expected, planned_progress
from luoshi.tasks.models import Assignment, Status

__all__ = [
    "RatingError",
    "RatingResult",
    "Rollup",
    "current_rating",
    "current_ratings",
    "indicator_expected",
    "override_rating",
    "planned_progress",
    "rate",
    "rating_histories",
    "rating_history",
    "record_rating",
    "rollup",
    "rollup_for",
]


def rate(*, assignment: Assignment, as_of: dt.date) -> RatingResult:
    """Rate the assignment as of the date from the recorded data (nothing is stored).

    Raises RatingError("not_rated") for a task cancelled by that date, BoundsError for a
    date outside the planning horizon.
    """
    check_date(as_of, error=RatingError, field="as_of", what_zh="评价日期", what_en="as-of date")
    fresh = with_plan(Assignment.objects.filter(pk=assignment.pk)).get()
    obligations = load_obligations(assignments=[fresh.pk], as_of=as_of).get(fresh.pk, [])
    inputs = build_inputs(assignment=fresh, obligations=obligations, as_of=as_of)
    if inputs.state == TaskState.CANCELLED:
        raise RatingError("not_rated", "任务已撤销，不再评价。", "The task is cancelled and is not rated.")
    return evaluate(inputs)


def record_rating(*, assignment: Assignment, as_of: dt.date, period: str = "") -> Rating:
    """Store the computed rating as a new row, unless the latest computed row for the date says the same.

    An override for the same date is left in place and still wins (see current_rating).
    """
    period = clean_text(
        period,
        error=RatingError,
        field="period",
        what_zh="评价期次",
        what_en="period",
        limit=Rating._meta.get_field("period").max_length or 20,
    ).strip()
    result = rate(assignment=assignment, as_of=as_of)
    with transaction.atomic():
        # Lock the assignment so two recorders cannot both add the same row.
        list(Assignment.objects.select_for_update().filter(pk=assignment.pk).values_list("pk"))
        latest = Rating.objects.filter(assignment=assignment, as_of=as_of).order_by("-id").first()
        if latest is not None and not latest.overridden and _same(latest, result, period=period):
            return latest
        return Rating.objects.create(assignment=assignment, as_of=as_of, period=period, **_fields(result))


def override_rating(
    *, assignment: Assignment, rag: str, reason: str, user: Any, as_of: dt.date, confidence: int | None = None
) -> Rating:
    """Record a supervisor's judgement for the date, with the reason; the computed facts are kept with it.

    Who may override is accounts.scope's "rate" action (supervisors and administrators).
    """
    if not can(user, "rate"):
        raise RatingError(
            "not_allowed",
            "只有督查室人员可以调整评价。",
            "Only the supervision office can override a rating.",
        )
    check_date(as_of, error=RatingError, field="as_of", what_zh="评价日期", what_en="as-of date")
    reason = clean_text(reason, error=RatingError, field="reason", what_zh="理由", what_en="reason").strip()
    if not reason:
        raise RatingError("reason_required", "调整评价须说明理由。", "An override needs a reason.")
    if rag not in Rag.values:
        raise RatingError("bad_rag", f"无效的评价等级：{rag}", f"Unknown rating: {rag}")
    if confidence is not None and not 1 <= confidence <= 5:
        raise RatingError("bad_confidence", "信心等级应为1至5。", "Confidence must be 1 to 5.")
    computed = rate(assignment=assignment, as_of=as_of)
    fields = _fields(computed) | {"rag": rag, "confidence": confidence}
    with transaction.atomic():
        rating = Rating.objects.create(
            assignment=assignment,
            as_of=as_of,
            overridden=True,
            override_reason=reason,
            created_by=user,
            **fields,
        )
        record(
            action="override",
            obj=rating,
            actor=user,
            note=reason,
            changes={
                "rag": [computed.rag, rag],
                "confidence": [computed.confidence, confidence],
                "as_of": [None, as_of],
            },
        )
    return rating


def current_rating(*, assignment: Assignment, as_of: dt.date) -> Rating:
    """The effective rating for the date.

    1. The latest override for exactly that date, if any, stands.
    2. Else the rating is computed afresh; the latest stored computed row for
       the date is returned when it says the same, else an unsaved ``Rating``
       (``pk is None``) carrying the fresh result.
    An override does not carry over to later dates.
    """
    override = (
        Rating.objects.filter(assignment=assignment, as_of=as_of, overridden=True).order_by("-id").first()
    )
    if override is not None:
        return override
    result = rate(assignment=assignment, as_of=as_of)
    latest = (
        Rating.objects.filter(assignment=assignment, as_of=as_of, overridden=False).order_by("-id").first()
    )
    if latest is not None and _same(latest, result, period=latest.period):
        return latest
    return Rating(assignment=assignment, as_of=as_of, **_fields(result))


def current_ratings(*, assignments: list[Assignment], as_of: dt.date) -> dict[int, Rating | None]:
    """The effective rating of each assignment for the date, as ``current_rating`` gives it, in a fixed
    number of queries (stored snapshots; the date's overrides win); None for a task cancelled by then.

    A computed rating comes back unsaved (``pk is None``): pages show it, nothing links to it.
    """
    check_date(as_of, error=RatingError, field="as_of", what_zh="评价日期", what_en="as-of date")
    out: dict[int, Rating | None] = {}
    cancelled = [a for a in assignments if a.task.status == Status.CANCELLED]
    for a in cancelled:  # rare: whether it counts as cancelled on the date depends on when it was
        try:
            out[a.pk] = current_rating(assignment=a, as_of=as_of)
        except RatingError:
            out[a.pk] = None
    rest = [a for a in assignments if a.pk not in out]
    ids = [a.pk for a in rest]
    overrides = {
        r.assignment_id: r
        for r in Rating.objects.filter(assignment_id__in=ids, as_of=as_of, overridden=True).order_by("id")
    }
    rated = snapshots(ids, as_of)
    for a in rest:
        s = rated[a.pk]
        out[a.pk] = overrides.get(a.pk) or Rating(
            assignment=a,
            as_of=as_of,
            rag=s.rag,
            confidence=s.confidence,
            planned_progress=_place(s.planned),
            actual_progress=_place(s.actual),
            reasons=list(s.reasons),
            reasons_en=list(s.reasons_en),
        )
    return out


def _place(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.1"))


def rating_history(*, assignment: Assignment) -> list[Rating]:
    """Every stored rating of the assignment, computed and overridden, oldest first."""
    return rating_histories(assignments=[assignment])[assignment.pk]


def rating_histories(*, assignments: list[Assignment]) -> dict[int, list[Rating]]:
    """``rating_history`` of each assignment, in one query."""
    found: dict[int, list[Rating]] = {a.pk: [] for a in assignments}
    for rating in (
        Rating.objects.filter(assignment__in=assignments).select_related("created_by").order_by("as_of", "id")
    ):
        found[rating.assignment_id].append(rating)
    return found


def _fields(result: RatingResult) -> dict[str, Any]:
    return {
        "rag": result.rag,
        "confidence": result.confidence,
        "planned_progress": Decimal(str(result.planned)),
        "actual_progress": Decimal(str(result.actual)),
        "reasons": list(result.reasons_zh),
        "reasons_en": list(result.reasons_en),
    }


def _same(row: Rating, result: RatingResult, *, period: str) -> bool:
    fields = _fields(result)
    return (
        row.period == period
        and row.rag == fields["rag"]
        and row.confidence == fields["confidence"]
        and row.planned_progress == fields["planned_progress"]
        and row.actual_progress == fields["actual_progress"]
        and list(row.reasons) == fields["reasons"]
        and list(row.reasons_en) == fields["reasons_en"]
    )


def rating_or_none(*, assignment: Assignment, as_of: dt.date) -> Rating | None:
    try:
        return current_rating(assignment=assignment, as_of=as_of)
    except RatingError:
        return None


def ratings_or_none(*, assignments: list[Assignment], as_of: dt.date) -> dict[int, Rating | None]:
    """Each assignment's effective rating in a fixed number of queries (None: not rated)."""
    try:
        return current_ratings(assignments=assignments, as_of=as_of)
    except RatingError:  # a date outside the horizon: nothing is rated
        return dict.fromkeys((a.pk for a in assignments), None)
