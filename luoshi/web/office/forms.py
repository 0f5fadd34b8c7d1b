"""The office's decision form: it collects the input, the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class DecisionForm(forms.Form):
    """Approve or reject/return, with a comment (required to reject or return: the services say so)."""

    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    @property
    def approve(self) -> bool:
        return bool(self.cleaned_data.get("decision") == "approve")
