"""The effective rating of an assignment, or None when it is not rated (a cancelled task)."""

from __future__ import annotations

import datetime as dt

from luoshi.ratings.errors import RatingError
from luoshi.ratings.models import Rating
from luoshi.ratings.services import current_rating, current_ratings
from luoshi.tasks.models import Assignment


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
