"""Follow-up pages: a unit head approves reports, a unit answers urgings, the office searches the audit trail."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from luoshi.accounts.scope import UNIT_ROLES, require, role_of
from luoshi.reports.access import get_report_for
from luoshi.reports.queries import Approval as ReportApproval
from luoshi.reports.services import ReportError, approve_report
from luoshi.supervision.access import get_urging_for
from luoshi.supervision.services import SupervisionError, respond_to_urging
from luoshi.web.common.http import is_htmx, today
from luoshi.web.my.pages import Approval, UrgingItem, my_home
from luoshi.web.supervision.forms import ApprovalForm, UrgingResponseForm

# --- unit-head approval (单位负责人审核) -------------------------------------------------------------


@login_required
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve a pending report of the unit or send it back; htmx gets the row back, a plain form /my/."""
    require(request.user, "approve_report")  # 403 for every role but the unit head
    report = get_report_for(request.user, pk)  # 404 outside the head's unit
    form = ApprovalForm(request.POST)
    refused = Approval(report, comment=request.POST.get("comment", ""))
    if not form.is_valid():
        refused.error = _("Choose approve or send back.")
        return _approval_refused(request, refused)
    try:
        decided = approve_report(
            report=report, user=request.user, approve=form.approve, comment=form.cleaned_data["comment"]
        )
    except ReportError as exc:
        refused.error = exc.message()
        return _approval_refused(request, refused)
    if is_htmx(request):
        return render(request, "web/supervision/approval_row.html", {"item": Approval(decided)})
    text = _("Report approved.") if decided.approval == ReportApproval.APPROVED else _("Report sent back.")
    messages.success(request, text)
    return redirect("web:my")


def _approval_refused(request: HttpRequest, refused: Approval) -> HttpResponse:
    """The row again with the reason under the comment: alone for htmx, else in the whole home page (400)."""
    if is_htmx(request):  # 200, so that htmx swaps the row in
        return render(request, "web/supervision/approval_row.html", {"item": refused})
    page = my_home(user=request.user, today=today())
    page.approvals = [refused if a.report.pk == refused.report.pk else a for a in page.approvals]
    if not any(a is refused for a in page.approvals):
        page.approvals.insert(0, refused)  # no longer pending: show it with the reason all the same
    return render(request, "web/my/my.html", {"page": page}, status=400)


# --- urging responses (催办回复) ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def urging(request: HttpRequest, pk: int) -> HttpResponse:
    """An urging of the user's unit (or, for the office, any): what is overdue, the DOCX notice, the answer."""
    found = get_urging_for(request.user, pk)
    may_respond = role_of(request.user) in UNIT_ROLES
    if request.method != "POST":
        return render(
            request, "web/supervision/urging.html", {"item": UrgingItem(found), "may_respond": may_respond}
        )
    form = UrgingResponseForm(request.POST)
    form.is_valid()  # one optional text field: the service says what an acceptable answer is
    try:
        respond_to_urging(urging=found, user=request.user, response=form.cleaned_data.get("response", ""))
    except SupervisionError as exc:
        found.refresh_from_db()
        item = UrgingItem(found, error=exc.message(), response=request.POST.get("response", ""))
        context = {"item": item, "may_respond": may_respond}
        if is_htmx(request):  # 200, so that htmx swaps the card in
            return render(request, "web/supervision/urging_card.html", context)
        return render(request, "web/supervision/urging.html", context, status=400)
    if is_htmx(request):
        return render(
            request, "web/supervision/urging_card.html", {"item": UrgingItem(found), "may_respond": False}
        )
    messages.success(request, _("Response sent to the supervision office."))
    return redirect("web:urging", pk=found.pk)
