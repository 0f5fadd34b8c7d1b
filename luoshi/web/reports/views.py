from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from luoshi.reports.access import get_obligation_for
from luoshi.reports.models import Obligation, Report
from luoshi.reports.services import ReportError, submit_report
from luoshi.web.answer import answer_form, redirect_with
from luoshi.web.common.http import assignment_url
from luoshi.web.reports.forms import ReportForm


def _render(
    request: HttpRequest, obligation: Obligation, form: ReportForm, status: int = 200
) -> HttpResponse:
    versions = list(obligation.reports.order_by("version"))
    context = {
        "obligation": obligation,
        "task": obligation.assignment.task,
        "form": form,
        "latest": versions[-1] if versions else None,
        "correction": bool(versions),
    }
    return render(request, "web/reports/form.html", context, status=status)


@login_required
def report_form(request: HttpRequest, pk: int) -> HttpResponse:
    """Submit a report for an obligation (a correction when one exists: a new version)."""
    obligation = get_obligation_for(request.user, pk)
    indicators = list(obligation.assignment.task.indicators.all())
    if request.method != "POST":
        latest = obligation.reports.order_by("-version").first()
        initial = (
            {
                "progress": latest.progress,
                "narrative": latest.narrative,
                "problems": latest.problems,
                "next_steps": latest.next_steps,
            }
            if latest
            else {}
        )
        return _render(request, obligation, ReportForm(initial=initial, indicators=indicators))
    form = ReportForm(request.POST, request.FILES, indicators=indicators)
    return answer_form(
        request,
        form,
        lambda data: submit_report(
            obligation=obligation,
            user=request.user,
            progress=data["progress"],
            narrative=data["narrative"],
            problems=data["problems"],
            next_steps=data["next_steps"],
            indicator_values=form.indicator_values(),
            evidence=data["evidence"],
        ),
        refusals=ReportError,
        done=lambda report: _submitted(request, obligation, report),
        page=lambda: _render(request, obligation, form, status=400),
    )


def _submitted(request: HttpRequest, obligation: Obligation, report: Report) -> HttpResponse:
    text = (
        _("Correction saved as version %(version)s.") % {"version": report.version}
        if report.version > 1
        else _("Report submitted.")
    )
    return redirect_with(request, text, assignment_url(obligation.assignment))
