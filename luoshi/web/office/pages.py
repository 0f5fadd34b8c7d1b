"""The supervision office's picture of today: reports, red and amber work, requests waiting, measures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import get_language

from luoshi.accountability.services import kind_names, suggest_measures
from luoshi.accountability.suggestions import Suggestion
from luoshi.documents.services import short_labels
from luoshi.evaluation.services import not_closed
from luoshi.ratings.facts import day_start
from luoshi.ratings.rollup import AssignmentRow
from luoshi.ratings.services import rollup
from luoshi.ratings.snapshots import reasons
from luoshi.reports.access import visible_reports
from luoshi.reports.models import Obligation, Report
from luoshi.reports.queries import overdue_obligations
from luoshi.reports.services import reporting_obligations
from luoshi.supervision.access import pending_extensions
from luoshi.supervision.models import ExtensionRequest
from luoshi.tasks.access import visible_assignments, visible_tasks
from luoshi.tasks.models import Assignment, Status, Task
from luoshi.web.supervision.pages import OverdueUnit, units_with_overdue_work

DUE_WINDOW_DAYS = 14  # "due soon": pending reports due within two weeks
LATE_WINDOW_DAYS = 30  # "late": reports that came in late during the last month
RECENT_SHOWN = 50  # reports in the office's review list
SHOWN = 20  # rows of each list on the home page; "all N" opens the list paged
PER_PAGE = 50
LISTS = ("due", "late", "missing", "red", "amber")


@dataclass
class Flagged:
    """A red or amber assignment from the roll-up, with its task's title."""

    row: AssignmentRow
    task_title: str
    document: str = ""  # the document's short label: tasks of two decisions may share a title


@dataclass
class SuggestedMeasure:
    """A suggested measure as the page shows it: the measure's name and the reason in the user's language."""

    assignment: Assignment
    kind: str
    reason: str
    suggestion: Suggestion


def suggested_measure(suggestion: Suggestion) -> SuggestedMeasure:
    english = (get_language() or "").startswith("en")
    zh, en = kind_names(suggestion.kind)
    return SuggestedMeasure(
        suggestion.assignment,
        en if english else zh,
        (suggestion.reason_en or suggestion.reason_zh) if english else suggestion.reason_zh,
        suggestion,
    )


@dataclass
class OfficeHome:
    today: dt.date
    due: list[Obligation]
    late: list[Obligation]
    missing: list[Obligation]
    red: list[Flagged]
    amber: list[Flagged]
    extensions: list[ExtensionRequest]
    completions: list[Task]
    suggestions: list[SuggestedMeasure]
    urging_units: list[OverdueUnit]  # each with a link to its 催办单
    recent: list[Report] = field(default_factory=list)  # latest versions submitted lately, for review
    totals: dict[str, int] = field(default_factory=dict)  # rows in each list (the page shows the first SHOWN)


def pending_completions(user: Any) -> QuerySet[Task]:
    return (
        visible_tasks(user)
        .filter(status=Status.COMPLETION_REQUESTED)
        .select_related("lead_unit")
        .order_by("deadline", "pk")
    )


@dataclass
class Listing:
    """One of the home page's lists: the rows shown and how many there are in all."""

    kind: str
    rows: list[Any]
    total: int
    page: int = 1
    pages: int = 1


def obligation_lists(*, user: Any, today: dt.date) -> dict[str, QuerySet[Obligation]]:
    """Reports due within two weeks, submitted late in the last month, and missing now (ordered querysets)."""
    obligations = reporting_obligations(user)
    late_since = today - dt.timedelta(days=LATE_WINDOW_DAYS)
    return {
        "due": obligations.filter(
            state=Obligation.State.PENDING,
            due_date__gte=today,
            due_date__lte=today + dt.timedelta(days=DUE_WINDOW_DAYS),
        ).order_by("due_date", "pk"),
        "late": obligations.filter(
            state=Obligation.State.LATE, first_submitted_at__gte=day_start(late_since)
        ).order_by("-first_submitted_at", "pk"),
        # Pending and past due counts as missing even before the tick has marked it.
        "missing": overdue_obligations(obligations, today=today).order_by("due_date", "pk"),
    }


def flagged(*, user: Any, today: dt.date) -> dict[str, list[Flagged]]:
    """Red and amber assignments as of today by the roll-up's rule, with their task's title and document
    (their reasons are read by ``with_reasons`` for the rows a page shows)."""
    visible = set(visible_assignments(user).values_list("pk", flat=True))
    found = rollup(as_of=today, reasons_on=())
    labels = short_labels(t.document_id for t in found.tasks)
    tasks = {t.task_id: t for t in found.tasks}
    rows = [
        Flagged(r, tasks[r.task_id].title, labels.get(tasks[r.task_id].document_id, ""))
        for r in found.assignments
        if r.assignment_id in visible and r.rag in ("red", "amber")
    ]
    return {
        "red": [f for f in rows if f.row.rag == "red"],
        "amber": [f for f in rows if f.row.rag == "amber"],
    }


def with_reasons(rows: list[Flagged], *, today: dt.date) -> list[Flagged]:
    """The rows with their ratings' reasons (one query), as the cards show them."""
    found = reasons([f.row.assignment_id for f in rows if not f.row.reasons], today)
    for f in rows:
        if not f.row.reasons and f.row.assignment_id in found:
            f.row.reasons, f.row.reasons_en = found[f.row.assignment_id]
    return rows


def office_list(*, user: Any, today: dt.date, kind: str, page: int) -> Listing:
    """One list of the home page in full, a page at a time (the last page when asked beyond it)."""
    if kind in ("red", "amber"):
        rows: list[Any] | QuerySet[Obligation] = flagged(user=user, today=today)[kind]
        total = len(rows)
    else:
        rows = obligation_lists(user=user, today=today)[kind]
        total = rows.count()
    pages = max(1, -(-total // PER_PAGE))
    page = min(max(page, 1), pages)
    shown = list(rows[(page - 1) * PER_PAGE : page * PER_PAGE])
    if kind in ("red", "amber"):
        shown = with_reasons(shown, today=today)
    return Listing(kind, shown, total, page, pages)


def office_home(*, user: Any, today: dt.date) -> OfficeHome:
    """1. Reports due soon, late lately, missing now; 2. red and amber assignments (the roll-up's
    rule, as of today); 3. pending extension and completion requests; 4. suggested measures.
    Each list shows its first SHOWN rows; ``totals`` says how many there are (office_list pages them)."""
    lists = obligation_lists(user=user, today=today)
    marked = flagged(user=user, today=today)
    totals = {kind: rows.count() for kind, rows in lists.items()} | {k: len(v) for k, v in marked.items()}
    return OfficeHome(
        today=today,
        due=list(lists["due"][:SHOWN]),
        late=list(lists["late"][:SHOWN]),
        missing=list(lists["missing"][:SHOWN]),
        red=with_reasons(marked["red"][:SHOWN], today=today),
        amber=with_reasons(marked["amber"][:SHOWN], today=today),
        extensions=list(pending_extensions(user)),
        completions=list(pending_completions(user)),
        suggestions=[suggested_measure(s) for s in suggest_measures(as_of=today)],
        urging_units=units_with_overdue_work(user=user, today=today),
        recent=recent_reports(user=user, since=today - dt.timedelta(days=LATE_WINDOW_DAYS)),
        totals=totals,
    )


def recent_reports(*, user: Any, since: dt.date) -> list[Report]:
    """The latest version of every report submitted since the date (newest first), with what the review
    shows: approval, evidence and indicator values."""
    return list(
        not_closed(visible_reports(user), task="obligation__assignment__task")
        .filter(~Exists(Report.objects.filter(supersedes=OuterRef("pk"))), submitted_at__gte=day_start(since))
        .select_related(
            "obligation__assignment__task", "obligation__assignment__unit", "submitted_by", "approved_by"
        )
        .prefetch_related("evidence", "indicator_values__indicator")
        .order_by("-submitted_at", "-pk")[:RECENT_SHOWN]
    )
