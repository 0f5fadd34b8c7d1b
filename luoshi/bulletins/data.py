"""What a bulletin, the ledger and an urging notice say, as plain dataclasses: what every renderer reads.

The query modules build them (``query.bulletin_data``, ``ledger.ledger_rows``,
``optional.instruction_ledger``, ``urging.urging_for_*``); the renderers read
nothing else, never the database.

``BulletinData.to_dict()`` is the JSON snapshot stored with an issued
bulletin and ``BulletinData.from_dict`` reads it back, so an issued bulletin
renders again exactly as it was issued.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from pydantic import TypeAdapter

DEFAULT_OFFICE = "督查室"


@dataclass
class Summary:
    """Task figures are the roll-up's (lead ratings); report figures count the period's obligations."""

    tasks: int  # every task in scope (Rollup.counts.total)
    on_track: int  # green (按计划推进), completed ones included
    lagging: int  # amber + red (滞后), overdue ones included
    overdue: int  # of the lagging: past the lead's deadline and not at 100%
    completed: int  # of the on-track: completed by the date
    not_rated: int  # tasks without a lead assignment
    green: int
    amber: int
    red: int
    reports_due: int
    reports_on_time: int
    reports_late: int
    reports_missing: int
    on_time_rate: float | None  # on time / due in the period


@dataclass
class UnitRank:
    rank: int
    unit_id: int
    name: str
    assignments: int  # from the roll-up's unit row
    green: int
    amber: int
    red: int
    on_track_rate: float | None  # green / assignments
    average_progress: float | None
    reports_due: int  # in the period
    reports_on_time: int
    reports_late: int
    reports_missing: int
    on_time_rate: float | None  # in the period
    total_reports_due: int  # since the start, as the dashboard shows them
    total_on_time_rate: float | None


@dataclass
class ProblemTask:
    task_id: int
    number: str
    title: str
    part: str  # 第二部分
    lead_unit: str
    lead_unit_short: str
    co_units: list[str]
    deadline: dt.date
    rag: str
    planned: float | None
    progress: float | None
    behind_points: int
    overdue_days: int
    reasons: list[str]


@dataclass
class PartSummary:
    document_id: int
    section_id: int | None
    label: str  # 第二部分
    heading: str
    tasks: int
    on_track: int
    lagging: int
    overdue: int
    completed: int
    average_progress: float | None
    narrative: str


@dataclass
class GoodPracticeItem:
    id: int
    unit: str
    task_title: str
    report_period: str
    excerpt: str
    selected_by: str
    evidence: list[str] = field(default_factory=list)  # the report's evidence files, by name


@dataclass
class Measure:
    """An accountability measure as the bulletin shows it, whatever the accountability app stores."""

    unit: str
    kind: str
    subject: str
    date: dt.date | None
    detail: str


@dataclass
class InstructionItem:
    """A leader's instruction the office chose to cite, and how its owners handled it by the date."""

    leader: str
    date: dt.date
    subject: str
    text: str
    due_date: dt.date
    owners: list[str]
    state: str  # 已办复 / 办理中 / 逾期未办复, as of the bulletin's date
    answered_on: dt.date | None
    responses: list[str] = field(default_factory=list)  # "单位：办理情况", answered by the date


@dataclass
class DocumentRef:
    id: int
    title: str


@dataclass
class BulletinData:
    period: str
    period_label: str
    start: dt.date
    end: dt.date
    as_of: dt.date
    document_id: int | None
    level: str
    level_label: str
    documents: list[DocumentRef]
    summary: Summary
    units: list[UnitRank] = field(default_factory=list)
    parts: list[PartSummary] = field(default_factory=list)
    problem_tasks: list[ProblemTask] = field(default_factory=list)
    good_practices: list[GoodPracticeItem] = field(default_factory=list)
    measures: list[Measure] | None = None  # None: no accountability app installed
    summary_text: str = ""
    instructions: list[InstructionItem] = field(default_factory=list)  # cited by the office

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: dates as ISO strings."""
        result: dict[str, Any] = _ADAPTER.dump_python(self, mode="json")
        return result

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BulletinData:
        return _ADAPTER.validate_python(data)

    def scope_label(self) -> str:
        parts = []
        if len(self.documents) == 1 and self.document_id is not None:
            parts.append(f"《{self.documents[0].title}》")
        if self.level_label:
            parts.append(self.level_label)
        return "".join(parts)


@dataclass
class LedgerRow:
    task_id: int
    assignment_id: int
    number: str
    part: str
    task_title: str
    unit_id: int
    unit: str
    role: str
    co_units: str
    deadline: dt.date
    report_date: dt.date | None
    report_period: str
    report_progress: int | None
    report_excerpt: str
    report_evidence: str  # the counted report's evidence files, by name (佐证材料)
    progress: float
    planned: float
    rag: str
    reasons: str
    confidence: int | None
    overridden: bool
    evaluation: str
    accountability: str
    closed_on: dt.date | None = None  # 销号 by the date
    closure_note: str = ""


@dataclass
class LedgerInstruction:
    """One owner's handling of a leader's instruction (批示件), as the ledger's sheet "领导批示" lists it."""

    instruction_id: int
    date: dt.date
    leader: str
    subject: str
    text: str
    due_date: dt.date
    owner: str
    state: str  # 待办理 / 待单位负责人审核 / 已退回修改 / 已办复, as of the date; 逾期 when past due
    answered_on: dt.date | None
    response: str
    approved_by: str


@dataclass(frozen=True)
class OverdueItem:
    task_title: str
    what: str  # 2024年第一季度进展报告未报送 / 任务未在完成时限内完成
    since: dt.date  # the date it was due
    days_overdue: int


@dataclass(frozen=True)
class UrgingNoticeData:
    """Everything on an urging notice. ``items`` holds one line per overdue thing (at least one)."""

    unit: str
    items: tuple[OverdueItem, ...]
    required_response: str
    response_date: dt.date
    office: str
    date: dt.date
    number: str = ""  # e.g. 督催〔2024〕3号; empty prints none

    @property
    def task_title(self) -> str:
        titles = list(dict.fromkeys(i.task_title for i in self.items))
        return titles[0] if len(titles) == 1 else f"{titles[0]}等{len(titles)}项任务"

    @property
    def days_overdue(self) -> int:
        return max(i.days_overdue for i in self.items)

    @property
    def since(self) -> dt.date:
        return min(i.since for i in self.items)


_ADAPTER: TypeAdapter[BulletinData] = TypeAdapter(BulletinData)

__all__ = [
    "DEFAULT_OFFICE",
    "BulletinData",
    "DocumentRef",
    "GoodPracticeItem",
    "InstructionItem",
    "LedgerInstruction",
    "LedgerRow",
    "Measure",
    "OverdueItem",
    "PartSummary",
    "ProblemTask",
    "Summary",
    "UnitRank",
    "UrgingNoticeData",
]
