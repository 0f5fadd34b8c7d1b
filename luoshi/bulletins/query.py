"""``bulletin_data``: what a bulletin for a period says, built on the ratings roll-up.

The task figures are the roll-up's (``luoshi.ratings.services.rollup``), the
same numbers the dashboard and the API show for the date; the report figures
count the obligations due in the period with the roll-up's own rule (due
before the date or already submitted; on time when first submitted by the
due date). Every renderer (DOCX, HTML, PDF, XLSX) reads the result.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Min, Q

from luoshi.bulletins import narrative, optional
from luoshi.bulletins.data import (
    BulletinData,
    DocumentRef,
    GoodPracticeItem,
    PartSummary,
    ProblemTask,
    Summary,
    UnitRank,
)
from luoshi.bulletins.errors import BulletinError
from luoshi.bulletins.models import GoodPractice
from luoshi.bulletins.periods import date_zh, parse_period
from luoshi.documents.models import Document
from luoshi.ratings.facts import day_end, local_day, task_state
from luoshi.ratings.rollup import AssignmentRow, DocumentRow, TaskRow, UnitRow
from luoshi.ratings.rules import AMBER, GREEN, RED, TaskState
from luoshi.ratings.services import rollup
from luoshi.reports.models import Obligation
from luoshi.tasks.models import Assignment, Task
from luoshi.units.models import Unit

LEVELS: dict[str, str] = {
    "central": "中央单位",
    "region": "区直单位",
    "league_city": "盟市",
    "county": "旗县",
}


@dataclass
class ReportTally:
    due: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0

    @property
    def rate(self) -> float | None:
        return round(self.on_time / self.due, 3) if self.due else None


def tally_reports(
    assignments: dict[int, int], *, start: dt.date, end: dt.date, as_of: dt.date
) -> dict[int, ReportTally]:
    """Per unit, count the obligations due in [start, end] as the roll-up counts them as of the date.

    ``assignments`` maps the assignment ids in scope to their unit ids. One grouped query: each
    obligation of the window with the moment of its first report submitted by the date; the rule is
    ``ratings.facts.submitted_on``'s (that moment or ``first_submitted_at``, whichever is earlier and
    by the date).
    """
    rows = (
        Obligation.objects.filter(due_date__gte=start, due_date__lte=end, period_start__lte=as_of)
        .annotate(
            first_report=Min("reports__submitted_at", filter=Q(reports__submitted_at__lt=day_end(as_of)))
        )
        .values_list("assignment_id", "due_date", "first_submitted_at", "first_report")
    )
    per_unit: dict[int, ReportTally] = defaultdict(ReportTally)
    for assignment_id, due, first_submitted, first_report in rows:
        unit_id = assignments.get(assignment_id)
        if unit_id is None:
            continue  # out of scope (another document, level, or a task not in the roll-up)
        days = [local_day(moment) for moment in (first_report, first_submitted) if moment is not None]
        submitted = min((d for d in days if d <= as_of), default=None)
        if submitted is None and due >= as_of:
            continue  # not yet due and not yet submitted
        tally = per_unit[unit_id]
        tally.due += 1
        if submitted is None:
            tally.missing += 1
        elif submitted <= due:
            tally.on_time += 1
        else:
            tally.late += 1
    return per_unit


def short_name(unit: Unit | None, fallback: str) -> str:
    """The shortest alias of the unit (农牧厅 for 内蒙古自治区农牧厅), else its name."""
    if unit is None:
        return fallback
    names = [a for a in unit.aliases if isinstance(a, str) and len(a) >= 2]
    return min(names, key=len) if names else unit.name


def check_level(level: str | None) -> None:
    """Refuse a unit level that is not one of ``LEVELS`` (none is every level)."""
    if level and level not in LEVELS:
        raise BulletinError(
            "bad_level",
            f"单位层级不正确：{level}（可选 {'、'.join(LEVELS)}）。",
            f"Unknown unit level {level!r}: use one of {', '.join(LEVELS)}.",
        )


def bulletin_data(
    *, period: str, document: Document | None = None, level: str | None = None, as_of: dt.date | None = None
) -> BulletinData:
    """Gather a bulletin's content for the period (as of its last day unless ``as_of`` is given).

    1. Roll up the ratings as of the date (one document, or all).
    2. With ``level`` (a Unit level such as "league_city"), keep the tasks in
       which a unit of that level has an assignment, and only those units.
    3. Count the tasks (lead ratings), the period's reports, rank the units,
       list the lagging and overdue tasks, write one sentence per part.
    4. Add the good practice selected from the period's reports, the
       accountability measures of the period (when that app is installed) and
       the leaders' instructions the office chose to cite, with their handling.
    """
    span = parse_period(period)
    check_level(level)
    as_of = as_of or span.end
    rolled = rollup(as_of=as_of, document=document)
    units = Unit.objects.in_bulk({a.unit_id for a in rolled.assignments})
    in_level = {pk for pk, u in units.items() if not level or u.level == level}
    assignments = [a for a in rolled.assignments if a.unit_id in in_level]
    task_ids = {a.task_id for a in assignments}
    tasks = [t for t in rolled.tasks if t.task_id in task_ids]
    by_assignment = {a.assignment_id: a for a in rolled.assignments}
    completed = _completed(tasks, as_of)

    problems = [_problem(t, by_assignment, units, completed, as_of) for t in tasks if t.rag in (AMBER, RED)]
    problems.sort(key=lambda p: (p.rag != RED, -p.overdue_days, -p.behind_points, p.task_id))
    per_unit = tally_reports(
        {a.assignment_id: a.unit_id for a in assignments}, start=span.start, end=span.end, as_of=as_of
    )
    total = ReportTally(
        *(sum(getattr(t, f) for t in per_unit.values()) for f in ("due", "on_time", "late", "missing"))
    )

    summary = Summary(
        tasks=len(tasks),
        on_track=sum(t.rag == GREEN for t in tasks),
        lagging=sum(t.rag in (AMBER, RED) for t in tasks),
        overdue=sum(p.overdue_days > 0 for p in problems),
        completed=sum(t.task_id in completed for t in tasks),
        not_rated=sum(t.rag is None for t in tasks),
        green=sum(t.rag == GREEN for t in tasks),
        amber=sum(t.rag == AMBER for t in tasks),
        red=sum(t.rag == RED for t in tasks),
        reports_due=total.due,
        reports_on_time=total.on_time,
        reports_late=total.late,
        reports_missing=total.missing,
        on_time_rate=total.rate,
    )
    documents = {d.document_id: d.title for d in rolled.documents}
    data = BulletinData(
        period=span.key,
        period_label=span.label,
        start=span.start,
        end=span.end,
        as_of=as_of,
        document_id=document.pk if document else None,
        level=level or "",
        level_label=LEVELS.get(level or "", ""),
        documents=[
            DocumentRef(id=pk, title=title)
            for pk, title in documents.items()
            if any(t.document_id == pk for t in tasks)
        ],
        summary=summary,
        units=_ranking(rolled.units, in_level, per_unit),
        parts=_parts(rolled.documents, tasks, problems, completed),
        problem_tasks=problems,
        good_practices=_good_practices(span.start, span.end, task_ids, in_level if level else None),
        measures=optional.measures_in_period(
            span.start,
            span.end,
            task_ids=task_ids if (document or level) else None,
            unit_ids=in_level if (document or level) else None,
        ),
        instructions=optional.instructions_in_period(
            span.start,
            span.end,
            as_of=as_of,
            task_ids=task_ids if (document or level) else None,
            unit_ids=in_level if (document or level) else None,
        ),
    )
    data.summary_text = narrative.summary_narrative(
        summary=summary, period_label=span.label, as_of_text=date_zh(as_of)
    )
    return data


def _completed(tasks: list[TaskRow], as_of: dt.date) -> set[int]:
    loaded = Task.objects.filter(pk__in=[t.task_id for t in tasks]).prefetch_related("transitions")
    return {t.pk for t in loaded if task_state(t, as_of) == TaskState.COMPLETED}


def _problem(
    task: TaskRow, rows: dict[int, AssignmentRow], units: dict[int, Unit], completed: set[int], as_of: dt.date
) -> ProblemTask:
    mine = [rows[pk] for pk in task.assignment_ids if pk in rows]
    lead = next((a for a in mine if a.role == Assignment.Role.LEAD), None)
    overdue = 0
    if lead is not None and task.task_id not in completed and as_of > lead.deadline and lead.actual < 100:
        overdue = (as_of - lead.deadline).days
    return ProblemTask(
        task_id=task.task_id,
        number=task.number,
        title=task.title,
        part="",
        lead_unit=task.lead_unit_name,
        lead_unit_short=short_name(units.get(task.lead_unit_id), task.lead_unit_name),
        co_units=[a.unit_name for a in mine if a.role == Assignment.Role.CO],
        deadline=lead.deadline if lead else task.deadline,
        rag=task.rag or "",
        planned=task.planned,
        progress=task.progress,
        behind_points=narrative.round_half(task.planned) - narrative.round_half(task.lead_progress),
        overdue_days=overdue,
        reasons=list(task.reasons),
    )


def _ranking(rows: list[UnitRow], in_level: set[int], per_unit: dict[int, ReportTally]) -> list[UnitRank]:
    ranks = []
    for row in rows:
        if row.unit_id not in in_level:
            continue
        tally = per_unit.get(row.unit_id, ReportTally())
        ranks.append(
            UnitRank(
                rank=0,
                unit_id=row.unit_id,
                name=row.name,
                assignments=row.counts.total,
                green=row.counts.green,
                amber=row.counts.amber,
                red=row.counts.red,
                on_track_rate=round(row.counts.green / row.counts.total, 3) if row.counts.total else None,
                average_progress=row.average_progress,
                reports_due=tally.due,
                reports_on_time=tally.on_time,
                reports_late=tally.late,
                reports_missing=tally.missing,
                on_time_rate=tally.rate,
                total_reports_due=row.reports_due,
                total_on_time_rate=row.on_time_rate,
            )
        )

    def key(r: UnitRank) -> tuple[float, float, float, str]:
        def neg(v: float | None) -> float:
            return -v if v is not None else 1.0

        return (neg(r.on_time_rate), neg(r.on_track_rate), neg(r.total_on_time_rate), r.name)

    ranks.sort(key=key)
    previous: tuple[float, float] | None = None
    for position, r in enumerate(ranks, start=1):
        current = key(r)[:2]
        r.rank = ranks[position - 2].rank if previous == current else position  # ties share a rank
        previous = current
    return ranks


def _parts(
    documents: list[DocumentRow], tasks: list[TaskRow], problems: list[ProblemTask], completed: set[int]
) -> list[PartSummary]:
    """One summary per top-level section of each decision, in document order, with its sentence."""
    in_scope = {t.task_id: t for t in tasks}
    problem_of = {p.task_id: p for p in problems}
    out = []
    for doc in documents:
        for section in doc.sections:
            mine = [in_scope[pk] for pk in section.task_ids if pk in in_scope]
            if not mine:
                continue
            label = narrative.part_label(section.number, section.heading)
            lagging = [problem_of[t.task_id] for t in mine if t.task_id in problem_of]
            for p in lagging:
                p.part = label
            counts = {
                "tasks": len(mine),
                "on_track": sum(t.rag == GREEN for t in mine),
                "lagging": len(lagging),
                "overdue": sum(p.overdue_days > 0 for p in lagging),
                "completed": sum(t.task_id in completed for t in mine),
            }
            progress = [t.progress for t in mine if t.progress is not None]
            out.append(
                PartSummary(
                    document_id=doc.document_id,
                    section_id=section.section_id,
                    label=label,
                    heading=section.heading,
                    average_progress=round(sum(progress) / len(progress), 1) if progress else None,
                    narrative=narrative.part_narrative(label=label, problems=lagging, **counts),
                    **counts,
                )
            )
    return out


def _good_practices(
    start: dt.date, end: dt.date, task_ids: set[int], units: set[int] | None
) -> list[GoodPracticeItem]:
    """Excerpts selected from reports on periods ending within the bulletin's period."""
    chosen = (
        GoodPractice.objects.filter(
            report__obligation__period_end__gte=start,
            report__obligation__period_end__lte=end,
            report__obligation__assignment__task_id__in=task_ids,
        )
        .select_related(
            "report__obligation__assignment__task", "report__obligation__assignment__unit", "selected_by"
        )
        .prefetch_related("report__evidence")
    )
    if units is not None:
        chosen = chosen.filter(report__obligation__assignment__unit_id__in=units)
    out = []
    for gp in chosen.order_by("report__obligation__assignment__task_id", "selected_at", "id"):
        assignment = gp.report.obligation.assignment
        out.append(
            GoodPracticeItem(
                id=gp.pk,
                unit=assignment.unit.name,
                task_title=assignment.task.title,
                report_period=gp.report.obligation.period,
                excerpt=gp.excerpt,
                selected_by=gp.selected_by.get_full_name() or gp.selected_by.get_username(),
                evidence=[e.original_name for e in gp.report.evidence.all()],
            )
        )
    return out
