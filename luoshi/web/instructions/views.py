"""Leaders' instructions (领导批示): the list, one instruction with its handlings, writing one (leaders),
answering and approving the answer (the owning unit), citing it in bulletins (the office).

Objects are fetched in the user's scope (404 outside it), the role is checked here (403) and the
service checks once more. Answers and decisions swap the handling in place with htmx and work as
plain forms (back to the instruction's page).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from luoshi.accounts.scope import UNIT_ROLES, role_of, sees_all
from luoshi.bulletins.access import get_bulletin_for
from luoshi.instructions import access
from luoshi.instructions.models import Handling, Instruction
from luoshi.instructions.services import (
    InstructionError,
    approve_response,
    cite_in_bulletin,
    issue_instruction,
    respond_to_instruction,
)
from luoshi.instructions.words import subject_text
from luoshi.lib.bounds import is_db_id
from luoshi.reports.access import get_report_for
from luoshi.tasks.access import get_task_for
from luoshi.units.models import Unit
from luoshi.web.answer import answer_form, redirect_with
from luoshi.web.common.http import is_htmx, today
from luoshi.web.instructions.forms import CiteForm, InstructionForm, ResponseForm
from luoshi.web.instructions.leader_page import unit_choices
from luoshi.web.instructions.pages import get_instruction_view, handling_view, instruction_list, subject_link
from luoshi.web.supervision.forms import ApprovalForm


def _require_reader(request: HttpRequest) -> None:
    if not (sees_all(request.user) or role_of(request.user) in UNIT_ROLES):
        raise PermissionDenied


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Every instruction the user sees (a unit: those it handles), newest first, by state."""
    _require_reader(request)
    listing = instruction_list(
        user=request.user, today=today(), state=request.GET.get("state", ""), page=request.GET.get("page", 1)
    )
    return render(request, "web/instructions/list.html", {"listing": listing})


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_instruction_view(user=request.user, pk=pk, today=today())
    return render(request, "web/instructions/detail.html", {"row": row})


def _subject(request: HttpRequest) -> dict[str, Any]:
    """The subject named in the query string (?task=, ?unit=, ?report=, ?bulletin=), fetched in scope."""
    params = request.GET
    for name in ("task", "unit", "report", "bulletin"):
        value = params.get(name, "")
        if not value:
            continue
        if not is_db_id(value):
            break
        if name == "task":
            return {"task": get_task_for(request.user, value)}
        if name == "report":
            return {"report": get_report_for(request.user, value)}
        if name == "unit":
            return {"unit": get_object_or_404(Unit, pk=value)}
        return {"bulletin": get_bulletin_for(request.user, value)}
    raise PermissionDenied(_("Say what the instruction is on: open it from a task, a unit or a bulletin."))


@login_required
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    """A leader writes an instruction on the subject the link names; the due date offered is
    LUOSHI_INSTRUCTION_DUE_DAYS from today."""
    access.require_instruct(request.user)
    subject = _subject(request)
    units = unit_choices_for(subject)
    if request.method != "POST":
        form = InstructionForm(
            initial={"due_date": today() + dt.timedelta(days=settings.INSTRUCTION_DUE_DAYS)}, units=units
        )
        return _new_page(request, subject, form, status=200)
    form = InstructionForm(request.POST, units=units)
    return answer_form(
        request,
        form,
        lambda data: issue_instruction(
            leader=request.user,
            text=data["text"],
            due_date=data["due_date"],
            units=data.get("units") or (),
            **subject,
        ),
        refusals=InstructionError,
        done=lambda created: redirect_with(
            request,
            _("Instruction issued; the office and the owners have been told."),
            reverse("web:instruction", args=[created.pk]),
        ),
        page=lambda: _new_page(request, subject, form, status=400),
    )


def _new_page(
    request: HttpRequest, subject: dict[str, Any], form: InstructionForm, *, status: int
) -> HttpResponse:
    probe = Instruction(**subject, subject=next(iter(subject)))  # unsaved: to say what it is on
    if "report" in subject:
        probe.task = subject["report"].obligation.assignment.task
    context = {
        "form": form,
        "subject": subject_text(probe),
        "subject_link": subject_link(request.user, probe),
        "owners": _owners(subject),
    }
    return render(request, "web/instructions/new.html", context, status=status)


def unit_choices_for(subject: dict[str, Any]) -> Any:
    """The units a bulletin's instruction may name; None (no field) for the other subjects."""
    if "bulletin" not in subject:
        return None
    return Unit.objects.filter(pk__in=[u.pk for u in unit_choices()]).order_by("name")


def _owners(subject: dict[str, Any]) -> list[str]:
    if "task" in subject:
        return [subject["task"].lead_unit.name]
    if "report" in subject:
        return [subject["report"].obligation.assignment.unit.name]
    if "unit" in subject:
        return [subject["unit"].name]
    return []


def _handling_done(request: HttpRequest, handling: Handling, text: str) -> HttpResponse:
    if is_htmx(request):
        handling.refresh_from_db()
        return render(
            request,
            "web/instructions/_handling.html",
            {"item": handling_view(request.user, handling, today=today())},
        )
    messages.success(request, text)
    return redirect("web:instruction", pk=handling.instruction_id)


def _handling_refused(request: HttpRequest, handling: Handling, error: str, text: str) -> HttpResponse:
    """The handling again with the reason under its form: alone for htmx (200, swapped in), else the page (400)."""
    handling.refresh_from_db()
    item = handling_view(request.user, handling, today=today(), error=error, text=text)
    if is_htmx(request):
        return render(request, "web/instructions/_handling.html", {"item": item})
    row = get_instruction_view(user=request.user, pk=handling.instruction_id, today=today())
    row.handlings = [item if h.handling.pk == handling.pk else h for h in row.handlings]
    return render(request, "web/instructions/detail.html", {"row": row}, status=400)


def _decide(
    request: HttpRequest, handling: Handling, act: Callable[[], Handling], entered: str
) -> HttpResponse:
    """Run the service; the handling comes back with the reason under its form, or with what happened."""
    try:
        done = act()
    except InstructionError as exc:
        return _handling_refused(request, handling, exc.message(), entered)
    said: dict[str, str] = {
        Handling.State.AWAITING_HEAD: _("Answer submitted; it waits for the unit head's approval."),
        Handling.State.DONE: _("Answer sent to the leader and the supervision office."),
        Handling.State.RETURNED: _("Answer sent back."),
    }
    return _handling_done(request, done, said.get(done.state, ""))


@login_required
@require_POST
def respond(request: HttpRequest, pk: int) -> HttpResponse:
    """The owner's liaison (or head) submits how the instruction was handled."""
    handling = access.get_handling_for(request.user, pk)
    access.require_respond(request.user, handling)
    form = ResponseForm(request.POST)
    form.is_valid()  # one optional text: the service says what an acceptable answer is
    text = form.cleaned_data.get("text", "")
    return _decide(
        request,
        handling,
        lambda: respond_to_instruction(handling=handling, user=request.user, text=text),
        text,
    )


@login_required
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    """The owning unit's head approves the drafted answer or sends it back with a comment."""
    handling = access.get_handling_for(request.user, pk)
    access.require_approve(request.user, handling)
    form = ApprovalForm(request.POST)
    comment = request.POST.get("comment", "")
    if not form.is_valid():
        return _handling_refused(request, handling, _("Choose approve or send back."), comment)
    return _decide(
        request,
        handling,
        lambda: approve_response(
            handling=handling, user=request.user, approve=form.approve, comment=form.cleaned_data["comment"]
        ),
        comment,
    )


@login_required
@require_POST
def cite(request: HttpRequest, pk: int) -> HttpResponse:
    """The office chooses whether the bulletins cite the instruction."""
    instruction = access.get_instruction_for(request.user, pk)
    access.require_cite(request.user)
    form = CiteForm(request.POST)
    if form.is_valid():
        cited = cite_in_bulletin(instruction=instruction, user=request.user, cited=form.cleaned_data["cited"])
        messages.success(
            request,
            _("The bulletins cite this instruction.")
            if cited.in_bulletin
            else _("The bulletins no longer cite this instruction."),
        )
    return redirect("web:instruction", pk=instruction.pk)
