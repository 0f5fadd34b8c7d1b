from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from luoshi.accounts.scope import UNIT_ROLES, role_of
from luoshi.lib import keyset
from luoshi.notifications.services import inbox, mark_read
from luoshi.supervision.access import urgings_for_notices
from luoshi.tasks.access import get_assignment_for
from luoshi.web.common.http import assignment_url, is_htmx, today
from luoshi.web.my.pages import my_home, my_instructions


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if role_of(request.user) not in UNIT_ROLES:
        raise PermissionDenied
    raw = request.GET.get("page", "1")
    page = int(raw) if raw.isdigit() and len(raw) <= 6 else 1
    return render(
        request,
        "web/my/my.html",
        {
            "page": my_home(user=request.user, today=today(), page=page),
            "instructions": my_instructions(user=request.user, today=today()),
        },
    )


@login_required
def assignment(request: HttpRequest, pk: int) -> HttpResponse:
    """An assignment lives on its task's page, under its own anchor."""
    found = get_assignment_for(request.user, pk)
    return redirect(assignment_url(found))


INBOX_PAGE = 50


@login_required
def inbox_page(request: HttpRequest) -> HttpResponse:
    """The user's notices, newest first, INBOX_PAGE at a time ("older notices" follows a keyset cursor,
    so a deep page costs what the first does); an urging (or its escalation) links to the urging."""
    cursor = request.GET.get("cursor") or None
    error = ""
    notices = inbox(request.user).order_by("-created_at", "-id")
    try:
        found = keyset.page(notices, cursor=cursor, limit=INBOX_PAGE)
    except keyset.BadCursor as exc:
        error, cursor = exc.message(), None
        found = keyset.page(notices, cursor=None, limit=INBOX_PAGE)
    urgings = urgings_for_notices(user=request.user, notices=found.rows)
    items = [{"notice": n, "urging": urgings.get(n.pk)} for n in found.rows]
    return render(
        request,
        "web/my/inbox.html",
        {
            "notices": items,
            "may_respond": role_of(request.user) in UNIT_ROLES,
            "error": error,
            "deeper": cursor is not None,
            "older": f"?cursor={found.next_cursor}" if found.next_cursor else "",
        },
    )


@login_required
@require_POST
def read_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one of the user's notices read; htmx gets the updated row back."""
    mark_read(user=request.user, notice_ids=[pk])
    notice = inbox(request.user).filter(pk=pk).first()
    if is_htmx(request) and notice is not None:
        urging = urgings_for_notices(user=request.user, notices=[notice]).get(notice.pk)
        return render(
            request,
            "web/my/_notice.html",
            {"notice": notice, "urging": urging, "may_respond": role_of(request.user) in UNIT_ROLES},
        )
    return redirect("web:inbox")


@login_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    mark_read(
        user=request.user, notice_ids=list(inbox(request.user, unread_only=True).values_list("pk", flat=True))
    )
    return redirect("web:inbox")
