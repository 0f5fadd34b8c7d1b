"""The task page, and the contexts of its sections (the office's actions re-render one section: views/chain.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from luoshi.accounts.scope import get_assignment_for, get_task_for, visible_assignments
from luoshi.supervision.services import SupervisionError, request_extension
from luoshi.tasks.models import Task
from luoshi.web.forms import EXTENSION_ERROR_FIELDS, ExtensionRequestForm
from luoshi.web.forms_chain import DesignateEvaluatorForm, EvaluationForm, MeasureForm, OverrideForm
from luoshi.web.pages.task import (
    AccountabilitySection,
    EvaluationSection,
    Owner,
    evaluator_candidates,
    task_page,
    task_units,
)
from luoshi.web.pages.trajectory import to_csv, trajectory
from luoshi.web.views.common import assignment_url, today


@dataclass
class OwnerRow:
    """An owner's block with the forms it offers the user (None: not offered)."""

    owner: Owner
    extension_form: ExtensionRequestForm | None
    override_form: OverrideForm | None


def owner_row(owner: Owner, *, may_rate: bool, extension_form: ExtensionRequestForm | None = None,
              override_form: OverrideForm | None = None) -> OwnerRow:
    if not owner.may_request_extension:
        extension_form = None
    elif extension_form is None:
        extension_form = ExtensionRequestForm()
    if not may_rate or (owner.rating is None and override_form is None):  # a cancelled task is not rated
        override_form = None
    elif override_form is None:
        override_form = OverrideForm(auto_id=f"id_override{owner.assignment.pk}_%s")
    return OwnerRow(owner, extension_form, override_form)


def evaluation_context(section: EvaluationSection, *, designate_form: DesignateEvaluatorForm | None = None,
                       evaluation_form: EvaluationForm | None = None) -> dict[str, Any]:
    task = section.task
    if section.may_designate:
        designate_form = designate_form or DesignateEvaluatorForm(candidates=evaluator_candidates(task))
    if section.may_record and evaluation_form is None:
        evaluation_form = EvaluationForm(indicators=list(task.indicators.all()))
    # A refused form is shown with its errors even when the task is not (or no longer) open to evaluation.
    return {"evaluation": section, "designate_form": designate_form if section.may_designate else None,
            "evaluation_form": evaluation_form if section.may_record or evaluation_form is not None else None}


def accountability_context(section: AccountabilitySection, *, measure_form: MeasureForm | None = None
                           ) -> dict[str, Any]:
    """The measures, one prefilled form per suggestion and a free form; a refused form takes its place again."""
    if not section.may_record:
        return {"accountability": section, "suggestion_rows": [], "measure_form": None}
    units = task_units(section.task)
    failed = MeasureForm.origin_of(measure_form.data) if measure_form is not None else ""
    day = today()
    rows = []
    for suggestion in section.suggestions:
        origin = f"suggestion{suggestion.assignment.pk}"
        if measure_form is not None and failed == origin:
            form, measure_form = measure_form, None
        else:
            form = MeasureForm.prefilled(units=units, origin=origin, today=day, kind=suggestion.kind,
                                         unit=suggestion.assignment.unit,
                                         reason=_suggestion_reason(suggestion.reason_zh, suggestion.reason_en))
        rows.append((suggestion, form))
    # The free form, or a refused one whose suggestion is no longer there.
    free = measure_form or MeasureForm.prefilled(units=units, origin="free", today=day)
    return {"accountability": section, "suggestion_rows": rows, "measure_form": free}


def _suggestion_reason(zh: str, en: str) -> str:
    """The reason in the page's language: it is prefilled for the office to edit, then recorded."""
    return zh if (get_language() or "zh").startswith("zh") else en


def render_task(request: HttpRequest, task: Task, *, status: int = 200,
                extension_forms: dict[int, ExtensionRequestForm] | None = None,
                override_forms: dict[int, OverrideForm] | None = None,
                designate_form: DesignateEvaluatorForm | None = None, evaluation_form: EvaluationForm | None = None,
                measure_form: MeasureForm | None = None) -> HttpResponse:
    """The whole page; a refused plain (non-htmx) form comes back in it, bound, with its errors."""
    page = task_page(user=request.user, task=task, today=today())
    extension_forms = extension_forms or {}
    override_forms = override_forms or {}
    rows = [owner_row(o, may_rate=page.may_rate, extension_form=extension_forms.get(o.assignment.pk),
                      override_form=override_forms.get(o.assignment.pk)) for o in page.owners]
    context = {
        "page": page, "owner_rows": rows, "may_rate": page.may_rate, "urgings": page.urgings,
        **evaluation_context(page.evaluation, designate_form=designate_form, evaluation_form=evaluation_form),
        **accountability_context(page.accountability, measure_form=measure_form),
    }
    return render(request, "web/task.html", context, status=status)


@login_required
def task(request: HttpRequest, pk: int) -> HttpResponse:
    return render_task(request, get_task_for(request.user, pk))


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
    return render_task(request, assignment.task, extension_forms={assignment.pk: form}, status=400)
