"""Who may see and do what with obligations, reports and evidence: the reports table of named predicates.

A liaison or unit head sees the obligations, reports and evidence of its own
unit's assignments only; those who see everything see all of them. Every one
is fetched through ``get_<kind>_for`` (404 outside the user's scope).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from luoshi.accounts.models import Role
from luoshi.accounts.predicates import Predicate, table
from luoshi.accounts.scope import UNIT_ROLES, can, fetch_or_404, scoped_unit_id, unit_scoped
from luoshi.reports.models import Evidence, Obligation, Report


def _own_obligation(user: Any, obligation: Obligation) -> bool:
    return scoped_unit_id(user) == obligation.assignment.unit_id


def _own_report(user: Any, report: Report) -> bool:
    return scoped_unit_id(user) == report.obligation.assignment.unit_id


REPORTS = table(
    Predicate(
        "reports.submit",
        UNIT_ROLES,
        "own unit's obligation",
        "本单位的报告义务",
        _own_obligation,
        "只有本单位的联络员或负责人可以报送本单位的报告。",
        "Only a liaison or the head of the responsible unit can submit its reports.",
    ),
    Predicate(
        "reports.approve",
        frozenset({Role.UNIT_HEAD}),
        "own unit's report",
        "本单位的报告",
        _own_report,
        "只有本单位负责人可以审核本单位的报告。",
        "Only the head of the reporting unit can approve its reports.",
    ),
)


def visible_obligations(user: Any) -> QuerySet[Obligation]:
    return unit_scoped(Obligation.objects.all(), user, "assignment__unit_id")


def visible_reports(user: Any) -> QuerySet[Report]:
    return unit_scoped(Report.objects.all(), user, "obligation__assignment__unit_id")


def visible_evidence(user: Any) -> QuerySet[Evidence]:
    return unit_scoped(Evidence.objects.all(), user, "report__obligation__assignment__unit_id")


def get_obligation_for(user: Any, pk: Any) -> Obligation:
    return fetch_or_404(visible_obligations(user), pk)


def get_report_for(user: Any, pk: Any) -> Report:
    return fetch_or_404(visible_reports(user), pk)


def get_evidence_for(user: Any, pk: Any) -> Evidence:
    return fetch_or_404(visible_evidence(user), pk)


def pending_approvals(user: Any) -> QuerySet[Report]:
    """The reports of the user's unit awaiting a unit head, latest versions only, oldest first; none for others."""
    if not can(user, "approve_report"):
        return Report.objects.none()
    return (
        visible_reports(user)
        .filter(approval=Report.Approval.PENDING, superseded_by__isnull=True)
        .select_related("obligation__assignment__task", "submitted_by")
        .prefetch_related("evidence")
        .order_by("submitted_at", "pk")
    )
