"""The audit search page and its CSV (the office and the administrator; search() refuses the rest)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from luoshi.lib.tabular import csv_stream
from luoshi.web.audit.pages import AUDIT_CSV_HEADERS, audit_csv_rows, audit_page, audit_query
from luoshi.web.common.http import today


@login_required
@require_GET
def audit(request: HttpRequest) -> HttpResponse:
    found = audit_page(user=request.user, params=request.GET)
    context = {"form": found.form, "page": found.page, "rows": found.rows}
    return render(request, "web/audit/audit.html", context, status=400 if found.entries is None else 200)


@login_required
@require_GET
def audit_csv(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """Every entry matching the page's filters (not only the page shown)."""
    found = audit_query(user=request.user, params=request.GET)
    if found.entries is None:
        errors = "; ".join(
            f"{name}: {' '.join(str(m) for m in msgs)}" for name, msgs in found.form.errors.items()
        )
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    return csv_stream(
        AUDIT_CSV_HEADERS, audit_csv_rows(found.entries), filename=f"audit-{today().isoformat()}.csv"
    )
