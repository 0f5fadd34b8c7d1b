"""The form of an accountability measure (监督问责) on the task page: a suggested one, prefilled, or the
office's own. As elsewhere the form checks types only; the services decide what is valid."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from luoshi.accountability.models import Kind
from luoshi.units.models import Unit
from luoshi.web.common.forms import TEXTAREA, date_input
from luoshi.web.common.widgets import QuickSelectMultiple
from luoshi.web.reports.forms import MultipleFileField


class MeasureForm(forms.Form):
    """A measure for units of one task; ``origin`` says which form on the page it came from."""

    kind = forms.ChoiceField(label=_("Measure"), choices=Kind.choices)
    units = forms.ModelMultipleChoiceField(
        label=_("Units"), queryset=Unit.objects.none(), required=False, widget=QuickSelectMultiple
    )
    reason = forms.CharField(label=_("Reason"), required=False, widget=TEXTAREA)
    date = forms.DateField(label=_("Decided on"), widget=date_input())
    attachments = MultipleFileField(label=_("Documents (optional)"), required=False)
    origin = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["units"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = units

    @staticmethod
    def origin_of(data: Any) -> str:
        """Which form on the page posted: "free" or "suggestion<assignment id>" (anything else: "free")."""
        origin = str(data.get("origin", "") or "")
        return origin if re.fullmatch(r"suggestion\d{1,12}", origin) else "free"

    @classmethod
    def bound(cls, data: Any, files: Any, *, units: QuerySet[Unit]) -> MeasureForm:
        """A posted form, with the ids of the form it came from."""
        return cls(data, files, units=units, auto_id=f"id_{cls.origin_of(data)}_%s")

    @classmethod
    def prefilled(
        cls,
        *,
        units: QuerySet[Unit],
        origin: str,
        today: dt.date,
        kind: str = "",
        unit: Unit | None = None,
        reason: str = "",
    ) -> MeasureForm:
        """An unbound form with the given values, its ids unique on the page."""
        initial = {
            "kind": kind or Kind.REMINDER,
            "units": [unit.pk] if unit else [],
            "reason": reason,
            "date": today,
            "origin": origin,
        }
        return cls(units=units, initial=initial, auto_id=f"id_{origin}_%s")
