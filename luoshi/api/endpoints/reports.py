"""Obligations (应报), reports (报告) and their evidence (佐证材料), within the caller's scope."""

import datetime as dt
from typing import Any, Literal

from django.db.models import F, Prefetch, QuerySet
from django.http import FileResponse, HttpRequest
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from luoshi.accounts.scope import require
from luoshi.api.pagination import Keyset
from luoshi.api.params import BigInt, filter_given
from luoshi.api.schemas import (
    ERRORS,
    ApprovalIn,
    ErrorOut,
    EvidenceOut,
    ObligationOut,
    ReportFormIn,
    ReportIn,
    ReportOut,
)
from luoshi.reports import services as reports
from luoshi.reports.access import (
    get_evidence_for,
    get_obligation_for,
    get_report_for,
    visible_obligations,
    visible_reports,
)
from luoshi.reports.models import Evidence, IndicatorValue, Obligation, Report

router = Router(tags=["reports"])


# "due" is an alias of "pending": owed and not yet submitted.
ObligationState = Literal["due", "pending", "submitted", "late", "missing"]


def with_parts(reports: QuerySet[Report]) -> QuerySet[Report]:
    """Reports with what ReportOut shows, in a fixed number of queries however many there are.

    The obligation's and the people's few shown fields come as columns of the one query (three
    model objects per report would cost more than the query); the children go to plain lists
    (``to_attr``), as a related manager per row would cost a queryset clone each.
    """
    return reports.annotate(
        period_shown=F("obligation__period"),
        assignment_shown=F("obligation__assignment_id"),
        submitted_by_shown=F("submitted_by__username"),
        approved_by_shown=F("approved_by__username"),
    ).prefetch_related(
        Prefetch(
            "indicator_values",
            IndicatorValue.objects.select_related("indicator").order_by("id"),
            to_attr="indicator_value_list",
        ),
        Prefetch("evidence", Evidence.objects.order_by("id"), to_attr="evidence_list"),
    )


def _report(user: Any, pk: int) -> Report:
    report = get_report_for(user, pk)
    return with_parts(Report.objects.all()).get(pk=report.pk)


@router.get("/obligations", response={200: list[ObligationOut], 401: ErrorOut, 422: ErrorOut})
@paginate(Keyset)
def list_obligations(
    request: HttpRequest,
    state: ObligationState | None = None,
    assignment: BigInt | None = None,
    task: BigInt | None = None,
    due_before: dt.date | None = None,
) -> Any:
    """Reports owed: ``state=due`` (pending), ``missing`` (due date passed), ``late``, ``submitted``."""
    found = visible_obligations(request.auth).select_related("assignment__unit")  # type: ignore[attr-defined]
    if state is not None:
        found = found.filter(state=Obligation.State.PENDING if state == "due" else state)
    found = filter_given(found, assignment_id=assignment, assignment__task_id=task, due_date__lt=due_before)
    return found.order_by("due_date", "id")


@router.get("/obligations/{int:obligation_id}", response={200: ObligationOut, **ERRORS})
def get_obligation(request: HttpRequest, obligation_id: BigInt) -> Obligation:
    return get_obligation_for(request.auth, obligation_id)  # type: ignore[attr-defined]


@router.get("/reports", response={200: list[ReportOut], 401: ErrorOut, 422: ErrorOut})
@paginate(Keyset, show=with_parts)
def list_reports(
    request: HttpRequest,
    obligation: BigInt | None = None,
    assignment: BigInt | None = None,
    task: BigInt | None = None,
    approval: Literal["not_required", "pending", "approved", "returned"] | None = None,
) -> Any:
    """Reports in the order they were submitted (a correction comes after the version it corrects)."""
    found = filter_given(
        visible_reports(request.auth),  # type: ignore[attr-defined]
        obligation_id=obligation,
        obligation__assignment_id=assignment,
        obligation__assignment__task_id=task,
        approval=approval,
    )
    return found.order_by("id")


@router.get("/reports/{int:report_id}", response={200: ReportOut, **ERRORS})
def get_report(request: HttpRequest, report_id: BigInt) -> Report:
    return _report(request.auth, report_id)  # type: ignore[attr-defined]


def _submit(request: HttpRequest, payload: ReportIn, evidence: list[UploadedFile]) -> Status[Report]:
    user = request.auth  # type: ignore[attr-defined]
    obligation = get_obligation_for(user, payload.obligation_id)
    require(user, "report")
    report = reports.submit_report(
        obligation=obligation,
        user=user,
        progress=payload.progress,
        narrative=payload.narrative,
        problems=payload.problems,
        next_steps=payload.next_steps,
        indicator_values=payload.indicator_values,
        evidence=evidence,
    )
    return Status(201, _report(user, report.pk))


@router.post("/reports", response={201: ReportOut, **ERRORS})
def submit_report(request: HttpRequest, payload: ReportIn) -> Status[Report]:
    """Submit a report for an obligation of the caller's unit; a second one is a correction (new version)."""
    return _submit(request, payload, [])


@router.post("/reports/with-evidence", response={201: ReportOut, **ERRORS})
def submit_report_with_evidence(
    request: HttpRequest, payload: Form[ReportFormIn], evidence: File[list[UploadedFile]]
) -> Status[Report]:
    """The same as POST /reports, as multipart form data with evidence files (field ``evidence``, repeated).

    ``indicator_values`` is then a JSON object in a form field, e.g. ``{"3": "120.5"}``.
    """
    return _submit(request, payload, evidence)


@router.post("/reports/{int:report_id}/approval", response={200: ReportOut, **ERRORS})
def approve_report(request: HttpRequest, report_id: BigInt, payload: ApprovalIn) -> Report:
    """The unit head approves a pending report (it then counts) or returns it with a comment."""
    user = request.auth  # type: ignore[attr-defined]
    report = get_report_for(user, report_id)
    require(user, "approve_report")
    reports.approve_report(report=report, user=user, approve=payload.approve, comment=payload.comment)
    return _report(user, report_id)


@router.get("/evidence/{int:evidence_id}", response={200: EvidenceOut, **ERRORS})
def get_evidence(request: HttpRequest, evidence_id: BigInt) -> Evidence:
    return get_evidence_for(request.auth, evidence_id)  # type: ignore[attr-defined]


@router.get("/evidence/{int:evidence_id}/file", response={200: None, **ERRORS})
def download_evidence(request: HttpRequest, evidence_id: BigInt) -> FileResponse:
    """The file itself, as an attachment (never rendered inline)."""
    evidence = get_evidence_for(request.auth, evidence_id)  # type: ignore[attr-defined]
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
