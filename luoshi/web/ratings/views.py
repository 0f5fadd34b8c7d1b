"""The rating override on the task page: the office sets an assignment's rating for today, with the reason.

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

from luoshi.accounts.scope import require
from luoshi.ratings.errors import RatingError
from luoshi.ratings.services import override_rating
from luoshi.tasks.access import get_assignment_for
from luoshi.web.answer import answer_form
from luoshi.web.common.http import assignment_url, today
from luoshi.web.ratings.forms import OverrideForm
from luoshi.web.tasks.context import action_done, render_task
from luoshi.web.tasks.sections import render_owner


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
            section=lambda text: render_owner(request, assignment, done=text),
        ),
        section=lambda: render_owner(request, assignment, form=form, status=400),
        page=lambda: render_task(request, assignment.task, override_forms={assignment.pk: form}, status=400),
    )
