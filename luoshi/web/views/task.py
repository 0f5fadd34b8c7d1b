from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from luoshi.accounts.scope import get_assignment_for, get_task_for, visible_assignments
from luoshi.supervision.services import SupervisionError, request_extension
from luoshi.tasks.models import Task
from luoshi.web.forms import EXTENSION_ERROR_FIELDS, ExtensionRequestForm
from luoshi.web.pages.task import task_page
from luoshi.web.pages.trajectory import to_csv, trajectory
from luoshi.web.views.common import assignment_url, today


def _render(request: HttpRequest, task: Task, *, forms: dict[int, ExtensionRequestForm] | None = None,
            status: int = 200) -> HttpResponse:
    page = task_page(user=request.user, task=task, today=today())
    forms = forms or {}
    extension_forms = {o.assignment.pk: forms.get(o.assignment.pk, ExtensionRequestForm())
                       for o in page.owners if o.may_request_extension}
    return render(request, "web/task.html", {"page": page, "extension_forms": extension_forms}, status=status)


@login_required
def task(request: HttpRequest, pk: int) -> HttpResponse:
    return _render(request, get_task_for(request.user, pk))


@login_required
def trajectory_csv(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_task_for(request.user, pk)
    points = trajectory(assignments=list(visible_assignments(request.user).filter(task=found).select_related(
        "task", "unit")))
    response = HttpResponse(to_csv(points), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="task-{found.pk}-trajectory.csv"'
    return response


@login_required
@require_POST
def extension_request(request: HttpRequest, pk: int) -> HttpResponse:
    """A liaison asks to move the assignment's deadline; refusals come back next to the fields."""
    assignment = get_assignment_for(request.user, pk)
    form = ExtensionRequestForm(request.POST)
    if form.is_valid():
        try:
            request_extension(assignment=assignment, user=request.user,
                              new_deadline=form.cleaned_data["new_deadline"], reason=form.cleaned_data["reason"])
        except SupervisionError as exc:
            form.add_error(EXTENSION_ERROR_FIELDS.get(exc.code), str(exc))
        else:
            messages.success(request, "延期申请已提交，等待督查室审批 / Extension requested; the office will decide.")
            return redirect(assignment_url(assignment))
    return _render(request, assignment.task, forms={assignment.pk: form}, status=400)
