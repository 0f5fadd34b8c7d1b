"""Forms of a proposed task's milestones and indicators on the review page (任务分工方案).

As elsewhere, the forms check types only; ``luoshi.decomposition.schedule`` decides what is valid
and refuses with a ``PlanError`` naming its field (none: a stale or locked plan).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from luoshi.decomposition.models import PlanTask
from luoshi.decomposition.schedule import SuggestedIndicator
from luoshi.tasks.queries import Direction
from luoshi.web.common.forms import date_input


class PlanMilestoneForm(forms.Form):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    date = forms.DateField(label=_("Date"), widget=date_input())
    expected_progress = forms.IntegerField(
        label=_("Expected progress (%)"), widget=forms.NumberInput(attrs={"min": 0, "max": 100})
    )
    title = forms.CharField(label=_("Milestone"), required=False, max_length=200)

    def __init__(self, *args: Any, task: PlanTask, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id_t{task.pk}_milestone_%s")
        kwargs.setdefault("initial", {"version": task.version})
        super().__init__(*args, **kwargs)


class PlanIndicatorForm(forms.Form):
    """An indicator to add: the office's own, or one the task's words suggest, prefilled. The numbers
    are text here: the service reads them as ``add_indicator`` does."""

    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    name = forms.CharField(label=_("Indicator"), required=False, max_length=200)
    unit_of_measure = forms.CharField(label=_("Unit of measure"), required=False, max_length=40)
    baseline = forms.CharField(label=_("Baseline"), required=False, max_length=40)
    target = forms.CharField(label=_("Target"), required=False, max_length=40)
    direction = forms.ChoiceField(label=_("Direction"), choices=Direction.choices, initial=Direction.INCREASE)

    def __init__(self, *args: Any, task: PlanTask, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id_t{task.pk}_indicator_%s")
        kwargs["initial"] = {"version": task.version, **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)

    @classmethod
    def suggested(cls, *, task: PlanTask, suggestion: SuggestedIndicator) -> PlanIndicatorForm:
        """The form prefilled from a target of the task's words; the baseline is the office's to give."""
        form = cls(
            task=task,
            auto_id=f"id_t{task.pk}_{suggestion.key}_%s",
            initial={
                "name": suggestion.name,
                "unit_of_measure": suggestion.unit_of_measure,
                "direction": suggestion.direction,
                "target": "" if suggestion.target is None else format(suggestion.target, "f"),
            },
        )
        if suggestion.from_baseline:
            form.fields["target"].help_text = _(
                "The text gives the change, not the level: the target is the baseline %(change)s. "
                "Fill in the baseline, then the target it gives."
            ) % {"change": suggestion.from_baseline}
        return form


class RemoveScheduleForm(forms.Form):
    """The milestone (its date) or the indicator (its name) to remove, at the version the user saw."""

    version = forms.IntegerField(min_value=1)
    date = forms.DateField(required=False)
    name = forms.CharField(required=False, max_length=200)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("date") and not data.get("name"):
            raise forms.ValidationError("date or name")
        return data
