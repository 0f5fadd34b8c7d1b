"""Bulletins (检查通报): choose, preview, download, issue; the issued list and the ledger (台账).

The supervision office issues; leaders read; units are refused (403).
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from csp.decorators import csp_replace
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from luoshi.bulletins.access import may_edit, require_reader
from luoshi.bulletins.services import FORMATS, BulletinError, issue_bulletin, render_issued, render_ledger
from luoshi.documents.access import get_document_for
from luoshi.lib.bounds import within_horizon
from luoshi.reports.access import get_report_for
from luoshi.web.bulletins.pages import (
    CONTENT_TYPES,
    XLSX,
    Choice,
    bulletins_page,
    candidate_for,
    get_bulletin,
    preview_html,
    read_choice,
    read_good_practice_edit,
    refusal_text,
    render_choice,
    save_good_practice,
)
from luoshi.web.common.http import is_htmx, today


def _page(request: HttpRequest, choice: Choice, *, error: str = "", status: int = 200) -> HttpResponse:
    page = bulletins_page(user=request.user, choice=choice, error=error, today=today())
    return render(
        request,
        "web/bulletins/bulletins.html",
        {"page": page},
        status=status if not page.error else max(status, 400),
    )


def _attachment(content: bytes, fmt: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@login_required
def home(request: HttpRequest) -> HttpResponse:
    require_reader(request.user)
    return _page(request, read_choice(user=request.user, params=request.GET, today=today()))


@login_required
@xframe_options_sameorigin
@csp_replace({"frame-ancestors": ["'self'"]})
def preview(request: HttpRequest) -> HttpResponse:
    """The chosen bulletin as HTML, for the page's preview frame (sandboxed there: no scripts, no forms)."""
    require_reader(request.user)
    choice = read_choice(user=request.user, params=request.GET, today=today())
    if choice.as_of_error:
        return HttpResponse(choice.as_of_error, status=400, content_type="text/plain; charset=utf-8")
    try:
        return HttpResponse(preview_html(choice), content_type=CONTENT_TYPES["html"])
    except BulletinError as exc:
        return HttpResponse(refusal_text(exc), status=400, content_type="text/plain; charset=utf-8")


@login_required
def download(request: HttpRequest) -> HttpResponse:
    """The chosen bulletin, not issued, in one format; a refusal (e.g. no PDF here) comes back on the page."""
    require_reader(request.user)
    choice = read_choice(user=request.user, params=request.GET, today=today())
    fmt = request.GET.get("format", "docx")
    if fmt not in FORMATS:
        raise Http404
    if choice.as_of_error:
        return _page(request, choice, status=400)
    try:
        content = render_choice(choice, fmt=fmt)
    except BulletinError as exc:
        return _page(
            request, choice, error=refusal_text(exc), status=409 if exc.code.startswith("no_") else 400
        )
    return _attachment(content, fmt, f"bulletin-{choice.period}")


@login_required
@require_POST
def issue(request: HttpRequest) -> HttpResponse:
    """Issue the chosen bulletin: a new numbered, immutable row (a new version when reissued)."""
    require_reader(request.user)
    if not may_edit(request.user):
        raise PermissionDenied
    choice = read_choice(user=request.user, params=request.POST, today=today())
    if choice.as_of_error:
        return _page(request, choice, status=400)
    try:
        bulletin = issue_bulletin(
            period=choice.period,
            document=choice.document,
            level=choice.level or None,
            user=request.user,
            title=choice.title or None,
            as_of=choice.as_of,
        )
    except BulletinError as exc:
        return _page(request, choice, error=refusal_text(exc), status=400)
    messages.success(
        request,
        _("Issued %(number)s, version %(version)s.")
        % {"number": bulletin.number, "version": bulletin.version},
    )
    return _back(choice, "issued")


def _back(choice: Choice, anchor: str) -> HttpResponse:
    query = urlencode({k: v for k, v in choice.params().items() if v != ""})
    return redirect(f"{reverse('web:bulletins')}?{query}#{anchor}")


@login_required
@require_POST
def good_practice(request: HttpRequest, pk: int) -> HttpResponse:
    """Tick (or untick) a report's excerpt for the bulletin, optionally trimmed or edited.

    htmx gets the report's row back (with the reason when refused) and the preview redrawn; a plain form
    goes back to the page with a message.
    """
    require_reader(request.user)
    if not may_edit(request.user):
        raise PermissionDenied
    report = get_report_for(request.user, pk)
    choice = read_choice(user=request.user, params=request.POST, today=today())
    error, done = "", ""
    try:
        done = save_good_practice(
            user=request.user, report=report, edit=read_good_practice_edit(request.POST)
        )
    except BulletinError as exc:
        error = refusal_text(exc)
    if not is_htmx(request):
        (messages.error if error else messages.success)(request, error or done)
        return _back(choice, f"gp-report-{report.pk}")
    # The row is what changed; the preview frame is sent again (out of band) so that it reloads.
    context = {
        "c": candidate_for(report),
        "choice": choice,
        "error": error,
        "done": done,
        "preview": "" if error else f"{choice.preview_url()}&redraw={report.pk}-{int(bool(done))}",
    }
    return render(request, "web/bulletins/good_practice.html", context)


@login_required
def issued(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    require_reader(request.user)
    bulletin = get_bulletin(pk)
    if fmt not in FORMATS:
        raise Http404
    try:
        content = render_issued(bulletin=bulletin, fmt=fmt)
    except BulletinError as exc:
        return _page(
            request,
            Choice(period=bulletin.period, document=bulletin.document, level=bulletin.level),
            error=refusal_text(exc),
            status=409,
        )
    return _attachment(content, fmt, f"bulletin-{bulletin.year}-{bulletin.sequence}")


@login_required
def ledger(request: HttpRequest) -> HttpResponse:
    """The ledger (台账) workbook: one row per assignment, as of a date (default today)."""
    require_reader(request.user)
    document = (
        get_document_for(request.user, request.GET["document"]) if request.GET.get("document") else None
    )
    try:
        as_of = dt.date.fromisoformat(request.GET["as_of"]) if request.GET.get("as_of") else today()
    except ValueError:
        raise Http404 from None
    if not within_horizon(as_of, today()):
        raise Http404
    response = HttpResponse(render_ledger(document=document, as_of=as_of), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="ledger-{as_of.isoformat()}.xlsx"'
    return response
