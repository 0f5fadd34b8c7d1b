"""The dashboard (一张蓝图): the page, its htmx refresh and one CSV per chart."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from luoshi.lib.tabular import csv_response
from luoshi.web.common.http import is_htmx, today
from luoshi.web.dashboard.pages import active_counts, dashboard, read_filters, table


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The whole page; an htmx request (a filter changed) gets the body only."""
    filters = read_filters(user=request.user, params=request.GET, today=today())
    page = dashboard(user=request.user, filters=filters, today=today())
    template = "web/dashboard/body.html" if is_htmx(request) else "web/dashboard/dashboard.html"
    return render(request, template, {"page": page, "active": active_counts(page.rollup)})


@login_required
def chart_csv(request: HttpRequest, chart: str) -> HttpResponse:
    filters = read_filters(user=request.user, params=request.GET, today=today())
    found = table(user=request.user, filters=filters, name=chart)
    return csv_response(
        found.headers, found.rows, filename=f"dashboard-{chart}-{filters.as_of.isoformat()}.csv"
    )
