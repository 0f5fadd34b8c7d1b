"""The period stored with a rating is user text like any other: XML-safe and within its column."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from luoshi.ratings.errors import RatingError
from luoshi.ratings.models import Rating
from luoshi.ratings.services import record_rating
from luoshi.testing.world import build_world

pytestmark = pytest.mark.django_db
TODAY = dt.date(2024, 4, 2)


def test_a_rating_period_is_stored_without_control_characters(settings: Any, tmp_path: Path) -> None:
    # Found by the property tests: "\x1f" was stored as it came, a character no DOCX or XLSX can carry.
    settings.MEDIA_ROOT = tmp_path
    world = build_world()
    rating = record_rating(assignment=world.a, as_of=TODAY, period="2024\x1f-Q1")
    assert Rating.objects.get(pk=rating.pk).period == "2024-Q1"


def test_a_rating_period_longer_than_its_column_is_refused(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path
    world = build_world()
    with pytest.raises(RatingError) as caught:
        record_rating(assignment=world.a, as_of=TODAY, period="Q" * 21)
    assert caught.value.code == "text_too_long"
    assert not Rating.objects.exists()
