"""Forms of the evaluation's actions on the task page: designate an evaluator, evaluate, close (销号) (the
task's setup: ``web.tasks.forms``; the rating override: ``web.ratings.forms``; a measure:
``web.accountability.forms``).

As in ``web.reports.forms``, the forms check types only (a choice, a date); the
services decide what is valid and refuse with a ``BilingualError`` naming
its field, which ``luoshi.web.answer`` places the refusal next to.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from luoshi.evaluation.models import Effect
from luoshi.evaluation.services import IndicatorOutcome
from luoshi.web.common.forms import TEXTAREA, date_input

if TYPE_CHECKING:
    from luoshi.reports.models import Evidence
    from luoshi.tasks.models import Indicator


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        name = obj.get_full_name()
        return f"{name} ({obj.get_username()})" if name else str(obj.get_username())


class DesignateEvaluatorForm(forms.Form):
    user = PersonChoiceField(label=_("Evaluator"), queryset=User.objects.none())

    def __init__(self, *args: Any, candidates: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = candidates


class EvaluationForm(forms.Form):
    """The effect level, one answer per indicator of the task, comments and an optional re-check date."""

    effect = forms.ChoiceField(label=_("Effect"), choices=[("", "—"), *Effect.choices], required=False)
    comments = forms.CharField(label=_("Comments"), required=False, widget=TEXTAREA)
    recheck_date = forms.DateField(label=_("Re-check on (optional)"), required=False, widget=date_input())

    def __init__(
        self, *args: Any, indicators: list[Indicator] | tuple[Indicator, ...] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = list(indicators)
        choices = [("", "—"), ("yes", _("reached")), ("no", _("not reached"))]
        for indicator in self.indicators:
            name = (
                f"{indicator.name}（{indicator.unit_of_measure}）"
                if indicator.unit_of_measure
                else indicator.name
            )
            self.fields[f"reached_{indicator.pk}"] = forms.ChoiceField(
                label=_("%(name)s: target %(target)s") % {"name": name, "target": _number(indicator.target)},
                choices=choices,
                required=False,
            )
            self.fields[f"final_{indicator.pk}"] = forms.CharField(
                label=_("Final value (empty: the lead unit's last report)"), required=False
            )

    def outcomes(self) -> list[IndicatorOutcome]:
        """The indicators answered; one left blank is omitted, so that the service names it."""
        out = []
        for indicator in self.indicators:
            reached = self.cleaned_data.get(f"reached_{indicator.pk}")
            if reached:
                final = (self.cleaned_data.get(f"final_{indicator.pk}") or "").strip()
                out.append(
                    IndicatorOutcome(indicator=indicator, reached=reached == "yes", final_value=final or None)
                )
        return out


def _number(value: Any) -> str:
    return format(value.normalize(), "f") if hasattr(value, "normalize") else str(value)


class EvidenceChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        report = obj.report
        return f"{obj.original_name}（{report.obligation.assignment.unit.name} · {report.obligation.period} v{report.version}）"


class ClosureForm(forms.Form):
    """The closing note and the evidence files of the task's reports the closure cites (all, at first)."""

    note = forms.CharField(label=_("Closing note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    evidence = EvidenceChoiceField(
        label=_("Evidence it rests on"),
        queryset=None,  # the task's evidence, set in __init__
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, evidence: QuerySet[Evidence], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["evidence"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = evidence
        if not self.is_bound:
            field.initial = [e.pk for e in evidence]
