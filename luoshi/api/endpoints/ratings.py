"""Ratings (对标对表) per assignment, supervisors' overrides, and roll-ups."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status

from luoshi.accounts.scope import require
from luoshi.api.params import BigInt
from luoshi.api.schemas import ERRORS, OverrideIn, RatingOut, RatingsOut
from luoshi.documents.access import get_document_for
from luoshi.ratings import services as ratings
from luoshi.ratings.models import Rating
from luoshi.tasks.access import get_assignment_for

router = Router(tags=["ratings"])


@router.get("/assignments/{int:assignment_id}/ratings", response={200: RatingsOut, **ERRORS})
def get_ratings(request: HttpRequest, assignment_id: BigInt, as_of: dt.date | None = None) -> dict[str, Any]:
    """The effective rating as of a date (default today; an override for that date wins) and the stored history.

    ``current`` is null for a cancelled task; its ``id`` is null when the fresh
    computation has not been recorded yet.
    """
    assignment = get_assignment_for(request.auth, assignment_id)  # type: ignore[attr-defined]
    current: Rating | None
    try:
        current = ratings.current_rating(assignment=assignment, as_of=as_of or timezone.localdate())
    except ratings.RatingError as exc:
        if exc.code != "not_rated":
            raise
        current = None
    return {"current": current, "history": ratings.rating_history(assignment=assignment)}


@router.post("/assignments/{int:assignment_id}/ratings/override", response={201: RatingOut, **ERRORS})
def override(request: HttpRequest, assignment_id: BigInt, payload: OverrideIn) -> Status[Rating]:
    """A supervisor's judgement for the date, with the reason; it wins over the computed rating for that date."""
    user = request.auth  # type: ignore[attr-defined]
    assignment = get_assignment_for(user, assignment_id)
    require(user, "rate")
    rating = ratings.override_rating(
        assignment=assignment,
        rag=payload.rag,
        reason=payload.reason,
        user=user,
        as_of=payload.as_of or timezone.localdate(),
        confidence=payload.confidence,
    )
    return Status(201, rating)


@router.get("/rollup", response={200: dict[str, Any], **ERRORS})
def rollup(
    request: HttpRequest,
    as_of: dt.date | None = None,
    document: BigInt | None = None,
    unit: BigInt | None = None,
) -> dict[str, Any]:
    """Ratings rolled up assignment → task → section → document, and per unit, as of a date (default today).

    A liaison or unit head gets their own unit's roll-up: their assignments,
    their unit row and the tasks their unit leads (other units' ratings and
    reasons are left out); asking for another unit is 404.
    """
    user = request.auth  # type: ignore[attr-defined]
    doc = get_document_for(user, document) if document is not None else None
    return ratings.rollup_for(
        user=user, as_of=as_of or timezone.localdate(), document=doc, unit_id=unit
    ).to_dict()
