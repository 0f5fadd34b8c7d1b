"""The coverage map of a governing decision (条条落实): for each of its actionable clauses, the
implementing documents that carry it and the tasks that own it, and which clauses have neither.

A clause has an implementing document when the latest version of a submission that implements the
decision (named as governing, or found by the first pass) covers it (``DraftVersion.coverage``); it
has a task when a task's source span overlaps it (``Task.spans``). Shown on the decision's page
and on the dashboard; read in a fixed number of queries whatever the number of submissions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max, QuerySet

from luoshi.documents.models import Document
from luoshi.review.checks.clauses import clauses_from_structure
from luoshi.review.checks.model import Clause
from luoshi.review.models import DraftVersion, Submission
from luoshi.tasks.models import Task


@dataclass
class ClauseRow:
    clause: Clause
    documents: list[Submission] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)

    @property
    def state(self) -> str:
        """ "both", "documents", "tasks" or "none"."""
        if self.documents and self.tasks:
            return "both"
        return "documents" if self.documents else "tasks" if self.tasks else "none"


@dataclass
class CoverageMap:
    document: Document
    rows: list[ClauseRow]

    def count(self, state: str) -> int:
        return sum(r.state == state for r in self.rows)

    @property
    def with_documents(self) -> int:
        return sum(bool(r.documents) for r in self.rows)

    @property
    def with_tasks(self) -> int:
        return sum(bool(r.tasks) for r in self.rows)

    @property
    def none_count(self) -> int:
        return self.count("none")


def coverage_map(
    *, document: Document, submissions: QuerySet[Submission], tasks: QuerySet[Task]
) -> CoverageMap:
    """The map over the submissions and tasks the caller may see (their scope helpers' querysets)."""
    clauses = [c for c in clauses_from_structure(document.text, document.structure) if c.actionable]
    if any(c.top >= 0 for c in clauses):
        clauses = [c for c in clauses if c.top >= 0]
    rows = [ClauseRow(c) for c in clauses]
    latest = (
        DraftVersion.objects.filter(submission__in=submissions)
        .values("submission_id")
        .annotate(n=Max("number"))
        .values_list("submission_id", "n")
    )
    wanted = dict(latest)
    versions = (
        DraftVersion.objects.filter(submission_id__in=wanted.keys())
        .select_related("submission")
        .only(
            "id",
            "number",
            "coverage",
            "submission__id",
            "submission__number",
            "submission__title",
            "submission__status",
            "submission__conclusion",
        )
    )
    covered: dict[int, list[Submission]] = {}
    for v in versions:
        if wanted.get(v.submission_id) != v.number:
            continue
        for cov in v.coverage:
            if cov.get("document") != document.pk:
                continue
            for c in cov.get("clauses", []):
                if c.get("covered"):
                    covered.setdefault(int(c["start"]), []).append(v.submission)
    by_start = {r.clause.start: r for r in rows}
    for start, subs in covered.items():
        if start in by_start:
            by_start[start].documents = subs
    for task in tasks.filter(document=document).only("id", "title", "spans", "status"):
        for span in task.spans or []:
            s, e = _span(span)
            for r in rows:
                if s < r.clause.end and r.clause.start < e and task not in r.tasks:
                    r.tasks.append(task)
    return CoverageMap(document, rows)


def _span(span: Any) -> tuple[int, int]:
    if isinstance(span, dict):
        return int(span.get("start", 0)), int(span.get("end", 0))
    return int(span[0]), int(span[1])
