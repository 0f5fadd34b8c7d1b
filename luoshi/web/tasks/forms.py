"""Forms of the task's setup on its page: edit the task's plan, add milestones and indicators (one
prefilled per indicator the decision's words suggest), take a lifecycle step, divide an assignment
among lower units.

As in ``web.evaluation.forms``, the forms check types only (a choice, a date); the
services decide what is valid and refuse with a ``TaskError`` naming its field
(a share's: "shares.<row>.<field>"), which ``luoshi.web.answer`` places the refusal next to.
"""

from __future__ import annotations

import re
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from luoshi.tasks.cascade import Share
from luoshi.tasks.lifecycle import NEEDS_REASON
from luoshi.tasks.models import Assignment, Cadence, Indicator, Status, Task
from luoshi.units.models import Unit
from luoshi.web.common.forms import TEXTAREA, date_input
from luoshi.web.common.widgets import QuickSelect, QuickSelectMultiple
from luoshi.web.tasks.setup import SuggestedIndicator

# --- the task's plan and lifecycle (office: edit, milestones, indicators; lead unit and office: steps) ---

DATES_SPLIT = re.compile(r"[\s,，、;；]+")


class TaskPlanForm(forms.Form):
    """The fields of ``update_task`` the office edits on the page, and the version it saw."""

    number = forms.CharField(label=_("Number"), required=False, max_length=20)
    title = forms.CharField(label=_("Title"), required=False, max_length=200)
    start_date = forms.DateField(label=_("Start date"), widget=date_input())
    deadline = forms.DateField(label=_("Deadline"), widget=date_input())
    cadence = forms.ChoiceField(label=_("Reporting cadence"), choices=Cadence.choices)
    custom_dates = forms.CharField(
        label=_("Report dates (custom cadence only; one per line, YYYY-MM-DD)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    report_day = forms.IntegerField(label=_("Reports due (days after the period ends)"))
    weight = forms.DecimalField(label=_("Weight"))
    lead_unit = forms.ModelChoiceField(label=_("Lead unit"), queryset=Unit.objects.none(), widget=QuickSelect)
    co_units = forms.ModelMultipleChoiceField(
        label=_("Co-operating units"),
        queryset=Unit.objects.none(),
        required=False,
        widget=QuickSelectMultiple,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, task: Task, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_plan_%s")
        if not args and "initial" not in kwargs:
            kwargs["initial"] = {
                "number": task.number,
                "title": task.title,
                "start_date": task.start_date,
                "deadline": task.deadline,
                "cadence": task.cadence,
                "custom_dates": "\n".join(task.custom_dates),
                "report_day": task.report_day,
                "weight": task.weight.normalize(),
                "lead_unit": task.lead_unit_id,
                "co_units": [u.pk for u in task.co_units.all()],
                "version": task.version,
            }
        super().__init__(*args, **kwargs)
        self.task = task
        units = Unit.objects.filter(active=True).order_by("catalog", "id")
        if task.lead_unit.catalog:
            units = units.filter(catalog=task.lead_unit.catalog)
        for name in ("lead_unit", "co_units"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = units

    def changes(self) -> dict[str, Any]:
        """The fields whose value differs from the task's: only these go to ``update_task``."""
        data, task = self.cleaned_data, self.task
        out = {
            name: data[name]
            for name in (
                "number",
                "title",
                "start_date",
                "deadline",
                "cadence",
                "report_day",
                "weight",
                "lead_unit",
            )
            if data[name] != getattr(task, name)
        }
        dates = [d for d in DATES_SPLIT.split(data["custom_dates"] or "") if d]
        if dates != list(task.custom_dates):
            out["custom_dates"] = dates
        if {u.pk for u in data["co_units"]} != {u.pk for u in task.co_units.all()}:
            out["co_units"] = list(data["co_units"])
        return out


class MilestoneForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=date_input())
    expected_progress = forms.IntegerField(label=_("Expected progress (%)"))
    title = forms.CharField(label=_("Milestone"), required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_milestone_%s")
        super().__init__(*args, **kwargs)


class IndicatorForm(forms.Form):
    """An indicator to add: the office's own (``origin`` "free") or one the task's words suggest,
    prefilled (``origin`` the suggestion's key); ``origin`` says which form on the page posted."""

    name = forms.CharField(label=_("Indicator"), required=False, max_length=200)
    unit_of_measure = forms.CharField(label=_("Unit of measure"), required=False, max_length=40)
    baseline = forms.DecimalField(label=_("Baseline"))
    baseline_date = forms.DateField(label=_("Baseline date"), widget=date_input())
    target = forms.DecimalField(label=_("Target"))
    target_date = forms.DateField(label=_("Target date"), widget=date_input())
    direction = forms.ChoiceField(label=_("Direction"), choices=Indicator.Direction.choices)
    origin = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, task: Task, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_indicator_%s")
        kwargs.setdefault(
            "initial", {"baseline_date": task.start_date, "target_date": task.deadline, "origin": "free"}
        )
        super().__init__(*args, **kwargs)

    @staticmethod
    def origin_of(data: Any) -> str:
        """Which form posted: "free" or a suggestion's key, "suggested<n>" (anything else: "free")."""
        origin = str(data.get("origin", "") or "")
        return origin if re.fullmatch(r"suggested\d{1,6}", origin) else "free"

    @classmethod
    def bound(cls, data: Any, *, task: Task) -> IndicatorForm:
        """A posted form, with the ids of the form it came from."""
        origin = cls.origin_of(data)
        return cls(data, task=task, auto_id="id_indicator_%s" if origin == "free" else f"id_{origin}_%s")

    @classmethod
    def suggested(cls, *, task: Task, suggestion: SuggestedIndicator) -> IndicatorForm:
        """The form prefilled from a target of the task's words; the baseline is the office's to give."""
        form = cls(
            task=task,
            auto_id=f"id_{suggestion.key}_%s",
            initial={
                "name": suggestion.name,
                "unit_of_measure": suggestion.unit_of_measure,
                "target": suggestion.target,
                "direction": suggestion.direction,
                "baseline_date": task.start_date,
                "target_date": task.deadline,
                "origin": suggestion.key,
            },
        )
        form.explain(suggestion)
        return form

    def explain(self, suggestion: SuggestedIndicator) -> None:
        """Say next to the target how it follows from the baseline, when the words give a change."""
        if suggestion.from_baseline:
            self.fields["target"].help_text = _(
                "The text gives the change, not the level: the target is the baseline %(change)s. "
                "Fill in the baseline, then the target it gives."
            ) % {"change": suggestion.from_baseline}


class StepForm(forms.Form):
    """One step of the lifecycle, at the version the user saw; a reason where the step needs one."""

    to_status = forms.ChoiceField(choices=Status.choices, widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason"), required=False, widget=TEXTAREA)

    def __init__(self, *args: Any, from_status: str, to_status: str, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id_step_{to_status}_%s")
        super().__init__(*args, **kwargs)
        self.label = step_label(from_status, to_status)
        if (from_status, to_status) not in NEEDS_REASON:
            if to_status == Status.COMPLETION_REQUESTED:
                self.fields["reason"].label = _("What was done (optional)")
            else:
                del self.fields["reason"]

    @classmethod
    def offered(cls, task: Task, to_status: str) -> StepForm:
        return cls(
            from_status=task.status,
            to_status=to_status,
            initial={"to_status": to_status, "version": task.version},
        )


def step_label(from_status: str, to_status: str) -> str:
    """What a step is called on its button: 签收, 申请办结, 退回办结申请, 撤销任务…"""
    if (from_status, to_status) == (Status.COMPLETION_REQUESTED, Status.IN_PROGRESS):
        return str(_("Return the completion request"))
    return str(STEP_LABELS.get(to_status, to_status))


STEP_LABELS: dict[str, Any] = {
    Status.ASSIGNED: _("Assign to the units"),
    Status.IN_PROGRESS: _("Accept the task"),
    Status.COMPLETION_REQUESTED: _("Request completion"),
    Status.COMPLETED: _("Confirm completion"),
    Status.CANCELLED: _("Cancel the task"),
}


# --- division among lower units (分解下达) ---


class ShareForm(forms.Form):
    """One lower unit's share: the unit (among those that may take one), weight, deadline, indicator targets."""

    unit = forms.TypedChoiceField(label=_("Unit"), coerce=int, widget=QuickSelect)
    weight = forms.DecimalField(label=_("Weight"))
    deadline = forms.DateField(label=_("Deadline"), widget=date_input())

    def __init__(self, *args: Any, units: list[Unit], indicators: list[Indicator], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "—"), *((u.pk, u.name) for u in units)]
        self.indicators = indicators
        for indicator in indicators:
            name = (
                f"{indicator.name}（{indicator.unit_of_measure}）"
                if indicator.unit_of_measure
                else indicator.name
            )
            self.fields[f"target_{indicator.pk}"] = forms.DecimalField(
                label=_("Target for %(name)s (optional)") % {"name": name}, required=False
            )

    def targets(self) -> dict[int, Any]:
        return {
            i.pk: self.cleaned_data[f"target_{i.pk}"]
            for i in self.indicators
            if self.cleaned_data.get(f"target_{i.pk}") is not None
        }


class BaseShareFormSet(forms.BaseFormSet):
    """The rows of a division; blank rows are left out."""

    def __init__(
        self,
        *args: Any,
        assignment: Assignment,
        units: list[Unit],
        indicators: list[Indicator],
        **kwargs: Any,
    ) -> None:
        self.units = {u.pk: u for u in units}
        kwargs["prefix"] = f"share{assignment.pk}"
        kwargs["form_kwargs"] = {
            "units": units,
            "indicators": indicators,
            "initial": {"weight": 1, "deadline": assignment.deadline},
        }
        super().__init__(*args, **kwargs)

    def filled(self) -> list[ShareForm]:
        return [f for f in self.forms if f.has_changed() and f.cleaned_data]

    def shares(self) -> list[Share]:
        return [
            Share(
                unit=self.units[f.cleaned_data["unit"]],
                weight=f.cleaned_data["weight"],
                deadline=f.cleaned_data["deadline"],
                indicator_targets=f.targets(),
            )
            for f in self.filled()
        ]


ShareFormSet = cast(
    "type[BaseShareFormSet]",
    forms.formset_factory(ShareForm, formset=BaseShareFormSet, extra=3, max_num=30, validate_max=True),
)
