"""The supervision office's picture of today: reports, red and amber work, requests waiting, measures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import get_language

from luoshi.accountability.models import NAMES
from luoshi.accountability.services import suggest_measures
from luoshi.accountability.suggestions import Suggestion
from luoshi.accounts.scope import visible_assignments, visible_obligations, visible_reports, visible_tasks
from luoshi.documents.models import without_heavy
from luoshi.evaluation.services import not_closed
from luoshi.ratings.rollup import AssignmentRow
from luoshi.ratings.services import rollup
from luoshi.reports.models import Obligation, Report
from luoshi.reports.services import REPORTING_STATUSES
from luoshi.supervision.models import ExtensionRequest
from luoshi.tasks.models import Assignment, Status, Task
from luoshi.web.pages.urging_units import OverdueUnit, units_with_overdue_work

DUE_WINDOW_DAYS = 14  # "due soon": pending reports due within two weeks
LATE_WINDOW_DAYS = 30  # "late": reports that came in late during the last month
RECENT_SHOWN = 50  # reports in the office's review list


@dataclass
class Flagged:
    """A red or amber assignment from the roll-up, with its task's title."""

    row: AssignmentRow
    task_title: str


@dataclass
class SuggestedMeasure:
    """A suggested measure as the page shows it: the measure's name and the reason in the user's language."""

    assignment: Assignment
    kind: str
    reason: str
    suggestion: Suggestion


def suggested_measure(suggestion: Suggestion) -> SuggestedMeasure:
    english = (get_language() or "").startswith("en")
    zh, en = NAMES.get(suggestion.kind, (suggestion.kind, suggestion.kind))
    return SuggestedMeasure(suggestion.assignment, en if english else zh,
                            (suggestion.reason_en or suggestion.reason_zh) if english else suggestion.reason_zh,
                            suggestion)


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


def _obligations(user: Any) -> QuerySet[Obligation]:
    return (visible_obligations(user).filter(assignment__task__status__in=REPORTING_STATUSES)
            .select_related("assignment__task", "assignment__unit", "assignment__task__document")
            .defer(*without_heavy("assignment__task__document__")))


def pending_extensions(user: Any) -> QuerySet[ExtensionRequest]:
    return (ExtensionRequest.objects.filter(status=ExtensionRequest.Status.PENDING,
                                            assignment__in=visible_assignments(user))
            .select_related("assignment__task", "assignment__unit", "requested_by").order_by("requested_at", "pk"))


def pending_completions(user: Any) -> QuerySet[Task]:
    return (visible_tasks(user).filter(status=Status.COMPLETION_REQUESTED)
            .select_related("lead_unit").order_by("deadline", "pk"))


def office_home(*, user: Any, today: dt.date) -> OfficeHome:
    """1. Reports due soon, late lately, missing now; 2. red and amber assignments (the roll-up's
    rule, as of today); 3. pending extension and completion requests; 4. suggested measures."""
    obligations = _obligations(user)
    due = obligations.filter(state=Obligation.State.PENDING, due_date__gte=today,
                             due_date__lte=today + dt.timedelta(days=DUE_WINDOW_DAYS)).order_by("due_date", "pk")
    late_since = today - dt.timedelta(days=LATE_WINDOW_DAYS)
    late = obligations.filter(state=Obligation.State.LATE,
                              first_submitted_at__date__gte=late_since).order_by("-first_submitted_at", "pk")
    # Pending and past due counts as missing even before the tick has marked it.
    missing = obligations.filter(
        Q(state=Obligation.State.MISSING) | Q(state=Obligation.State.PENDING, due_date__lt=today)
    ).order_by("due_date", "pk")
    visible = set(visible_assignments(user).values_list("pk", flat=True))
    titles = dict(not_closed(visible_tasks(user)).values_list("pk", "title"))  # closed (销号) tasks leave the lists
    rows = [Flagged(r, titles.get(r.task_id, "")) for r in rollup(as_of=today).assignments
            if r.assignment_id in visible and r.task_id in titles and r.rag in ("red", "amber")]
    return OfficeHome(
        today=today,
        due=list(due),
        late=list(late),
        missing=list(missing),
        red=[f for f in rows if f.row.rag == "red"],
        amber=[f for f in rows if f.row.rag == "amber"],
        extensions=list(pending_extensions(user)),
        completions=list(pending_completions(user)),
        suggestions=[suggested_measure(s) for s in suggest_measures(as_of=today)],
        urging_units=units_with_overdue_work(user=user, today=today),
        recent=recent_reports(user=user, since=late_since),
    )


def recent_reports(*, user: Any, since: dt.date) -> list[Report]:
    """The latest version of every report submitted since the date (newest first), with what the review
    shows: approval, evidence and indicator values."""
    return list(not_closed(visible_reports(user), task="obligation__assignment__task")
                .filter(superseded_by__isnull=True, submitted_at__date__gte=since)
                .select_related("obligation__assignment__task", "obligation__assignment__unit", "submitted_by",
                                "approved_by")
                .prefetch_related("evidence", "indicator_values__indicator")
                .order_by("-submitted_at", "-pk")[:RECENT_SHOWN])
