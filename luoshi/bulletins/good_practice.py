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
from luoshi.bulletins.query import LEVELS
from luoshi.documents.models import Document
from luoshi.lib.bounds import clean_text, xml_safe
from luoshi.lib.nlp import split_sentences
from luoshi.reports.models import Report
from luoshi.tasks.models import Assignment, Status

# Reports that count: submitted without needing approval, or approved by the unit head.
COUNTING = (Report.Approval.NOT_REQUIRED, Report.Approval.APPROVED)
_ROLE_ORDER: dict[str, int] = {Assignment.Role.LEAD: 0, Assignment.Role.CO: 1, Assignment.Role.SHARE: 2}


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
        raise BulletinError("bad_sentences", f"请选择报告中的句子范围（第1至第{len(sentences)}句）。",
                            f"Choose a range within sentences 1 to {len(sentences)} of the report.")
    return "".join(sentences[first - 1:last])


def check_excerpt(report: Report, excerpt: str) -> str:
    """The excerpt stripped; BulletinError unless it is quoted from the report (whitespace ignored)."""
    excerpt = clean_text(excerpt, error=BulletinError, field="excerpt", what_zh="选录内容", what_en="excerpt").strip()
    if not excerpt:
        raise BulletinError("empty_excerpt", "请填写选录的经验做法。", "The excerpt is empty.")

    def squeeze(text: str) -> str:
        return "".join(text.split())

    source = squeeze(xml_safe(" ".join((report.narrative, report.problems, report.next_steps))))
    if squeeze(excerpt) not in source:
        raise BulletinError("excerpt_not_in_report", "选录内容须摘自该报告原文。",
                            "The excerpt must be quoted from the report.")
    return excerpt


def select_good_practice(*, report: Report, excerpt: str, user: Any, now: dt.datetime | None = None) -> GoodPractice:
    """Keep an excerpt of a report as good practice for the bulletin of the report's period.

    Selecting the same excerpt twice returns the first.
    """
    require_editor(user)
    excerpt = check_excerpt(report, excerpt)
    now = now or timezone.now()
    with transaction.atomic():
        found, created = GoodPractice.objects.get_or_create(
            report=report, excerpt=excerpt, defaults={"selected_by": user, "selected_at": now})
        if created:
            record(action="create", obj=found, actor=user, at=now, changes={"excerpt": [None, excerpt]})
    return found


def choose_good_practice(*, report: Report, excerpt: str, user: Any, now: dt.datetime | None = None) -> GoodPractice:
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


def good_practice_candidates(*, period: str, document: Document | None = None,
                             level: str | None = None) -> list[Candidate]:
    """The reports a bulletin of the period may quote, in task order (lead first).

    1. Reports on periods ending within the bulletin's period (the rule the
       bulletin uses for good practice), of the document and the unit level
       when given, tasks not cancelled.
    2. Per obligation, the latest version that counts (no approval needed, or
       approved); any other version something was already kept from.
    """
    span = parse_period(period)
    if level and level not in LEVELS:
        raise BulletinError("bad_level", f"单位层级不正确：{level}（可选 {'、'.join(LEVELS)}）。",
                            f"Unknown unit level {level!r}: use one of {', '.join(LEVELS)}.")
    reports = (Report.objects.filter(obligation__period_end__gte=span.start, obligation__period_end__lte=span.end)
               .exclude(obligation__assignment__task__status=Status.CANCELLED)
               .select_related("obligation__assignment__task", "obligation__assignment__unit")
               .prefetch_related("good_practices"))
    if document is not None:
        reports = reports.filter(obligation__assignment__task__document=document)
    if level:
        reports = reports.filter(obligation__assignment__unit__level=level)
    latest: dict[int, Report] = {}
    kept: list[Report] = []
    for report in reports.order_by("obligation_id", "-version"):
        if report.approval in COUNTING and report.obligation_id not in latest:
            latest[report.obligation_id] = report
        elif report.good_practices.all():
            kept.append(report)
    shown = [*latest.values(), *kept]

    def order(r: Report) -> tuple[int, int, int, dt.date, int]:
        a = r.obligation.assignment
        return (a.task_id, _ROLE_ORDER.get(a.role, 3), a.pk, r.obligation.period_end, r.version)

    return [good_practice_candidate(r) for r in sorted(shown, key=order)]


def good_practice_candidate(report: Report) -> Candidate:
    """One report as the page lists it."""
    assignment = report.obligation.assignment
    return Candidate(
        report_id=report.pk, unit=assignment.unit.name, task_title=assignment.task.title,
        report_period=report.obligation.period, submitted_on=timezone.localdate(report.submitted_at),
        narrative=report.narrative, sentences=report_sentences(report),
        chosen=tuple(gp.excerpt for gp in sorted(report.good_practices.all(), key=lambda g: (g.selected_at, g.pk))),
    )
