"""The audit search's filters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from luoshi.audit.models import Action


class AuditFilterForm(forms.Form):
    """The filters of the audit search; every one optional. ``search_filters`` feeds ``audit.services.search``."""

    user = forms.CharField(label=_("User"), required=False, max_length=150)
    object_type = forms.ChoiceField(label=_("Object type"), required=False)
    action = forms.ChoiceField(label=_("Action"), required=False, choices=[("", _("any")), *Action.choices])
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
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
        filters = {
            name: data[name]
            for name in ("text", "action", "object_type", "date_from", "date_to")
            if data.get(name) not in (None, "")
        }
        username = data["user"].strip()
        if username:
            # A current account by its name; otherwise the label recorded at the time ("cli", a former user).
            account = get_user_model().objects.filter(username=username).first()
            filters["actor"] = account if account is not None else username
        return filters
