"""The leader's page and the watch list's actions (watch, stop watching, mark as seen): all POSTs but the page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from luoshi.instructions.access import get_watch_for, may_watch, require_watch
from luoshi.instructions.errors import InstructionError
from luoshi.instructions.watch import mark_seen, unwatch, watch
from luoshi.tasks.access import get_task_for
from luoshi.units.models import Unit
from luoshi.web.common.http import today
from luoshi.web.instructions.forms import WatchForm
from luoshi.web.instructions.leader_page import leader_page, unit_choices


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if not may_watch(request.user):
        raise PermissionDenied
    page = leader_page(
        user=request.user,
        today=today(),
        now=timezone.now(),
        state=request.GET.get("state", ""),
        page=request.GET.get("page", 1),
    )
    return render(request, "web/instructions/leader.html", {"page": page})


def _back(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("web:leader")


@login_required
@require_POST
def add(request: HttpRequest) -> HttpResponse:
    """Watch a unit (chosen on the leader's page) or a task (from its page)."""
    require_watch(request.user)
    form = WatchForm(request.POST, units=Unit.objects.filter(pk__in=[u.pk for u in unit_choices()]))
    if not form.is_valid():
        messages.error(request, _("Choose a unit to watch."))
        return _back(request)
    task = get_task_for(request.user, form.cleaned_data["task"]) if form.cleaned_data.get("task") else None
    try:
        watched = watch(user=request.user, task=task, unit=None if task else form.cleaned_data.get("unit"))
    except InstructionError as exc:
        messages.error(request, exc.message())
    else:
        messages.success(request, _("Now watching %(item)s.") % {"item": watched.task or watched.unit})
    return _back(request)


@login_required
@require_POST
def remove(request: HttpRequest, pk: int) -> HttpResponse:
    watched = get_watch_for(request.user, pk)
    unwatch(user=request.user, watched=watched)
    messages.success(request, _("No longer watching %(item)s.") % {"item": watched.task or watched.unit})
    return _back(request)


@login_required
@require_POST
def seen(request: HttpRequest) -> HttpResponse:
    """The leader has seen the changes: the next visit shows only what changes from now on."""
    mark_seen(user=request.user)
    return redirect("web:leader")
