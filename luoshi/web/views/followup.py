"""Follow-up pages: a unit head approves reports, a unit answers urgings, the office searches the audit trail."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from luoshi.accounts.scope import UNIT_ROLES, get_report_for, require, role_of
from luoshi.audit.services import AuditEntry, search
from luoshi.reports.models import Report
from luoshi.reports.services import ReportError, approve_report
from luoshi.supervision.services import SupervisionError, respond_to_urging
from luoshi.web.forms_followup import ApprovalForm, AuditFilterForm, UrgingResponseForm
from luoshi.web.pages.my import Approval, UrgingItem, get_urging_for, my_home
from luoshi.web.views.common import is_htmx, today

AUDIT_PAGE_SIZE = 50


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
        decided = approve_report(report=report, user=request.user, approve=form.approve,
                                 comment=form.cleaned_data["comment"])
    except ReportError as exc:
        refused.error = str(exc)
        return _approval_refused(request, refused)
    if is_htmx(request):
        return render(request, "web/followup_approval_row.html", {"item": Approval(decided)})
    text = _("Report approved.") if decided.approval == Report.Approval.APPROVED else _("Report sent back.")
    messages.success(request, text)
    return redirect("web:my")


def _approval_refused(request: HttpRequest, refused: Approval) -> HttpResponse:
    """The row again with the reason under the comment: alone for htmx, else in the whole home page (400)."""
    if is_htmx(request):  # 200, so that htmx swaps the row in
        return render(request, "web/followup_approval_row.html", {"item": refused})
    page = my_home(user=request.user, today=today())
    page.approvals = [refused if a.report.pk == refused.report.pk else a for a in page.approvals]
    if not any(a is refused for a in page.approvals):
        page.approvals.insert(0, refused)  # no longer pending: show it with the reason all the same
    return render(request, "web/my.html", {"page": page}, status=400)


# --- urging responses (催办回复) ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def urging(request: HttpRequest, pk: int) -> HttpResponse:
    """An urging of the user's unit (or, for the office, any): what is overdue, the DOCX notice, the answer."""
    found = get_urging_for(request.user, pk)
    may_respond = role_of(request.user) in UNIT_ROLES
    if request.method != "POST":
        return render(request, "web/followup_urging.html", {"item": UrgingItem(found), "may_respond": may_respond})
    form = UrgingResponseForm(request.POST)
    form.is_valid()  # one optional text field: the service says what an acceptable answer is
    try:
        respond_to_urging(urging=found, user=request.user, response=form.cleaned_data.get("response", ""))
    except SupervisionError as exc:
        found.refresh_from_db()
        item = UrgingItem(found, error=str(exc), response=request.POST.get("response", ""))
        context = {"item": item, "may_respond": may_respond}
        if is_htmx(request):  # 200, so that htmx swaps the card in
            return render(request, "web/followup_urging_card.html", context)
        return render(request, "web/followup_urging.html", context, status=400)
    if is_htmx(request):
        return render(request, "web/followup_urging_card.html", {"item": UrgingItem(found), "may_respond": False})
    messages.success(request, _("Response sent to the supervision office."))
    return redirect("web:urging", pk=found.pk)


# --- audit search (操作日志) -----------------------------------------------------------------------


@dataclass
class AuditRow:
    entry: AuditEntry
    changes: list[tuple[str, str | None, str]]  # field, before (None: there was nothing), after


def _shown(value: Any) -> str:
    if value is None:
        return "—"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def change_lines(entry: AuditEntry) -> list[tuple[str, str | None, str]]:
    """The entry's field diff as (field, before, after) strings; a value not recorded as a pair is the "after"."""
    lines = []
    for name, pair in (entry.changes or {}).items():
        before, after = pair if isinstance(pair, list) and len(pair) == 2 else (None, pair)
        lines.append((name, None if before is None else _shown(before), _shown(after)))
    return lines


def _type_label(label: str) -> str:
    try:
        return f"{apps.get_model(label)._meta.verbose_name} ({label})"
    except (LookupError, ValueError):
        return label


def _audit_query(request: HttpRequest) -> tuple[AuditFilterForm, QuerySet[AuditEntry] | None]:
    """The filter form and its entries (None when the filters are invalid); PermissionDenied for other roles."""
    everything = search(user=request.user)  # refuses every role but the office's and the administrator's
    types = everything.order_by().values_list("object_type", flat=True).distinct()
    form = AuditFilterForm(request.GET, object_types=[(t, _type_label(t)) for t in sorted(types)])
    if not form.is_valid():
        return form, None
    return form, search(user=request.user, **form.search_filters())


@login_required
@require_GET
def audit(request: HttpRequest) -> HttpResponse:
    form, entries = _audit_query(request)
    if entries is None:
        return render(request, "web/audit.html", {"form": form, "page": None, "rows": []}, status=400)
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [AuditRow(entry, change_lines(entry)) for entry in page.object_list]
    return render(request, "web/audit.html", {"form": form, "page": page, "rows": rows})


class _Echo:
    def write(self, value: str) -> str:
        return value


def audit_csv_lines(entries: QuerySet[AuditEntry]) -> Iterator[str]:
    """The CSV of the entries, one line at a time; the changes as JSON {field: [before, after]}."""
    writer = csv.writer(_Echo())
    yield writer.writerow(["at", "user", "ip", "action", "object_type", "object_id", "object", "changes", "note"])
    for e in entries.iterator(chunk_size=1000):
        yield writer.writerow([
            timezone.localtime(e.at).isoformat(), e.actor_label, e.ip or "", e.action, e.object_type, e.object_id,
            e.object_repr, json.dumps(e.changes, ensure_ascii=False), e.note,
        ])


@login_required
@require_GET
def audit_csv(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """Every entry matching the page's filters (not only the page shown)."""
    form, entries = _audit_query(request)
    if entries is None:
        errors = "; ".join(f"{name}: {' '.join(str(m) for m in msgs)}" for name, msgs in form.errors.items())
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    response = StreamingHttpResponse(audit_csv_lines(entries), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{today().isoformat()}.csv"'
    return response
