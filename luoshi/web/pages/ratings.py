"""The effective rating of an assignment, or None when it is not rated (a cancelled task)."""

from __future__ import annotations

import datetime as dt

from luoshi.ratings.errors import RatingError
from luoshi.ratings.models import Rating
from luoshi.ratings.services import current_rating
from luoshi.tasks.models import Assignment


def rating_or_none(*, assignment: Assignment, as_of: dt.date) -> Rating | None:
    try:
        return current_rating(assignment=assignment, as_of=as_of)
    except RatingError:
        return None
