"""Request and response shapes of leaders' instructions (领导批示), their handling, the watch list
(关注事项) and closing a task (销号)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.utils import timezone
from ninja import Field, Schema

from luoshi.api.params import BigInt
from luoshi.api.schemas import UnitRef

SubjectName = Literal["task", "unit", "report", "bulletin"]
HandlingStateName = Literal["open", "awaiting_head", "returned", "done"]
InstructionStateName = Literal["open", "returned", "awaiting_head", "overdue", "done"]
ChangeKind = Literal["report", "rating", "urging", "overdue"]


def _username(user: Any) -> str | None:
    return user.get_username() if user is not None else None


class HandlingOut(Schema):
    id: int
    instruction_id: int
    unit: UnitRef | None = Field(description="the owning unit; null: the supervision office handles it")
    state: HandlingStateName
    response: str
    drafted_by: str | None
    drafted_at: dt.datetime | None
    approved_by: str | None
    approved_at: dt.datetime | None
    approval_comment: str
    responded_at: dt.datetime | None = Field(description="when the answer reached the office and the leader")

    @staticmethod
    def resolve_drafted_by(obj: Any) -> str | None:
        return _username(obj.drafted_by) if obj.drafted_by_id else None

    @staticmethod
    def resolve_approved_by(obj: Any) -> str | None:
        return _username(obj.approved_by) if obj.approved_by_id else None


class InstructionOut(Schema):
    id: int
    subject: SubjectName
    task_id: int | None = Field(description="the task (also for an instruction on one of its reports)")
    unit_id: int | None
    report_id: int | None
    bulletin_id: int | None
    text: str
    due_date: dt.date
    leader: str
    created_at: dt.datetime
    in_bulletin: bool = Field(description="the office chose to cite it in bulletins")
    state: InstructionStateName = Field(description="done: every owner answered; overdue: past the due date")
    handlings: list[HandlingOut]

    @staticmethod
    def resolve_leader(obj: Any) -> str:
        return str(obj.leader.get_username())

    @staticmethod
    def resolve_state(obj: Any) -> str:
        from luoshi.instructions.services import instruction_state

        return instruction_state(obj, today=timezone.localdate())

    @staticmethod
    def resolve_handlings(obj: Any, context: Any) -> list[Any]:
        from luoshi.instructions.access import sees_handling

        user = context["request"].auth
        return [h for h in obj.handlings.all() if sees_handling(user, h)]


class InstructionIn(Schema):
    subject: SubjectName
    subject_id: BigInt = Field(description="the id of the task, unit, report or bulletin")
    text: str
    due_date: dt.date
    unit_ids: list[BigInt] = Field(
        default_factory=list, description="only for a bulletin: the units to handle it"
    )


class ResponseIn(Schema):
    text: str


class CiteIn(Schema):
    cited: bool


class ChangeOut(Schema):
    kind: ChangeKind
    at: dt.datetime
    text: str
    text_en: str
    task_id: int
    assignment_id: int

    @staticmethod
    def resolve_text(obj: Any) -> str:
        return str(obj.zh)

    @staticmethod
    def resolve_text_en(obj: Any) -> str:
        return str(obj.en)


class WatchedOut(Schema):
    id: int = Field(alias="watch.pk")
    task_id: int | None = Field(alias="watch.task_id")
    unit_id: int | None = Field(alias="watch.unit_id")
    label: str
    since: dt.datetime = Field(
        description="changes are counted from here: the last visit, or when it was added"
    )
    changes: list[ChangeOut]


class WatchListOut(Schema):
    seen_at: dt.datetime | None
    items: list[WatchedOut]


class WatchIn(Schema):
    task_id: BigInt | None = None
    unit_id: BigInt | None = None


class WatchOut(Schema):
    id: int
    task_id: int | None
    unit_id: int | None
    created_at: dt.datetime


class SeenOut(Schema):
    seen_at: dt.datetime


class ClosureIn(Schema):
    note: str
    evidence_ids: list[BigInt] = Field(
        description="evidence files of the task's reports the closure rests on"
    )


class ClosureOut(Schema):
    task_id: int
    evaluation_id: int
    note: str
    evidence_ids: list[int]
    closed_by: str
    closed_at: dt.datetime

    @staticmethod
    def resolve_evidence_ids(obj: Any) -> list[int]:
        return sorted(e.pk for e in obj.evidence.all())

    @staticmethod
    def resolve_closed_by(obj: Any) -> str:
        return str(obj.closed_by.get_username())
