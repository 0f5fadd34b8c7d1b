"""The report form. It collects input; the services decide what is valid.

It keeps only type checks (a number, a date): the range and
content rules live in ``reports.services.submit_report`` and come back as a
``ReportError`` naming its field, which ``luoshi.web.answer`` puts it next to.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from luoshi.tasks.models import Indicator


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several evidence files in one input; the service checks each one."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class ReportForm(forms.Form):
    progress = forms.IntegerField(
        label=_("Progress (%)"), widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )
    narrative = forms.CharField(
        label=_("Progress made"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    problems = forms.CharField(label=_("Problems"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    next_steps = forms.CharField(
        label=_("Next steps"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence = MultipleFileField(label=_("Evidence files"), required=False)

    def __init__(
        self, *args: Any, indicators: list[Indicator] | tuple[Indicator, ...] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = list(indicators)
        for indicator in self.indicators:
            label = (
                f"{indicator.name}（{indicator.unit_of_measure}）"
                if indicator.unit_of_measure
                else indicator.name
            )
            self.fields[self.indicator_field(indicator)] = forms.CharField(label=label, required=False)

    @staticmethod
    def indicator_field(indicator: Indicator) -> str:
        return f"indicator_{indicator.pk}"

    def indicator_values(self) -> dict[int, str]:
        values = {}
        for indicator in self.indicators:
            raw = (self.cleaned_data.get(self.indicator_field(indicator)) or "").strip()
            if raw:
                values[indicator.pk] = raw
        return values

    def indicator_bound_fields(self) -> list[forms.BoundField]:
        return [self[self.indicator_field(i)] for i in self.indicators]
