"""Good practice (典型经验做法): the reports the office may quote, and the excerpts it keeps for the bulletin.

An excerpt is always quoted from the report's own text (narrative, problems or
next steps; whitespace ignored), so a bulletin never puts words in a unit's
mouth. The bulletin of a period shows the excerpts of reports on periods
ending within it (``query._good_practices``).

- ``select_good_practice`` adds an excerpt (idempotent);
- ``choose_good_practice`` makes an excerpt the report's only one (the
  bulletins page keeps one excerpt per report);
- ``drop_good_practice`` removes the report's excerpts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from luoshi.audit.services import record
from luoshi.bulletins.access import require_editor
from luoshi.bulletins.errors import BulletinError
from luoshi.bulletins.models import GoodPractice
from luoshi.bulletins.periods import parse_period
from luoshi.bulletins.query import check_level
from luoshi.documents.models import Document
from luoshi.lib.bounds import clean_text, xml_safe
from luoshi.lib.nlp import split_sentences
from luoshi.reports.models import Report
from luoshi.tasks.models import Assignment, Status

# Reports that count: submitted without needing approval, or approved by the unit head.
COUNTING = (Report.Approval.NOT_REQUIRED, Report.Approval.APPROVED)
_ROLE_ORDER: dict[str, int] = {Assignment.Role.LEAD: 0, Assignment.Role.CO: 1, Assignment.Role.SHARE: 2}
CANDIDATES_PER_PAGE = 50


@dataclass(frozen=True)
class Candidate:
    """A report the office may quote, with the excerpts already kept from it."""

    report_id: int
    unit: str
    task_title: str
    report_period: str
    submitted_on: dt.date
    narrative: str
    sentences: tuple[str, ...]  # of the narrative, numbered from 1 on the page
    chosen: tuple[str, ...]

    @property
    def selected(self) -> bool:
        return bool(self.chosen)

    @property
    def excerpt(self) -> str:
        """What the page offers to quote: the kept excerpt, else the whole narrative."""
        return self.chosen[0] if self.chosen else self.narrative.strip()


def report_sentences(report: Report) -> tuple[str, ...]:
    text = report.narrative
    return tuple(text[start:end] for start, end in split_sentences(text))


def excerpt_of(report: Report, *, first: int, last: int) -> str:
    """Sentences ``first`` to ``last`` (from 1, inclusive) of the report's narrative, as one excerpt."""
    sentences = report_sentences(report)
    if not 1 <= first <= last <= len(sentences):
        raise BulletinError(
            "bad_sentences",
            f"请选择报告中的句子范围（第1至第{len(sentences)}句）。",
            f"Choose a range within sentences 1 to {len(sentences)} of the report.",
        )
    return "".join(sentences[first - 1 : last])


def check_excerpt(report: Report, excerpt: str) -> str:
    """The excerpt stripped; BulletinError unless it is quoted from the report (whitespace ignored)."""
    excerpt = clean_text(
        excerpt, error=BulletinError, field="excerpt", what_zh="选录内容", what_en="excerpt"
    ).strip()
    if not excerpt:
        raise BulletinError("empty_excerpt", "请填写选录的经验做法。", "The excerpt is empty.")

    def squeeze(text: str) -> str:
        return "".join(text.split())

    source = squeeze(xml_safe(" ".join((report.narrative, report.problems, report.next_steps))))
    if squeeze(excerpt) not in source:
        raise BulletinError(
            "excerpt_not_in_report",
            "选录内容须摘自该报告原文。",
            "The excerpt must be quoted from the report.",
        )
    return excerpt


def select_good_practice(
    *, report: Report, excerpt: str, user: Any, now: dt.datetime | None = None
) -> GoodPractice:
    """Keep an excerpt of a report as good practice for the bulletin of the report's period.

    Selecting the same excerpt twice returns the first.
    """
    require_editor(user)
    excerpt = check_excerpt(report, excerpt)
    now = now or timezone.now()
    with transaction.atomic():
        found, created = GoodPractice.objects.get_or_create(
            report=report, excerpt=excerpt, defaults={"selected_by": user, "selected_at": now}
        )
        if created:
            record(action="create", obj=found, actor=user, at=now, changes={"excerpt": [None, excerpt]})
    return found


def choose_good_practice(
    *, report: Report, excerpt: str, user: Any, now: dt.datetime | None = None
) -> GoodPractice:
    """Make the excerpt the report's one piece of good practice, replacing what was kept from it before."""
    require_editor(user)
    excerpt = check_excerpt(report, excerpt)
    now = now or timezone.now()
    with transaction.atomic():
        _delete(GoodPractice.objects.filter(report=report).exclude(excerpt=excerpt), user=user, now=now)
        return select_good_practice(report=report, excerpt=excerpt, user=user, now=now)


def drop_good_practice(*, report: Report, user: Any, now: dt.datetime | None = None) -> int:
    """Remove every excerpt kept from the report; how many there were."""
    require_editor(user)
    with transaction.atomic():
        return _delete(GoodPractice.objects.filter(report=report), user=user, now=now or timezone.now())


def _delete(found: Iterable[GoodPractice], *, user: Any, now: dt.datetime) -> int:
    gone = list(found)
    for gp in gone:
        record(action="delete", obj=gp, actor=user, at=now, changes={"excerpt": [gp.excerpt, None]})
    GoodPractice.objects.filter(pk__in=[gp.pk for gp in gone]).delete()
    return len(gone)


@dataclass(frozen=True)
class CandidatePage:
    """One page of the candidates, and how many there are in all."""

    candidates: list[Candidate]
    total: int
    page: int
    pages: int
    per_page: int = CANDIDATES_PER_PAGE

    @property
    def first(self) -> int:
        """The 1-based number of the page's first candidate (0 when there is none)."""
        return (self.page - 1) * self.per_page + 1 if self.candidates else 0

    @property
    def last(self) -> int:
        return (self.page - 1) * self.per_page + len(self.candidates)


def good_practice_candidates(
    *, period: str, document: Document | None = None, level: str | None = None
) -> list[Candidate]:
    """Every report a bulletin of the period may quote, in task order (see ``good_practice_page``)."""
    return _candidates(_candidate_ids(period=period, document=document, level=level))


def good_practice_page(
    *,
    period: str,
    document: Document | None = None,
    level: str | None = None,
    page: int = 1,
    per_page: int = CANDIDATES_PER_PAGE,
) -> CandidatePage:
    """One page of the reports a bulletin of the period may quote, in task order (lead first).

    1. Reports on periods ending within the bulletin's period (the rule the
       bulletin uses for good practice), of the document and the unit level
       when given, tasks not cancelled.
    2. Per obligation, the latest version that counts (no approval needed, or
       approved); any other version something was already kept from.
    The order is decided on plain rows; only the page's reports are read in full (a region's quarter has
    tens of thousands). A page beyond the last is the last.
    """
    ids = _candidate_ids(period=period, document=document, level=level)
    pages = max(1, -(-len(ids) // per_page))
    page = min(max(page, 1), pages)
    return CandidatePage(
        _candidates(ids[(page - 1) * per_page : page * per_page]), len(ids), page, pages, per_page
    )


def _candidate_ids(*, period: str, document: Document | None, level: str | None) -> list[int]:
    span = parse_period(period)
    check_level(level)
    reports = Report.objects.filter(
        obligation__period_end__gte=span.start, obligation__period_end__lte=span.end
    ).exclude(obligation__assignment__task__status=Status.CANCELLED)
    if document is not None:
        reports = reports.filter(obligation__assignment__task__document=document)
    if level:
        reports = reports.filter(obligation__assignment__unit__level=level)
    quoted = set(GoodPractice.objects.filter(report__in=reports).values_list("report_id", flat=True))
    latest: dict[int, tuple[int, int, int, dt.date, int, int]] = {}  # obligation -> sort key, report id last
    kept: list[tuple[int, int, int, dt.date, int, int]] = []
    rows = reports.order_by("obligation_id", "-version").values_list(
        "pk",
        "obligation_id",
        "approval",
        "obligation__assignment__task_id",
        "obligation__assignment__role",
        "obligation__assignment_id",
        "obligation__period_end",
        "version",
    )
    for pk, obligation_id, approval, task_id, role, assignment_id, period_end, version in rows:
        key = (task_id, _ROLE_ORDER.get(role, 3), assignment_id, period_end, version, pk)
        if approval in COUNTING and obligation_id not in latest:
            latest[obligation_id] = key
        elif pk in quoted:
            kept.append(key)
    return [key[-1] for key in sorted([*latest.values(), *kept])]


def _candidates(ids: list[int]) -> list[Candidate]:
    """The reports as the page lists them, in the order of ``ids`` (three queries)."""
    found = (
        Report.objects.select_related("obligation__assignment__task", "obligation__assignment__unit")
        .prefetch_related("good_practices")
        .in_bulk(ids)
    )
    return [good_practice_candidate(found[pk]) for pk in ids]


def good_practice_candidate(report: Report) -> Candidate:
    """One report as the page lists it."""
    assignment = report.obligation.assignment
    return Candidate(
        report_id=report.pk,
        unit=assignment.unit.name,
        task_title=assignment.task.title,
        report_period=report.obligation.period,
        submitted_on=timezone.localdate(report.submitted_at),
        narrative=report.narrative,
        sentences=report_sentences(report),
        chosen=tuple(
            gp.excerpt for gp in sorted(report.good_practices.all(), key=lambda g: (g.selected_at, g.pk))
        ),
    )
