"""Forms of leaders' instructions (领导批示), their handling and the watch list (关注事项) (closing a task,
销号: ``web.evaluation.forms``). As elsewhere the forms check types only; the services decide what is valid, and
``luoshi.web.answer`` places their refusals next to the field each names."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from luoshi.units.models import Unit
from luoshi.web.common.forms import date_input

TEXTAREA = forms.Textarea(attrs={"rows": 4})


class InstructionForm(forms.Form):
    """The instruction, its due date, and (for a bulletin only) the units that are to handle it."""

    text = forms.CharField(label=_("Instruction"), required=False, widget=TEXTAREA)
    due_date = forms.DateField(label=_("Answer by"), widget=date_input())
    units = forms.ModelMultipleChoiceField(
        label=_("Units to handle it (none: the supervision office)"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

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
    cited = forms.TypedChoiceField(
        choices=[("1", _("Cite in bulletins")), ("0", _("Do not cite"))], coerce=lambda v: v == "1"
    )


class WatchForm(forms.Form):
    """A unit to watch (a task is watched from its page, with its id)."""

    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    task = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = units
