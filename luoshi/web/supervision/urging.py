"""The urging notice (催办单) as a DOCX download: of an urging record, or of all a unit's overdue work."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from luoshi.accounts.scope import sees_all
from luoshi.bulletins.access import may_issue_urging_notice
from luoshi.bulletins.errors import BulletinError
from luoshi.bulletins.services import urging_notice_docx
from luoshi.bulletins.unit_notice import issue_unit_urging_notice, read_unit_urging_notice
from luoshi.supervision.models import Urging
from luoshi.tasks.access import get_assignment_for
from luoshi.web.common.http import today
from luoshi.web.supervision.pages import get_unit_for_urging

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _docx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def urging_docx(request: HttpRequest, pk: int) -> HttpResponse:
    urging = get_object_or_404(Urging.objects.select_related("assignment"), pk=pk)
    get_assignment_for(request.user, urging.assignment_id)  # 404 outside the user's scope
    try:
        data = urging_notice_docx(urging=urging)
    except BulletinError as exc:  # nothing overdue any more on the issue date
        raise Http404(exc.message()) from exc
    return _docx(data, f"urging-{urging.pk}.docx")


def _nothing_overdue(request: HttpRequest, exc: BulletinError) -> HttpResponse:
    messages.info(request, exc.message())
    back = f"{reverse('web:office')}#urging-units" if sees_all(request.user) else reverse("web:my")
    return redirect(back)


@login_required
@require_GET
def unit_urging_docx(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything the unit has overdue today, as one notice, only read: numbered if the office issued it today.

    Nothing overdue: no file, but the reason, back on the office page (or the unit's home).
    """
    unit = get_unit_for_urging(request.user, pk)  # 404 for other units
    day = today()
    try:
        notice = read_unit_urging_notice(unit=unit, today=day)
    except BulletinError as exc:
        return _nothing_overdue(request, exc)
    return _docx(notice.content, f"urging-unit-{unit.pk}-{day.isoformat()}.docx")


@login_required
@require_POST
def issue_unit_urging(request: HttpRequest, pk: int) -> HttpResponse:
    """The office issues the unit's notice (numbered, audited), then downloads it by a GET that only reads."""
    unit = get_unit_for_urging(request.user, pk)
    if not may_issue_urging_notice(request.user):
        raise Http404
    try:
        issue_unit_urging_notice(unit=unit, user=request.user, today=today())
    except BulletinError as exc:
        return _nothing_overdue(request, exc)
    return redirect("web:unit_urging_docx", pk=unit.pk)
