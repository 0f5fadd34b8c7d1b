"""Supervision (督办): extension requests (延期申请) and urgings (催办), within the caller's scope.

An extension request or an urging is reached through its assignment
(``get_assignment_for``): outside the caller's scope it answers 404.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status
from ninja.pagination import paginate

from luoshi.accounts.scope import require
from luoshi.api.pagination import Keyset
from luoshi.api.params import BigInt, filter_given
from luoshi.api.schemas import ERRORS, ErrorOut
from luoshi.api.schemas_followup import (
    DecisionIn,
    ExtensionIn,
    ExtensionOut,
    ExtensionStatusName,
    UrgingOut,
    UrgingResponseIn,
)
from luoshi.bulletins.services import urging_notice_docx
from luoshi.supervision import services as supervision
from luoshi.supervision.access import get_extension_for, get_urging_for, visible_extensions, visible_urgings
from luoshi.supervision.models import ExtensionRequest, Urging
from luoshi.tasks.access import get_assignment_for

router = Router(tags=["supervision"])

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# --- extension requests -----------------------------------------------------------


@router.get("/extensions", response={200: list[ExtensionOut], 401: ErrorOut, 422: ErrorOut})
@paginate(Keyset)
def list_extensions(
    request: HttpRequest,
    status: ExtensionStatusName | None = None,
    assignment: BigInt | None = None,
    task: BigInt | None = None,
) -> Any:
    """Extension requests of the assignments the caller may see, oldest first (``status=pending``: to decide)."""
    found = visible_extensions(request.auth)  # type: ignore[attr-defined]
    found = filter_given(found, status=status, assignment_id=assignment, assignment__task_id=task)
    return found.order_by("requested_at", "id")


@router.get("/extensions/{int:extension_id}", response={200: ExtensionOut, **ERRORS})
def get_extension(request: HttpRequest, extension_id: BigInt) -> ExtensionRequest:
    return get_extension_for(request.auth, extension_id)  # type: ignore[attr-defined]


@router.post("/assignments/{int:assignment_id}/extensions", response={201: ExtensionOut, **ERRORS})
def request_extension(
    request: HttpRequest, assignment_id: BigInt, payload: ExtensionIn
) -> Status[ExtensionRequest]:
    """A liaison of the assignment's unit asks to move its deadline, with the reason (one pending at a time)."""
    user = request.auth  # type: ignore[attr-defined]
    assignment = get_assignment_for(user, assignment_id)
    require(user, "report")
    created = supervision.request_extension(
        assignment=assignment, user=user, new_deadline=payload.new_deadline, reason=payload.reason
    )
    return Status(201, get_extension_for(user, created.pk))


@router.post("/extensions/{int:extension_id}/decision", response={200: ExtensionOut, **ERRORS})
def decide_extension(request: HttpRequest, extension_id: BigInt, payload: DecisionIn) -> ExtensionRequest:
    """The supervision office approves (the deadline moves, and the task's with a lead's) or rejects with a comment."""
    user = request.auth  # type: ignore[attr-defined]
    extension = get_extension_for(user, extension_id)
    require(user, "rate")
    supervision.decide_extension(
        request=extension, user=user, approve=payload.approve, comment=payload.comment
    )
    return get_extension_for(user, extension_id)


# --- urgings ---------------------------------------------------------------------


@router.get("/urgings", response={200: list[UrgingOut], 401: ErrorOut, 422: ErrorOut})
@paginate(Keyset)
def list_urgings(
    request: HttpRequest,
    responded: bool | None = None,
    assignment: BigInt | None = None,
    task: BigInt | None = None,
) -> Any:
    """Urgings of the assignments the caller may see, with any response, newest first."""
    found = visible_urgings(request.auth)  # type: ignore[attr-defined]
    if responded is not None:
        found = found.filter(responded_at__isnull=not responded)
    found = filter_given(found, assignment_id=assignment, assignment__task_id=task)
    return found.order_by("-created_at", "-id")


@router.get("/urgings/{int:urging_id}", response={200: UrgingOut, **ERRORS})
def get_urging(request: HttpRequest, urging_id: BigInt) -> Urging:
    return get_urging_for(request.auth, urging_id)  # type: ignore[attr-defined]


@router.post("/urgings/{int:urging_id}/response", response={200: UrgingOut, **ERRORS})
def respond_to_urging(request: HttpRequest, urging_id: BigInt, payload: UrgingResponseIn) -> Urging:
    """The urged unit's liaison or head answers the urging (once)."""
    user = request.auth  # type: ignore[attr-defined]
    urging = get_urging_for(user, urging_id)
    require(user, "report")
    supervision.respond_to_urging(urging=urging, user=user, response=payload.response)
    return get_urging_for(user, urging_id)


@router.get("/urgings/{int:urging_id}/notice", response={200: None, **ERRORS})
def urging_notice(request: HttpRequest, urging_id: BigInt) -> HttpResponse:
    """The urging notice (催办单) as issued, a DOCX attachment.

    When nothing of the assignment was overdue any more on the day it was
    issued, there is no notice: 400 ``nothing_overdue``.
    """
    urging = get_urging_for(request.auth, urging_id)  # type: ignore[attr-defined]
    response = HttpResponse(urging_notice_docx(urging=urging), content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="urging-{urging.pk}.docx"'
    return response
