"""Forms of the follow-up pages: report approval, urging responses, the audit search.

As in ``web.forms``, the forms collect input and the services decide what is
valid: a missing comment on a returned report, or an empty urging response,
comes back from the service as a refusal shown next to its field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from luoshi.audit.models import Action


class ApprovalForm(forms.Form):
    """A unit head approves a pending report or sends it back (the service wants a comment for that)."""

    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("return", _("Send back"))])
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    @property
    def approve(self) -> bool:
        return bool(self.cleaned_data.get("decision") == "approve")


class UrgingResponseForm(forms.Form):
    response = forms.CharField(label=_("Response"), required=False, widget=forms.Textarea(attrs={"rows": 4}))


class AuditFilterForm(forms.Form):
    """The filters of the audit search; every one optional. ``search_filters`` feeds ``audit.services.search``."""

    user = forms.CharField(label=_("User"), required=False, max_length=150)
    object_type = forms.ChoiceField(label=_("Object type"), required=False)
    action = forms.ChoiceField(label=_("Action"), required=False,
                               choices=[("", _("any")), *Action.choices])
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    text = forms.CharField(label=_("Text"), required=False, max_length=200)

    def __init__(self, *args: Any, object_types: Sequence[tuple[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["object_type"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("any")), *object_types]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if isinstance(start, dt.date) and isinstance(end, dt.date) and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def search_filters(self) -> dict[str, Any]:
        """Keyword arguments for ``search``, once the form is valid: the filters given."""
        data = self.cleaned_data
        filters = {name: data[name] for name in ("text", "action", "object_type", "date_from", "date_to")
                   if data.get(name) not in (None, "")}
        username = data["user"].strip()
        if username:
            # A current account by its name; otherwise the label recorded at the time ("cli", a former user).
            account = get_user_model().objects.filter(username=username).first()
            filters["actor"] = account if account is not None else username
        return filters
