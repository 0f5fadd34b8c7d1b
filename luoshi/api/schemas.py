"""Request and response shapes of the JSON API (they make the OpenAPI schema at /api/openapi.json)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Literal

from ninja import Field, Schema
from pydantic import field_validator

from luoshi.api.params import BigInt
from luoshi.tasks.access import visible_assignments

# The choices of the models, spelled out for the OpenAPI schema (a test keeps them equal).
CadenceName = Literal["monthly", "quarterly", "half_yearly", "yearly", "custom"]
StatusName = Literal["draft", "assigned", "in_progress", "completion_requested", "completed", "cancelled"]
RagName = Literal["green", "amber", "red"]

# --- errors -------------------------------------------------------------------


class FieldErrorOut(Schema):
    field: str  # e.g. "body.progress", "query.as_of"
    message: str
    type: str = ""


class ErrorOut(Schema):
    """Every error: a stable code for programs, a message in Chinese and one in English."""

    code: str
    message: str
    message_en: str
    detail: str = ""  # the message in the request's language (Accept-Language or the session's)
    errors: list[FieldErrorOut] = []


# The error answers an operation on one object may give (the responses of its OpenAPI entry).
ERRORS: dict[int, type[ErrorOut]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    422: ErrorOut,
}


# --- people and units ---------------------------------------------------------


class UnitRef(Schema):
    id: int
    code: str
    name: str


class UnitOut(Schema):
    id: int
    code: str
    name: str
    aliases: list[str]
    level: str
    kind: str
    catalog: str
    parent_id: int | None
    path: list[str] = Field(description="names from the top of the hierarchy down to this unit")
    requires_head_approval: bool = Field(
        description="its liaisons' reports wait for the unit head's approval (单位负责人审核)"
    )


class MeOut(Schema):
    username: str
    display_name: str
    role: str | None
    unit: UnitRef | None
    actions: list[str] = Field(description="what the role may do: plan, assign, rate, report, …")


# --- documents ----------------------------------------------------------------


class DocumentOut(Schema):
    id: int
    title: str
    issuer: str
    doc_number: str
    date: dt.date | None
    filename: str
    format: str
    size: int
    created_at: dt.datetime


class UploadOut(Schema):
    document: DocumentOut
    created: bool = Field(description="false when the same file was ingested before")
    match: dict[str, Any] | None = Field(
        default=None,
        description="a stored document with the same or nearly the same text: nothing was stored",
    )


# --- tasks --------------------------------------------------------------------


class AssignmentOut(Schema):
    id: int
    task_id: int
    unit: UnitRef
    role: str
    parent_id: int | None
    weight: float
    deadline: dt.date
    indicator_targets: dict[str, Any]


class TaskOut(Schema):
    id: int
    document_id: int
    number: str
    title: str
    status: str
    lead_unit: UnitRef
    start_date: dt.date
    deadline: dt.date
    cadence: str
    weight: float
    version: int


class MilestoneOut(Schema):
    id: int
    date: dt.date
    expected_progress: int
    title: str


class IndicatorOut(Schema):
    id: int
    name: str
    unit_of_measure: str
    baseline: float
    target: float
    baseline_date: dt.date
    target_date: dt.date
    direction: str


class TransitionOut(Schema):
    from_status: str
    to_status: str
    by: str | None
    at: dt.datetime
    reason: str

    @staticmethod
    def resolve_by(obj: Any) -> str | None:
        return obj.by.get_username() if obj.by_id else None


class TaskDetailOut(TaskOut):
    text: str
    spans: list[Any]
    heading_path: list[Any]
    co_units: list[UnitRef]
    custom_dates: list[Any]
    report_day: int
    plan_task_id: int | None
    section_id: int | None
    milestones: list[MilestoneOut]
    indicators: list[IndicatorOut]
    assignments: list[AssignmentOut] = Field(description="only the assignments the caller may see")
    transitions: list[TransitionOut]

    @staticmethod
    def resolve_assignments(obj: Any, context: dict[str, Any]) -> list[Any]:  # obj: a Task
        user = context["request"].auth
        return list(visible_assignments(user).filter(task=obj).select_related("unit"))


class PlanToTasksIn(Schema):
    plan_id: BigInt
    start_date: dt.date
    default_deadline: dt.date
    cadence: CadenceName = "quarterly"


class TransitionIn(Schema):
    to_status: StatusName
    reason: str = ""
    version: BigInt | None = Field(None, description="the task version you saw; a stale one is refused")


# --- reports ------------------------------------------------------------------


class ObligationOut(Schema):
    id: int
    assignment_id: int
    task_id: int = Field(alias="assignment.task_id")
    unit: UnitRef = Field(alias="assignment.unit")
    period: str
    period_start: dt.date
    period_end: dt.date
    due_date: dt.date
    state: str
    first_submitted_at: dt.datetime | None


class EvidenceOut(Schema):
    id: int
    report_id: int
    original_name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: dt.datetime
    download: str

    @staticmethod
    def resolve_download(obj: Any) -> str:
        return f"/api/evidence/{obj.pk}/file"


class IndicatorValueOut(Schema):
    indicator_id: int
    name: str = Field(alias="indicator.name")
    value: float


class ReportOut(Schema):
    id: int
    obligation_id: int
    # The *_shown columns: luoshi.api.endpoints.reports.with_parts.
    assignment_id: int = Field(alias="assignment_shown")
    period: str = Field(alias="period_shown")
    version: int
    supersedes_id: int | None
    progress: int
    narrative: str
    problems: str
    next_steps: str
    submitted_by: str = Field(alias="submitted_by_shown")
    submitted_at: dt.datetime
    approval: str
    approved_by: str | None = Field(alias="approved_by_shown")
    approved_at: dt.datetime | None
    approval_comment: str
    counts: bool
    indicator_values: list[IndicatorValueOut] = Field(alias="indicator_value_list")
    evidence: list[EvidenceOut] = Field(alias="evidence_list")


class ReportIn(Schema):
    obligation_id: BigInt
    progress: BigInt = Field(description="percent, 0..100")
    narrative: str
    problems: str = ""
    next_steps: str = ""
    indicator_values: dict[BigInt, str | int | float] = Field(
        default_factory=dict, description="{indicator id: value}"
    )


class ReportFormIn(ReportIn):
    """ReportIn as multipart form fields: ``indicator_values`` comes as a JSON object in one field."""

    @field_validator("indicator_values", mode="before")
    @classmethod
    def parse_json(cls, value: Any) -> Any:
        if isinstance(value, str):
            return json.loads(value) if value.strip() else {}
        return value


class ApprovalIn(Schema):
    approve: bool
    comment: str = ""


# --- ratings ------------------------------------------------------------------


class RatingOut(Schema):
    id: int | None = Field(description="null for a fresh computation not yet recorded")
    assignment_id: int
    period: str
    as_of: dt.date
    rag: str
    confidence: int | None
    planned_progress: float | None
    actual_progress: float | None
    reasons: list[Any]
    reasons_en: list[Any]
    overridden: bool
    override_reason: str
    created_by: str | None
    created_at: dt.datetime | None

    @staticmethod
    def resolve_created_by(obj: Any) -> str | None:
        return obj.created_by.get_username() if obj.created_by_id and obj.created_by else None


class RatingsOut(Schema):
    current: RatingOut | None
    history: list[RatingOut] = Field(description="oldest first; an override is a row of its own")


class OverrideIn(Schema):
    rag: RagName
    reason: str
    as_of: dt.date | None = Field(None, description="default: today")
    confidence: int | None = Field(None, ge=1, le=5)
