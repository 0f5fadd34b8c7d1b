"""Request and response shapes of the task division review (任务分工方案审核)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Field, Schema

from luoshi.api.params import BigInt
from luoshi.api.schemas import UnitRef

# The choices of the models, spelled out for the OpenAPI schema (a test keeps them equal).
PlanStatusName = Literal["draft", "confirmed"]
PlanItemStatusName = Literal["proposed", "accepted", "rejected"]
PlanCadenceName = Literal["", "monthly", "quarterly", "half_yearly", "yearly"]


class PlanItemOut(Schema):
    id: int
    parent_id: int | None
    order: int
    kind: str = Field(
        description="task, recurring (the two that become tasks), principle, preamble, review, other"
    )
    status: str = Field(description="proposed (待审核), accepted or rejected")
    origin: str = Field(description="proposed, manual, imported, merged or split")
    title: str
    text: str
    heading_path: list[Any]
    lead_unit: UnitRef | None
    co_units: list[UnitRef]
    deadline: dt.date | None
    cadence: str | None = Field(description="null: the cadence chosen when the tasks are created")
    version: int = Field(description="send it back with a change; a stale one is refused (400 stale)")
    lead_suggestions: list[Any]
    co_suggestions: list[Any]


class PlanOut(Schema):
    id: int
    document_id: int
    document_title: str = Field(alias="document.title")
    catalog: str
    status: str
    version: int
    created_at: dt.datetime
    confirmed_at: dt.datetime | None
    confirmed_by: str | None
    unreviewed: int = Field(
        description="actionable items nobody has accepted, merged or rejected yet (待审核)"
    )
    reviewed: int

    @staticmethod
    def resolve_confirmed_by(obj: Any) -> str | None:
        return obj.confirmed_by.get_username() if obj.confirmed_by_id and obj.confirmed_by else None


class PlanDetailOut(PlanOut):
    items: list[PlanItemOut] = Field(alias="item_list", description="every item, in the document's order")


class PlanItemStatusIn(Schema):
    status: PlanItemStatusName
    version: BigInt | None = Field(None, description="the item version you saw")


class PlanItemEditIn(Schema):
    version: BigInt | None = Field(None, description="the item version you saw")
    title: str | None = None
    lead_unit_id: BigInt | None = Field(None, description="a unit of the plan's catalog")
    co_unit_ids: list[BigInt] | None = Field(None, description="the co-units (replaces them all)")
    deadline: dt.date | None = None
    cadence: PlanCadenceName | None = Field(
        None, description='"" for the default chosen when tasks are created'
    )


class MergeIn(Schema):
    item_ids: list[BigInt] = Field(
        description="two or more top-level items; they merge into the first in order"
    )


class ConfirmIn(Schema):
    accept_remaining: bool = Field(
        False, description="accept every item still awaiting review first (audited)"
    )


class AcceptRestOut(Schema):
    accepted: int
    plan: PlanDetailOut
