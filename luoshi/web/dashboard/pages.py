"""The leaders' dashboard (一张蓝图): the decision's tree, RAG, units ranked, the trend and what is overdue.

Everything comes from the roll-up as the user may see it (``ratings.services.rollup_for``).
Each chart is drawn from a ``Table``: the page shows it as a plain table, the
chart script reads the same numbers as JSON and the CSV download writes the
same rows.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import get_language, gettext, gettext_lazy

from luoshi.accounts.scope import sees_all, unit_of
from luoshi.documents.access import get_document_for, visible_documents
from luoshi.documents.outline import outline
from luoshi.documents.queries import document_titles, parts_of, without_heavy
from luoshi.evaluation.services import closed_on
from luoshi.lib.bounds import is_db_id, within_horizon
from luoshi.ratings.rollup import Counts, Rollup, TaskRow, count, mean, quarter_ends, trend_dates
from luoshi.ratings.scoped import trend_for
from luoshi.ratings.services import rollup_for
from luoshi.ratings.trend import Point, point_of
from luoshi.tasks.queries import Status, task_titles
from luoshi.units.models import Unit

if TYPE_CHECKING:
    from luoshi.documents.models import Document, Section

AS_OF_CHOICES = 8  # quarter ends offered in the period filter
TREE_TASKS_INLINE = 80  # above this many tasks the tree shows counts only; the task list is paged
TASKS_PER_PAGE = 50
OVERDUE_SHOWN = 50  # the rest of the overdue list is in its CSV
RAGS = ("green", "amber", "red")
RAG_LABELS = {"green": gettext_lazy("Green"), "amber": gettext_lazy("Amber"), "red": gettext_lazy("Red")}


def rag_label(rag: str | None) -> str:
    """The rating's name in the active language ("not rated" without one)."""
    label = RAG_LABELS.get(rag or "")
    return str(label) if label is not None else (rag or gettext("not rated"))


def _english() -> bool:
    return (get_language() or "").startswith("en")


@dataclass(frozen=True)
class Filters:
    as_of: dt.date
    document: Document | None = None
    part: Section | None = None
    unit_id: int | None = None
    level: str = ""  # units of one level (自治区部门, 盟市, 旗县) in the unit, overdue and task tables
    rag: str = ""  # tasks of one rating in the task list
    page: int = 1  # of the task list

    def query(self, **change: Any) -> str:
        """The filters as a query string (for the CSV and pager links), without the empty ones."""
        params = {
            "as_of": self.as_of.isoformat(),
            "document": self.document.pk if self.document else "",
            "part": self.part.pk if self.part else "",
            "unit": self.unit_id or "",
            "level": self.level,
            "rag": self.rag,
            "page": self.page if self.page > 1 else "",
        } | change
        return urlencode({k: v for k, v in params.items() if v not in ("", None)})

    def pager(self) -> str:
        """The query string without the page, for the pager's links to add theirs."""
        return self.query(page="")


@dataclass
class Pager:
    page: int
    pages: int
    total: int
    first: int  # 1-based number of the first row shown
    last: int


@dataclass
class Table:
    """A chart's data as the page's table and the CSV show it (cells as displayed).

    ``total``: rows in the CSV when the page shows fewer (``rows`` is then a page or the first ones).
    """

    name: str
    headers: list[str]
    rows: list[list[str]]
    chart: dict[str, Any] = field(default_factory=dict)  # the JSON the chart script reads; empty: no chart
    total: int | None = None
    pager: Pager | None = None


@dataclass
class Node:
    """A part (一、) or an item (（一）) of the decision, with its tasks' counts and average progress."""

    label: str
    counts: Counts
    average_progress: float | None
    tasks: list[TaskRow]
    items: list[Node] = field(default_factory=list)
    section_id: int | None = None  # a part's section: the tree links to the view narrowed to it


@dataclass
class DocumentTree:
    document_id: int
    title: str
    counts: Counts
    average_progress: float | None
    parts: list[Node]


@dataclass
class Options:
    documents: list[Document]
    parts: list[Section]
    units: list[Unit]
    as_of: list[tuple[dt.date, str]]
    levels: list[tuple[str, str]] = field(default_factory=list)
    rags: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Dashboard:
    filters: Filters
    rollup: Rollup
    tree: list[DocumentTree]
    tables: dict[str, Table]
    options: Options
    tree_tasks: bool = True  # task rows inside the tree (a small view); else counts only


def read_filters(*, user: Any, params: Mapping[str, str], today: dt.date) -> Filters:
    """The GET parameters as filters, each fetched through the user's scope (404 outside it)."""
    as_of = today
    if params.get("as_of"):
        try:
            as_of = dt.date.fromisoformat(params["as_of"])
        except ValueError:
            raise Http404 from None
        if not within_horizon(as_of, today):  # like a malformed date: no such view of the data
            raise Http404
    document = get_document_for(user, params["document"]) if params.get("document") else None
    part = None
    if params.get("part"):
        parts = (
            _parts(user, document).filter(pk=params["part"])
            if is_db_id(params["part"])
            else _parts(user, document).none()
        )
        part = parts.first()
        if part is None:
            raise Http404
    unit_id = None
    if params.get("unit"):
        if not is_db_id(params["unit"]):
            raise Http404
        unit_id = int(params["unit"])
    level = params.get("level", "")
    rag = params.get("rag", "")
    if level not in ("", *dict(Unit.LEVELS)) or rag not in ("", *RAGS, "none"):
        raise Http404
    page = params.get("page", "1")
    if not page.isdigit() or not 1 <= int(page) <= 100_000:
        raise Http404
    return Filters(
        as_of=as_of, document=document, part=part, unit_id=unit_id, level=level, rag=rag, page=int(page)
    )


def dashboard(*, user: Any, filters: Filters, today: dt.date) -> Dashboard:
    """1. The roll-up as of the date; 2. the tree from its task rows; 3. one table per chart; 4. the
    trend from a roll-up at each of the last quarter ends (a fixed number of queries per period)."""
    current = _current(user, filters)
    levels = _levels(current, filters)
    tables = {name: make(_narrowed(current, filters, levels)) for name, make in TABLES.items()}
    tables["trend"] = trend_table(_points(user, filters, current))
    tables["tasks"] = paged(tables["tasks"], filters.page)
    overdue = tables["overdue"]
    overdue.total, overdue.rows = len(overdue.rows), overdue.rows[:OVERDUE_SHOWN]
    small = len(current.tasks) <= TREE_TASKS_INLINE
    return Dashboard(
        filters=filters,
        rollup=current,
        tree=tree(current, with_tasks=small),
        tables=tables,
        options=_options(user, filters, today),
        tree_tasks=small,
    )


def paged(found: Table, page: int) -> Table:
    """One page of the table's rows (the last page when asked beyond it)."""
    total = len(found.rows)
    pages = max(1, -(-total // TASKS_PER_PAGE))
    page = min(page, pages)
    start = (page - 1) * TASKS_PER_PAGE
    rows = found.rows[start : start + TASKS_PER_PAGE]
    return dataclasses.replace(
        found,
        rows=rows,
        total=total,
        pager=Pager(page, pages, total, start + 1 if rows else 0, start + len(rows)),
    )


def _levels(data: Rollup, filters: Filters) -> dict[int, str]:
    """Each unit's level, when the view is narrowed to one level (one query)."""
    if not filters.level:
        return {}
    ids = {u.unit_id for u in data.units} | {t.lead_unit_id for t in data.tasks}
    return dict(Unit.objects.filter(pk__in=ids).values_list("pk", "level"))


def _narrowed(data: Rollup, filters: Filters, levels: dict[int, str]) -> Rollup:
    """The roll-up the tables show: units of the chosen level, tasks of the chosen rating and lead level."""
    if not (filters.level or filters.rag):
        return data
    tasks = data.tasks
    if filters.rag:
        tasks = [t for t in tasks if (t.rag or "none") == filters.rag]
    assignments, units = data.assignments, data.units
    if filters.level:
        tasks = [t for t in tasks if levels.get(t.lead_unit_id) == filters.level]
        assignments = [a for a in assignments if levels.get(a.unit_id) == filters.level]
        units = [u for u in units if levels.get(u.unit_id) == filters.level]
    return dataclasses.replace(data, tasks=tasks, assignments=assignments, units=units)


def table(*, user: Any, filters: Filters, name: str) -> Table:
    """One chart's table, computed as the page computes it (for the CSV download)."""
    if name not in CHARTS:
        raise Http404
    current = _current(user, filters)
    if name == "trend":
        return trend_table(_points(user, filters, current))
    return TABLES[name](_narrowed(current, filters, _levels(current, filters)))


def _current(user: Any, filters: Filters) -> Rollup:
    return rollup_for(
        user=user, as_of=filters.as_of, document=filters.document, unit_id=filters.unit_id, part=filters.part
    )


def _points(user: Any, filters: Filters, current: Rollup) -> list[Point]:
    """The trend at each of the last quarter ends before the date (stored points while their inputs hold,
    ``ratings.trend``), then the point of the date's own roll-up."""
    past = trend_for(
        user=user,
        dates=trend_dates(filters.as_of)[:-1],
        document=filters.document,
        unit_id=filters.unit_id,
        part=filters.part,
    )
    return [*past, point_of(current)]


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%"


def rag_table(data: Rollup) -> Table:
    c = data.counts
    rows = [(rag_label("green"), c.green), (rag_label("amber"), c.amber), (rag_label("red"), c.red)]
    unrated = c.total - c.green - c.amber - c.red
    if unrated:
        rows.append((rag_label(None), unrated))
    return Table(
        "rag",
        [gettext("Rating"), gettext("Number of tasks")],
        [[label, str(n)] for label, n in rows],
        chart={"labels": [label for label, _ in rows], "values": [n for _, n in rows]},
    )


def on_track_rate(counts: Counts) -> float | None:
    """Green assignments out of all the unit's assignments, in percent."""
    return round(100 * counts.green / counts.total, 1) if counts.total else None


def units_table(data: Rollup) -> Table:
    """Units ranked by the on-time reporting rate, then the on-track rate."""

    def key(u: Any) -> tuple[float, float, str]:
        track = on_track_rate(u.counts)
        return (
            -(u.on_time_rate if u.on_time_rate is not None else -1),
            -(track if track is not None else -1),
            u.name,
        )

    ranked = sorted(data.units, key=key)
    on_time = [None if u.on_time_rate is None else round(100 * u.on_time_rate, 1) for u in ranked]
    on_track = [on_track_rate(u.counts) for u in ranked]
    headers = [
        gettext("Unit"),
        gettext("Rated"),
        gettext("Green"),
        gettext("Amber"),
        gettext("Red"),
        gettext("On-track rate"),
        gettext("Reports due"),
        gettext("On time"),
        gettext("Late"),
        gettext("Missing"),
        gettext("On-time rate"),
    ]
    rows = [
        [
            u.name,
            str(u.counts.total),
            str(u.counts.green),
            str(u.counts.amber),
            str(u.counts.red),
            _percent(track),
            str(u.reports_due),
            str(u.reports_on_time),
            str(u.reports_late),
            str(u.reports_missing),
            _percent(rate),
        ]
        for u, track, rate in zip(ranked, on_track, on_time, strict=True)
    ]
    chart = {
        "units": [u.name for u in ranked],
        "on_time": on_time,
        "on_track": on_track,
        "names": {"on_time": gettext("On-time rate"), "on_track": gettext("On-track rate")},
    }
    return Table("units", headers, rows, chart=chart)


def trend_table(points: list[Point]) -> Table:
    headers = [
        gettext("As of"),
        gettext("Average progress"),
        gettext("Average planned"),
        gettext("Green"),
        gettext("Amber"),
        gettext("Red"),
    ]
    progress = [p.progress for p in points]
    planned = [p.planned for p in points]
    rows = [
        [
            p.as_of.isoformat(),
            _percent(p.progress),
            _percent(p.planned),
            str(p.counts.green),
            str(p.counts.amber),
            str(p.counts.red),
        ]
        for p in points
    ]
    chart = {
        "dates": [p.as_of.isoformat() for p in points],
        "progress": progress,
        "planned": planned,
        "names": {"progress": gettext("Average progress"), "planned": gettext("Average planned")},
    }
    return Table("trend", headers, rows, chart=chart)


def overdue_table(data: Rollup) -> Table:
    """Assignments past their deadline and below 100%, the longest overdue first."""
    late = sorted(
        (a for a in data.assignments if a.deadline < data.as_of and a.actual < 100),
        key=lambda a: (a.deadline, a.unit_name, a.assignment_id),
    )
    titles = {t.task_id: t.title for t in data.tasks}
    if missing := {a.task_id for a in late} - titles.keys():  # tasks the rating filter left out of the list
        titles |= task_titles(missing)
    headers = [
        gettext("Task"),
        gettext("Unit"),
        gettext("Deadline"),
        gettext("Days overdue"),
        gettext("Progress"),
        gettext("Rating"),
    ]
    rows = [
        [
            titles.get(a.task_id, ""),
            a.unit_name,
            a.deadline.isoformat(),
            str((data.as_of - a.deadline).days),
            _percent(a.actual),
            rag_label(a.rag),
        ]
        for a in late
    ]
    return Table("overdue", headers, rows)


def tasks_table(data: Rollup) -> Table:
    headers = [
        gettext("Task"),
        gettext("Lead unit"),
        gettext("Progress"),
        gettext("Planned"),
        gettext("Rating"),
        gettext("Reasons"),
    ]
    english = _english()
    rows = [
        [
            t.title,
            t.lead_unit_name,
            _percent(t.progress),
            _percent(t.planned),
            rag_label(t.rag),
            "; ".join(t.reasons_en or t.reasons) if english else "；".join(t.reasons),
        ]
        for t in data.tasks
    ]
    return Table("tasks", headers, rows)


# The tables computed from one roll-up; "trend" needs one per period.
TABLES: dict[str, Callable[[Rollup], Table]] = {
    "rag": rag_table,
    "units": units_table,
    "overdue": overdue_table,
    "tasks": tasks_table,
}
CHARTS = (*TABLES, "trend")


def tree(data: Rollup, *, with_tasks: bool = True) -> list[DocumentTree]:
    """Documents → parts → items → tasks, from the roll-up's task rows (the tasks the user may see).

    A task stands under the item (second-level section) its own section belongs
    to, or directly under the part when it has none. Without ``with_tasks`` the
    nodes keep their counts and averages but list no task rows (a region's view).
    """
    if not data.tasks:
        return []
    sections = outline({t.document_id for t in data.tasks})
    titles = document_titles(t.document_id for t in data.tasks)

    out: list[DocumentTree] = []
    for doc_id in dict.fromkeys(t.document_id for t in data.tasks):
        rows = [t for t in data.tasks if t.document_id == doc_id]
        by_part: dict[int | None, list[TaskRow]] = {}
        for row in rows:
            by_part.setdefault(row.section_id, []).append(row)
        parts = []
        for part_id in sorted(by_part, key=sections.order):
            part_rows = by_part[part_id]
            by_item: dict[int | None, list[TaskRow]] = {}
            for row in part_rows:
                item = sections.item(section_id=row.own_section_id, part_id=row.section_id)
                by_item.setdefault(item.pk if item else None, []).append(row)
            items = [
                Node(
                    sections.by_id[i].label, count(r), mean([t.progress for t in r]), r if with_tasks else []
                )
                for i, r in sorted(
                    ((i, r) for i, r in by_item.items() if i is not None),
                    key=lambda pair: sections.order(pair[0]),
                )
            ]
            label = sections.by_id[part_id].label if part_id is not None else gettext("Not in a part")
            parts.append(
                Node(
                    label,
                    count(part_rows),
                    mean([t.progress for t in part_rows]),
                    by_item.get(None, []) if with_tasks else [],
                    items,
                    part_id,
                )
            )
        out.append(
            DocumentTree(doc_id, titles.get(doc_id, ""), count(rows), mean([t.progress for t in rows]), parts)
        )
    return out


def _parts(user: Any, document: Document | None) -> QuerySet[Section]:
    """Top-level sections of the documents the user may see (of one document when given)."""
    return parts_of(visible_documents(user) if document is None else [document.pk])


def _options(user: Any, filters: Filters, today: dt.date) -> Options:
    if sees_all(user):
        units = list(Unit.objects.filter(assignments__isnull=False).distinct().order_by("name"))
    else:
        own = unit_of(user)
        units = [own] if own is not None else []
    ends = quarter_ends(before=today + dt.timedelta(days=1), count=AS_OF_CHOICES)[::-1]
    choices = [(today, gettext("Today (%(date)s)") % {"date": today.isoformat()})]
    choices += [
        (
            end,
            gettext("End of %(quarter)s (%(date)s)")
            % {"quarter": f"{end.year}-Q{(end.month - 1) // 3 + 1}", "date": end.isoformat()},
        )
        for end in ends
        if end != today
    ]
    if filters.as_of not in {day for day, _ in choices}:
        choices.insert(0, (filters.as_of, filters.as_of.isoformat()))
    return Options(
        documents=list(visible_documents(user).defer(*without_heavy()).order_by("pk")),
        parts=list(_parts(user, filters.document)),
        units=units,
        as_of=choices,
        levels=[(k, str(v)) for k, v in Unit.LEVELS],
        rags=[(r, rag_label(r)) for r in RAGS],
    )


@dataclass
class ActiveCounts:
    """The dashboard's tasks split by closing: still active, completed awaiting closure, closed (销号)."""

    active: int
    awaiting_closure: int
    closed: int


def active_counts(data: Rollup) -> ActiveCounts:
    """From the tasks of the dashboard's own roll-up (so the same filters): one query for the closures
    recorded by its date."""
    closed = closed_on([t.task_id for t in data.tasks], as_of=data.as_of)
    awaiting = sum(1 for t in data.tasks if t.status == Status.COMPLETED and t.task_id not in closed)
    return ActiveCounts(active=len(data.tasks) - len(closed), awaiting_closure=awaiting, closed=len(closed))
