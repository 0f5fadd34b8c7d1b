"""Request and response shapes of the rest of the chain: supervision (督办), evaluation (跟踪问效),
accountability (监督问责) and bulletins (检查通报)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Literal

from ninja import Field, Schema
from pydantic import field_validator

from luoshi.api.params import BigInt
from luoshi.api.schemas import UnitRef

# The choices of the models, spelled out for the OpenAPI schema (a test keeps them equal).
ExtensionStatusName = Literal["pending", "approved", "rejected"]
EffectName = Literal["excellent", "good", "fair", "poor", "none"]
MeasureKindName = Literal["reminder", "urging", "talk", "criticism", "referral"]
BulletinFormat = Literal["docx", "html", "xlsx", "pdf"]


def _username(user: Any) -> str | None:
    return user.get_username() if user is not None else None


# --- supervision ----------------------------------------------------------------


class ExtensionOut(Schema):
    id: int
    assignment_id: int
    task_id: int = Field(alias="assignment.task_id")
    unit: UnitRef = Field(alias="assignment.unit")
    old_deadline: dt.date
    new_deadline: dt.date
    reason: str
    status: str
    requested_by: str
    requested_at: dt.datetime
    decided_by: str | None
    decided_at: dt.datetime | None
    comment: str

    @staticmethod
    def resolve_requested_by(obj: Any) -> str:
        return obj.requested_by.get_username()

    @staticmethod
    def resolve_decided_by(obj: Any) -> str | None:
        return _username(obj.decided_by) if obj.decided_by_id else None


class ExtensionIn(Schema):
    new_deadline: dt.date
    reason: str


class DecisionIn(Schema):
    approve: bool
    comment: str = Field("", description="required when rejecting")


class UrgingOut(Schema):
    id: int
    assignment_id: int
    task_id: int = Field(alias="assignment.task_id")
    unit: UnitRef = Field(alias="assignment.unit")
    obligation_id: int | None
    subject: str = Field(
        description="report (a periodic report is missing) or deadline (the deadline passed)"
    )
    due_date: dt.date
    days_overdue: int = Field(description="when the urging was issued")
    required_response: str
    respond_by: dt.date
    created_at: dt.datetime
    response: str
    responded_at: dt.datetime | None
    responded_by: str | None
    notice: str

    @staticmethod
    def resolve_responded_by(obj: Any) -> str | None:
        return _username(obj.responded_by) if obj.responded_by_id else None

    @staticmethod
    def resolve_notice(obj: Any) -> str:
        return f"/api/urgings/{obj.pk}/notice"


class UrgingResponseIn(Schema):
    response: str


# --- evaluation -----------------------------------------------------------------


class EvaluatorIn(Schema):
    username: str = Field(description="an active user who may open the task")


class EvaluatorOut(Schema):
    id: int
    task_id: int
    username: str
    designated_by: str | None
    designated_at: dt.datetime

    @staticmethod
    def resolve_username(obj: Any) -> str:
        return obj.user.get_username()

    @staticmethod
    def resolve_designated_by(obj: Any) -> str | None:
        return _username(obj.designated_by) if obj.designated_by_id else None


class OutcomeIn(Schema):
    indicator_id: BigInt
    reached: bool
    final_value: str | int | float | None = Field(
        None, description="null: the lead unit's last reported value"
    )


class EvaluationIn(Schema):
    effect: EffectName
    indicators: list[OutcomeIn] = Field(default_factory=list, description="one per indicator of the task")
    comments: str = ""
    recheck_date: dt.date | None = None


class EvaluatedIndicatorOut(Schema):
    indicator: int
    name: str
    unit_of_measure: str
    target: str
    final_value: str | None
    reached: bool


class EvaluationOut(Schema):
    id: int
    task_id: int
    effect: str
    indicators: list[EvaluatedIndicatorOut]
    indicators_reached: int
    comments: str
    recheck_date: dt.date | None
    evaluated_by: str
    evaluated_at: dt.datetime

    @staticmethod
    def resolve_evaluated_by(obj: Any) -> str:
        return obj.evaluated_by.get_username()


# --- accountability -------------------------------------------------------------


class AttachmentOut(Schema):
    id: int
    original_name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: dt.datetime


class MeasureOut(Schema):
    id: int
    kind: str
    weight: int = Field(description="1 = lightest (reminder) … 5 = heaviest (referral)")
    units: list[UnitRef]
    task_ids: list[int]
    reason: str
    date: dt.date
    decided_by: str
    created_at: dt.datetime
    attachments: list[AttachmentOut]

    @staticmethod
    def resolve_units(obj: Any) -> list[Any]:
        return list(obj.units.all())

    @staticmethod
    def resolve_task_ids(obj: Any) -> list[int]:
        return [t.pk for t in obj.tasks.all()]

    @staticmethod
    def resolve_attachments(obj: Any) -> list[Any]:
        return list(obj.attachments.all())

    @staticmethod
    def resolve_decided_by(obj: Any) -> str:
        return obj.decided_by.get_username()


class MeasureIn(Schema):
    kind: MeasureKindName
    unit_ids: list[BigInt] = Field(description="the units the measure names (at least one)")
    task_ids: list[BigInt] = Field(default_factory=list)
    reason: str
    date: dt.date | None = Field(None, description="when it was decided; default today, never later")


class MeasureFormIn(MeasureIn):
    """MeasureIn as multipart form fields: ``unit_ids`` and ``task_ids`` repeated, or each a JSON list (``[3, 4]``)."""

    @field_validator("unit_ids", "task_ids", mode="before")
    @classmethod
    def parse_json(cls, value: Any) -> Any:
        if isinstance(value, list) and len(value) == 1 and isinstance(value[0], str):
            value = value[0]  # one form field, read as a list of one string
        if isinstance(value, str):
            text = value.strip()
            if not text:
                return []
            return json.loads(text) if text.startswith("[") else [text]
        return value


class SuggestionOut(Schema):
    assignment_id: int = Field(alias="assignment.pk")
    task_id: int = Field(alias="assignment.task_id")
    task_title: str = Field(alias="assignment.task.title")
    unit: UnitRef = Field(alias="assignment.unit")
    kind: str = Field(description="the suggested next measure")
    red_periods: int
    red_period_keys: list[str]
    overdue_days: int
    last_measure_id: int | None
    reason: str = Field(alias="reason_zh")
    reason_en: str

    @staticmethod
    def resolve_last_measure_id(obj: Any) -> int | None:
        return obj.last_measure.pk if obj.last_measure is not None else None


# --- bulletins ------------------------------------------------------------------


class BulletinOut(Schema):
    id: int
    number: str = Field(description="e.g. 2024年第3期")
    title: str
    period: str
    period_start: dt.date
    period_end: dt.date
    as_of: dt.date
    document_id: int | None
    level: str
    version: int
    supersedes_id: int | None
    superseded_by_id: int | None
    office: str
    issued_by: str
    issued_at: dt.datetime
    docx_sha256: str
    download: str

    @staticmethod
    def resolve_superseded_by_id(obj: Any) -> int | None:
        newer = getattr(obj, "superseded_by", None)  # a reverse one-to-one: absent until reissued
        return newer.pk if newer is not None else None

    @staticmethod
    def resolve_issued_by(obj: Any) -> str:
        return obj.issued_by.get_username()

    @staticmethod
    def resolve_download(obj: Any) -> str:
        return f"/api/bulletins/{obj.pk}/file?format=docx"


class BulletinIn(Schema):
    period: str = Field(description="2024-Q1, 2024-03, 2024-H1 or 2024")
    document_id: BigInt | None = Field(None, description="only this document's tasks")
    level: str = Field("", description="only units of this level: central, region, league_city, county")
    title: str = Field("", description="default: the period's title (or the superseded bulletin's)")
    as_of: dt.date | None = Field(None, description="the date the figures are taken at; default today")
