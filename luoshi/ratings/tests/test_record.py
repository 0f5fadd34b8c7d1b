"""Stored ratings: idempotent recording, supervisor overrides, precedence and history."""

from __future__ import annotations

from typing import Any

import pytest

from luoshi.documents.models import Document
from luoshi.ratings.models import Rating
from luoshi.ratings.services import (
    RatingError,
    current_rating,
    override_rating,
    rating_history,
    record_rating,
)
from luoshi.ratings.tests.builders import D, monthly, submit, task
from luoshi.tasks.models import Assignment
from luoshi.units.models import Unit

pytestmark = pytest.mark.django_db

AS_OF = D(2024, 3, 1)


@pytest.fixture
def behind(document: Document, drc: Unit, liaison: Any) -> Assignment:
    """18 points behind a linear plan on 1 March 2024: amber."""
    _, lead = task(document, drc, deadline=D(2024, 4, 10))
    jan, feb = monthly(lead, 1, 2)
    submit(jan, liaison, progress=20, on=D(2024, 1, 30))
    submit(feb, liaison, progress=42, on=D(2024, 2, 28))
    return lead


def test_it_records_a_rating_once_for_the_same_result(behind: Assignment) -> None:
    first = record_rating(assignment=behind, as_of=AS_OF, period="2024-02")
    again = record_rating(assignment=behind, as_of=AS_OF, period="2024-02")

    assert again.pk == first.pk
    assert Rating.objects.filter(assignment=behind).count() == 1
    assert (first.rag, first.confidence, first.period) == ("amber", 3, "2024-02")
    assert (str(first.planned_progress), str(first.actual_progress)) == ("60.0", "42.0")
    assert first.reasons == ["进度42%，按计划应达60%，落后18个百分点"]
    assert first.reasons_en == ["Progress 42%, planned 60%: 18 points behind"]
    assert not first.overridden and first.created_by is None


def test_a_changed_result_is_a_new_row_and_the_old_one_stays(behind: Assignment, liaison: Any) -> None:
    first = record_rating(assignment=behind, as_of=AS_OF)
    correction = behind.obligations.get(period="2024-02")
    submit(correction, liaison, progress=55, on=D(2024, 3, 1), version=2)

    second = record_rating(assignment=behind, as_of=AS_OF)

    assert second.pk != first.pk
    assert second.rag == "green" and second.reasons == ["进度55%，按计划应达60%，落后5个百分点"]
    first.refresh_from_db()
    assert first.rag == "amber"
    assert [r.pk for r in rating_history(assignment=behind)] == [first.pk, second.pk]


def test_only_a_supervisor_may_override(behind: Assignment, liaison: Any) -> None:
    with pytest.raises(RatingError) as refused:
        override_rating(assignment=behind, rag="green", reason="已协调解决", user=liaison, as_of=AS_OF)
    assert refused.value.code == "not_allowed"
    assert (
        str(refused.value)
        == "只有督查室人员可以调整评价。 / Only the supervision office can override a rating."
    )
    assert not Rating.objects.exists()


def test_an_override_needs_a_reason(behind: Assignment, supervisor: Any) -> None:
    with pytest.raises(RatingError) as refused:
        override_rating(assignment=behind, rag="green", reason="  ", user=supervisor, as_of=AS_OF)
    assert refused.value.code == "reason_required"
    with pytest.raises(RatingError) as bad:
        override_rating(assignment=behind, rag="purple", reason="理由", user=supervisor, as_of=AS_OF)
    assert bad.value.code == "bad_rag"


def test_an_override_stands_for_its_date_and_is_kept_in_history(behind: Assignment, supervisor: Any) -> None:
    computed = record_rating(assignment=behind, as_of=AS_OF)
    override = override_rating(
        assignment=behind,
        rag="red",
        reason="现场核查发现进度不实",
        user=supervisor,
        as_of=AS_OF,
        confidence=2,
    )

    assert (override.rag, override.confidence, override.overridden) == ("red", 2, True)
    assert override.override_reason == "现场核查发现进度不实" and override.created_by == supervisor
    assert override.reasons == computed.reasons  # the computed facts stay with the judgement
    assert current_rating(assignment=behind, as_of=AS_OF).pk == override.pk

    recomputed = record_rating(assignment=behind, as_of=AS_OF)  # a later computation does not erase it
    assert recomputed.pk not in (computed.pk, override.pk) and recomputed.rag == "amber"
    assert current_rating(assignment=behind, as_of=AS_OF).pk == override.pk
    assert [r.pk for r in rating_history(assignment=behind)] == [computed.pk, override.pk, recomputed.pk]

    next_day = current_rating(assignment=behind, as_of=D(2024, 3, 2))  # computed again
    assert next_day.pk is None and not next_day.overridden and next_day.rag == "amber"


def test_current_rating_returns_the_stored_row_when_it_still_holds(behind: Assignment) -> None:
    stored = record_rating(assignment=behind, as_of=AS_OF)
    assert current_rating(assignment=behind, as_of=AS_OF).pk == stored.pk
