"""Request and response shapes of pre-review and filing review (前置审核、备案审查)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Field, Schema

from luoshi.api.params import BigInt

ReviewKindName = Literal["pre_review", "filing"]
DocKindName = Literal["regulation", "normative", "policy", "plan"]
StatusName = Literal["incomplete", "received", "in_review", "returned", "concluded"]
ConclusionName = Literal["pass", "pass_with_changes", "reject", "correct"]
FindingStatusName = Literal["open", "accepted", "dismissed"]


class FindingOut(Schema):
    id: int
    cls: str = Field(
        description="lower_target, later_deadline, softened_obligation, uncovered_clause, "
        "fair_competition, new_power, premise, procedure or other (a reviewer's)"
    )
    rule: str
    start: int
    end: int
    sentence: str
    basis: str
    basis_en: str
    note: str
    governing_document_id: int | None
    governing_label: str
    governing_start: int | None
    governing_end: int | None
    source: Literal["auto", "reviewer"]
    status: FindingStatusName
    reason: str
    opinion: str
    carried_from_id: int | None


class VersionOut(Schema):
    id: int
    number: int
    filename: str
    format: str
    note: str
    uploaded_at: dt.datetime
    counts: dict[str, int]


class SubmissionOut(Schema):
    id: int
    number: str
    review_kind: ReviewKindName
    title: str
    drafting_unit_id: int
    issuing_body: str
    doc_number: str
    doc_kind: DocKindName
    published_on: dt.date | None
    effective_on: dt.date | None
    governing_ids: list[int]
    status: StatusName
    missing: list[str]
    completion_due: dt.date | None
    filing_due: dt.date | None
    review_due: dt.date | None
    revision_due: dt.date | None
    reviewer: str | None
    conclusion: ConclusionName | Literal[""]
    conclusion_reason: str
    submitted_at: dt.datetime

    @staticmethod
    def resolve_governing_ids(obj: Any) -> list[int]:
        return sorted(d.pk for d in obj.governing.all())

    @staticmethod
    def resolve_reviewer(obj: Any) -> str | None:
        return obj.reviewer.get_username() if obj.reviewer is not None else None


class SubmissionDetailOut(SubmissionOut):
    versions: list[VersionOut]
    findings: list[FindingOut] = Field(description="the findings on the latest version")

    @staticmethod
    def resolve_versions(obj: Any) -> list[Any]:
        return list(obj.versions.defer("original", "text", "structure").order_by("number"))

    @staticmethod
    def resolve_findings(obj: Any) -> list[Any]:
        latest = obj.latest
        return list(latest.findings.all()) if latest else []


class AssignIn(Schema):
    reviewer_id: BigInt


class DecisionIn(Schema):
    accept: bool
    reason: str = Field("", max_length=4000)
    opinion: str = Field("", max_length=4000)


class ReturnIn(Schema):
    comment: str = Field(max_length=4000)


class ConclusionIn(Schema):
    conclusion: ConclusionName
    reason: str = Field("", max_length=4000)
    opinion: str = Field("", max_length=8000)


class RegisterRowOut(Schema):
    submission_id: int
    number: str
    title: str
    doc_number: str
    issuing_body: str
    published_on: dt.date | None
    filing_due: dt.date | None
    filed_on: dt.date
    days_late: int
    review_due: dt.date | None
    review_overdue_days: int
    status: StatusName
    conclusion: ConclusionName | Literal[""]
