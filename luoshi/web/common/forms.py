"""Form pieces every stage's forms use."""

from __future__ import annotations

from django import forms

TEXTAREA = forms.Textarea(attrs={"rows": 3})


def date_input() -> forms.DateInput:
    """A browser date picker: its value must be ISO, whatever the language's date format."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
