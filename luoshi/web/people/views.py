"""Units and users administration for the supervision office and administrators (docs/administration.md).

Every change goes through ``units.services`` or ``accounts.services``; a
refusal comes back next to its field. With htmx a row turns into its form
and back in place; without JavaScript the same URLs serve whole pages.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from luoshi.accounts.access import get_account_for, manageable_roles, require_account_manager
from luoshi.people.access import require_unit_manager
from luoshi.people.services import (
    AccountError,
    create_account,
    deactivate_account,
    reactivate_account,
    reset_password,
    unlock_account,
    update_account,
)
from luoshi.people.units import UnitError, create_unit, update_unit
from luoshi.units.models import Unit
from luoshi.web.answer import answer_form, redirect_with
from luoshi.web.common.http import is_htmx
from luoshi.web.people.forms import (
    AccountCreateForm,
    AccountEditForm,
    PasswordPairForm,
    UnitCreateForm,
    UnitEditForm,
    UnitFilterForm,
    UserFilterForm,
)
from luoshi.web.people.pages import (
    account_row,
    account_rows,
    get_unit_for_admin,
    page_of,
    search_accounts,
    search_units,
    unit_catalogs,
    unit_row,
)

# ---- units ----


def _units_page(request: HttpRequest, create_form: UnitCreateForm, *, status: int = 200) -> HttpResponse:
    catalogs = unit_catalogs()
    filters = UnitFilterForm(request.GET, catalogs=catalogs)
    wanted: dict[str, Any] = filters.cleaned_data if filters.is_valid() else {}
    found = search_units(
        catalog=wanted.get("catalog", ""),
        level=wanted.get("level", ""),
        status=wanted.get("status", ""),
        text=wanted.get("q", ""),
    )
    context = {
        "filters": filters,
        "page": page_of(found, request.GET.get("page")),
        "create_form": create_form,
        "catalogs": catalogs,
    }
    return render(request, "web/people/units.html", context, status=status)


def _unit_url(unit: Unit) -> str:
    return (
        f"{reverse('web:people_units')}?{urlencode({'catalog': unit.catalog, 'q': unit.code})}#unit-{unit.pk}"
    )


@login_required
@require_GET
def units(request: HttpRequest) -> HttpResponse:
    require_unit_manager(request.user)
    return _units_page(request, UnitCreateForm())


@login_required
@require_http_methods(["GET", "POST"])
def unit_new(request: HttpRequest) -> HttpResponse:
    require_unit_manager(request.user)
    if request.method == "GET":
        return redirect(f"{reverse('web:people_units')}#new-unit")
    form = UnitCreateForm(request.POST)
    return answer_form(
        request,
        form,
        lambda data: create_unit(
            actor=request.user,
            catalog=data["catalog"],
            code=data["code"],
            name=data["name"],
            level=data["level"],
            aliases=form.alias_list(),
            parent=data["parent"],
        ),
        refusals=UnitError,
        done=lambda unit: redirect_with(
            request, _("Unit “%(name)s” created.") % {"name": unit.name}, _unit_url(unit)
        ),
        page=lambda: _units_page(request, form, status=400),
    )


@login_required
@require_GET
def unit_row_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A unit's row as shown in the list: what htmx puts back when an edit is cancelled."""
    unit = get_unit_for_admin(request.user, pk)
    if not is_htmx(request):
        return redirect(_unit_url(unit))
    return render(request, "web/people/unit_row.html", {"u": unit})


@login_required
@require_http_methods(["GET", "POST"])
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_unit_for_admin(request.user, pk)
    form = UnitEditForm(request.POST if request.method == "POST" else None, unit=unit)
    if request.method != "POST":
        return _unit_form(request, unit, form)
    return answer_form(
        request,
        form,
        lambda data: update_unit(
            actor=request.user,
            unit=unit,
            name=data["name"],
            level=data["level"],
            aliases=form.alias_list(),
            parent=data["parent"],
            active=data["active"],
            requires_head_approval=data["requires_head_approval"],
        ),
        refusals=UnitError,
        done=lambda _: _unit_saved(request, unit),
        page=lambda: _unit_form(request, unit, form),
    )


def _edit_form(
    request: HttpRequest,
    form: UnitEditForm | AccountEditForm,
    context: dict[str, Any],
    *,
    row: str,
    page: str,
) -> HttpResponse:
    """An edit form: in its ``row`` template for htmx (which swaps 2xx answers only, so a refused form
    comes back with 200), else on its own ``page`` (400 when refused)."""
    context = {**context, "form": form}
    if is_htmx(request):
        return render(request, row, context)
    return render(request, page, context, status=400 if form.is_bound else 200)


def _unit_form(request: HttpRequest, unit: Unit, form: UnitEditForm) -> HttpResponse:
    return _edit_form(
        request, form, {"u": unit}, row="web/people/unit_form_row.html", page="web/people/unit_edit.html"
    )


def _unit_saved(request: HttpRequest, unit: Unit) -> HttpResponse:
    if is_htmx(request):
        return render(request, "web/people/unit_row.html", {"u": unit_row(unit.pk), "saved": True})
    return redirect_with(request, _("Unit “%(name)s” saved.") % {"name": unit.name}, _unit_url(unit))


# ---- users ----


def _users_page(request: HttpRequest, create_form: AccountCreateForm, *, status: int = 200) -> HttpResponse:
    roles = manageable_roles(request.user)
    filters = UserFilterForm(request.GET, roles=roles)
    wanted: dict[str, Any] = filters.cleaned_data if filters.is_valid() else {}
    found = search_accounts(
        request.user,
        role=wanted.get("role", ""),
        unit=wanted.get("unit"),
        status=wanted.get("status", ""),
        text=wanted.get("q", ""),
    )
    page = page_of(found, request.GET.get("page"))
    context = {"filters": filters, "page": page, "rows": account_rows(page), "create_form": create_form}
    return render(request, "web/people/users.html", context, status=status)


def _user_url(user: Any) -> str:
    return f"{reverse('web:people_users')}?{urlencode({'q': user.get_username()})}#user-{user.pk}"


def _user_row(request: HttpRequest, user: Any, **extra: Any) -> HttpResponse:
    user = get_account_for(request.user, user.pk)  # fresh, with its profile
    return render(request, "web/people/user_row.html", {"r": account_row(user), **extra})


@login_required
@require_GET
def users(request: HttpRequest) -> HttpResponse:
    require_account_manager(request.user)
    return _users_page(request, AccountCreateForm(roles=manageable_roles(request.user)))


@login_required
@require_http_methods(["GET", "POST"])
def user_new(request: HttpRequest) -> HttpResponse:
    require_account_manager(request.user)
    if request.method == "GET":
        return redirect(f"{reverse('web:people_users')}#new-user")
    form = AccountCreateForm(request.POST, roles=manageable_roles(request.user))
    return answer_form(
        request,
        form,
        lambda data: create_account(
            actor=request.user,
            username=data["username"],
            password=data["password"],
            role=data["role"],
            unit=data["unit"],
            display_name=data["display_name"],
        ),
        refusals=AccountError,
        done=lambda user: redirect_with(
            request, _("Account “%(name)s” created.") % {"name": user.get_username()}, _user_url(user)
        ),
        page=lambda: _users_page(request, form, status=400),
    )


@login_required
@require_GET
def user_row_view(request: HttpRequest, pk: int) -> HttpResponse:
    """An account's row as shown in the list: what htmx puts back when an edit is cancelled."""
    user = get_account_for(request.user, pk)
    if not is_htmx(request):
        return redirect(_user_url(user))
    return _user_row(request, user)


@login_required
@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an account's display name, role and unit."""
    user = get_account_for(request.user, pk)
    row = account_row(user)
    form = AccountEditForm(
        request.POST if request.method == "POST" else None,
        user=user,
        role=row.role,
        roles=manageable_roles(request.user),
    )
    if request.method != "POST":
        return _user_form(request, row, form)
    return answer_form(
        request,
        form,
        lambda data: update_account(
            actor=request.user,
            user=user,
            role=data["role"],
            unit=data["unit"],
            display_name=data["display_name"],
        ),
        refusals=AccountError,
        done=lambda _: _user_saved(request, user),
        page=lambda: _user_form(request, row, form),
    )


def _user_form(request: HttpRequest, row: Any, form: AccountEditForm) -> HttpResponse:
    return _edit_form(
        request, form, {"r": row}, row="web/people/user_form_row.html", page="web/people/user_edit.html"
    )


def _user_saved(request: HttpRequest, user: Any) -> HttpResponse:
    if is_htmx(request):
        return _user_row(request, user, saved=True)
    return redirect_with(
        request, _("Account “%(name)s” saved.") % {"name": user.get_username()}, _user_url(user)
    )


@login_required
@require_POST
def user_active(request: HttpRequest, pk: int) -> HttpResponse:
    """Deactivate (active=0) or reactivate (active=1) an account; refusals shown in its row."""
    user = get_account_for(request.user, pk)
    activate = request.POST.get("active") == "1"
    try:
        if activate:
            reactivate_account(actor=request.user, user=user)
        else:
            deactivate_account(actor=request.user, user=user)
    except AccountError as exc:
        if is_htmx(request):
            return _user_row(request, user, error=exc.message())
        messages.error(request, exc.message())
        return redirect(_user_url(user))
    if is_htmx(request):
        return _user_row(request, user, saved=True)
    text = _("Account “%(name)s” reactivated.") if activate else _("Account “%(name)s” deactivated.")
    messages.success(request, text % {"name": user.get_username()})
    return redirect(_user_url(user))


@login_required
@require_POST
def user_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    """Lift the lockout after too many failed logins (解除锁定)."""
    user = get_account_for(request.user, pk)
    unlock_account(actor=request.user, user=user)
    if is_htmx(request):
        return _user_row(request, user, saved=True)
    messages.success(request, _("Account “%(name)s” unlocked.") % {"name": user.get_username()})
    return redirect(_user_url(user))


@login_required
@require_http_methods(["GET", "POST"])
def user_password(request: HttpRequest, pk: int) -> HttpResponse:
    """The office sets a new password for an account (and tells the person by its own means)."""
    user = get_account_for(request.user, pk)
    form = PasswordPairForm(request.POST if request.method == "POST" else None)
    if request.method != "POST":
        return _password_form(request, user, form)
    return answer_form(
        request,
        form,
        lambda data: reset_password(actor=request.user, user=user, password=data["password"]),
        refusals=AccountError,
        done=lambda _: _password_reset(request, user),
        page=lambda: _password_form(request, user, form),
    )


def _password_form(request: HttpRequest, user: Any, form: PasswordPairForm) -> HttpResponse:
    return render(
        request,
        "web/people/user_password.html",
        {"r": account_row(user), "form": form},
        status=400 if form.is_bound else 200,
    )


def _password_reset(request: HttpRequest, user: Any) -> HttpResponse:
    if user.pk == request.user.pk:  # keep one's own session
        update_session_auth_hash(request, user)
    return redirect_with(
        request, _("The password of “%(name)s” was reset.") % {"name": user.get_username()}, _user_url(user)
    )
