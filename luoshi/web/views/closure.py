"""Closing a task (销号) from its page: the office's form in the closure section (htmx swaps the section)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from luoshi.evaluation.access import require_close
from luoshi.evaluation.services import EvaluationError, close_task, task_evidence
from luoshi.tasks.access import get_task_for
from luoshi.tasks.models import Task
from luoshi.web.answer import answer_form
from luoshi.web.forms_chain import ClosureForm
from luoshi.web.pages.task_followup import closure_section
from luoshi.web.views.task import action_done, closure_context, render_task, task_url


def _section(
    request: HttpRequest, task: Task, *, done: str = "", form: ClosureForm | None = None, status: int = 200
) -> HttpResponse:
    context = closure_context(closure_section(user=request.user, task=task), closure_form=form)
    return render(request, "web/_task_closure.html", {**context, "done": done}, status=status)


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
            section=lambda text: _section(request, task, done=text),
        ),
        section=lambda: _section(request, task, form=form, status=400),
        page=lambda: render_task(request, task, closure_form=form, status=400),
    )
