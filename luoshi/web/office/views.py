"""The supervision office's home and its two decisions: extension requests and completion requests."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from luoshi.accounts.scope import can, sees_all
from luoshi.supervision.access import get_pending_extension_for
from luoshi.supervision.services import SupervisionError, decide_extension
from luoshi.tasks.access import get_task_for
from luoshi.tasks.errors import TaskError
from luoshi.tasks.services import completion_outcome, transition
from luoshi.web.common.http import is_htmx, today
from luoshi.web.office.active import office_followup
from luoshi.web.office.forms import DecisionForm
from luoshi.web.office.pages import LISTS, office_home, office_list


def _require_office(request: HttpRequest) -> None:
    if not sees_all(request.user):
        raise PermissionDenied


@login_required
def home(request: HttpRequest) -> HttpResponse:
    _require_office(request)
    context = {
        "page": office_home(user=request.user, today=today()),
        "may_decide": can(request.user, "rate"),
        "may_close": can(request.user, "approve_completion"),
        "followup": office_followup(user=request.user, today=today()),
    }
    return render(request, "web/office/office.html", context)


@login_required
def listing(request: HttpRequest, kind: str) -> HttpResponse:
    """One of the home page's lists in full, paged (?page=N)."""
    _require_office(request)
    if kind not in LISTS:
        raise Http404
    raw = request.GET.get("page", "1")
    page = int(raw) if raw.isdigit() and len(raw) <= 6 else 1
    return render(
        request,
        "web/office/office_list.html",
        {"listing": office_list(user=request.user, today=today(), kind=kind, page=page)},
    )


def _done(request: HttpRequest, text: str) -> HttpResponse:
    """After a decision: htmx gets a one-line result in place of the row; a plain form goes back home."""
    if is_htmx(request):
        return render(request, "web/office/_decided.html", {"text": text})
    messages.success(request, text)
    return redirect("web:office")


def _refused(request: HttpRequest, template: str, context: dict[str, Any], error: str) -> HttpResponse:
    """A refused decision: htmx gets the row back with the reason under the form; a plain form, a message."""
    if is_htmx(request):
        context = {
            **context,
            "error": error,
            "comment": request.POST.get("comment", ""),
            "may_decide": True,
            "may_close": True,
        }
        return render(request, template, context)
    messages.error(request, error)
    return redirect("web:office")


@login_required
@require_POST
def decide_extension_view(request: HttpRequest, pk: int) -> HttpResponse:
    _require_office(request)
    extension = get_pending_extension_for(request.user, pk)
    form = DecisionForm(request.POST)
    row = ("web/supervision/_extension_row.html", {"x": extension})
    if not form.is_valid():
        return _refused(request, *row, _("Choose approve or reject."))
    try:
        decide_extension(
            request=extension, user=request.user, approve=form.approve, comment=form.cleaned_data["comment"]
        )
    except SupervisionError as exc:
        return _refused(request, *row, exc.message())
    extension.refresh_from_db()
    values = {
        "unit": extension.assignment.unit.name,
        "old": extension.old_deadline,
        "new": extension.new_deadline,
    }
    if form.approve:
        return _done(request, _("%(unit)s: %(old)s → %(new)s approved") % values)
    return _done(request, _("%(unit)s: %(old)s → %(new)s rejected") % values)


@login_required
@require_POST
def decide_completion(request: HttpRequest, pk: int) -> HttpResponse:
    """Close a task whose lead asked for completion, or return the request with a reason."""
    _require_office(request)
    task = get_task_for(request.user, pk)
    form = DecisionForm(request.POST)
    row = ("web/office/_completion_row.html", {"t": task})
    if not form.is_valid():
        return _refused(request, *row, _("Choose complete or return."))
    to_status = completion_outcome(form.approve)
    try:
        transition(task=task, to_status=to_status, user=request.user, reason=form.cleaned_data["comment"])
    except TaskError as exc:
        return _refused(request, *row, exc.message())
    if form.approve:
        return _done(request, _("%(task)s: completed") % {"task": task.title})
    return _done(request, _("%(task)s: returned") % {"task": task.title})
