"""The ledger (台账): one row per assignment of every task, with its latest report, rating and follow-up.

Ratings come from the roll-up (the dashboard's numbers); the latest report is
the one the rating counted (``reports.services.latest_counting``, the set-wise
``ratings.facts.latest_counting_report``).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch

from luoshi.bulletins import optional
from luoshi.bulletins.data import LedgerRow
from luoshi.bulletins.narrative import part_label
from luoshi.documents.models import Document
from luoshi.ratings.facts import local_day
from luoshi.ratings.services import rollup
from luoshi.reports.models import Evidence, Report
from luoshi.reports.services import latest_counting
from luoshi.tasks.models import Assignment, Task

ROLE_ZH: dict[str, str] = {
    Assignment.Role.LEAD: "牵头",
    Assignment.Role.CO: "配合",
    Assignment.Role.SHARE: "分解",
}
EXCERPT_CHARS = 120


def ledger_rows(*, document: Document | None = None, as_of: dt.date) -> list[LedgerRow]:
    """Every assignment in scope, in task order (lead first), rated as of the date.

    A fixed number of queries whatever the size: the roll-up, the co-units, the report standing for
    each assignment (``reports.services.latest_counting``) with its evidence, the measures and the
    latest evaluations.
    """
    rolled = rollup(as_of=as_of, document=document)
    co_names: dict[int, list[str]] = {}
    for t in Task.objects.filter(pk__in=[t.task_id for t in rolled.tasks]).prefetch_related("co_units"):
        co_names[t.pk] = [u.name for u in t.co_units.all()]
    labels = {s.section_id: part_label(s.number, s.heading) for d in rolled.documents for s in d.sections}
    task_rows = {t.task_id: t for t in rolled.tasks}
    reports = counted_reports(document=document, as_of=as_of)
    measures = optional.measures_by_assignment(as_of=as_of)
    effects = optional.latest_effects(as_of=as_of)
    closures = optional.closures(task_ids=list(task_rows), as_of=as_of)
    order: dict[str, int] = {Assignment.Role.LEAD: 0, Assignment.Role.CO: 1, Assignment.Role.SHARE: 2}
    rows = []
    for a in sorted(rolled.assignments, key=lambda a: (a.task_id, order.get(a.role, 3), a.assignment_id)):
        task = task_rows[a.task_id]
        report = reports.get(a.assignment_id)
        taken = (
            []
            if measures is None
            else (measures.get((a.task_id, a.unit_id), []) + measures.get((0, a.unit_id), []))
        )
        rows.append(
            LedgerRow(
                task_id=a.task_id,
                assignment_id=a.assignment_id,
                number=task.number,
                part=labels.get(task.section_id, ""),
                task_title=task.title,
                unit_id=a.unit_id,
                unit=a.unit_name,
                role=ROLE_ZH.get(a.role, a.role),
                co_units="、".join(co_names.get(a.task_id, [])),
                deadline=a.deadline,
                report_date=local_day(report.submitted_at) if report else None,
                report_period=report.obligation.period if report else "",
                report_progress=report.progress if report else None,
                report_excerpt=_excerpt(report.narrative) if report else "",
                report_evidence="、".join(e.original_name for e in report.evidence.all()) if report else "",
                progress=a.actual,
                planned=a.planned,
                rag=a.rag,
                reasons="；".join(a.reasons),
                confidence=a.confidence,
                overridden=a.overridden,
                evaluation=(effects or {}).get(a.task_id, ""),
                accountability="；".join(taken),
                closed_on=closures[a.task_id][0] if a.task_id in closures else None,
                closure_note=closures[a.task_id][1] if a.task_id in closures else "",
            )
        )
    return rows


def counted_reports(*, document: Document | None, as_of: dt.date) -> dict[int, Report]:
    """The report standing for each assignment (of the document's tasks, or all) on the date, by assignment
    id, with its obligation and evidence files: three queries.

    The same report as ``ratings.facts.latest_counting_report`` picks from the roll-up's obligations: a
    report is never submitted before its period starts, so reading every obligation changes nothing.
    """
    assignments = (
        Assignment.objects.all() if document is None else Assignment.objects.filter(task__document=document)
    )
    standing = {
        report_id: pk
        for pk, report_id in assignments.annotate(report_id=latest_counting(as_of=as_of)).values_list(
            "pk", "report_id"
        )
        if report_id is not None
    }
    found = (
        Report.objects.filter(pk__in=list(standing))
        .select_related("obligation")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("pk")))
    )
    return {standing[r.pk]: r for r in found}


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS] + "…"
