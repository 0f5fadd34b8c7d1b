"""Roll-ups: assignment → task → section → document, and per unit, as of a date.

One query path for the dashboard, the API and the bulletins. It reads a
fixed number of queries (tasks with their assignments, the stored rating
snapshots of the date, overrides, sections); an assignment without a valid
snapshot is rated with the same rule as ``services.rate`` and its snapshot
stored (``ratings.snapshots``), so a second look at the same date costs no rating.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from luoshi.documents.models import Document, Section
from luoshi.documents.outline import NO_SECTION_ZH, Node, Outline, outline
from luoshi.lib.bounds import check_date
from luoshi.ratings.errors import RatingError
from luoshi.ratings.facts import AssignmentFacts, TaskFacts, load_tasks, local_day, task_state
from luoshi.ratings.models import Rating
from luoshi.ratings.rules import AMBER, GREEN, RED, TaskState
from luoshi.ratings.snapshots import Snapshot, snapshots
from luoshi.tasks.models import Assignment, Task
from luoshi.units.models import Unit


@dataclass
class Counts:
    green: int = 0
    amber: int = 0
    red: int = 0
    total: int = 0

    def add(self, rag: str | None) -> None:
        if rag in (GREEN, AMBER, RED):
            setattr(self, rag, getattr(self, rag) + 1)
        self.total += 1


@dataclass(slots=True)
class AssignmentRow:
    assignment_id: int
    task_id: int
    unit_id: int
    unit_name: str
    role: str
    parent_id: int | None
    weight: float
    deadline: dt.date
    rag: str
    confidence: int | None
    planned: float
    actual: float
    reasons: list[str]
    reasons_en: list[str]
    overridden: bool = False
    override_reason: str = ""


@dataclass
class TaskRow:
    task_id: int
    number: str
    title: str
    document_id: int
    section_id: int | None  # top-level section of the decision
    own_section_id: int | None  # the task's own section (a part, an item or deeper; None without one)
    status: str
    deadline: dt.date
    lead_unit_id: int
    lead_unit_name: str
    rag: str | None  # the lead assignment's effective rating; None without a lead assignment
    confidence: int | None
    planned: float | None
    lead_progress: float | None  # what the lead unit reported
    progress: float | None  # rolled up from shares by weight when cascaded, else the lead's
    cascaded: bool
    reasons: list[str]
    reasons_en: list[str]
    assignment_ids: list[int]


@dataclass
class SectionRow:
    section_id: int | None
    number: str
    heading: str
    counts: Counts
    average_progress: float | None
    task_ids: list[int]


@dataclass
class DocumentRow:
    document_id: int
    title: str
    counts: Counts
    average_progress: float | None
    sections: list[SectionRow]


@dataclass
class UnitRow:
    unit_id: int
    name: str
    counts: Counts  # of the unit's assignments
    average_progress: float | None
    reports_due: int  # due by the date (or already submitted)
    reports_on_time: int
    reports_late: int
    reports_missing: int
    on_time_rate: float | None  # on time / due, None when nothing was due


@dataclass
class Rollup:
    as_of: dt.date
    document_id: int | None
    unit_id: int | None
    counts: Counts  # of tasks
    documents: list[DocumentRow] = field(default_factory=list)
    tasks: list[TaskRow] = field(default_factory=list)
    assignments: list[AssignmentRow] = field(default_factory=list)
    units: list[UnitRow] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able values: dates as ISO strings."""
        return _jsonable(dataclasses.asdict(self))


def rollup(
    *,
    as_of: dt.date,
    document: Document | None = None,
    unit: Unit | None = None,
    part: Section | None = None,
    reasons_on: Collection[dt.date] | None = None,
) -> Rollup:
    """Rate every assignment of the tasks in scope and roll the ratings up.

    Scope: the document's tasks (all documents when None); with a unit, the
    tasks where the unit has an assignment, and only that unit's assignments
    and unit row (task rows still show the lead's rating); with a part (a
    top-level section), the tasks grouped under it. Tasks cancelled by the
    date, and tasks that did not exist yet (``existed_on``), are left out.
    ``reasons_on`` as in ``rollups`` (``()``: stored ratings without their reasons).
    """
    return rollups(dates=[as_of], document=document, unit=unit, part=part, reasons_on=reasons_on)[0]


def rollups(
    *,
    dates: list[dt.date],
    document: Document | None = None,
    unit: Unit | None = None,
    part: Section | None = None,
    reasons_on: Collection[dt.date] | None = None,
) -> list[Rollup]:
    """``rollup`` at each date, the tasks, their assignments and sections read once (a trend over periods).

    ``reasons_on``: the dates whose rows carry the rating's reasons (all when None); at the others the
    stored ratings are read without them (empty lists: a trend's past points show numbers only).
    """
    for as_of in dates:
        check_date(as_of, error=RatingError, field="as_of", what_zh="评价日期", what_en="as-of date")
    scope = task_scope(document=document, unit=unit)
    loaded = load_tasks(scope) if dates else []
    sections, tops = _top_sections(loaded)
    shapes = {t.pk: _shape(t) for t in loaded}
    assignments = Assignment.objects.filter(task__in=scope)
    return [
        _rollup_on(
            as_of,
            loaded,
            sections,
            tops,
            shapes,
            assignments,
            document=document,
            unit=unit,
            part=part,
            reasons=reasons_on is None or as_of in reasons_on,
        )
        for as_of in dates
    ]


@dataclass(frozen=True)
class _Shape:
    """A task's assignments as a tree, the same on every date: its lead and each assignment's shares."""

    lead: AssignmentFacts | None
    children: dict[int, list[AssignmentFacts]]


def _shape(task: TaskFacts) -> _Shape:
    assignments = list(task.assignments.all())
    children: dict[int, list[AssignmentFacts]] = defaultdict(list)
    for a in assignments:
        if a.parent_id is not None:
            children[a.parent_id].append(a)
    return _Shape(next((a for a in assignments if a.role == Assignment.Role.LEAD), None), dict(children))


def _rollup_on(
    as_of: dt.date,
    loaded: list[TaskFacts],
    sections: Outline,
    tops: dict[int, Node | None],
    shapes: dict[int, _Shape],
    assignments: QuerySet[Assignment],
    *,
    document: Document | None,
    unit: Unit | None,
    part: Section | None,
    reasons: bool,
) -> Rollup:
    tasks = [t for t in loaded if task_state(t, as_of) != TaskState.CANCELLED and existed_on(t, as_of)]
    if part is not None:
        tasks = [t for t in tasks if (top := tops[t.pk]) is not None and top.pk == part.pk]
    all_assignments = [a for t in tasks for a in t.assignments.all()]
    ids = [a.pk for a in all_assignments]
    rated = snapshots(ids, as_of, scope=assignments, reasons=reasons)
    overrides = _overrides(assignments, as_of)
    rows = {a.pk: _assignment_row(a, rated[a.pk], overrides.get(a.pk)) for a in all_assignments}
    task_rows = [_task_row(t, shapes[t.pk], rows) for t in tasks]
    in_unit = [a for a in all_assignments if unit is None or a.unit_id == unit.pk]

    result = Rollup(
        as_of=as_of,
        document_id=document.pk if document else None,
        unit_id=unit.pk if unit else None,
        counts=Counts(),
    )
    for row in task_rows:
        result.counts.add(row.rag)
    result.tasks = task_rows
    result.assignments = [rows[a.pk] for a in in_unit]
    result.documents = _document_rows(tasks, task_rows, sections, tops)
    result.units = _unit_rows(in_unit, rows, rated)
    return result


def _overrides(assignments: QuerySet[Assignment], as_of: dt.date) -> dict[int, Rating]:
    """The latest override of each assignment for exactly the date."""
    return {
        r.assignment_id: r
        for r in Rating.objects.filter(
            assignment__in=assignments.values("pk"), as_of=as_of, overridden=True
        ).order_by("id")
    }


def existed_on(task: Task | TaskFacts, as_of: dt.date) -> bool:
    """Whether the task is in the picture of the date: it was recorded by then, or its work had begun.

    A task recorded after the date for work that only starts after it is left out (a bulletin "as of
    September 30" made in December does not count December's new tasks); one recorded late for work
    already under way (a plan entered after the fact, seeded history) counts from its start date.
    """
    return local_day(task.created_at) <= as_of or task.start_date <= as_of


TREND_PERIODS = 4  # quarter ends a trend shows before its date


def trend_dates(as_of: dt.date) -> list[dt.date]:
    """The dates of a trend up to ``as_of``: the last quarter ends before it, then the date itself."""
    return [*quarter_ends(before=as_of, count=TREND_PERIODS), as_of]


def quarter_ends(*, before: dt.date, count: int) -> list[dt.date]:
    """The last ``count`` quarter ends strictly before the date, oldest first."""
    ends: list[dt.date] = []
    year, quarter = before.year, (before.month - 1) // 3 + 1
    while len(ends) < count:
        end = _quarter_end(year, quarter)
        if end < before:
            ends.append(end)
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    return ends[::-1]


def _quarter_end(year: int, quarter: int) -> dt.date:
    return dt.date(year, 12, 31) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1) - dt.timedelta(days=1)


def task_scope(*, document: Document | None, unit: Unit | None) -> QuerySet[Task]:
    """The tasks a roll-up of the document (all when None) and unit (any when None) starts from."""
    tasks = Task.objects.all()
    if document is not None:
        tasks = tasks.filter(document=document)
    if unit is not None:
        tasks = tasks.filter(pk__in=Assignment.objects.filter(unit=unit).values("task_id"))
    return tasks


def _assignment_row(a: AssignmentFacts, rated: Snapshot, override: Rating | None) -> AssignmentRow:
    row = AssignmentRow(
        assignment_id=a.pk,
        task_id=a.task_id,
        unit_id=a.unit_id,
        unit_name=a.unit_name,
        role=a.role,
        parent_id=a.parent_id,
        weight=float(a.weight),
        deadline=a.deadline,
        rag=rated.rag,
        confidence=rated.confidence,
        planned=rated.planned,
        actual=rated.actual,
        reasons=rated.reasons,
        reasons_en=rated.reasons_en,  # shared with the snapshot: rows are read-only
    )
    if override is not None:
        row.rag, row.confidence = override.rag, override.confidence
        row.overridden, row.override_reason = True, override.override_reason
    return row


def _task_row(task: TaskFacts, shape: _Shape, rows: dict[int, AssignmentRow]) -> TaskRow:
    lead, children = shape.lead, shape.children

    def rolled(a: AssignmentFacts, seen: frozenset[int]) -> float:
        kids = [k for k in children.get(a.pk, ()) if k.pk not in seen]
        if not kids:
            return rows[a.pk].actual
        values = [(Decimal(k.weight), rolled(k, seen | {a.pk})) for k in kids]
        total = sum((w for w, _ in values), Decimal(0))
        if total <= 0:
            return sum(v for _, v in values) / len(values)
        return float(sum((w * Decimal(str(v)) for w, v in values), Decimal(0)) / total)

    lead_row = rows[lead.pk] if lead is not None else None
    return TaskRow(
        task_id=task.pk,
        number=task.number,
        title=task.title,
        document_id=task.document_id,
        section_id=None,
        own_section_id=task.section_id,
        status=task.status,
        deadline=task.deadline,
        lead_unit_id=task.lead_unit_id,
        lead_unit_name=task.lead_unit_name,
        rag=lead_row.rag if lead_row else None,
        confidence=lead_row.confidence if lead_row else None,
        planned=lead_row.planned if lead_row else None,
        lead_progress=lead_row.actual if lead_row else None,
        progress=round(rolled(lead, frozenset()), 1) if lead is not None else None,
        cascaded=lead is not None and bool(children.get(lead.pk)),
        reasons=lead_row.reasons if lead_row else [],
        reasons_en=lead_row.reasons_en if lead_row else [],
        assignment_ids=[a.pk for a in task.assignments.all()],
    )


def _top_sections(tasks: list[TaskFacts]) -> tuple[Outline, dict[int, Node | None]]:
    """The heading trees of the tasks' documents, and each task's top-level section (or None)."""
    found = outline({t.document_id for t in tasks})
    return found, {
        t.pk: found.top(document_id=t.document_id, section_id=t.section_id, heading_path=t.heading_path)
        for t in tasks
    }


def _document_rows(
    tasks: list[TaskFacts], task_rows: list[TaskRow], sections: Outline, tops: dict[int, Node | None]
) -> list[DocumentRow]:
    """Group task rows by document, then by the top-level section."""
    documents = {t.document_id: t.document_title for t in tasks}
    grouped: dict[int, dict[int | None, list[TaskRow]]] = defaultdict(lambda: defaultdict(list))
    for task, row in zip(tasks, task_rows, strict=True):
        root = tops[task.pk]
        row.section_id = root.pk if root else None
        grouped[task.document_id][row.section_id].append(row)

    out = []
    for doc_id, by_section in grouped.items():
        section_rows = [
            _section_row(sections.by_id.get(sid) if sid is not None else None, by_section[sid])
            for sid in sorted(by_section, key=sections.order)
        ]
        doc_tasks = [r for rows in by_section.values() for r in rows]
        out.append(
            DocumentRow(
                document_id=doc_id,
                title=documents[doc_id],
                counts=count(doc_tasks),
                average_progress=mean([r.progress for r in doc_tasks]),
                sections=section_rows,
            )
        )
    return out


def _section_row(section: Node | None, rows: list[TaskRow]) -> SectionRow:
    return SectionRow(
        section_id=section.pk if section else None,
        number=section.number if section else "",
        heading=section.heading if section else NO_SECTION_ZH,
        counts=count(rows),
        average_progress=mean([r.progress for r in rows]),
        task_ids=[r.task_id for r in rows],
    )


def _unit_rows(
    assignments: list[AssignmentFacts], rows: dict[int, AssignmentRow], rated: dict[int, Snapshot]
) -> list[UnitRow]:
    by_unit: dict[int, list[AssignmentFacts]] = defaultdict(list)
    for a in assignments:
        by_unit[a.unit_id].append(a)
    out = []
    for unit_id in sorted(by_unit):
        mine = by_unit[unit_id]
        due = sum(rated[a.pk].reports_due for a in mine)
        on_time = sum(rated[a.pk].reports_on_time for a in mine)
        late = sum(rated[a.pk].reports_late for a in mine)
        missing = sum(rated[a.pk].reports_missing for a in mine)
        out.append(
            UnitRow(
                unit_id=unit_id,
                name=mine[0].unit_name,
                counts=count([rows[a.pk] for a in mine]),
                average_progress=mean([rows[a.pk].actual for a in mine]),
                reports_due=due,
                reports_on_time=on_time,
                reports_late=late,
                reports_missing=missing,
                on_time_rate=round(on_time / due, 3) if due else None,
            )
        )
    return out


def count(rows: list[TaskRow] | list[AssignmentRow]) -> Counts:
    """The rows by rating."""
    counts = Counts()
    for row in rows:
        counts.add(row.rag)
    return counts


def mean(values: list[float | None]) -> float | None:
    """The average of the values present, to one decimal (None without any)."""
    present = [v for v in values if v is not None]
    return round(sum(present) / len(present), 1) if present else None


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value
