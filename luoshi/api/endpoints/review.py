"""Pre-review and filing review (前置审核、备案审查) over the same services and scope as the pages.

A drafting unit submits and revises its own documents and sees only them; reviewers and review
heads see every submission; the review head assigns; the assigned reviewer decides findings,
returns and concludes. ``POST /review/check`` runs the first pass on a file and stores nothing.
"""

import datetime as dt
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from luoshi.accounts.scope import RoleRequired
from luoshi.api.pagination import Keyset
from luoshi.api.params import BigInt
from luoshi.api.schemas import ERRORS
from luoshi.api.schemas_review import (
    AssignIn,
    ConclusionIn,
    DecisionIn,
    RegisterRowOut,
    ReturnIn,
    SubmissionDetailOut,
    SubmissionOut,
)
from luoshi.documents.errors import too_large_error
from luoshi.review import access, services
from luoshi.review.checks import Meta
from luoshi.review.errors import ReviewError
from luoshi.review.models import Submission
from luoshi.review.register import register_rows
from luoshi.review.renderers.opinion_docx import opinion_data, render_opinion
from luoshi.review.stored import check, read_draft

router = Router(tags=["review"])
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _file(file: UploadedFile) -> tuple[bytes, str]:
    if file.size is not None and file.size > settings.MAX_UPLOAD_BYTES:
        raise too_large_error(file.size, settings.MAX_UPLOAD_BYTES)
    return file.read(), file.name or ""


def _submission(user: Any, pk: int) -> Submission:
    return access.get_submission_for(user, pk)


def _shown(found: Any) -> Any:
    return found.select_related("reviewer").prefetch_related("governing")


@router.get("/review/submissions", response={200: list[SubmissionOut], **ERRORS})
@paginate(Keyset, show=_shown)
def list_submissions(request: HttpRequest, status: str | None = None) -> Any:
    """The submissions the caller may see (a unit: its own), newest first."""
    found = access.visible_submissions(request.auth)  # type: ignore[attr-defined]
    if status:
        found = found.filter(status=status)
    return found.order_by("-submitted_at", "-id")


@router.get("/review/submissions/{int:submission_id}", response={200: SubmissionDetailOut, **ERRORS})
def get_submission(request: HttpRequest, submission_id: BigInt) -> Submission:
    return _submission(request.auth, submission_id)  # type: ignore[attr-defined]


@router.post("/review/submissions", response={201: SubmissionDetailOut, **ERRORS})
def submit_document(
    request: HttpRequest,
    file: File[UploadedFile],
    unit_id: Form[BigInt],
    review_kind: Form[str],
    title: Form[str],
    doc_kind: Form[str],
    issuing_body: Form[str],
    doc_number: Form[str] = "",
    published_on: Form[dt.date | None] = None,
    effective_on: Form[dt.date | None] = None,
    governing_ids: Form[list[BigInt]] = [],  # noqa: B006 (ninja reads it)
    explanation: Form[str] = "",
    legality_review_filed: Form[bool] = False,
    consultation_filed: Form[bool] = False,
) -> Status[Submission]:
    """Submit a draft for pre-review or a published document for filing review (multipart)."""
    user = request.auth  # type: ignore[attr-defined]
    unit = access.submitting_units(user).filter(pk=unit_id).first()
    if unit is None:
        raise RoleRequired(
            "review_submit",
            "只有起草单位（或督查室代为）可以报送该单位的文件。",
            "Only the drafting unit (or the office on its behalf) may submit its documents.",
        )
    data, filename = _file(file)
    submission = services.submit(
        user=user,
        unit=unit,
        review_kind=review_kind,
        title=title,
        doc_kind=doc_kind,
        issuing_body=issuing_body,
        doc_number=doc_number,
        published_on=published_on,
        effective_on=effective_on,
        governing=services.governing_documents(governing_ids),
        explanation=explanation,
        legality_review_filed=legality_review_filed,
        consultation_filed=consultation_filed,
        data=data,
        filename=filename,
    )
    return Status(201, submission)


@router.post("/review/submissions/{int:submission_id}/assign", response={200: SubmissionOut, **ERRORS})
def assign_reviewer(request: HttpRequest, submission_id: BigInt, payload: AssignIn) -> Submission:
    user = request.auth  # type: ignore[attr-defined]
    submission = _submission(user, submission_id)
    access.require_assigner(user)
    reviewer = access.reviewer_candidates().filter(pk=payload.reviewer_id).first()
    if reviewer is None:
        raise ReviewError(
            "bad_reviewer",
            "只能分配给在岗的审核员或审核负责人。",
            "Assign an active reviewer or review head.",
        )
    return services.assign(submission=submission, user=user, reviewer=reviewer)


@router.post("/review/findings/{int:finding_id}/decision", response={200: SubmissionDetailOut, **ERRORS})
def decide_finding(request: HttpRequest, finding_id: BigInt, payload: DecisionIn) -> Submission:
    """Accept a finding (with an opinion) or dismiss it (with a reason)."""
    user = request.auth  # type: ignore[attr-defined]
    finding = access.get_finding_for(user, finding_id)
    services.decide_finding(
        finding=finding, user=user, accept=payload.accept, reason=payload.reason, opinion=payload.opinion
    )
    return finding.version.submission


@router.post("/review/submissions/{int:submission_id}/return", response={200: SubmissionOut, **ERRORS})
def return_submission(request: HttpRequest, submission_id: BigInt, payload: ReturnIn) -> Submission:
    user = request.auth  # type: ignore[attr-defined]
    return services.return_for_revision(
        submission=_submission(user, submission_id), user=user, comment=payload.comment
    )


@router.post(
    "/review/submissions/{int:submission_id}/versions", response={201: SubmissionDetailOut, **ERRORS}
)
def upload_revision(
    request: HttpRequest, submission_id: BigInt, file: File[UploadedFile], note: Form[str] = ""
) -> Status[Submission]:
    """The drafting unit's revised draft (multipart): a new version, checked again."""
    user = request.auth  # type: ignore[attr-defined]
    submission = _submission(user, submission_id)
    access.require_unit_side(user, submission)
    data, filename = _file(file)
    services.revise(submission=submission, user=user, data=data, filename=filename, note=note)
    return Status(201, submission)


@router.post("/review/submissions/{int:submission_id}/conclusion", response={200: SubmissionOut, **ERRORS})
def conclude_submission(request: HttpRequest, submission_id: BigInt, payload: ConclusionIn) -> Submission:
    user = request.auth  # type: ignore[attr-defined]
    return services.conclude(
        submission=_submission(user, submission_id),
        user=user,
        conclusion=payload.conclusion,
        reason=payload.reason,
        opinion=payload.opinion,
    )


@router.get("/review/submissions/{int:submission_id}/opinion", response={200: bytes, **ERRORS})
def opinion_document(request: HttpRequest, submission_id: BigInt) -> HttpResponse:
    """The review opinion (审核意见书) as DOCX: once concluded, or at any time for the reviewer."""
    user = request.auth  # type: ignore[attr-defined]
    submission = _submission(user, submission_id)
    if submission.status != "concluded" and not access.may_review(user, submission):
        raise ReviewError(
            "not_allowed",
            "审核办结后才能下载审核意见书。",
            "The opinion is available once the review is concluded.",
        )
    response = HttpResponse(render_opinion(opinion_data(submission)), content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="opinion-{submission.pk}.docx"'
    return response


@router.get("/review/register", response={200: list[RegisterRowOut], **ERRORS})
def filing_register(request: HttpRequest, period: str = "") -> list[dict[str, Any]]:
    """The filing register (备案登记) with its statutory deadlines; ``period`` (2024-Q3) gives a quarter's catalogue."""
    user = request.auth  # type: ignore[attr-defined]
    if not access.may_see_reviews(user):
        raise ReviewError("not_allowed", "您无权查看备案登记。", "You may not read the filing register.")
    rows, _ = register_rows(access.visible_submissions(user), period=period)
    return [
        {
            "submission_id": r.submission.pk,
            "number": r.submission.number,
            "title": r.submission.title,
            "doc_number": r.submission.doc_number,
            "issuing_body": r.submission.issuing_body,
            "published_on": r.submission.published_on,
            "filing_due": r.filing_due,
            "filed_on": r.filed_on,
            "days_late": r.days_late,
            "review_due": r.submission.review_due,
            "review_overdue_days": r.review_overdue_days,
            "status": r.submission.status,
            "conclusion": r.submission.conclusion,
        }
        for r in rows
    ]


@router.post("/review/check", response={200: dict[str, Any], **ERRORS})
def check_draft(
    request: HttpRequest,
    file: File[UploadedFile],
    governing_ids: Form[list[BigInt]] = [],  # noqa: B006
    kind: Form[str] = "",
    published_on: Form[dt.date | None] = None,
    effective_on: Form[dt.date | None] = None,
) -> dict[str, Any]:
    """The first pass on a file, storing nothing: ``{"findings": [...], "counts", "alignment", "coverage"}``,
    as ``luoshi review check --json`` prints it."""
    user = request.auth  # type: ignore[attr-defined]
    if not access.may_see_reviews(user):
        raise ReviewError("not_allowed", "您无权使用审核检查。", "You may not use the review check.")
    data, filename = _file(file)
    ids = [d.pk for d in services.governing_documents(governing_ids)]
    read = read_draft(data=data, filename=filename, max_bytes=settings.MAX_UPLOAD_BYTES)
    meta = Meta(
        kind=kind if kind in ("regulation", "normative", "policy", "plan") else "",
        published=published_on,
        effective=effective_on,
    )
    return check(draft=read.draft, governing=ids, meta=meta).to_dict()
