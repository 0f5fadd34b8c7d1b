"""One section of the task page rendered alone, with a note (``done``) or a refused form (status 400): what
htmx swaps in after the office's actions in ``web.ratings``, ``web.evaluation`` and ``web.accountability``
(the setup's sections: ``views_setup``)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from luoshi.tasks.models import Assignment, Task
from luoshi.web.accountability.forms import MeasureForm
from luoshi.web.common.http import today
from luoshi.web.evaluation.forms import ClosureForm, DesignateEvaluatorForm, EvaluationForm
from luoshi.web.ratings.forms import OverrideForm
from luoshi.web.tasks.context import accountability_context, closure_context, evaluation_context, owner_row
from luoshi.web.tasks.followup import closure_section
from luoshi.web.tasks.pages import accountability_section, evaluation_section, owner_for


def render_owner(
    request: HttpRequest,
    assignment: Assignment,
    *,
    form: OverrideForm | None = None,
    done: str = "",
    status: int = 200,
) -> HttpResponse:
    owner = owner_for(user=request.user, assignment=assignment, today=today())
    row = owner_row(owner, may_rate=True, override_form=form)
    return render(
        request, "web/tasks/_owner.html", {"row": row, "may_rate": True, "done": done}, status=status
    )


def render_evaluation(
    request: HttpRequest,
    task: Task,
    *,
    done: str = "",
    status: int = 200,
    designate_form: DesignateEvaluatorForm | None = None,
    evaluation_form: EvaluationForm | None = None,
) -> HttpResponse:
    context = evaluation_context(
        evaluation_section(user=request.user, task=task),
        designate_form=designate_form,
        evaluation_form=evaluation_form,
    )
    return render(request, "web/tasks/_evaluation.html", {**context, "done": done}, status=status)


def render_measures(
    request: HttpRequest, task: Task, *, done: str = "", status: int = 200, form: MeasureForm | None = None
) -> HttpResponse:
    context = accountability_context(
        accountability_section(user=request.user, task=task, today=today()), measure_form=form
    )
    return render(request, "web/tasks/_measures.html", {**context, "done": done}, status=status)


def render_closure(
    request: HttpRequest, task: Task, *, done: str = "", form: ClosureForm | None = None, status: int = 200
) -> HttpResponse:
    context = closure_context(closure_section(user=request.user, task=task), closure_form=form)
    return render(request, "web/tasks/_closure.html", {**context, "done": done}, status=status)
