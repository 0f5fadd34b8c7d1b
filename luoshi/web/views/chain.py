"""The actions on the task page: override a rating, designate an evaluator, record an evaluation,
record an accountability measure (the supervision office); edit the task's plan, add and remove
milestones, add indicators (the office); take a lifecycle step (the lead unit's own steps, the office
the rest); divide an assignment among lower units (the unit holding it, or the office).

Each is a POST that htmx sends to swap one section of the page (the view
returns that section's partial) and that also works as a plain form (a
redirect to the page, or the whole page with the refused form, status 400).
Who may act: the object is fetched in the user's scope (404 outside it), the
role is checked here (403), and the service checks once more.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from luoshi.accountability.services import AccountabilityError, record_measure
from luoshi.accounts.scope import (
    get_assignment_for,
    get_task_for,
    require,
    require_transition,
    visible_assignments,
)
from luoshi.evaluation.services import EvaluationError, can_evaluate, designate_evaluator, record_evaluation
from luoshi.ratings.errors import RatingError
from luoshi.ratings.services import override_rating
from luoshi.tasks.models import Assignment, Task
from luoshi.tasks.services import (
    TaskError,
    add_indicator,
    add_milestone,
    cascade,
    remove_milestone,
    transition,
)
from luoshi.tasks.services import update_task as update_task_service
from luoshi.web.forms_chain import (
    MEASURE_ERROR_FIELDS,
    MILESTONE_ERROR_FIELDS,
    OVERRIDE_ERROR_FIELDS,
    STEP_ERROR_FIELDS,
    DesignateEvaluatorForm,
    EvaluationForm,
    IndicatorForm,
    MeasureForm,
    MilestoneForm,
    OverrideForm,
    ShareFormSet,
    StepForm,
    TaskPlanForm,
    place_error,
)
from luoshi.web.pages.task import (
    accountability_section,
    cascade_section,
    division_units,
    evaluation_section,
    evaluator_candidates,
    may_divide,
    owner_for,
    plan_section,
    task_units,
    trajectory_for,
)
from luoshi.web.views.common import assignment_url, is_htmx, today
from luoshi.web.views.task import (
    accountability_context,
    cascade_context,
    evaluation_context,
    owner_row,
    plan_context,
    render_task,
)


def _task_url(task: Task, anchor: str) -> str:
    return f"{reverse('web:task', args=[task.pk])}#{anchor}"


def _done(request: HttpRequest, *, text: str, url: str, section: Callable[[str], HttpResponse]) -> HttpResponse:
    """After a recorded action: htmx gets the section anew with a note; a plain form goes back to the page."""
    if is_htmx(request):
        return section(text)
    messages.success(request, text)
    return redirect(url)


# A refused form comes back with status 400: htmx swaps the section in (the task page
# tells htmx to swap 400 responses), a plain POST gets the whole page.


def _owner_section(request: HttpRequest, assignment: Assignment, *, form: OverrideForm | None = None,
                   done: str = "", status: int = 200) -> HttpResponse:
    owner = owner_for(user=request.user, assignment=assignment, today=today())
    row = owner_row(owner, may_rate=True, override_form=form)
    return render(request, "web/_task_owner.html", {"row": row, "may_rate": True, "done": done}, status=status)


@login_required
@require_POST
def override(request: HttpRequest, pk: int) -> HttpResponse:
    """The office sets an assignment's rating for today, with the reason."""
    assignment = get_assignment_for(request.user, pk)
    require(request.user, "rate")
    form = OverrideForm(request.POST, auto_id=f"id_override{assignment.pk}_%s")
    if form.is_valid():
        try:
            override_rating(assignment=assignment, rag=form.cleaned_data["rag"], reason=form.cleaned_data["reason"],
                            user=request.user, as_of=today(), confidence=form.cleaned_data["confidence"])
        except RatingError as exc:
            place_error(form, exc, OVERRIDE_ERROR_FIELDS)
        else:
            return _done(request, text=gettext("Rating overridden."), url=assignment_url(assignment),
                         section=lambda text: _owner_section(request, assignment, done=text))
    if is_htmx(request):
        return _owner_section(request, assignment, form=form, status=400)
    return render_task(request, assignment.task, override_forms={assignment.pk: form}, status=400)


def _evaluation_section(request: HttpRequest, task: Task, *, done: str = "", status: int = 200,
                        designate_form: DesignateEvaluatorForm | None = None,
                        evaluation_form: EvaluationForm | None = None) -> HttpResponse:
    context = evaluation_context(evaluation_section(user=request.user, task=task),
                                 designate_form=designate_form, evaluation_form=evaluation_form)
    return render(request, "web/_task_evaluation.html", {**context, "done": done}, status=status)


@login_required
@require_POST
def designate(request: HttpRequest, pk: int) -> HttpResponse:
    """The office lets one more person evaluate the task."""
    task = get_task_for(request.user, pk)
    require(request.user, "rate")
    form = DesignateEvaluatorForm(request.POST, candidates=evaluator_candidates(task))
    if form.is_valid():
        designate_evaluator(task=task, user=form.cleaned_data["user"], by=request.user)
        return _done(request, text=gettext("Evaluator designated."), url=_task_url(task, "evaluation"),
                     section=lambda text: _evaluation_section(request, task, done=text))
    if is_htmx(request):
        return _evaluation_section(request, task, designate_form=form, status=400)
    return render_task(request, task, designate_form=form, status=400)


@login_required
@require_POST
def evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    """The office or a designated evaluator records the effect of a completed task."""
    task = get_task_for(request.user, pk)
    if not can_evaluate(request.user, task):
        raise PermissionDenied
    form = EvaluationForm(request.POST, indicators=list(task.indicators.all()))
    if form.is_valid():
        data = form.cleaned_data
        try:
            record_evaluation(task=task, effect=data["effect"], user=request.user, indicators=form.outcomes(),
                              comments=data["comments"], recheck_date=data["recheck_date"])
        except EvaluationError as exc:
            form.place(exc)
        else:
            return _done(request, text=gettext("Evaluation recorded."), url=_task_url(task, "evaluation"),
                         section=lambda text: _evaluation_section(request, task, done=text))
    if is_htmx(request):
        return _evaluation_section(request, task, evaluation_form=form, status=400)
    return render_task(request, task, evaluation_form=form, status=400)


def _measures_section(request: HttpRequest, task: Task, *, done: str = "", status: int = 200,
                      form: MeasureForm | None = None) -> HttpResponse:
    context = accountability_context(accountability_section(user=request.user, task=task, today=today()),
                                     measure_form=form)
    return render(request, "web/_task_measures.html", {**context, "done": done}, status=status)


@login_required
@require_POST
def measure(request: HttpRequest, pk: int) -> HttpResponse:
    """The office records a measure (a suggested one, edited or not, or its own) for units of the task."""
    task = get_task_for(request.user, pk)
    require(request.user, "rate")
    form = MeasureForm.bound(request.POST, request.FILES, units=task_units(task))
    if form.is_valid():
        data = form.cleaned_data
        try:
            record_measure(kind=data["kind"], units=list(data["units"]), tasks=[task], reason=data["reason"],
                           date=data["date"], user=request.user, attachments=data["attachments"])
        except AccountabilityError as exc:
            place_error(form, exc, MEASURE_ERROR_FIELDS)
        else:
            return _done(request, text=gettext("Measure recorded."), url=_task_url(task, "measures"),
                         section=lambda text: _measures_section(request, task, done=text))
    if is_htmx(request):
        return _measures_section(request, task, form=form, status=400)
    return render_task(request, task, measure_form=form, status=400)


# The task's plan and lifecycle: every action answers with the plan section (and the page's
# heading, out of band, since the status and dates shown there may have changed).


def _plan_section(request: HttpRequest, task: Task, *, done: str = "", status: int = 200,
                  **forms: Any) -> HttpResponse:
    task = Task.objects.get(pk=task.pk)
    context = plan_context(plan_section(user=request.user, task=task), **forms)
    return render(request, "web/_task_plan.html", {
        **context, "done": done, "t": task, "refresh_head": True,
        "trajectory": trajectory_for(user=request.user, task=task) if status == 200 else None,
    }, status=status)


def _plan_refused(request: HttpRequest, task: Task, **forms: Any) -> HttpResponse:
    if is_htmx(request):
        return _plan_section(request, task, status=400, **forms)
    return render_task(request, task, plan_forms=forms, status=400)


def _plan_done(request: HttpRequest, task: Task, text: str) -> HttpResponse:
    return _done(request, text=text, url=_task_url(task, "plan"),
                 section=lambda note: _plan_section(request, task, done=note))


@login_required
@require_POST
def update_task(request: HttpRequest, pk: int) -> HttpResponse:
    """The office edits the task's title, dates, cadence, owners… as of the version it saw."""
    task = get_task_for(request.user, pk)
    require(request.user, "assign")
    form = TaskPlanForm(request.POST, task=task)
    if form.is_valid():
        changes = form.changes()
        if not changes:
            return _plan_done(request, task, gettext("Nothing to save: no field was changed."))
        try:
            update_task_service(task=task, version=form.cleaned_data["version"], user=request.user, today=today(),
                                **changes)
        except TaskError as exc:
            form.place(exc, changes)
        else:
            return _plan_done(request, task, gettext("Task saved."))
    return _plan_refused(request, task, edit_form=form)


@login_required
@require_POST
def new_milestone(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_task_for(request.user, pk)
    require(request.user, "assign")
    form = MilestoneForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            add_milestone(task=task, date=data["date"], expected_progress=data["expected_progress"],
                          title=data["title"])
        except TaskError as exc:
            place_error(form, exc, MILESTONE_ERROR_FIELDS)
        else:
            return _plan_done(request, task, gettext("Milestone added."))
    return _plan_refused(request, task, milestone_form=form)


@login_required
@require_POST
def delete_milestone(request: HttpRequest, pk: int, milestone_pk: int) -> HttpResponse:
    task = get_task_for(request.user, pk)
    require(request.user, "assign")
    milestone = get_object_or_404(task.milestones, pk=milestone_pk)
    try:
        remove_milestone(milestone=milestone, user=request.user)
    except TaskError as exc:
        return _plan_refused(request, task, removal_error=str(exc))
    return _plan_done(request, task, gettext("Milestone removed."))


@login_required
@require_POST
def new_indicator(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_task_for(request.user, pk)
    require(request.user, "assign")
    form = IndicatorForm(request.POST, task=task)
    if form.is_valid():
        data = form.cleaned_data
        try:
            add_indicator(task=task, name=data["name"], unit_of_measure=data["unit_of_measure"],
                          baseline=data["baseline"], target=data["target"], baseline_date=data["baseline_date"],
                          target_date=data["target_date"], direction=data["direction"])
        except TaskError as exc:
            form.place(exc)
        else:
            return _plan_done(request, task, gettext("Indicator added."))
    return _plan_refused(request, task, indicator_form=form)


@login_required
@require_POST
def step(request: HttpRequest, pk: int) -> HttpResponse:
    """A lifecycle step: the lead unit accepts the task or asks for completion; the office the rest."""
    task = get_task_for(request.user, pk)
    to_status = str(request.POST.get("to_status", ""))
    form = StepForm(request.POST, from_status=task.status, to_status=to_status)
    if form.is_valid():
        require_transition(request.user, task, to_status)
        try:
            transition(task=task, to_status=to_status, user=request.user,
                       reason=form.cleaned_data.get("reason") or "", version=form.cleaned_data["version"])
        except TaskError as exc:
            place_error(form, exc, STEP_ERROR_FIELDS)
        else:
            return _plan_done(request, task, gettext("Status: %(status)s.") % {"status": task.get_status_display()})
    return _plan_refused(request, task, step_form=form)


# Division among lower units (分解下达): the answer is the division section.


def _cascade_section(request: HttpRequest, task: Task, *, done: str = "", status: int = 200,
                     formsets: dict[int, Any] | None = None) -> HttpResponse:
    assignments = list(visible_assignments(request.user).filter(task=task).select_related("task", "unit")
                       .order_by("role", "pk"))
    context = cascade_context(cascade_section(user=request.user, task=task, assignments=assignments),
                              formsets=formsets)
    return render(request, "web/_task_cascade.html", {**context, "done": done}, status=status)


@login_required
@require_POST
def divide(request: HttpRequest, pk: int) -> HttpResponse:
    """The lead unit (or a unit holding a share) or the office divides the assignment among lower units."""
    assignment = get_assignment_for(request.user, pk)
    if not may_divide(request.user, assignment):
        raise PermissionDenied
    task = assignment.task
    formset = ShareFormSet(request.POST, assignment=assignment, units=division_units(assignment=assignment),
                           indicators=list(task.indicators.all()))
    if formset.is_valid():
        try:
            created = cascade(assignment=assignment, shares=formset.shares())
        except TaskError as exc:
            formset.place(exc)
        else:
            text = gettext("Divided among %(units)s.") % {"units": "、".join(a.unit.name for a in created)}
            return _done(request, text=text, url=_task_url(task, "cascade"),
                         section=lambda note: _cascade_section(request, task, done=note))
    if is_htmx(request):
        return _cascade_section(request, task, formsets={assignment.pk: formset}, status=400)
    return render_task(request, task, share_formsets={assignment.pk: formset}, status=400)
