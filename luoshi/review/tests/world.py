"""A small review world: a stored decision, two drafting units, and the people of the review."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from luoshi.accounts.models import Role
from luoshi.documents.models import Document
from luoshi.documents.services import ingest_document
from luoshi.review import services
from luoshi.review.models import DocKind, ReviewKind, Submission
from luoshi.review.tests.passages import DECISION
from luoshi.testing.world import make_user
from luoshi.units.models import Unit

NOW = dt.datetime(2024, 9, 2, 9, 0, tzinfo=dt.UTC)  # a Monday


@dataclass
class ReviewWorld:
    decision: Document
    unit: Unit
    other_unit: Unit
    liaison: Any
    other_liaison: Any
    reviewer: Any
    second_reviewer: Any
    head: Any
    supervisor: Any


def build() -> ReviewWorld:
    unit = Unit.objects.create(code="slt", name="某市水利局", level="city", catalog="test")
    other = Unit.objects.create(code="jyj", name="某市教育局", level="city", catalog="test")
    return ReviewWorld(
        decision=ingest_document(data=DECISION.encode(), filename="decision.txt").document,
        unit=unit,
        other_unit=other,
        liaison=make_user("water", Role.LIAISON, unit),
        other_liaison=make_user("school", Role.LIAISON, other),
        reviewer=make_user("reviewer", Role.REVIEWER),
        second_reviewer=make_user("reviewer2", Role.REVIEWER),
        head=make_user("review_head", Role.REVIEW_HEAD),
        supervisor=make_user("office", Role.SUPERVISOR),
    )


def submit(world: ReviewWorld, text: str, **overrides: Any) -> Submission:
    fields: dict[str, Any] = dict(
        user=world.liaison,
        unit=world.unit,
        review_kind=ReviewKind.PRE,
        title="某市城乡供水一体化实施方案",
        doc_kind=DocKind.NORMATIVE,
        issuing_body="某市人民政府",
        data=text.encode(),
        filename="draft.txt",
        published_on=dt.date(2024, 10, 8),
        effective_on=dt.date(2024, 11, 8),
        governing=[world.decision],
        explanation="起草说明：依据省委决定制定。",
        legality_review_filed=True,
        consultation_filed=True,
        now=NOW,
    )
    fields.update(overrides)
    return services.submit(**fields)
