"""What the review pages show, assembled from the models and the services (views stay thin)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from luoshi.audit.services import entries_for
from luoshi.documents.queries import without_heavy
from luoshi.review import access
from luoshi.review.compare import Comparison, compare
from luoshi.review.models import DraftVersion, FindingStatus, ReviewFinding, Status, Submission
from luoshi.review.services import MISSING
from luoshi.web.review.forms import CLASS_LABELS

if TYPE_CHECKING:
    from luoshi.documents.models import Document


@dataclass
class FindingRow:
    finding: ReviewFinding
    label: Any
    carried: bool


@dataclass
class Deadline:
    label: str
    due: dt.date
    overdue_days: int


@dataclass
class DetailPage:
    submission: Submission
    latest: DraftVersion | None
    versions: list[DraftVersion]
    findings: list[FindingRow]
    open_findings: int
    deadlines: list[Deadline]
    missing: list[tuple[str, str]]
    comparison: Comparison | None
    uncovered: list[dict[str, Any]]
    coverage: list[dict[str, Any]]
    governing: list[Document]
    may_unit: bool
    may_assign: bool
    may_review: bool
    history: list[Any] = field(default_factory=list)

    @property
    def reviewing(self) -> bool:
        return self.may_review and self.submission.status == Status.IN_REVIEW


def _deadlines(s: Submission, today: dt.date) -> list[Deadline]:
    """Each stage's due date; overdue days only for the stage the submission is in."""
    rows = [
        (gettext("complete the filing by"), s.completion_due, s.status == Status.INCOMPLETE),
        (gettext("review due"), s.review_due, s.status == Status.IN_REVIEW),
        (gettext("revision due"), s.revision_due, s.status == Status.RETURNED),
        (gettext("filing due (statutory)"), s.filing_due, False),
    ]
    return [
        Deadline(label, due, max(0, (today - due).days) if live else 0) for label, due, live in rows if due
    ]


def detail_page(user: Any, submission: Submission) -> DetailPage:
    today = timezone.localdate()
    versions = list(submission.versions.defer("original").order_by("number"))
    latest = versions[-1] if versions else None
    findings: list[FindingRow] = []
    if latest is not None:
        for f in latest.findings.select_related("governing_document", "decided_by").defer(
            *without_heavy("governing_document__")
        ):
            findings.append(FindingRow(f, CLASS_LABELS.get(f.cls, f.cls), f.carried_from_id is not None))
    comparison = compare(old=versions[-2], new=latest) if latest is not None and len(versions) > 1 else None
    coverage = latest.coverage if latest is not None else []
    uncovered = [
        {"title": c["title"], **row}
        for c in coverage
        for row in c.get("clauses", [])
        if row.get("in_scope") and not row.get("covered")
    ]
    return DetailPage(
        submission=submission,
        latest=latest,
        versions=versions,
        findings=findings,
        open_findings=sum(r.finding.status == FindingStatus.OPEN for r in findings),
        deadlines=_deadlines(submission, today),
        missing=[MISSING[c] for c in submission.missing if c in MISSING],
        comparison=comparison,
        uncovered=uncovered,
        coverage=coverage,
        governing=list(submission.governing.defer(*without_heavy())),
        may_unit=access.may_act_for_unit(user, submission) and access.open_for_unit(submission),
        may_assign=access.may_assign(user) and submission.status not in (Status.INCOMPLETE, Status.CONCLUDED),
        may_review=access.may_review(user, submission),
        history=list(entries_for(submission)[:50])
        if access.may_review(user, submission) or access.may_assign(user)
        else [],
    )


@dataclass
class ListPage:
    submissions: QuerySet[Submission]
    counts: dict[str, int]
    status: str
    mine: bool

    @property
    def statuses(self) -> list[tuple[str, str, int]]:
        return [(value, str(label), self.counts.get(value, 0)) for value, label in Status.choices]


def list_page(user: Any, *, status: str = "", mine: bool = False) -> ListPage:
    visible = access.visible_submissions(user)
    counts = dict(visible.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    shown = visible.select_related("drafting_unit", "reviewer").annotate(
        open_findings=Count("versions__findings", filter=Q(versions__findings__status=FindingStatus.OPEN))
    )
    if status in Status.values:
        shown = shown.filter(status=status)
    if mine:
        shown = shown.filter(reviewer=user)
    return ListPage(shown.order_by("-submitted_at", "-id")[:200], counts, status, mine)
