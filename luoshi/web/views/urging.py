"""The urging notice (催办单) of an urging record, as a DOCX download."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from luoshi.accounts.scope import get_assignment_for
from luoshi.bulletins.errors import BulletinError
from luoshi.supervision.models import Urging
from luoshi.supervision.services import urging_notice_docx

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
def urging_docx(request: HttpRequest, pk: int) -> HttpResponse:
    urging = get_object_or_404(Urging.objects.select_related("assignment"), pk=pk)
    get_assignment_for(request.user, urging.assignment_id)  # 404 outside the user's scope
    try:
        data = urging_notice_docx(urging=urging)
    except BulletinError as exc:  # nothing overdue any more on the issue date
        raise Http404(str(exc)) from exc
    response = HttpResponse(data, content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="urging-{urging.pk}.docx"'
    return response
