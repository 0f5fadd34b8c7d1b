"""The rating override's form on the task page (an owner's block): the services decide what is valid."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from luoshi.ratings.models import Rag
from luoshi.web.common.forms import TEXTAREA


class OverrideForm(forms.Form):
    rag = forms.ChoiceField(label=_("Rating"), choices=Rag.choices)
    confidence = forms.TypedChoiceField(
        label=_("Delivery confidence (optional)"),
        choices=[("", "—"), *((n, str(n)) for n in range(5, 0, -1))],
        coerce=int,
        empty_value=None,
        required=False,
    )
    reason = forms.CharField(label=_("Reason"), required=False, widget=TEXTAREA)
