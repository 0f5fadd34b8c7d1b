"""The decomposition review: propose a plan from a document, review its tasks, confirm, create tasks.

Every change goes through ``luoshi.decomposition.services`` (or the Excel
import, or ``create_tasks_from_plan``); a refusal comes back as its
bilingual message, next to the task for htmx, as a page message otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from luoshi.accounts.scope import require, sees_all
from luoshi.decomposition.access import get_plan_for, get_plan_task, get_plan_to_change, visible_plans
from luoshi.decomposition.excel import ExcelImportError, ImportReport, export_plan_xlsx, import_plan_xlsx
from luoshi.decomposition.models import Plan, PlanTask
from luoshi.decomposition.services import (
    PlanError,
    add_plan_indicator,
    add_plan_milestone,
    confirm_plan,
    edit_task,
    merge_tasks,
    propose_plan,
    remove_plan_indicator,
    remove_plan_milestone,
    set_task_status,
    split_task,
    unreviewed,
)
from luoshi.decomposition.services import (
    accept_rest as accept_rest_service,
)
from luoshi.documents.access import get_document_for
from luoshi.tasks.errors import TaskError
from luoshi.tasks.services import create_tasks_from_plan
from luoshi.web.answer import answer_form, redirect_with
from luoshi.web.common.http import is_htmx, today
from luoshi.web.plan.forms import PlanIndicatorForm, PlanMilestoneForm, RemoveScheduleForm
from luoshi.web.plan.pages import (
    CreateTasksForm,
    EditForm,
    ImportForm,
    MergeForm,
    ProposeForm,
    SplitForm,
    StatusForm,
    card_for,
    catalog_units,
    coverage_for,
    plan_page,
)


def _acting_on(request: HttpRequest, pk: int) -> Plan:
    """A plan the user may see (else 404) and change (else 403)."""
    return get_plan_to_change(request.user, pk)


def _page_url(plan: Plan, task: PlanTask | None = None) -> str:
    url = reverse("web:plan", args=[plan.pk])
    return f"{url}#task-{task.pk}" if task else url


def _render_page(
    request: HttpRequest,
    plan: Plan,
    *,
    status: int = 200,
    bound: tuple[int, forms.Form] | None = None,
    **extra: Any,
) -> HttpResponse:
    context = {
        "page": plan_page(user=request.user, plan=plan, bound=bound),
        "create_form": CreateTasksForm.for_plan(plan, today()),
        "import_form": ImportForm(),
        **extra,
    }
    return render(request, "web/plan/plan.html", context, status=status)


def _card(
    request: HttpRequest,
    task: PlanTask,
    *,
    error: str = "",
    form: EditForm | None = None,
    status: int = 200,
    bound: forms.Form | None = None,
) -> HttpResponse:
    """After a task action: htmx gets the task's card (and the coverage meters); a plain form, the page."""
    if not is_htmx(request):
        if error:
            messages.error(request, error)
        return redirect(_page_url(task.plan, task))
    plan = Plan.objects.get(pk=task.plan_id)
    overall, sections = coverage_for(plan)
    context = {
        "card": card_for(task, bound=bound),
        "may_edit": plan.is_draft,
        "error": error,
        "form": form,
        "units": list(catalog_units(plan)),
        "overall": overall,
        "sections": sections,
        "oob": True,
        "unreviewed": unreviewed(plan),
    }
    return render(request, "web/plan/task.html", context, status=status)


@login_required
@require_POST
def propose(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_document_for(request.user, pk)
    require(request.user, "plan")
    form = ProposeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a unit catalog."))
        return redirect("documents:detail", pk=document.pk)
    outcome = propose_plan(document=document, catalog_name=form.cleaned_data["catalog"])
    messages.success(
        request, _("Task division plan #%(pk)s proposed; review each task.") % {"pk": outcome.plan.pk}
    )
    return redirect("web:plan", pk=outcome.plan.pk)


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    if not sees_all(request.user):
        raise PermissionDenied
    return render(request, "web/plan/list.html", {"plans": visible_plans(request.user)[:200]})


@login_required
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_page(request, get_plan_for(request.user, pk))


@login_required
@require_POST
def task_status(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    task = get_plan_task(_acting_on(request, pk), task_pk)
    form = StatusForm(request.POST)
    if not form.is_valid():
        return _card(request, task, error=_("Invalid action."), status=400)
    try:
        set_task_status(task=task, status=form.cleaned_data["status"], version=form.cleaned_data["version"])
    except PlanError as exc:
        return _card(request, task, error=exc.message(), status=409)
    return _card(request, task)


@login_required
@require_http_methods(["GET", "POST"])
def task_edit(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    """GET: the task's card with its edit form; POST: apply the edit made on the version the editor saw."""
    plan = _acting_on(request, pk)
    task = get_plan_task(plan, task_pk)
    if request.method == "GET":
        if not is_htmx(request):
            return _render_page(request, plan, editing=task.pk, edit_form=EditForm.for_task(task))
        return _card(request, task, form=EditForm.for_task(task))
    form = EditForm(request.POST, plan=plan)
    if not form.is_valid():
        return _card(request, task, form=form, error=_("Please check the fields."), status=400)
    data = form.cleaned_data
    try:
        edit_task(
            task=task,
            version=data["version"],
            title=data["title"] if data["title"] != task.title else None,
            lead_unit=data["lead_unit"],
            co_units=list(data["co_units"]),
            deadline=data["deadline"] if data["deadline"] != task.deadline else None,
            cadence=data["cadence"] if "cadence" in request.POST else None,
            today=today(),
        )
    except PlanError as exc:
        return _card(request, task, form=form, error=exc.message(), status=409)
    return _card(request, task)


def _schedule_answer(
    request: HttpRequest,
    plan: Plan,
    task: PlanTask,
    form: PlanMilestoneForm | PlanIndicatorForm,
    act: Callable[[dict[str, Any]], object],
) -> HttpResponse:
    """Add a milestone or an indicator; a refusal goes next to its field (400), or, when it concerns
    no field (a stale version, a confirmed plan), above the card (409)."""
    return answer_form(
        request,
        form,
        act,
        refusals=PlanError,
        done=lambda _: _card(request, task),
        unplaced=lambda exc: _card(request, task, error=exc.message(), status=409),
        section=lambda: _card(request, task, bound=form, status=400),
        page=lambda: _render_page(request, plan, bound=(task.pk, form), status=400),
    )


@login_required
@require_POST
def task_milestone(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    plan = _acting_on(request, pk)
    task = get_plan_task(plan, task_pk)
    return _schedule_answer(
        request,
        plan,
        task,
        PlanMilestoneForm(request.POST, task=task),
        lambda data: add_plan_milestone(
            task=task,
            version=data["version"],
            date=data["date"],
            expected_progress=data["expected_progress"],
            title=data["title"],
            today=today(),
        ),
    )


@login_required
@require_POST
def task_indicator(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    plan = _acting_on(request, pk)
    task = get_plan_task(plan, task_pk)
    return _schedule_answer(
        request,
        plan,
        task,
        PlanIndicatorForm(request.POST, task=task),
        lambda data: add_plan_indicator(
            task=task,
            version=data["version"],
            name=data["name"],
            unit_of_measure=data["unit_of_measure"],
            baseline=data["baseline"],
            target=data["target"],
            direction=data["direction"],
        ),
    )


@login_required
@require_POST
def task_schedule_remove(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    """Remove a milestone (by its ``date``) or an indicator (by its ``name``)."""
    task = get_plan_task(_acting_on(request, pk), task_pk)
    form = RemoveScheduleForm(request.POST)
    if not form.is_valid():
        return _card(request, task, error=_("Invalid action."), status=400)
    data = form.cleaned_data
    try:
        if data["date"]:
            remove_plan_milestone(task=task, version=data["version"], date=data["date"])
        else:
            remove_plan_indicator(task=task, version=data["version"], name=data["name"])
    except PlanError as exc:
        return _card(request, task, error=exc.message(), status=409)
    return _card(request, task)


@login_required
@require_POST
def task_split(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    plan = _acting_on(request, pk)
    task = get_plan_task(plan, task_pk)
    form = SplitForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the split position."))
        return redirect(_page_url(plan, task))
    try:
        first, second = split_task(
            task=task, at=form.cleaned_data["at"], version=form.cleaned_data["version"]
        )
    except PlanError as exc:
        messages.error(request, exc.message())
        return redirect(_page_url(plan, task))
    messages.success(
        request, _("Split into #%(first)s and #%(second)s.") % {"first": first.pk, "second": second.pk}
    )
    return redirect(_page_url(plan, second))


@login_required
@require_POST
def merge(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _acting_on(request, pk)
    form = MergeForm(request.POST, plan=plan)
    if not form.is_valid():
        messages.error(request, _("Merging needs at least two tasks."))
        return redirect(_page_url(plan))
    try:
        kept = merge_tasks(tasks=list(plan.tasks.filter(pk__in=form.cleaned_data["tasks"], parent=None)))
    except PlanError as exc:
        messages.error(request, exc.message())
        return redirect(_page_url(plan))
    messages.success(request, _("Merged into task #%(pk)s.") % {"pk": kept.pk})
    return redirect(_page_url(plan, kept))


@login_required
@require_POST
def accept_rest(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _acting_on(request, pk)
    try:
        count = accept_rest_service(plan=plan, user=request.user)
    except PlanError as exc:
        messages.error(request, exc.message())
    else:
        messages.success(request, _("Accepted the remaining %(count)s item(s).") % {"count": count})
    return redirect(_page_url(plan))


@login_required
@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _acting_on(request, pk)
    try:
        confirm_plan(plan=plan, user=request.user)
    except PlanError as exc:
        messages.error(request, exc.message())
    else:
        messages.success(request, _("The task division plan is confirmed."))
    return redirect(_page_url(plan))


@login_required
@require_POST
def create_tasks(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _acting_on(request, pk)
    form = CreateTasksForm.for_plan(plan, today(), request.POST)
    before = set(plan.tasks.filter(task__isnull=False).values_list("pk", flat=True))

    def created(tasks: list[Any]) -> HttpResponse:
        new = [t for t in tasks if t.plan_task_id not in before]
        text = ngettext("%(count)s task created.", "%(count)s tasks created.", len(new)) % {"count": len(new)}
        return redirect_with(request, text, f"{_page_url(plan)}#created")

    return answer_form(
        request,
        form,
        lambda data: create_tasks_from_plan(
            plan=plan,
            start_date=data["start_date"],
            default_deadline=data["default_deadline"],
            cadence=data["cadence"],
            user=request.user,
            today=today(),
        ),
        refusals=TaskError,
        done=created,
        page=lambda: _render_page(request, plan, create_form=form, status=400),
    )


@login_required
@require_POST
def export_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """A POST: the export is recorded in the audit trail, and a GET never writes."""
    plan = get_plan_for(request.user, pk)
    per_part = request.POST.get("per_part") == "1"
    data = export_plan_xlsx(plan=plan, sheet_per_part=per_part)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="plan-{plan.pk}.xlsx"'
    return response


@login_required
@require_POST
def import_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """Apply an edited workbook; the page shows what changed and each refused row."""
    plan = _acting_on(request, pk)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_page(request, plan, import_form=form, status=400)
    report: ImportReport | None = None
    try:
        report = import_plan_xlsx(
            plan=plan, data=form.cleaned_data["file"].read(), user=request.user, today=today()
        )
    except (ExcelImportError, PlanError) as exc:
        form.add_error("file", exc.message())
        return _render_page(request, plan, import_form=form, status=400)
    plan.refresh_from_db()
    return _render_page(request, plan, import_report=report)
