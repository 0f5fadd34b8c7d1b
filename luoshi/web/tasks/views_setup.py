"""The task's setup from its page: edit the task's plan, add and remove milestones, add indicators
(the office); take a lifecycle step (the lead unit's own steps, the office the rest); divide an
assignment among lower units (the unit holding it, or the office).

As the office's actions (``web.evaluation.views``…), each is a POST that htmx sends to swap one section
(the plan, or the division) and that also works as a plain form; the object is
fetched in the user's scope (404), the role is checked here (403), and the
service checks once more.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from luoshi.accounts.scope import require
from luoshi.tasks.access import (
    get_assignment_for,
    get_task_for,
    may_divide,
    visible_assignments,
)
from luoshi.tasks.models import Task
from luoshi.tasks.services import (
    TaskError,
    add_indicator,
    add_milestone,
    cascade,
    remove_milestone,
    transition,
)
from luoshi.tasks.services import update_task as update_task_service
from luoshi.web.answer import answer_form
from luoshi.web.common.http import is_htmx, today
from luoshi.web.tasks.context import action_done, cascade_context, plan_context, render_task, task_url
from luoshi.web.tasks.forms import IndicatorForm, MilestoneForm, ShareFormSet, StepForm, TaskPlanForm
from luoshi.web.tasks.pages import trajectory_for
from luoshi.web.tasks.setup import cascade_section, division_units, plan_section

# The task's plan and lifecycle: every action answers with the plan section (and the page's
# heading, out of band, since the status and dates shown there may have changed).


def _plan_section(
    request: HttpRequest, task: Task, *, done: str = "", status: int = 200, **forms: Any
) -> HttpResponse:
    task = Task.objects.get(pk=task.pk)
    context = plan_context(plan_section(user=request.user, task=task), **forms)
    return render(
        request,
        "web/tasks/_plan.html",
        {
            **context,
            "done": done,
            "t": task,
            "refresh_head": True,
            "trajectory": trajectory_for(user=request.user, task=task) if status == 200 else None,
        },
        status=status,
    )


def _plan_refused(request: HttpRequest, task: Task, **forms: Any) -> HttpResponse:
    if is_htmx(request):
        return _plan_section(request, task, status=400, **forms)
    return render_task(request, task, plan_forms=forms, status=400)


def _plan_done(request: HttpRequest, task: Task, text: str) -> HttpResponse:
    return action_done(
        request,
        text=text,
        url=task_url(task, "plan"),
        section=lambda note: _plan_section(request, task, done=note),
    )


@login_required
@require_POST
def update_task(request: HttpRequest, pk: int) -> HttpResponse:
    """The office edits the task's title, dates, cadence, owners… as of the version it saw."""
    task = get_task_for(request.user, pk)
    require(request.user, "assign")
    form = TaskPlanForm(request.POST, task=task)
    changes = form.changes() if form.is_valid() else {}
    if form.is_valid() and not changes:
        return _plan_done(request, task, gettext("Nothing to save: no field was changed."))
    return answer_form(
        request,
        form,
        lambda data: update_task_service(
            task=task, version=data["version"], user=request.user, today=today(), **changes
        ),
        refusals=TaskError,
        done=lambda _: _plan_done(request, task, gettext("Task saved.")),
        page=lambda: _plan_refused(request, task, edit_form=form),
    )


@login_required
@require_POST
def new_milestone(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_task_for(request.user, pk)
    require(request.user, "assign")
    form = MilestoneForm(request.POST)
    return answer_form(
        request,
        form,
        lambda data: add_milestone(
            task=task, date=data["date"], expected_progress=data["expected_progress"], title=data["title"]
        ),
        refusals=TaskError,
        done=lambda _: _plan_done(request, task, gettext("Milestone added.")),
        page=lambda: _plan_refused(request, task, milestone_form=form),
    )


@login_required
@require_POST
def delete_milestone(request: HttpRequest, pk: int, milestone_pk: int) -> HttpResponse:
    task = get_task_for(request.user, pk)
    require(request.user, "assign")
    milestone = get_object_or_404(task.milestones, pk=milestone_pk)
    try:
        remove_milestone(milestone=milestone, user=request.user)
    except TaskError as exc:
        return _plan_refused(request, task, removal_error=exc.message())
    return _plan_done(request, task, gettext("Milestone removed."))


@login_required
@require_POST
def new_indicator(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_task_for(request.user, pk)
    require(request.user, "assign")
    form = IndicatorForm.bound(request.POST, task=task)
    return answer_form(
        request,
        form,
        lambda data: add_indicator(
            task=task,
            name=data["name"],
            unit_of_measure=data["unit_of_measure"],
            baseline=data["baseline"],
            target=data["target"],
            baseline_date=data["baseline_date"],
            target_date=data["target_date"],
            direction=data["direction"],
        ),
        refusals=TaskError,
        done=lambda _: _plan_done(request, task, gettext("Indicator added.")),
        page=lambda: _plan_refused(request, task, indicator_form=form),
    )


@login_required
@require_POST
def step(request: HttpRequest, pk: int) -> HttpResponse:
    """A lifecycle step: the lead unit accepts the task or asks for completion; the office the rest."""
    task = get_task_for(request.user, pk)
    to_status = str(request.POST.get("to_status", ""))
    form = StepForm(request.POST, from_status=task.status, to_status=to_status)
    return answer_form(
        request,
        form,
        lambda data: transition(
            task=task,
            to_status=to_status,
            user=request.user,
            reason=data.get("reason") or "",
            version=data["version"],
        ),
        refusals=TaskError,
        done=lambda _: _plan_done(
            request, task, gettext("Status: %(status)s.") % {"status": task.get_status_display()}
        ),
        page=lambda: _plan_refused(request, task, step_form=form),
    )


# Division among lower units (分解下达): the answer is the division section.


def _cascade_section(
    request: HttpRequest,
    task: Task,
    *,
    done: str = "",
    status: int = 200,
    formsets: dict[int, Any] | None = None,
) -> HttpResponse:
    assignments = list(
        visible_assignments(request.user)
        .filter(task=task)
        .select_related("task", "unit")
        .order_by("role", "pk")
    )
    context = cascade_context(
        cascade_section(user=request.user, task=task, assignments=assignments), formsets=formsets
    )
    return render(request, "web/tasks/_cascade.html", {**context, "done": done}, status=status)


@login_required
@require_POST
def divide(request: HttpRequest, pk: int) -> HttpResponse:
    """The lead unit (or a unit holding a share) or the office divides the assignment among lower units."""
    assignment = get_assignment_for(request.user, pk)
    if not may_divide(request.user, assignment):
        raise PermissionDenied
    task = assignment.task
    formset = ShareFormSet(
        request.POST,
        assignment=assignment,
        units=division_units(assignment=assignment),
        indicators=list(task.indicators.all()),
    )
    return answer_form(
        request,
        formset,
        lambda _: cascade(assignment=assignment, shares=formset.shares(), by=request.user),
        refusals=TaskError,
        done=lambda created: action_done(
            request,
            text=gettext("Divided among %(units)s.") % {"units": "、".join(a.unit.name for a in created)},
            url=task_url(task, "cascade"),
            section=lambda note: _cascade_section(request, task, done=note),
        ),
        section=lambda: _cascade_section(request, task, formsets={assignment.pk: formset}, status=400),
        page=lambda: render_task(request, task, share_formsets={assignment.pk: formset}, status=400),
    )
