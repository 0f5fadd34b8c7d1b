"""Forms of the follow-up pages: report approval, urging responses, extension requests.

As in ``web.reports.forms``, the forms collect input and the services decide what is
valid: a missing comment on a returned report, or an empty urging response,
comes back from the service as a refusal shown next to its field.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ApprovalForm(forms.Form):
    """A unit head approves a pending report or sends it back (the service wants a comment for that)."""

    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("return", _("Send back"))])
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    @property
    def approve(self) -> bool:
        return bool(self.cleaned_data.get("decision") == "approve")


class UrgingResponseForm(forms.Form):
    response = forms.CharField(label=_("Response"), required=False, widget=forms.Textarea(attrs={"rows": 4}))


class ExtensionRequestForm(forms.Form):
    new_deadline = forms.DateField(label=_("New deadline"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
