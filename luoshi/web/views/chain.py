"""The supervision office's actions on the task page: override a rating, designate an evaluator,
record an evaluation, record an accountability measure. (The task's setup: plan, milestones,
indicators, lifecycle steps and division among lower units, is in ``views/setup.py``.)

Each is a POST that htmx sends to swap one section of the page (the view
returns that section's partial) and that also works as a plain form (a
redirect to the page, or the whole page with the refused form, status 400).
Who may act: the object is fetched in the user's scope (404 outside it), the
role is checked here (403), and the service checks once more.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from luoshi.accountability.services import AccountabilityError, record_measure
from luoshi.accounts.scope import require
from luoshi.evaluation.access import EVALUATION, can_evaluate, evaluator_candidates
from luoshi.evaluation.services import EvaluationError, designate_evaluator, record_evaluation
from luoshi.ratings.errors import RatingError
from luoshi.ratings.services import override_rating
from luoshi.tasks.access import get_assignment_for, get_task_for
from luoshi.tasks.models import Assignment, Task
from luoshi.web.answer import answer_form
from luoshi.web.common.http import assignment_url, today
from luoshi.web.forms_chain import DesignateEvaluatorForm, EvaluationForm, MeasureForm, OverrideForm
from luoshi.web.pages.task import (
    accountability_section,
    evaluation_section,
    owner_for,
    task_units,
)
from luoshi.web.views.task import (
    accountability_context,
    action_done,
    evaluation_context,
    owner_row,
    render_task,
    task_url,
)

# A refused form comes back with status 400: htmx swaps the section in (the task page
# tells htmx to swap 400 responses), a plain POST gets the whole page.


def _owner_section(
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
        request, "web/_task_owner.html", {"row": row, "may_rate": True, "done": done}, status=status
    )


@login_required
@require_POST
def override(request: HttpRequest, pk: int) -> HttpResponse:
    """The office sets an assignment's rating for today, with the reason."""
    assignment = get_assignment_for(request.user, pk)
    require(request.user, "rate")
    form = OverrideForm(request.POST, auto_id=f"id_override{assignment.pk}_%s")
    return answer_form(
        request,
        form,
        lambda data: override_rating(
            assignment=assignment,
            rag=data["rag"],
            reason=data["reason"],
            user=request.user,
            as_of=today(),
            confidence=data["confidence"],
        ),
        refusals=RatingError,
        done=lambda _: action_done(
            request,
            text=gettext("Rating overridden."),
            url=assignment_url(assignment),
            section=lambda text: _owner_section(request, assignment, done=text),
        ),
        section=lambda: _owner_section(request, assignment, form=form, status=400),
        page=lambda: render_task(request, assignment.task, override_forms={assignment.pk: form}, status=400),
    )


def _evaluation_section(
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
    return render(request, "web/_task_evaluation.html", {**context, "done": done}, status=status)


@login_required
@require_POST
def designate(request: HttpRequest, pk: int) -> HttpResponse:
    """The office lets one more person evaluate the task."""
    task = get_task_for(request.user, pk)
    EVALUATION["designate_evaluator"].require(request.user, task)  # 403 before reading the form
    form = DesignateEvaluatorForm(request.POST, candidates=evaluator_candidates(task))
    return answer_form(
        request,
        form,
        lambda data: designate_evaluator(task=task, user=data["user"], by=request.user),
        refusals=EvaluationError,
        done=lambda _: action_done(
            request,
            text=gettext("Evaluator designated."),
            url=task_url(task, "evaluation"),
            section=lambda text: _evaluation_section(request, task, done=text),
        ),
        section=lambda: _evaluation_section(request, task, designate_form=form, status=400),
        page=lambda: render_task(request, task, designate_form=form, status=400),
    )


@login_required
@require_POST
def evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    """The office or a designated evaluator records the effect of a completed task."""
    task = get_task_for(request.user, pk)
    if not can_evaluate(request.user, task):
        raise PermissionDenied
    form = EvaluationForm(request.POST, indicators=list(task.indicators.all()))
    return answer_form(
        request,
        form,
        lambda data: record_evaluation(
            task=task,
            effect=data["effect"],
            user=request.user,
            indicators=form.outcomes(),
            comments=data["comments"],
            recheck_date=data["recheck_date"],
        ),
        refusals=EvaluationError,
        done=lambda _: action_done(
            request,
            text=gettext("Evaluation recorded."),
            url=task_url(task, "evaluation"),
            section=lambda text: _evaluation_section(request, task, done=text),
        ),
        section=lambda: _evaluation_section(request, task, evaluation_form=form, status=400),
        page=lambda: render_task(request, task, evaluation_form=form, status=400),
    )


def _measures_section(
    request: HttpRequest, task: Task, *, done: str = "", status: int = 200, form: MeasureForm | None = None
) -> HttpResponse:
    context = accountability_context(
        accountability_section(user=request.user, task=task, today=today()), measure_form=form
    )
    return render(request, "web/_task_measures.html", {**context, "done": done}, status=status)


@login_required
@require_POST
def measure(request: HttpRequest, pk: int) -> HttpResponse:
    """The office records a measure (a suggested one, edited or not, or its own) for units of the task."""
    task = get_task_for(request.user, pk)
    require(request.user, "rate")
    form = MeasureForm.bound(request.POST, request.FILES, units=task_units(task))
    return answer_form(
        request,
        form,
        lambda data: record_measure(
            kind=data["kind"],
            units=list(data["units"]),
            tasks=[task],
            reason=data["reason"],
            date=data["date"],
            user=request.user,
            attachments=data["attachments"],
        ),
        refusals=AccountabilityError,
        done=lambda _: action_done(
            request,
            text=gettext("Measure recorded."),
            url=task_url(task, "measures"),
            section=lambda text: _measures_section(request, task, done=text),
        ),
        section=lambda: _measures_section(request, task, form=form, status=400),
        page=lambda: render_task(request, task, measure_form=form, status=400),
    )
