"""Forms of leaders' instructions (领导批示), their handling, the watch list (关注事项) and closing a task
(销号). As elsewhere the forms check types only; the services decide what is valid, and
``luoshi.web.answer`` places their refusals next to the field each names."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from luoshi.reports.models import Evidence
from luoshi.units.models import Unit
from luoshi.web.forms_chain import date_input

TEXTAREA = forms.Textarea(attrs={"rows": 4})


class InstructionForm(forms.Form):
    """The instruction, its due date, and (for a bulletin only) the units that are to handle it."""

    text = forms.CharField(label=_("Instruction"), required=False, widget=TEXTAREA)
    due_date = forms.DateField(label=_("Answer by"), widget=date_input())
    units = forms.ModelMultipleChoiceField(
        label=_("Units to handle it (none: the supervision office)"), queryset=Unit.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}))

    def __init__(self, *args: Any, units: QuerySet[Unit] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if units is None:
            del self.fields["units"]
        else:
            field = self.fields["units"]
            assert isinstance(field, forms.ModelMultipleChoiceField)
            field.queryset = units


class ResponseForm(forms.Form):
    text = forms.CharField(label=_("How it was handled"), required=False, widget=TEXTAREA)


class CiteForm(forms.Form):
    cited = forms.TypedChoiceField(choices=[("1", _("Cite in bulletins")), ("0", _("Do not cite"))],
                                   coerce=lambda v: v == "1")


class WatchForm(forms.Form):
    """A unit to watch (a task is watched from its page, with its id)."""

    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    task = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = units


class EvidenceChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        report = obj.report
        return f"{obj.original_name}（{report.obligation.assignment.unit.name} · {report.obligation.period} v{report.version}）"


class ClosureForm(forms.Form):
    """The closing note and the evidence files of the task's reports the closure cites (all, at first)."""

    note = forms.CharField(label=_("Closing note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    evidence = EvidenceChoiceField(label=_("Evidence it rests on"), queryset=Evidence.objects.none(),
                                   required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, evidence: QuerySet[Evidence], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["evidence"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = evidence
        if not self.is_bound:
            field.initial = [e.pk for e in evidence]
