from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect

from luoshi.accounts.models import Role
from luoshi.accounts.scope import REVIEW_ROLES, UNIT_ROLES, role_of, sees_all
from luoshi.people.services import admin_usernames
from luoshi.site.demo import demo_accounts


class LoginView(auth_views.LoginView):
    """Django's login, plus the demo accounts when this is a demo database."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["demo_accounts"] = demo_accounts()
        context["no_admin_yet"] = not admin_usernames()
        return context


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each role's own home: a leader's instructions and watch list, the office's picture for the office
    (and the administrator), the unit's page for units."""
    if role_of(request.user) == Role.LEADER:
        return redirect("web:leader")
    if sees_all(request.user):
        return redirect("web:office")
    if role_of(request.user) in UNIT_ROLES:
        return redirect("web:my")
    if role_of(request.user) in REVIEW_ROLES:
        return redirect("review:list")
    return redirect("documents:list")


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok", "database": connection.vendor})
