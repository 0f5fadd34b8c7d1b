"""The evaluation's actions on the task page: designate an evaluator, record an evaluation (跟踪问效),
close the task (销号). (The rating override is in ``web.ratings``, a measure in ``web.accountability``;
the task's setup: plan, milestones, indicators, lifecycle steps and division among lower units, is in
``web.tasks.views_setup``.)

Each is a POST that htmx sends to swap one section of the page (the view
returns that section's partial) and that also works as a plain form (a
redirect to the page, or the whole page with the refused form, status 400).
Who may act: the object is fetched in the user's scope (404 outside it), the
role is checked here (403), and the service checks once more.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from luoshi.evaluation.access import EVALUATION, can_evaluate, evaluator_candidates, require_close
from luoshi.evaluation.services import (
    EvaluationError,
    close_task,
    designate_evaluator,
    record_evaluation,
    task_evidence,
)
from luoshi.tasks.access import get_task_for
from luoshi.web.answer import answer_form
from luoshi.web.evaluation.forms import ClosureForm, DesignateEvaluatorForm, EvaluationForm
from luoshi.web.tasks.context import action_done, render_task, task_url
from luoshi.web.tasks.sections import render_closure, render_evaluation

if TYPE_CHECKING:
    from luoshi.tasks.models import Task

# A refused form comes back with status 400: htmx swaps the section in (the task page
# tells htmx to swap 400 responses), a plain POST gets the whole page.


def _answer_in_evaluation(
    request: HttpRequest,
    task: Task,
    run: Callable[[Any], object],
    *,
    text: str,
    designate_form: DesignateEvaluatorForm | None = None,
    evaluation_form: EvaluationForm | None = None,
) -> HttpResponse:
    """Answer the one form (of the two) posted to the task's evaluation section; ``text``: the note once done."""
    form = designate_form if designate_form is not None else evaluation_form
    assert form is not None
    return answer_form(
        request,
        form,
        run,
        refusals=EvaluationError,
        done=lambda _: action_done(
            request,
            text=text,
            url=task_url(task, "evaluation"),
            section=lambda note: render_evaluation(request, task, done=note),
        ),
        section=lambda: render_evaluation(
            request, task, designate_form=designate_form, evaluation_form=evaluation_form, status=400
        ),
        page=lambda: render_task(
            request, task, designate_form=designate_form, evaluation_form=evaluation_form, status=400
        ),
    )


@login_required
@require_POST
def designate(request: HttpRequest, pk: int) -> HttpResponse:
    """The office lets one more person evaluate the task."""
    task = get_task_for(request.user, pk)
    EVALUATION["designate_evaluator"].require(request.user, task)  # 403 before reading the form
    form = DesignateEvaluatorForm(request.POST, candidates=evaluator_candidates(task))
    return _answer_in_evaluation(
        request,
        task,
        lambda data: designate_evaluator(task=task, user=data["user"], by=request.user),
        text=gettext("Evaluator designated."),
        designate_form=form,
    )


@login_required
@require_POST
def evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    """The office or a designated evaluator records the effect of a completed task."""
    task = get_task_for(request.user, pk)
    if not can_evaluate(request.user, task):
        raise PermissionDenied
    form = EvaluationForm(request.POST, indicators=list(task.indicators.all()))
    return _answer_in_evaluation(
        request,
        task,
        lambda data: record_evaluation(
            task=task,
            effect=data["effect"],
            user=request.user,
            indicators=form.outcomes(),
            comments=data["comments"],
            recheck_date=data["recheck_date"],
        ),
        text=gettext("Evaluation recorded."),
        evaluation_form=form,
    )


@login_required
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    """The office closes a completed, evaluated task with its evidence."""
    task = get_task_for(request.user, pk)
    require_close(request.user)
    form = ClosureForm(request.POST, evidence=task_evidence(task))
    return answer_form(
        request,
        form,
        lambda data: close_task(task=task, user=request.user, note=data["note"], evidence=data["evidence"]),
        refusals=EvaluationError,
        done=lambda _: action_done(
            request,
            text=gettext("Task closed; it leaves the active lists."),
            url=task_url(task, "closure"),
            section=lambda text: render_closure(request, task, done=text),
        ),
        section=lambda: render_closure(request, task, form=form, status=400),
        page=lambda: render_task(request, task, closure_form=form, status=400),
    )
