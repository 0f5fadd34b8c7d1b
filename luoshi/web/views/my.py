from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from luoshi.accounts.scope import UNIT_ROLES, get_assignment_for, role_of
from luoshi.notifications.services import inbox, mark_read
from luoshi.web.pages.my import my_home
from luoshi.web.views.common import assignment_url, is_htmx, today


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if role_of(request.user) not in UNIT_ROLES:
        raise PermissionDenied
    return render(request, "web/my.html", {"page": my_home(user=request.user, today=today())})


@login_required
def assignment(request: HttpRequest, pk: int) -> HttpResponse:
    """An assignment lives on its task's page, under its own anchor."""
    found = get_assignment_for(request.user, pk)
    return redirect(assignment_url(found))


@login_required
def inbox_page(request: HttpRequest) -> HttpResponse:
    return render(request, "web/inbox.html", {"notices": inbox(request.user)[:200]})


@login_required
@require_POST
def read_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one of the user's notices read; htmx gets the updated row back."""
    mark_read(user=request.user, notice_ids=[pk])
    notice = inbox(request.user).filter(pk=pk).first()
    if is_htmx(request) and notice is not None:
        return render(request, "web/_notice.html", {"notice": notice})
    return redirect("web:inbox")


@login_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    mark_read(user=request.user, notice_ids=list(inbox(request.user, unread_only=True).values_list("pk", flat=True)))
    return redirect("web:inbox")
