"""The task page, its CSV downloads and a liaison's extension request (the page's sections and their
forms: ``context``; the setup actions: ``views_setup``; the office's actions: ``web.ratings``,
``web.evaluation``, ``web.accountability``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from luoshi.lib.tabular import csv_response
from luoshi.supervision.services import SupervisionError, request_extension
from luoshi.tasks.access import get_assignment_for, get_task_for, visible_assignments
from luoshi.web.answer import answer_form, redirect_with
from luoshi.web.common.http import assignment_url
from luoshi.web.supervision.forms import ExtensionRequestForm
from luoshi.web.tasks.context import render_task
from luoshi.web.tasks.trajectory import (
    INDICATOR_HEADERS,
    TRAJECTORY_HEADERS,
    indicator_rows,
    indicator_trajectory,
    trajectory,
    trajectory_rows,
)


@login_required
def task(request: HttpRequest, pk: int) -> HttpResponse:
    return render_task(request, get_task_for(request.user, pk))


@login_required
def trajectory_csv(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_task_for(request.user, pk)
    points = trajectory(
        assignments=list(visible_assignments(request.user).filter(task=found).select_related("task", "unit"))
    )
    return csv_response(
        TRAJECTORY_HEADERS, trajectory_rows(points), filename=f"task-{found.pk}-trajectory.csv"
    )


@login_required
def indicators_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """The indicators' planned and reported values per unit and period, as in the tables under their charts."""
    found = get_task_for(request.user, pk)
    indicators = list(found.indicators.all())
    points = indicator_trajectory(
        assignments=list(visible_assignments(request.user).filter(task=found).select_related("task", "unit")),
        indicators=indicators,
    )
    return csv_response(
        INDICATOR_HEADERS, indicator_rows(points, indicators), filename=f"task-{found.pk}-indicators.csv"
    )


@login_required
@require_POST
def extension_request(request: HttpRequest, pk: int) -> HttpResponse:
    """A liaison asks to move the assignment's deadline; refusals come back next to the fields."""
    assignment = get_assignment_for(request.user, pk)
    form = ExtensionRequestForm(request.POST)
    return answer_form(
        request,
        form,
        lambda data: request_extension(
            assignment=assignment, user=request.user, new_deadline=data["new_deadline"], reason=data["reason"]
        ),
        refusals=SupervisionError,
        done=lambda _: redirect_with(
            request, gettext("Extension requested; the office will decide."), assignment_url(assignment)
        ),
        page=lambda: render_task(request, assignment.task, extension_forms={assignment.pk: form}, status=400),
    )
