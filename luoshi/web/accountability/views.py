"""Recording an accountability measure (监督问责) on the task page: a suggested one, edited or not, or the
office's own, for units of the task.

Each is a POST that htmx sends to swap one section of the page (the view
returns that section's partial) and that also works as a plain form (a
redirect to the page, or the whole page with the refused form, status 400).
Who may act: the object is fetched in the user's scope (404 outside it), the
role is checked here (403), and the service checks once more.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from luoshi.accountability.services import AccountabilityError, record_measure
from luoshi.accounts.scope import require
from luoshi.tasks.access import get_task_for
from luoshi.web.accountability.forms import MeasureForm
from luoshi.web.answer import answer_form
from luoshi.web.tasks.context import action_done, render_task, task_url
from luoshi.web.tasks.pages import task_units
from luoshi.web.tasks.sections import render_measures


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
            section=lambda text: render_measures(request, task, done=text),
        ),
        section=lambda: render_measures(request, task, form=form, status=400),
        page=lambda: render_task(request, task, measure_form=form, status=400),
    )
