"""The task page's context: each section with the forms it offers, the whole page (``render_task``), and how
an action answers (``action_done``). The actions re-render one section: ``views_setup`` here, and the
office's actions in ``web.ratings``, ``web.evaluation`` and ``web.accountability`` (through ``sections``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language

from luoshi.evaluation.access import evaluator_candidates
from luoshi.evaluation.services import task_evidence
from luoshi.tasks.models import Task
from luoshi.web.accountability.forms import MeasureForm
from luoshi.web.answer import redirect_with
from luoshi.web.common.http import is_htmx, today
from luoshi.web.evaluation.forms import ClosureForm, DesignateEvaluatorForm, EvaluationForm
from luoshi.web.ratings.forms import OverrideForm
from luoshi.web.supervision.forms import ExtensionRequestForm
from luoshi.web.tasks.followup import ClosureSection, closure_section, task_instructions
from luoshi.web.tasks.forms import IndicatorForm, MilestoneForm, ShareFormSet, StepForm, TaskPlanForm
from luoshi.web.tasks.pages import (
    AccountabilitySection,
    EvaluationSection,
    Owner,
    task_page,
    task_units,
)
from luoshi.web.tasks.setup import CascadeSection, PlanSection, SuggestedIndicator


def task_url(task: Task, anchor: str) -> str:
    return f"{reverse('web:task', args=[task.pk])}#{anchor}"


def action_done(
    request: HttpRequest, *, text: str, url: str, section: Callable[[str], HttpResponse]
) -> HttpResponse:
    """After a recorded action: htmx gets the section anew with a note; a plain form goes back to the page."""
    if is_htmx(request):
        return section(text)
    return redirect_with(request, text, url)


@dataclass
class OwnerRow:
    """An owner's block with the forms it offers the user (None: not offered)."""

    owner: Owner
    extension_form: ExtensionRequestForm | None
    override_form: OverrideForm | None


def owner_row(
    owner: Owner,
    *,
    may_rate: bool,
    extension_form: ExtensionRequestForm | None = None,
    override_form: OverrideForm | None = None,
) -> OwnerRow:
    if not owner.may_request_extension:
        extension_form = None
    elif extension_form is None:
        extension_form = ExtensionRequestForm()
    if not may_rate or (owner.rating is None and override_form is None):  # a cancelled task is not rated
        override_form = None
    elif override_form is None:
        override_form = OverrideForm(auto_id=f"id_override{owner.assignment.pk}_%s")
    return OwnerRow(owner, extension_form, override_form)


def evaluation_context(
    section: EvaluationSection,
    *,
    designate_form: DesignateEvaluatorForm | None = None,
    evaluation_form: EvaluationForm | None = None,
) -> dict[str, Any]:
    task = section.task
    if section.may_designate:
        designate_form = designate_form or DesignateEvaluatorForm(candidates=evaluator_candidates(task))
    if section.may_record and evaluation_form is None:
        evaluation_form = EvaluationForm(indicators=list(task.indicators.all()))
    # A refused form is shown with its errors even when the task is not (or no longer) open to evaluation.
    return {
        "evaluation": section,
        "designate_form": designate_form if section.may_designate else None,
        "evaluation_form": evaluation_form if section.may_record or evaluation_form is not None else None,
    }


def accountability_context(
    section: AccountabilitySection, *, measure_form: MeasureForm | None = None
) -> dict[str, Any]:
    """The measures, one prefilled form per suggestion and a free form; a refused form takes its place again."""
    if not section.may_record:
        return {"accountability": section, "suggestion_rows": [], "measure_form": None}
    units = task_units(section.task)
    failed = MeasureForm.origin_of(measure_form.data) if measure_form is not None else ""
    day = today()
    rows = []
    for suggestion in section.suggestions:
        origin = f"suggestion{suggestion.assignment.pk}"
        if measure_form is not None and failed == origin:
            form, measure_form = measure_form, None
        else:
            form = MeasureForm.prefilled(
                units=units,
                origin=origin,
                today=day,
                kind=suggestion.kind,
                unit=suggestion.assignment.unit,
                reason=_suggestion_reason(suggestion.reason_zh, suggestion.reason_en),
            )
        rows.append((suggestion, form))
    # The free form, or a refused one whose suggestion is no longer there.
    free = measure_form or MeasureForm.prefilled(units=units, origin="free", today=day)
    return {"accountability": section, "suggestion_rows": rows, "measure_form": free}


def plan_context(
    section: PlanSection,
    *,
    edit_form: TaskPlanForm | None = None,
    milestone_form: MilestoneForm | None = None,
    indicator_form: IndicatorForm | None = None,
    step_form: StepForm | None = None,
    removal_error: str = "",
) -> dict[str, Any]:
    """The plan section's forms: the office's edit, milestone and indicator forms, one prefilled form per
    indicator the task's words suggest, and one form per lifecycle step the user may take; a refused
    form takes its place again, with its errors."""
    task = section.task
    indicator_suggestions: list[tuple[SuggestedIndicator, IndicatorForm]] = []
    if section.may_edit:
        edit_form = edit_form or TaskPlanForm(task=task)
        milestone_form = milestone_form or MilestoneForm()
        failed = IndicatorForm.origin_of(indicator_form.data) if indicator_form is not None else ""
        for suggestion in section.suggestions:
            if indicator_form is not None and failed == suggestion.key:
                form, indicator_form = indicator_form, None
                form.explain(suggestion)
            else:
                form = IndicatorForm.suggested(task=task, suggestion=suggestion)
            indicator_suggestions.append((suggestion, form))
        # The free form, or a refused one whose suggestion is no longer there.
        indicator_form = indicator_form or IndicatorForm(task=task)
    steps = [StepForm.offered(task, to) for to in section.steps]
    step_refusal = ""
    if step_form is not None:
        refused = step_form.data.get("to_status")
        if refused in section.steps and any(f.errors for f in step_form.visible_fields()):
            steps[section.steps.index(refused)] = (
                step_form  # a missing reason: the form again, with the error
            )
        else:  # stale, or no longer possible: fresh forms at the current version, and why it was refused
            step_refusal = " ".join(str(m) for errors in step_form.errors.values() for m in errors)
    return {
        "plan": section,
        "edit_form": edit_form,
        "milestone_form": milestone_form,
        "indicator_form": indicator_form,
        "indicator_suggestions": indicator_suggestions,
        "step_forms": steps,
        "step_refusal": step_refusal,
        "removal_error": removal_error,
    }


def cascade_context(section: CascadeSection, *, formsets: dict[int, Any] | None = None) -> dict[str, Any]:
    """Each division with its form (None where the user may not divide); a refused form comes back bound."""
    formsets = formsets or {}
    rows = []
    for division in section.divisions:
        formset = formsets.get(division.assignment.pk)
        if formset is None and division.may_divide:
            formset = ShareFormSet(
                assignment=division.assignment, units=division.candidates, indicators=section.indicators
            )
        rows.append((division, formset))
    return {"cascade": section, "division_rows": rows}


def closure_context(section: ClosureSection, *, closure_form: ClosureForm | None = None) -> dict[str, Any]:
    """The closure section (销号) and, when the office may close the task now, its form."""
    if closure_form is None and section.may_close and section.closure is None and not section.waits_for:
        closure_form = ClosureForm(evidence=task_evidence(section.task))
    return {"closure": section, "closure_form": closure_form}


def _suggestion_reason(zh: str, en: str) -> str:
    """The reason in the page's language: it is prefilled for the office to edit, then recorded."""
    return zh if (get_language() or "zh").startswith("zh") else en


def render_task(
    request: HttpRequest,
    task: Task,
    *,
    status: int = 200,
    extension_forms: dict[int, ExtensionRequestForm] | None = None,
    override_forms: dict[int, OverrideForm] | None = None,
    designate_form: DesignateEvaluatorForm | None = None,
    evaluation_form: EvaluationForm | None = None,
    measure_form: MeasureForm | None = None,
    plan_forms: dict[str, Any] | None = None,
    share_formsets: dict[int, Any] | None = None,
    closure_form: ClosureForm | None = None,
) -> HttpResponse:
    """The whole page; a refused plain (non-htmx) form comes back in it, bound, with its errors."""
    page = task_page(
        user=request.user, task=task, today=today(), all_periods=request.GET.get("periods") == "all"
    )
    extension_forms = extension_forms or {}
    override_forms = override_forms or {}
    rows = [
        owner_row(
            o,
            may_rate=page.may_rate,
            extension_form=extension_forms.get(o.assignment.pk),
            override_form=override_forms.get(o.assignment.pk),
        )
        for o in page.owners
    ]
    context = {
        "page": page,
        "owner_rows": rows,
        "may_rate": page.may_rate,
        "urgings": page.urgings,
        **evaluation_context(page.evaluation, designate_form=designate_form, evaluation_form=evaluation_form),
        **accountability_context(page.accountability, measure_form=measure_form),
        **plan_context(page.plan, **(plan_forms or {})),
        **cascade_context(page.cascade, formsets=share_formsets),
        **closure_context(closure_section(user=request.user, task=task), closure_form=closure_form),
        "instructions": task_instructions(user=request.user, task=task, today=today()),
    }
    return render(request, "web/tasks/task.html", context, status=status)
